"""Replies to a notification as the common mail clients write them (quoting styles taken from
real messages of Gmail, Outlook, Apple Mail and Thunderbird)."""

from __future__ import annotations

import html
from email.message import EmailMessage
from email.utils import make_msgid

WHEN = "Thu, Nov 26, 2026 at 10:15 AM"


def _divs(text: str) -> str:
    return "".join(f"<div>{html.escape(line) or '<br>'}</div>" for line in text.split("\n"))


def _quoted(notification: EmailMessage) -> list[str]:
    return notification.get_content().rstrip("\n").split("\n")


def envelope(
    notification: EmailMessage, sender: str = "Jana Supplier <jana@parts.example>"
) -> EmailMessage:
    """A reply's headers as every client sets them: To the Reply-To, threading ids."""
    reply = EmailMessage()
    reply["From"] = sender
    reply["To"] = str(notification["Reply-To"])
    reply["Subject"] = "Re: " + str(notification["Subject"])
    reply["Date"] = "Thu, 26 Nov 2026 10:20:00 +0100"
    reply["Message-ID"] = make_msgid(domain="parts.example")
    reply["In-Reply-To"] = str(notification["Message-ID"])
    reply["References"] = f"{notification['References']} {notification['Message-ID']}"
    return reply


def gmail(notification: EmailMessage, answer: str, **kw: str) -> EmailMessage:
    """Top-posted, text + HTML; the long attribution line is wrapped as Gmail does."""
    reply = envelope(notification, **kw)
    quoted = "\n".join("> " + line if line else ">" for line in _quoted(notification))
    reply.set_content(
        f"{answer}\n\nOn {WHEN} Business Network <\nnoreply@network.test> wrote:\n\n{quoted}\n"
    )
    quoted_html = "<br>".join(html.escape(line) for line in _quoted(notification))
    answer_html = "".join(f"<div>{html.escape(p) or '<br>'}</div>" for p in answer.split("\n"))
    reply.add_alternative(
        f'<div dir="ltr">{answer_html}</div><br><div class="gmail_quote">'
        f'<div dir="ltr" class="gmail_attr">On {WHEN} Business Network &lt;'
        'noreply@network.test&gt; wrote:<br></div><blockquote class="gmail_quote" '
        'style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);'
        f'padding-left:1ex">{quoted_html}</blockquote></div>\n',
        subtype="html",
    )
    return reply


def gmail_html_only(notification: EmailMessage, answer: str, **kw: str) -> EmailMessage:
    reply = gmail(notification, answer, **kw)
    html_part = reply.get_body(preferencelist=("html",))
    assert html_part is not None
    only = envelope(notification, **kw)
    only.set_content(html_part.get_content(), subtype="html")
    only.replace_header("Message-ID", reply["Message-ID"])
    return only


def outlook(notification: EmailMessage, answer: str, **kw: str) -> EmailMessage:
    """Top-posted with a signature, the original below a line and a From/Sent block."""
    reply = envelope(notification, **kw)
    original = "\r\n".join(_quoted(notification))
    reply.set_content(
        f"{answer}\r\n\r\nBest regards\r\nJana Supplier\r\nPrecision Parts GmbH\r\n\r\n"
        "________________________________\r\n"
        "From: Business Network <noreply@network.test>\r\n"
        "Sent: Thursday, November 26, 2026 10:15 AM\r\n"
        "To: Jana Supplier <jana@parts.example>\r\n"
        f"Subject: {notification['Subject']}\r\n\r\n{original}\r\n"
    )
    return reply


def outlook_html_only(notification: EmailMessage, answer: str, **kw: str) -> EmailMessage:
    """Outlook 365 HTML: no blockquote, an <hr> and a divRplyFwdMsg header block."""
    reply = envelope(notification, **kw)
    original = "".join(f"<div>{html.escape(line)}</div>" for line in _quoted(notification))
    reply.set_content(
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        '<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} '
        '</style></head><body dir="ltr"><div class="elementToProof" style="font-family: '
        f'Aptos, sans-serif; font-size: 12pt;">{_divs(answer)}</div>'
        '<div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1">'
        '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:'
        '11pt" color="#000000"><b>From:</b> Business Network &lt;noreply@network.test&gt;<br>'
        "<b>Sent:</b> Thursday, November 26, 2026 10:15 AM<br><b>To:</b> Jana Supplier "
        f"&lt;jana@parts.example&gt;<br><b>Subject:</b> {html.escape(notification['Subject'])}"
        f"</font><div>&nbsp;</div></div>{original}</body></html>",
        subtype="html",
    )
    return reply


def apple_mail_iphone(notification: EmailMessage, answer: str, **kw: str) -> EmailMessage:
    reply = envelope(notification, **kw)
    quoted = "\n".join("> " + line for line in _quoted(notification))
    reply.set_content(
        f"{answer}\n\nSent from my iPhone\n\n> On 26. Nov 2026, at 10:15, Business Network "
        f"<noreply@network.test> wrote:\n> \n{quoted}\n"
    )
    return reply


