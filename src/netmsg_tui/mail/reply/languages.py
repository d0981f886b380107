"""The words mail clients write around a quoted message, per language.

Each table is plain data; :mod:`.patterns` compiles them. Sources: what Outlook, Gmail, Apple
Mail, Thunderbird, Yahoo and the common mobile apps write in each language (German, French, Dutch,
Italian, Spanish, Portuguese, Danish, Swedish, Norwegian, Finnish, Polish, Czech, English,
Japanese, Chinese, Russian, Vietnamese). Matching is case-insensitive.
"""

from __future__ import annotations

# The verb of an attribution line: "On <date>, <name> wrote:", "Am <date> schrieb <name>:",
# "<name> a écrit :". The line (or two or three joined lines) ends with the verb, a name perhaps,
# and a colon.
WROTE = [
    r"wrote", r"writes", r"sent", r"wrote the following",  # en
    r"schrieb", r"hat geschrieben", r"schreibt",  # de
    r"a [ée]crit", r"[ée]crit",  # fr
    r"schreef", r"heeft geschreven", r"geschreven", r"verzond",  # nl
    r"ha scritto", r"scrisse",  # it
    r"escribi[óo]", r"ha escrito",  # es
    r"escreveu",  # pt
    r"skrev", r"skriver",  # da, sv, no
    r"kirjoitti",  # fi
    r"napisa[łl](?:\(a\)|a)?", r"pisze",  # pl
    r"napsal(?:\(a\)|a)?", r"p[íi][šs]e",  # cs
    r"написал(?:\(а\)|а)?", r"пишет",  # ru
    r"写道", r"寫道",  # zh
    r"のメール", r"は書きました", r"さんは書きました",  # ja
    r"đã viết",  # vi
]  # fmt: skip

# Words an attribution line starts with ("On", "Am", "Le", …). Only needed to find an
# attribution that begins in the middle of a line ("…last words.On Thu, … wrote:") and to
# join one that is wrapped over several lines.
ATTRIBUTION_START = [
    r"On", r"Am", r"Le", r"Op", r"Il giorno", r"Il", r"El", r"Em", r"Den", r"P[åa]",
    r"W dniu", r"Dne", r"Vào", r"Ngày",
]  # fmt: skip

# "-----Original Message-----" and its translations (Outlook, Samsung, QQ Mail, …).
ORIGINAL_MESSAGE = [
    r"Original Message", r"Reply Message", r"Original", r"Original message",
    r"Urspr[üu]ngliche Nachricht", r"Antwort Nachricht", r"Originalnachricht",
    r"Message d'origine", r"Message original",
    r"Oorspronkelijk bericht", r"Origineel bericht",
    r"Messaggio originale", r"Messaggio Originale",
    r"Mensaje original",
    r"Mensagem original",
    r"Oprindelig meddelelse", r"Oprindelig besked",
    r"Ursprungligt meddelande", r"Originalmeddelande",
    r"Opprinnelig melding", r"Opprinnelig e-post",
    r"Alkuper[äa]inen viesti",
    r"Oryginalna wiadomo[śs][ćc]", r"Wiadomo[śs][ćc] oryginalna",
    r"P[ůu]vodn[íi] zpr[áa]va", r"P[ůu]vodn[íi] e-mail",
    r"Исходное сообщение", r"Оригинальное сообщение",
    r"元のメッセージ", r"オリジナル メッセージ",
    r"原始邮件", r"原始郵件", r"原邮件", r"原郵件",
    r"Th[ưu] g[ốo]c", r"Tin nh[ắa]n g[ốo]c",
]  # fmt: skip

