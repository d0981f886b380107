"""The SQLite adapter: one file, one writer thread, WAL (the embedded default)."""

from .store import SQLiteStore

__all__ = ["SQLiteStore"]
