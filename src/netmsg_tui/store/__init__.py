"""Message stores: the supplier port (:mod:`.base`), the offline sub-port (:mod:`.offline`), the
network-side port (:mod:`.network`), and :func:`open_store` / :func:`open_network`, the one place
that picks an adapter for a URL. Importing this package loads neither httpx nor Textual (a test
proves it)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse, urlsplit, urlunsplit

from ..i18n import _
from ..private_files import private_folder
from .base import (
    AttachmentTooLarge,
    Conflict,
    InvalidInput,
    MessageStore,
    MessagingDisabled,
    NotFound,
    StoreError,
    Unauthorized,
    Unavailable,
    UpgradeRequired,
)
from .network import NetworkStore
from .offline import ConnectionState, OfflineStore, QueuedOffline, QueuedSend

if TYPE_CHECKING:
    from ..model import CustomerProfile, Identity

__all__ = [
    "AttachmentTooLarge",
    "Conflict",
    "ConnectionState",
    "InvalidInput",
    "MessageStore",
    "MessagingDisabled",
    "NetworkStore",
    "NotFound",
    "OfflineStore",
    "QueuedOffline",
    "QueuedSend",
    "StoreError",
    "Unauthorized",
    "Unavailable",
    "UpgradeRequired",
    "copy_store",
    "default_store_path",
    "is_postgres_url",
    "open_network",
    "open_store",
    "public_location",
    "sqlite_path",
    "token_holder",
]


def default_store_path() -> Path:
    """``netmsg.db`` in the user data folder (created on demand, never at import)."""
    import platformdirs

    return platformdirs.user_data_path("netmsg-tui") / "netmsg.db"


def is_postgres_url(url: str | Path) -> bool:
    """``postgresql://…`` or ``postgres://…``: a PostgreSQL database (the ``postgres`` extra)."""
    return str(url).startswith(("postgresql://", "postgres://"))


def public_location(url: str) -> str:
    """A store URL without its password: what headers, logs and error messages may show."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


def sqlite_path(url: str) -> Path | None:
    """The file a ``sqlite:///path`` URL or a plain path names; None for http(s) and
    PostgreSQL URLs."""
    if url.startswith(("http://", "https://")) or is_postgres_url(url):
        return None
    if url.startswith("sqlite://"):
        parsed = urlparse(url)
        if parsed.netloc not in ("", "localhost"):
            raise InvalidInput(
                _("A sqlite URL names a local file: sqlite:///abs/path.db, not {url}").format(
                    url=url
                )
            )
        return Path(unquote(parsed.path))
    if "://" in url:
        raise InvalidInput(
            _(
                "Unknown store URL {url!r}: use sqlite:///path.db, a file path, "
                "http(s)://host or postgresql://user@host/db"
            ).format(url=url)
        )
    return Path(url).expanduser()


def open_store(
    url: str | None = None,
    *,
    user_id: int | None = None,
    token: str | None = None,
    account: int | None = None,
) -> MessageStore:
    """Open the store a URL names. ``None`` opens the default SQLite file.

    ``sqlite:///abs/path.db`` or a plain path: the SQLite adapter (the file is created if it
    does not exist; its folder must exist, except for the default store). ``http(s)://host``:
    the HTTP adapter, authenticated with ``token`` (httpx is imported only then); ``account``
    picks which granted account a support token reads (other stores ignore it).
    ``postgresql://user@host:port/db`` (or ``postgres://``): the PostgreSQL adapter (the
    ``postgres`` extra; the database must exist, its tables are made on first use).
    Raises InvalidInput for a URL of another kind.
    """
    if url is not None and is_postgres_url(url):
        _require_psycopg()
        from .postgres import PostgresStore

        return PostgresStore(url, user_id=user_id)
    if url is None:
        path = default_store_path()
        private_folder(path.parent)
    else:
        found = sqlite_path(url)
        if found is None:
            from .remote import RemoteStore

            return RemoteStore(url, token=token, account=account)
        path = found
    from .sqlite import SQLiteStore

    return SQLiteStore(path, user_id=user_id)


def open_network(url: str | Path | None = None, *, create: bool = True) -> NetworkStore:
    """Open the network-side store a URL names (the server, the mail gateway, ``netmsg admin``).

    ``sqlite:///abs/path.db`` or a plain path: the SQLite adapter (``create``: make the file if
    it is missing; otherwise every operation answers Unavailable until it exists). ``None``: the
    default SQLite file. ``postgresql://…``: the PostgreSQL adapter. A server URL is refused with
    InvalidInput: the network side works on the database itself.
    """
    if url is not None and is_postgres_url(url):
        _require_psycopg()
        from .postgres.network import PostgresNetworkStore

        return PostgresNetworkStore(str(url))
    if url is None:
        path = default_store_path()
        private_folder(path.parent)
    else:
        found = sqlite_path(str(url))
        if found is None:
            raise InvalidInput(
                _(
                    "{url} is a server: the network side works on its database "
                    "(sqlite:///path.db or postgresql://…)"
                ).format(url=url)
            )
        path = found
    from .sqlite.network import SQLiteNetworkStore

    return SQLiteNetworkStore(path, create=create)


async def token_holder(url: str, token: str) -> Identity | CustomerProfile:
    """Whose ``token`` is on the network server at ``url``: a supplier user (Identity) or a
    customer contact (CustomerProfile). Raises Unauthorized, Unavailable, InvalidInput (not a
    server URL)."""
    if not url.startswith(("http://", "https://")):
        raise InvalidInput(
            _("{url} is not a server URL: use http(s)://host[:port]").format(url=url)
        )
    from .remote.login import token_holder as ask_server

    return await ask_server(url, token)


def _require_psycopg() -> None:
    """InvalidInput naming the extra when the PostgreSQL driver is not installed."""
    import importlib.util

    for module in ("psycopg", "psycopg_pool"):
        if importlib.util.find_spec(module) is None:
            raise InvalidInput(
                _(
                    "A PostgreSQL store needs the 'postgres' extra ({module} is missing): "
                    "pip install 'netmsg-tui[postgres]'"
                ).format(module=module)
            )


def copy_store(source: str | Path, destination: str | Path) -> dict[str, int]:
    """Copy a whole network from a SQLite file to an empty PostgreSQL database or back (one
    side a ``postgresql://`` URL), then check it: rows per table, and every file's bytes
    against its hash. Returns the rows copied per table. Raises InvalidInput, Conflict (the
    destination is not empty), Unavailable."""
    _require_psycopg()
    from .postgres.copy import copy_store as copy

    return copy(source, destination).rows