# "---------- Forwarded message ---------" and its translations: a forward is not a quote.
FORWARDED_DASHED = [
    r"Forwarded message", r"Forwarded Message", r"Forwarded",
    r"Weitergeleitete Nachricht", r"Weitergeleitete Mail",
    r"Message transf[ée]r[ée]", r"Message r[ée]exp[ée]di[ée]",
    r"Doorgestuurd bericht", r"Doorgestuurd",
    r"Messaggio inoltrato", r"Messaggio Inoltrato",
    r"Mensaje reenviado",
    r"Mensagem encaminhada", r"Mensagem reencaminhada",
    r"Videresendt meddelelse", r"Videresendt besked", r"Videresendt melding",
    r"Vidarebefordrat meddelande",
    r"V[äa]litetty viesti", r"Edelleenl[äa]hetetty viesti",
    r"Przekazana wiadomo[śs][ćc]", r"Wiadomo[śs][ćc] przekazana",
    r"P[řr]eposlan[áa] zpr[áa]va",
    r"Пересылаемое сообщение", r"Пересланное сообщение",
    r"転送されたメッセージ", r"転送メッセージ",
    r"转发的邮件", r"轉寄的郵件", r"转发邮件",
    r"Tin nh[ắa]n [đd][ãa] chuy[ểe]n ti[ếe]p", r"Th[ưu] chuy[ểe]n ti[ếe]p",
]  # fmt: skip

# Apple Mail's "Begin forwarded message:" and its translations.
FORWARDED_BEGIN = [
    r"Begin forwarded message", r"Anfang der weitergeleiteten Nachricht",
    r"D[ée]but du message r[ée]exp[ée]di[ée]", r"D[ée]but du message transf[ée]r[ée]",
    r"Begin doorgestuurd bericht", r"Inizio messaggio inoltrato",
    r"Inicio del mensaje reenviado", r"In[íi]cio da mensagem reencaminhada",
    r"In[íi]cio da mensagem encaminhada", r"Start p[åa] videresendt besked",
    r"Vidarebefordrat brev", r"Videresendt melding", r"V[äa]litetty viesti alkaa",
    r"Pocz[ąa]tek przekazanej wiadomo[śs]ci", r"Za[čc][áa]tek p[řr]eposlan[ée] zpr[áa]vy",
    r"Начало переадресованного сообщения", r"Начало пересылаемого сообщения",
    r"転送されたメッセージ", r"以下是转发的邮件", r"转发的邮件",
    r"B[ắa]t [đd][ầa]u tin nh[ắa]n [đd]ược chuy[ểe]n ti[ếe]p",
]  # fmt: skip

# Subject prefixes of a forward (Outlook writes no marker line, only a From/Sent block).
FORWARD_SUBJECT = [
    r"Fwd?", r"FW", r"WG", r"TR", r"Fw", r"Doorst", r"RV", r"ENC", r"I", r"VS", r"VB", r"VL",
    r"PD", r"PŘEDAT", r"Pfw", r"Пересл", r"Fwd", r"転送", r"转发", r"轉寄", r"Chuyển tiếp",
]  # fmt: skip

# The fields of an Outlook-style header block, by what they mean. A block needs a "from"
# field and at least one more.
# fmt: off
HEADER_FIELDS = {
    "from": [
        r"From", r"Von", r"De", r"Van", r"Da", r"Fra", r"Fr[åa]n", r"L[äa]hett[äa]j[äa]",
        r"Od", r"От", r"差出人", r"发件人", r"發件人", r"寄件者", r"寄件人", r"T[ừu]", r"Absender",
    ],
    "sent": [
        r"Sent", r"Date", r"Gesendet", r"Datum", r"Envoy[ée]", r"Envoy[ée] le", r"Enviado el",
        r"Enviada em", r"Sent on", r"Verzonden", r"Verstuurd",
        r"Inviato", r"Data", r"Enviado", r"Enviada", r"Fecha", r"Sendt", r"Skickat", r"Dato",
        r"L[äa]hetetty", r"P[äa]iv[äa]m[äa][äa]r[äa]", r"Wys[łl]ano", r"Wys[łl]ane",
        r"Odesl[áa]no", r"Отправлено", r"Дата", r"送信日時", r"日付", r"发送时间", r"時間",
        r"日期", r"寄件日期", r"傳送時間", r"[ĐD][ãa] g[ửu]i", r"Ng[àa]y", r"Gesendet am",
    ],
    "to": [
        r"To", r"An", r"[ÀA]", r"Pour", r"Aan", r"Para", r"Til", r"Till",
        r"Vastaanottaja", r"Do", r"Komu", r"Кому", r"宛先", r"收件人", r"收件者", r"[ĐD][ếe]n",
        r"T[ớo]i", r"Empfänger",
    ],
    "cc": [
        r"Cc", r"Kopie", r"Kopia", r"Kopi", r"Kopio", r"DW", r"Копия", r"抄送", r"副本",
    ],
    "subject": [
        r"Subject", r"Betreff", r"Objet", r"Sujet", r"Onderwerp", r"Oggetto", r"Asunto",
        r"Assunto", r"Emne", r"[ÄA]mne", r"Aihe", r"Temat", r"P[řr]edm[ěe]t", r"Тема", r"件名",
        r"主题", r"主旨", r"主題", r"Ch[ủu] [đd][ềe]", r"Ti[êe]u [đd][ềe]",
    ],
}
# fmt: on