def apple_mail_html(notification: EmailMessage, answer: str, **kw: str) -> EmailMessage:
    """Apple Mail on macOS, HTML only: the original inside <blockquote type="cite">."""
    reply = envelope(notification, **kw)
    original = "".join(f"<div>{html.escape(line)}</div>" for line in _quoted(notification))
    reply.set_content(
        '<html><head></head><body style="overflow-wrap: break-word; -webkit-nbsp-mode: space;">'
        + html.escape(answer).replace("\n", "<br>")
        + '<br id="lineBreakAtBeginningOfMessage"><div><br><blockquote '
        'type="cite"><div>On 26. Nov 2026, at 10:15, Business Network &lt;'
        'noreply@network.test&gt; wrote:</div><br class="Apple-interchange-newline">'
        f"<div>{original}</div></blockquote></div><br></body></html>",
        subtype="html",
    )
    return reply


def thunderbird_bottom(notification: EmailMessage, answer: str, **kw: str) -> EmailMessage:
    """Bottom-posted below the quote, with a "-- " signature."""
    reply = envelope(notification, **kw)
    quoted = "\n".join("> " + line if line else ">" for line in _quoted(notification))
    reply.set_content(
        f"On 26.11.26 10:15, Business Network wrote:\n{quoted}\n\n{answer}\n\n"
        "-- \nJana Supplier\nPrecision Parts GmbH\n"
    )
    return reply


def thunderbird_top(notification: EmailMessage, answer: str, **kw: str) -> EmailMessage:
    reply = envelope(notification, **kw)
    quoted = "\n".join("> " + line if line else ">" for line in _quoted(notification))
    reply.set_content(f"{answer}\n\nOn 26.11.26 10:15, Business Network wrote:\n{quoted}\n")
    return reply


def outlook_german(notification: EmailMessage, answer: str, **kw: str) -> EmailMessage:
    reply = envelope(notification, **kw)
    original = "\r\n".join(_quoted(notification))
    reply.set_content(
        f"{answer}\r\n\r\nMit freundlichen Grüßen\r\nJana Supplier\r\n\r\n"
        "Von: Business Network <noreply@network.test>\r\n"
        "Gesendet: Donnerstag, 26. November 2026 10:15\r\n"
        "An: Jana Supplier <jana@parts.example>\r\n"
        f"Betreff: {notification['Subject']}\r\n\r\n{original}\r\n"
    )
    return reply


def gmail_bottom(notification: EmailMessage, answer: str, **kw: str) -> EmailMessage:
    """Bottom-posted below the quote (the answer was lost before issue 16)."""
    reply = envelope(notification, **kw)
    quoted = "\n".join("> " + line if line else ">" for line in _quoted(notification))
    reply.set_content(
        f"On {WHEN} Business Network <noreply@network.test> wrote:\n{quoted}\n\n{answer}\n"
    )
    return reply


def outlook_french(notification: EmailMessage, answer: str, **kw: str) -> EmailMessage:
    reply = envelope(notification, **kw)
    original = "\r\n".join(_quoted(notification))
    reply.set_content(
        f"{answer}\r\n\r\nCordialement\r\nJeanne Fournisseur\r\n\r\n"
        "De : Business Network <noreply@network.test>\r\n"
        "Envoyé : jeudi 26 novembre 2026 10:15\r\n"
        "À : Jeanne Fournisseur <jana@parts.example>\r\n"
        f"Objet : {notification['Subject']}\r\n\r\n{original}\r\n"
    )
    return reply


def yahoo_html_only(notification: EmailMessage, answer: str, **kw: str) -> EmailMessage:
    """Yahoo Mail: the original in a ``yahoo_quoted`` div, no blockquote."""
    reply = envelope(notification, **kw)
    reply.set_content(
        f'<html><body><div class="yahoo-style-wrap">{_divs(answer)}</div>'
        '<div id="yahoo_quoted_1234" class="yahoo_quoted"><div>On Thursday, November 26, 2026, '
        "10:15:00 AM GMT+1, Business Network &lt;noreply@network.test&gt; wrote:</div>"
        f"{_divs(chr(10).join(_quoted(notification)))}</div></body></html>",
        subtype="html",
    )
    return reply


CLIENTS = {
    "gmail": gmail,
    "gmail-html-only": gmail_html_only,
    "outlook": outlook,
    "outlook-html-only": outlook_html_only,
    "apple-mail-iphone": apple_mail_iphone,
    "apple-mail-html-only": apple_mail_html,
    "thunderbird-bottom-posted": thunderbird_bottom,
    "thunderbird-top-posted": thunderbird_top,
    "outlook-german": outlook_german,
    "gmail-bottom-posted": gmail_bottom,
    "outlook-french": outlook_french,
    "yahoo-html-only": yahoo_html_only,
}
