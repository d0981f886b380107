"""The HTTP adapter: a network server's store, with an offline send queue (httpx)."""

from .store import RemoteStore

__all__ = ["RemoteStore"]
