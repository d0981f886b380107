"""The network server: the store port as a versioned JSON API (Starlette, run by uvicorn).

Needs the ``server`` extra. See ``docs/server.md`` for running one.
"""

from __future__ import annotations

from .app import ENDPOINTS, create_app

__all__ = ["ENDPOINTS", "create_app"]
