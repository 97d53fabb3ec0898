"""Bearer-token caches: a static token, or a provider refreshed single-flight.

A provider returns ``(token, expires_at)`` where ``expires_at`` is a timezone-aware
``datetime``, unix seconds, or ``None`` for a token that does not expire. The cache
refreshes shortly before expiry; concurrent callers (threads for the sync cache,
tasks for the async one) wait for the one refresh in flight instead of starting
their own. ``invalidate(token)`` drops the token only if it is still the cached
one, so a 401 seen by many callers at once causes one refresh, not many.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import datetime

__all__ = [
    "AsyncTokenProvider",
    "TokenProvider",
    "TokenResult",
]

TokenResult = str | tuple[str, datetime | float | int | None]
"""What a provider returns: a token, or ``(token, expires_at)``."""

TokenProvider = Callable[[], TokenResult]
"""A callable returning a fresh token (sync clients, or async clients via a thread)."""

AsyncTokenProvider = Callable[[], Awaitable[TokenResult] | TokenResult]
"""A callable (plain or ``async``) returning a fresh token, for ``AsyncHookline``."""

#: Refresh this many seconds before the token expires.
REFRESH_MARGIN_SECONDS = 30.0


def _unpack(result: TokenResult) -> tuple[str, float | None]:
    if isinstance(result, str):
        return result, None
    token, expires_at = result
    if not isinstance(token, str) or not token:
        raise TypeError("token provider must return a non-empty str token")
    if expires_at is None:
        return token, None
    if isinstance(expires_at, datetime):
        if expires_at.tzinfo is None:
            raise TypeError("token provider expires_at must be timezone-aware")
        return token, expires_at.timestamp()
    return token, float(expires_at)


def _fresh(expires_at: float | None) -> bool:
    return expires_at is None or expires_at - time.time() > REFRESH_MARGIN_SECONDS


class SyncTokenCache:
    """Thread-safe token cache for ``Hookline``."""

    def __init__(self, token: str | None, provider: TokenProvider | None) -> None:
        self._static = token
        self._provider = provider
        self._token: str | None = None
        self._expires_at: float | None = None
        self._lock = threading.Lock()
        self.provider_calls = 0

    @property
    def has_provider(self) -> bool:
        return self._provider is not None

    def get(self) -> str | None:
        """The current token, refreshing it first when missing or about to expire."""
        if self._provider is None:
            return self._static
        token = self._token
        if token is not None and _fresh(self._expires_at):
            return token
        with self._lock:
            # Another thread may have refreshed while this one waited for the lock.
            if self._token is not None and _fresh(self._expires_at):
                return self._token
            self.provider_calls += 1
            token, expires_at = _unpack(self._provider())
            self._token, self._expires_at = token, expires_at
            return token

    def invalidate(self, token: str | None) -> bool:
        """Forget ``token`` if it is still the cached one; True if a provider can refresh."""
        if self._provider is None:
            return False
        with self._lock:
            if self._token == token:
                self._token = None
        return True


class AsyncTokenCache:
    """Task-safe token cache for ``AsyncHookline`` (one event loop)."""

    def __init__(self, token: str | None, provider: AsyncTokenProvider | None) -> None:
        self._static = token
        self._provider = provider
        self._token: str | None = None
        self._expires_at: float | None = None
        self._lock: asyncio.Lock | None = None
        self.provider_calls = 0

    @property
    def has_provider(self) -> bool:
        return self._provider is not None

    async def get(self) -> str | None:
        """The current token, refreshing it first when missing or about to expire."""
        if self._provider is None:
            return self._static
        token = self._token
        if token is not None and _fresh(self._expires_at):
            return token
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._token is not None and _fresh(self._expires_at):
                return self._token
            self.provider_calls += 1
            provider = self._provider
            if inspect.iscoroutinefunction(provider):
                result = await provider()
            else:
                # A plain callable may block (an HTTP call to an auth server):
                # keep it off the event loop.
                result = await asyncio.to_thread(provider)
            if inspect.isawaitable(result):
                result = await result
            token, expires_at = _unpack(result)
            self._token, self._expires_at = token, expires_at
            return token

    def invalidate(self, token: str | None) -> bool:
        """Forget ``token`` if it is still the cached one; True if a provider can refresh."""
        if self._provider is None:
            return False
        if self._token == token:
            self._token = None
        return True
