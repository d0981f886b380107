"""The offline send queue of the HTTP adapter: sends kept in a local SQLite file until delivered.

Every send is written here *before* it goes out, with its idempotency key. If the server cannot
be reached it stays ``queued`` and is delivered later (the server stores a key once, so a send
that did arrive but whose answer was lost is not stored twice). The file survives a restart of
the app, and so do the drafts kept in it (:meth:`SendQueue.save_draft`). The port's side of
it (:class:`~..offline.QueuedSend`, :class:`~..offline.QueuedOffline`) is :mod:`..offline`;
the file keeps its table names (``outbox``) so queues written by earlier versions still load.

States: ``queued`` (waiting), ``sent`` (the server has it), ``failed`` (the server refused it
for good, e.g. the customer disabled messaging meanwhile; the text stays here so nothing is
lost). Sent entries are kept for a day so the UI can show them as sent.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ...i18n import _
from ...model import NewAttachment
from ...private_files import private_file, private_folder
from ..base import Conflict, Unavailable, draft_data, draft_json
from ..offline import QueuedSend, SendKind, SendState

KEEP_SENT = timedelta(days=1)

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS outbox(
        id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('start', 'reply')),
        state TEXT NOT NULL DEFAULT 'queued', conversation_id INTEGER, customer_id INTEGER,
        document_id INTEGER, subject TEXT NOT NULL DEFAULT '', body TEXT NOT NULL,
        origin TEXT NOT NULL, created TEXT NOT NULL, error TEXT NOT NULL DEFAULT '',
        message_id INTEGER, attempts INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS outbox_files(
        key TEXT NOT NULL REFERENCES outbox(key) ON DELETE CASCADE, position INTEGER NOT NULL,
        filename TEXT NOT NULL, media_type TEXT NOT NULL, data BLOB NOT NULL,
        PRIMARY KEY (key, position))""",
    """CREATE TABLE IF NOT EXISTS drafts(
        place TEXT PRIMARY KEY, data TEXT NOT NULL, updated TEXT NOT NULL)""",
]


_COLUMNS = (
    "key, kind, state, conversation_id, customer_id, document_id, subject, body, origin, "
    "created, error, message_id"
)


def _check_same(
    conn: sqlite3.Connection,
    key: str,
    kind: str,
    body: str,
    attachments: Sequence[NewAttachment],
    *target: object,
) -> None:
    """A key already in the queue must come with the same message (as on the server)."""
    row = conn.execute(
        "SELECT kind, body, conversation_id, customer_id, document_id, subject FROM outbox"
        " WHERE key = ?",
        (key,),
    ).fetchone()
    files = conn.execute(
        "SELECT filename, data FROM outbox_files WHERE key = ? ORDER BY position", (key,)
    ).fetchall()
    same_files = [(f, bytes(d)) for f, d in files] == [(a.filename, a.data) for a in attachments]
    stored, wanted = list(row), [kind, body, *target]
    if kind == "start":  # once sent, a new conversation's entry records the thread it made
        stored[2] = wanted[2] = None
    if stored != wanted or not (same_files or not files):
        raise Conflict(_("That idempotency key was already used for a different message"))


