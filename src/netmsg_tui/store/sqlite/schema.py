"""The SQLite schema, versioned with ``PRAGMA user_version`` and migrated on open.

A migration is a list of statements; ``MIGRATIONS[n]`` takes a file from version n to n+1.
Never edit a shipped migration: append a new one, so an old file still opens.
"""

from __future__ import annotations

import sqlite3

APP_ID = "netmsg-tui"

_V1 = [
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE accounts(
        id INTEGER PRIMARY KEY, name TEXT NOT NULL,
        plan TEXT NOT NULL CHECK (plan IN ('enterprise', 'standard')))""",
    """CREATE TABLE users(
        id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id),
        name TEXT NOT NULL, email TEXT NOT NULL)""",
    "CREATE INDEX users_account ON users(account_id)",
    """CREATE TABLE notification_prefs(
        user_id INTEGER PRIMARY KEY REFERENCES users(id),
        email_on_reply INTEGER NOT NULL, addresses TEXT NOT NULL, mode TEXT NOT NULL,
        toast INTEGER NOT NULL, bell INTEGER NOT NULL)""",
    """CREATE TABLE customers(
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, network_id TEXT NOT NULL UNIQUE,
        city TEXT NOT NULL, messaging_enabled INTEGER NOT NULL,
        contact_name TEXT NOT NULL, contact_email TEXT NOT NULL,
        contact_phone TEXT NOT NULL, contact_address TEXT NOT NULL)""",
    "CREATE INDEX customers_name ON customers(name COLLATE NOCASE, id)",
    """CREATE TABLE relationships(
        account_id INTEGER NOT NULL REFERENCES accounts(id),
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        PRIMARY KEY (account_id, customer_id)) WITHOUT ROWID""",
    "CREATE INDEX relationships_customer ON relationships(customer_id, account_id)",
    """CREATE TABLE documents(
        id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id),
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        kind TEXT NOT NULL CHECK (kind IN ('purchase_order', 'invoice')),
        number TEXT NOT NULL, issued TEXT NOT NULL, amount TEXT NOT NULL,
        currency TEXT NOT NULL, status TEXT NOT NULL)""",
    "CREATE UNIQUE INDEX documents_number ON documents(account_id, number)",
    "CREATE INDEX documents_issued ON documents(account_id, issued, id)",
    "CREATE INDEX documents_kind ON documents(account_id, kind, issued, id)",
    "CREATE INDEX documents_customer ON documents(account_id, customer_id, issued, id)",
    """CREATE TABLE line_items(
        document_id INTEGER NOT NULL REFERENCES documents(id), line INTEGER NOT NULL,
        description TEXT NOT NULL, quantity TEXT NOT NULL, unit_price TEXT NOT NULL,
        PRIMARY KEY (document_id, line)) WITHOUT ROWID""",
    """CREATE TABLE conversations(
        id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id),
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        document_id INTEGER UNIQUE REFERENCES documents(id),
        subject TEXT NOT NULL, created TEXT NOT NULL, last_activity TEXT NOT NULL,
        message_count INTEGER NOT NULL DEFAULT 0, last_preview TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX conversations_activity ON conversations(account_id, last_activity, id)",
    """CREATE INDEX conversations_customer
        ON conversations(account_id, customer_id, last_activity, id)""",
    """CREATE TABLE messages(
        id INTEGER PRIMARY KEY, conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        author_kind TEXT NOT NULL CHECK (author_kind IN ('supplier', 'customer')),
        author_user_id INTEGER REFERENCES users(id), author_name TEXT NOT NULL,
        body TEXT NOT NULL, sent_at TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('app', 'email', 'api')))""",
    "CREATE INDEX messages_conversation ON messages(conversation_id, id)",
    """CREATE TABLE unread(
        user_id INTEGER NOT NULL REFERENCES users(id),
        conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        count INTEGER NOT NULL, last_activity TEXT NOT NULL,
        PRIMARY KEY (user_id, conversation_id)) WITHOUT ROWID""",
    "CREATE INDEX unread_conversation ON unread(conversation_id)",
    """CREATE INDEX unread_activity ON unread(user_id, last_activity, conversation_id)
        WHERE count > 0""",
    """CREATE TABLE blobs(
        id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, size INTEGER NOT NULL,
        data BLOB NOT NULL)""",
    """CREATE TABLE attachments(
        id INTEGER PRIMARY KEY, message_id INTEGER NOT NULL REFERENCES messages(id),
        filename TEXT NOT NULL, size INTEGER NOT NULL, media_type TEXT NOT NULL,
        sha256 TEXT NOT NULL REFERENCES blobs(sha256))""",
    "CREATE INDEX attachments_message ON attachments(message_id)",
    """CREATE TABLE idempotency(
        scope TEXT NOT NULL, key TEXT NOT NULL, conversation_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL, fingerprint TEXT NOT NULL,
        PRIMARY KEY (scope, key)) WITHOUT ROWID""",
    """CREATE TABLE changes(
        id INTEGER PRIMARY KEY AUTOINCREMENT, account_id INTEGER NOT NULL,
        conversation_id INTEGER NOT NULL, message_id INTEGER, kind TEXT NOT NULL,
        author_kind TEXT)""",
    "CREATE INDEX changes_account ON changes(account_id, id)",
    # Mail: notifications queued in the same transaction as the customer reply (outbox).
    """CREATE TABLE notification_outbox(
        id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),
        conversation_id INTEGER NOT NULL, message_id INTEGER NOT NULL,
        created TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0, next_attempt TEXT NOT NULL,
        sent_at TEXT, last_error TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX notification_outbox_due ON notification_outbox(state, next_attempt)",
    # Mail: inbound replies seen (duplicate Message-IDs are refused) and why one was rejected.
    """CREATE TABLE inbound_mail(
        message_id TEXT PRIMARY KEY, received TEXT NOT NULL, status TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '', conversation_id INTEGER, stored_message_id INTEGER,
        stripped_text TEXT NOT NULL DEFAULT '') WITHOUT ROWID""",
    # Server: customer contacts (people of a buyer org), API tokens (hash only), support
    # grants and the audit log of support reads.
    """CREATE TABLE customer_contacts(
        id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
        name TEXT NOT NULL, email TEXT NOT NULL)""",
    """CREATE TABLE api_tokens(
        id INTEGER PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('supplier', 'customer', 'support')),
        user_id INTEGER REFERENCES users(id),
        contact_id INTEGER REFERENCES customer_contacts(id),
        label TEXT NOT NULL DEFAULT '', created TEXT NOT NULL, revoked TEXT)""",
    """CREATE TABLE support_grants(
        token_id INTEGER NOT NULL REFERENCES api_tokens(id),
        account_id INTEGER NOT NULL REFERENCES accounts(id),
        PRIMARY KEY (token_id, account_id)) WITHOUT ROWID""",
    """CREATE TABLE audit_log(
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, token_id INTEGER NOT NULL,
        account_id INTEGER, action TEXT NOT NULL, target TEXT NOT NULL DEFAULT '')""",
]

# v2: durable drafts, per user (MessageStore.save_draft). ``id`` orders them by last save.
_V2 = [
    """CREATE TABLE drafts(
        id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),
        place TEXT NOT NULL, data TEXT NOT NULL, updated TEXT NOT NULL,
        UNIQUE (user_id, place))""",
]

# Every word an account's messages hold, so a typed prefix expands to whole words through a
# B-tree range: FTS5's own prefix queries build the full merged hit list and cost ~40 ms at 1M.
# Per account: one shared vocabulary let one tenant's words crowd out another's expansions.
_PER_ACCOUNT_TERMS = [
    "CREATE TABLE search_terms(account_id INTEGER NOT NULL, term TEXT NOT NULL, "
    "PRIMARY KEY (account_id, term)) WITHOUT ROWID",
]

_FTS = [
    # One row per message (rowid = message id): its body, its thread's context (subject, customer
    # name, document number) and the account as a token, so a search scans one tenant's rows
    # newest first and stops after a page. Contentless: the text already lives in messages.
    "CREATE VIRTUAL TABLE search_fts USING fts5(body, context, tenant, content='')",
    *_PER_ACCOUNT_TERMS,
]

# v4: canned replies, per account so a team shares them (MessageStore.save_template).
_V4 = [
    """CREATE TABLE templates(
        account_id INTEGER NOT NULL REFERENCES accounts(id), name TEXT NOT NULL,
        body TEXT NOT NULL, updated TEXT NOT NULL, updated_by INTEGER REFERENCES users(id),
        PRIMARY KEY (account_id, name)) WITHOUT ROWID""",
]

# v5: the delivery trail (support, issue 17): where rejected mail is kept, the notification
# email's Message-ID and addresses, the customer's read marks, and the look-ups by message.
_V5 = [
    "ALTER TABLE inbound_mail ADD COLUMN kept_at TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX inbound_mail_stored ON inbound_mail(stored_message_id)",
    "CREATE INDEX inbound_mail_conversation ON inbound_mail(conversation_id, received)",
    "ALTER TABLE notification_outbox ADD COLUMN email_message_id TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE notification_outbox ADD COLUMN sent_to TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX notification_outbox_message ON notification_outbox(message_id)",
    "CREATE INDEX idempotency_message ON idempotency(message_id)",
    """CREATE TABLE customer_reads(
        id INTEGER PRIMARY KEY, conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        contact_id INTEGER REFERENCES customer_contacts(id), contact_name TEXT NOT NULL,
        up_to_message_id INTEGER NOT NULL, read_at TEXT NOT NULL)""",
    "CREATE INDEX customer_reads_thread ON customer_reads(conversation_id, up_to_message_id)",
]

# v6: the language of a user's notification emails (issue 18: in the recipient's language).
_V6 = ["ALTER TABLE notification_prefs ADD COLUMN language TEXT NOT NULL DEFAULT 'en'"]

# Version 3: search_terms per account (plain SQL has nothing to do; see _terms_per_account).
MIGRATIONS: list[list[str]] = [_V1, _V2, [], _V4, _V5, _V6]
SCHEMA_VERSION = len(MIGRATIONS)


def fts5_available(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute("CREATE VIRTUAL TABLE temp._probe USING fts5(x)")
        conn.execute("DROP TABLE temp._probe")
    except sqlite3.OperationalError:
        return False
    return True


def _has_fts(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT value FROM meta WHERE key = 'fts'").fetchone()
    return row is not None and row[0] == "1"


def _terms_per_account(conn: sqlite3.Connection) -> None:
    """Version 2 -> 3: the shared word table becomes one vocabulary per account, rebuilt from
    the stored messages and their threads' context (as index_message would have written it)."""
    from .search import remember_terms, terms  # here: search.py is loaded after the schema

    conn.execute("DROP TABLE search_terms")
    for statement in _PER_ACCOUNT_TERMS:
        conn.execute(statement)
    found = conn.execute(
        "SELECT v.account_id, m.body, v.subject || ' ' || cu.name || ' ' || COALESCE(d.number, '') "
        "FROM messages m JOIN conversations v ON v.id = m.conversation_id "
        "JOIN customers cu ON cu.id = v.customer_id LEFT JOIN documents d ON d.id = v.document_id"
    )
    words: dict[int, set[str]] = {}
    for account_id, body, context in found:
        words.setdefault(account_id, set()).update(terms(body) | terms(context))
    for account_id, account_words in words.items():
        remember_terms(conn, account_id, account_words)


def migrate(conn: sqlite3.Connection, *, use_fts: bool = True) -> None:
    """Bring the open database up to :data:`SCHEMA_VERSION` inside one write transaction.

    The caller has checked that the file is a netmsg store (or empty).
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version >= SCHEMA_VERSION:
        return
    from .connection import transaction  # here: connection.py imports this module

    with transaction(conn):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for step in MIGRATIONS[version:]:
            for statement in step:
                conn.execute(statement)
        if 0 < version < 3 and _has_fts(conn):
            _terms_per_account(conn)
        if version == 0:
            fts = use_fts and fts5_available(conn)
            if fts:
                for statement in _FTS:
                    conn.execute(statement)
            conn.execute("INSERT INTO meta VALUES ('app', ?)", (APP_ID,))
            conn.execute("INSERT INTO meta VALUES ('fts', ?)", ("1" if fts else "0",))
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
