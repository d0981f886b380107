"""What a server process keeps in memory between requests, and why it is never stale.

Two caches, each valid only while the store says nothing changed:

* **Who holds a token** (:class:`TokenCache`): token → :class:`~netmsg_tui.model.Principal`,
  kept while the store's change stamp (:meth:`NetworkStore.change_stamp`: SQLite's
  ``PRAGMA data_version``) is the one read *before* the token was looked up. Any commit to the
  database, by any process (a revocation, a removed user or contact, a changed support grant,
  but also every message), changes the stamp and empties the cache, so a revoked token is
  refused on its very next request, on every server process alike. A store without a cheap,
  exact stamp (PostgreSQL: a NOTIFY arrives after the commit, never with it) gets no token
  cache: each request looks the token up, in the one query that also reads the account's
  feed head.
* **The answer of a list or a thread page** (:class:`AnswerCache`): the JSON bytes and the ETag
  of one user's page for one path and query, kept with the account's change-feed head it was
  read under. The head comes with the token (``Principal.feed_head``: from the token cache or
  from the database), so a repeated request whose head has not moved is answered from memory:
  no query, no model objects, no encoding. The head is exact for these answers for the reason
  the ETag is (server/etags.py): every write that changes what the account's users list or
  read adds a change of that account. The head is read before the page's query, so a write
  landing in between stores a newer page under the older head; a later request reads the newer
  head and never hits it.

Both are per process and bounded; nothing is shared between processes but the database.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from ..model import Principal

MAX_TOKENS = 10_000  # holders kept; beyond it the cache starts again (it refills per request)
MAX_ANSWER_BYTES = 32 * 1024 * 1024  # answers kept, by size; the oldest go first


class TokenCache:
    """Token → principal, all of it valid for one change stamp only."""

    def __init__(self) -> None:
        self._stamp: int | None = None
        self._holders: dict[str, Principal] = {}

    def get(self, token: str, stamp: int | None) -> Principal | None:
        """The holder of ``token`` if it was looked up under ``stamp`` (the current one)."""
        if stamp is None:
            return None
        if stamp != self._stamp:
            self._holders.clear()  # something was committed: nothing here may be trusted
            self._stamp = stamp
            return None
        return self._holders.get(token)

    def put(self, token: str, stamp: int | None, principal: Principal) -> None:
        """Keep what the store answered for ``token`` when ``stamp`` was read before asking it.
        A stamp that is no longer current (a commit while the store answered) keeps nothing."""
        if stamp is None or stamp != self._stamp:
            return
        if len(self._holders) >= MAX_TOKENS:
            self._holders.clear()
        self._holders[token] = principal


@dataclass(frozen=True, slots=True)
class Answer:
    head: int  # the account's change-feed head it was read under
    tag: str  # its ETag
    body: bytes


class AnswerCache:
    """(user, account, path, query) → the answer read under a feed head."""

    def __init__(self, max_bytes: int = MAX_ANSWER_BYTES) -> None:
        self.max_bytes = max_bytes
        self._size = 0
        self._answers: dict[Hashable, Answer] = {}

    def get(self, key: Hashable, head: int) -> Answer | None:
        found = self._answers.get(key)
        return found if found is not None and found.head == head else None

    def put(self, key: Hashable, answer: Answer) -> None:
        if len(answer.body) > self.max_bytes:
            return
        old = self._answers.pop(key, None)
        if old is not None:
            self._size -= len(old.body)
        while self._answers and self._size + len(answer.body) > self.max_bytes:
            oldest = next(iter(self._answers))  # dicts keep insertion order
            self._size -= len(self._answers.pop(oldest).body)
        self._answers[key] = answer
        self._size += len(answer.body)
