"""Network operator's writes on a PostgreSQL store (:class:`~..sql_queries.admin.Admin`, bound
to PostgreSQL), with the same arguments and errors as on SQLite, and :func:`connect`: a plain
connection (autocommit: wrap several in ``with conn.transaction():``) for the demo generator and
tests to set a network up on."""

from __future__ import annotations

from typing import Any

import psycopg

from ..sql_queries.admin import Admin
from .connection import Conn
from .dialect import POSTGRES
from .schema import migrate

ADMIN = Admin(POSTGRES)


def __getattr__(name: str) -> Any:
    """The operator's writes (``create_account``, ``issue_token``, …) as functions of this
    module, as the demo generator and tests call them."""
    return getattr(ADMIN, name)


def connect(url: str) -> Conn:
    """A connection for setup work, with the schema in place."""
    conn = psycopg.connect(url, autocommit=True)
    conn.execute("SET TIME ZONE 'UTC'")
    migrate(conn)
    return conn