# "Sent from my iPhone" and the like: a client's line, not the writer's.
MOBILE_SIGN_OFF = [
    r"Sent (?:from|with|via|using|on) .{0,80}",
    r"Get Outlook for (?:iOS|Android|Mac|Windows).{0,40}",
    r"Outlook f[üu]r (?:iOS|Android) herunterladen", r"T[ée]l[ée]charger Outlook pour .{0,40}",
    r"Scarica Outlook per .{0,40}", r"Descargar Outlook para .{0,40}",
    r"Baixe o Outlook para .{0,40}", r"Hent Outlook til .{0,40}", r"Skaffa Outlook f[öo]r .{0,40}",
    r"Pobierz aplikacj[ęe] Outlook dla .{0,40}", r"St[áa]hnout Outlook pro .{0,40}",
    r"Von meine[mr] .{0,60} gesendet\.?", r"Gesendet (?:von|mit|vom|aus) .{0,80}",
    r"Envoy[ée] (?:de|depuis|avec|[àa] partir de) .{0,80}", r"Provenance\s*:.{0,60}",
    r"Obtenir Outlook pour .{0,40}",
    r"(?:Verzonden|Verstuurd) (?:vanaf|van|met|via) .{0,80}", r"Download Outlook voor .{0,40}",
    r"Inviato (?:da|dal|dalla|con|tramite) .{0,80}",
    r"Enviado (?:desde|con|do|da|de|pelo|a partir do) .{0,80}", r"Obtener Outlook para .{0,40}",
    r"Sendt fra .{0,80}", r"Skickat fr[åa]n .{0,80}", r"H[äa]mta Outlook f[öo]r .{0,40}",
    r"L[äa]hetetty (?:iPhonesta|iPadista|Androidista|.{0,60}puhelimesta|.{0,60}laitteesta).{0,20}",
    r"Wys[łl]ane (?:z|ze|przy u[żz]yciu) .{0,80}",
    r"Odesl[áa]no (?:z|ze|pomoc[íi]) .{0,80}",
    r"Отправлено (?:с|из|со) .{0,80}", r"Отправлено из мобильной .{0,60}",
    r"iPhoneから送信", r"iPadから送信", r"Androidから送信", r".{0,40}から送信",
    r"发自我的.{0,40}", r"來自我的.{0,40}", r"从我的.{0,30}发送", r"發自我的.{0,40}",
    r"[ĐD]ược g[ửu]i t[ừu] .{0,80}", r"G[ửu]i t[ừu] .{0,60}",
]  # fmt: skip

