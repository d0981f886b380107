"""The PostgreSQL adapter: one database shared by several server processes (the ``postgres``
extra: psycopg 3 and its pool). Importing this package needs psycopg installed."""

from .store import PostgresStore

__all__ = ["PostgresStore"]