class SendQueue:
    """The queue file. Methods are blocking: the adapter calls them through a thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            try:
                private_folder(self.path.parent)
                private_file(self.path)  # queued message text and attachments: 0600
                conn = sqlite3.connect(
                    self.path, isolation_level=None, timeout=10, check_same_thread=False
                )
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA foreign_keys = ON")
                for statement in _SCHEMA:
                    conn.execute(statement)
                cutoff = (datetime.now(UTC) - KEEP_SENT).isoformat()
                # Files of sent entries are kept only for the session that sent them (a replay
                # of the same key must carry the same files).
                conn.execute(
                    "DELETE FROM outbox_files WHERE key IN (SELECT key FROM outbox"
                    " WHERE state = 'sent')"
                )
                conn.execute("DELETE FROM outbox WHERE state = 'sent' AND created < ?", (cutoff,))
            except (OSError, sqlite3.Error) as exc:
                raise Unavailable(
                    _("Cannot open the offline outbox {path}: {exc}").format(
                        path=self.path, exc=exc
                    )
                ) from None
            self._conn = conn
        return self._conn

    def _run(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._db().execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                raise Unavailable(
                    _("The offline outbox {path} failed: {exc}").format(path=self.path, exc=exc)
                ) from None

    def add(
        self,
        key: str,
        kind: SendKind,
        body: str,
        attachments: Sequence[NewAttachment],
        *,
        origin: str,
        conversation_id: int | None = None,
        customer_id: int | None = None,
        document_id: int | None = None,
        subject: str = "",
    ) -> QueuedSend:
        """Keep a send (state queued). The same key twice keeps the first."""
        with self._lock:
            conn = self._db()
            try:
                conn.execute("BEGIN IMMEDIATE")
                done = conn.execute(
                    "INSERT OR IGNORE INTO outbox(key, kind, conversation_id, customer_id,"
                    " document_id, subject, body, origin, created) VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        key,
                        kind,
                        conversation_id,
                        customer_id,
                        document_id,
                        subject,
                        body,
                        origin,
                        datetime.now(UTC).isoformat(),
                    ),
                ).rowcount
                if not done:
                    _check_same(
                        conn,
                        key,
                        kind,
                        body,
                        attachments,
                        conversation_id,
                        customer_id,
                        document_id,
                        subject,
                    )
                else:
                    conn.executemany(
                        "INSERT INTO outbox_files VALUES (?, ?, ?, ?, ?)",
                        [
                            (key, i, a.filename, a.media_type, a.data)
                            for i, a in enumerate(attachments)
                        ],
                    )
                conn.execute("COMMIT")
            except Conflict:
                conn.execute("ROLLBACK")
                raise
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK")
                raise Unavailable(
                    _("Cannot write the offline outbox {path}: {exc}").format(
                        path=self.path, exc=exc
                    )
                ) from None
        found = self.get(key)
        assert found is not None
        return found

    def get(self, key: str) -> QueuedSend | None:
        found = self.entries(key=key)
        return found[0] if found else None

    def entries(
        self,
        *,
        conversation_id: int | None = None,
        states: Sequence[SendState] = ("queued", "sent", "failed"),
        key: str | None = None,
    ) -> list[QueuedSend]:
        sql = f"SELECT {_COLUMNS} FROM outbox WHERE state IN ({','.join('?' * len(states))})"
        args: list[Any] = list(states)
        if conversation_id is not None:
            sql += " AND conversation_id = ?"
            args.append(conversation_id)
        if key is not None:
            sql += " AND key = ?"
            args.append(key)
        rows = self._run(sql + " ORDER BY id", args)
        names: dict[str, list[str]] = {}
        for k, filename in self._run("SELECT key, filename FROM outbox_files ORDER BY position"):
            names.setdefault(k, []).append(filename)
        return [
            QueuedSend(
                key=r[0],
                kind=r[1],
                state=r[2],
                conversation_id=r[3],
                customer_id=r[4],
                document_id=r[5],
                subject=r[6],
                body=r[7],
                origin=r[8],
                created=datetime.fromisoformat(r[9]),
                error=r[10],
                message_id=r[11],
                attachment_names=tuple(names.get(r[0], ())),
            )
            for r in rows
        ]

    def files(self, key: str) -> list[NewAttachment]:
        return [
            NewAttachment(r[0], bytes(r[2]), r[1])
            for r in self._run(
                "SELECT filename, media_type, data FROM outbox_files WHERE key = ?"
                " ORDER BY position",
                (key,),
            )
        ]

    def queued_count(self) -> int:
        return int(self._run("SELECT COUNT(*) FROM outbox WHERE state = 'queued'")[0][0])

    def mark_sent(self, key: str, conversation_id: int, message_id: int | None) -> None:
        self._run(
            "UPDATE outbox SET state = 'sent', conversation_id = ?, message_id = ?, error = ''"
            " WHERE key = ?",
            (conversation_id, message_id, key),
        )

    def mark_failed(self, key: str, error: str) -> None:
        self._run("UPDATE outbox SET state = 'failed', error = ? WHERE key = ?", (error, key))

    def note_attempt(self, key: str, error: str) -> None:
        self._run(
            "UPDATE outbox SET attempts = attempts + 1, error = ? WHERE key = ?", (error, key)
        )

    def requeue(self, key: str) -> None:
        self._run("UPDATE outbox SET state = 'queued', error = '' WHERE key = ?", (key,))

    def discard(self, key: str) -> None:
        self._run("DELETE FROM outbox WHERE key = ?", (key,))

    # -- drafts: unsent text, kept across restarts ------------------------------------------------
    def save_draft(self, place: str, data: dict[str, Any]) -> None:
        self._run(
            "INSERT OR REPLACE INTO drafts VALUES (?, ?, ?)",
            (place, draft_json(place, data), datetime.now(UTC).isoformat()),
        )

    def drafts(self) -> dict[str, dict[str, Any]]:
        """By last save: a saved-again draft gets a new rowid (INSERT OR REPLACE)."""
        found: dict[str, dict[str, Any]] = {}
        for place, text in self._run("SELECT place, data FROM drafts ORDER BY rowid"):
            data = draft_data(text)
            if data is not None:  # a damaged draft is skipped, the others still load
                found[place] = data
        return found

    def delete_draft(self, place: str) -> None:
        self._run("DELETE FROM drafts WHERE place = ?", (place,))

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