# The line a signature block starts with ("Best regards", "Mit freundlichen Grüßen", …): the
# block from here to the end of the answer is a signature when it is short.
CLOSINGS = [
    # en
    r"(?:Best|Kind|Warm|Warmest|With kind|With best|Many|Kindest)? ?regards",
    r"Best(?: wishes)?", r"Regards", r"Cheers", r"Sincerely(?: yours)?",
    r"Yours(?: sincerely| truly| faithfully)?",
    r"Cordially", r"All the best", r"Thanks and regards", r"Thanks & regards",
    # de
    r"Mit freundlichen Gr[üu](?:ß|ss)en", r"Freundliche Gr[üu](?:ß|ss)e", r"Viele Gr[üu](?:ß|ss)e",
    r"Beste Gr[üu](?:ß|ss)e", r"Liebe Gr[üu](?:ß|ss)e", r"Gr[üu](?:ß|ss)e", r"Gru(?:ß|ss)",
    r"Viele Gr[üu](?:ß|ss)e", r"MfG", r"LG", r"VG",
    r"Herzliche Gr[üu](?:ß|ss)e", r"Mit besten Gr[üu](?:ß|ss)en", r"Sch[öo]ne Gr[üu](?:ß|ss)e",
    # fr
    r"Cordialement", r"Bien cordialement", r"Bien [àa] vous", r"Salutations",
    r"Sinc[èe]res salutations",
    r"Meilleures salutations", r"Bonne journ[ée]e",
    # nl
    r"Met vriendelijke groet(?:en)?", r"Vriendelijke groet(?:en)?", r"Groet(?:en|jes)?", r"Mvg",
    r"Hartelijke groet(?:en)?",
    # it
    r"Cordiali saluti", r"Distinti saluti", r"Saluti", r"Un saluto", r"Cordialmente",
    # es
    r"Saludos(?: cordiales)?", r"Un saludo", r"Atentamente", r"Un cordial saludo",
    # pt
    r"Atenciosamente", r"Cumprimentos", r"Melhores cumprimentos", r"Abra[çc]os?",
    r"Com os melhores cumprimentos",
    # da, no
    r"Med venlig hilsen", r"Venlig hilsen", r"Mvh", r"Med vennlig hilsen", r"Vennlig hilsen",
    r"Hilsen",
    r"Bedste hilsner", r"Beste hilsen",
    # sv
    r"Med v[äa]nliga h[äa]lsningar", r"V[äa]nliga h[äa]lsningar", r"H[äa]lsningar",
    r"V[äa]nlig h[äa]lsning",
    r"Med v[äa]nlig h[äa]lsning", r"MVH",
    # fi
    r"Yst[äa]v[äa]llisin terveisin", r"Terveisin", r"Parhain terveisin", r"Yst\. terv\.",
    # pl
    r"Pozdrawiam(?: serdecznie)?", r"Z powa[żz]aniem", r"Serdecznie pozdrawiam", r"Pozdrowienia",
    # cs
    r"S pozdravem", r"S p[řr][áa]telsk[ýy]m pozdravem", r"Zdrav[íi]m", r"S [úu]ctou",
    # ru
    r"С уважением(?:,)?", r"С наилучшими пожеланиями", r"Всего доброго", r"Всего хорошего",
    # ja, zh, vi
    r"以上(?:、?よろしくお願いいたします。?)?", r"敬具",
    r"此致(?:敬礼)?", r"顺颂商祺", r"祝好", r"谢谢[!！]?\s*祝好",
    r"Tr[âa]n tr[ọo]ng", r"Th[âa]n [áa]i",
]  # fmt: skip

# The first line of a mailing list's footer.
LIST_FOOTER = [
    r"You received this (?:message|email) because you are subscribed to .{0,120}",
    r"Sie erhalten diese Nachricht, weil Sie .{0,120}",
    r"Vous avez re[çc]u ce message car vous [êe]tes abonn[ée].{0,120}",
    r"To unsubscribe from this (?:group|list).{0,120}",
    r"To unsubscribe,? (?:send|e-?mail|visit|go to) .{0,120}",
    r"This email was sent to .{0,80} because .{0,120}",
]  # fmt: skip

# A footer's first line when a rule of underscores stands above it (Mailman).
LIST_FOOTER_AFTER_RULE = [
    r".{1,80} mailing list(?: -- \S{1,120})?",
    r".{1,80} (?:Mailingliste|liste de diffusion|mailinglijst)",
    r"(?:Unsubscribe|Abmelden|D[ée]sinscription|Afmelden|Annulla iscrizione)\s*:.{0,160}",
    r"(?:https?://)?\S*(?:listinfo|mailman|lists?\.)\S*", r"[\w.+-]+@(?:lists?\.)\S+",
]  # fmt: skip

# Words of a confidentiality notice under a signature (it is part of the signature).
DISCLAIMER = [
    r"confidential", r"intended recipient", r"vertraulich", r"Empf[äa]nger",
    r"destinataire", r"confidentiel", r"riservat", r"destinatario", r"confidencial",
    r"vertrouwelijk", r"geadresseerde", r"fortrolig", r"konfidentiell", r"luottamuksellinen",
    r"poufn", r"adresat", r"d[ůu]věrn", r"конфиденциальн", r"機密", r"保密",
]  # fmt: skip
