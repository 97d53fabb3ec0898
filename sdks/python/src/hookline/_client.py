"""``Hookline`` and ``AsyncHookline``: the client objects users build."""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import TracebackType

import httpx

from ._generated import aio, sync
from ._tokens import AsyncTokenCache, AsyncTokenProvider, SyncTokenCache, TokenProvider
from ._transport import AsyncTransport, ClientOptions, SyncTransport
from .resources import AsyncDeliveries, AsyncEvents, AsyncWebhooks, Deliveries, Events, Webhooks

__all__ = ["AsyncHookline", "Hookline"]


def _options(
    base_url: str | None,
    token: str | None,
    token_provider: object,
    *,
    max_retries: int,
    initial_retry_delay: float,
    max_retry_delay: float,
    max_retry_after: float,
    timeout: float,
    deadline: float | None,
    idempotent_mutations: bool,
    headers: Mapping[str, str] | None,
) -> tuple[ClientOptions, str | None]:
    url = base_url or os.environ.get("HOOKLINE_BASE_URL")
    if not url:
        raise ValueError("base_url is required (or set HOOKLINE_BASE_URL)")
    if token is not None and token_provider is not None:
        raise ValueError("pass token or token_provider, not both")
    if token is None and token_provider is None:
        token = os.environ.get("HOOKLINE_TOKEN") or None
    options = ClientOptions(
        base_url=url,
        max_retries=max_retries,
        initial_retry_delay=initial_retry_delay,
        max_retry_delay=max_retry_delay,
        max_retry_after=max_retry_after,
        timeout=timeout,
        deadline=deadline,
        idempotent_mutations=idempotent_mutations,
        headers=dict(headers or {}),
    )
    return options, token


class Hookline:
    """Blocking Hookline API client; safe to share between threads.

    Example:
        >>> client = Hookline("http://127.0.0.1:4000/graphql", token="...")
        >>> created = client.webhooks.create(name="Orders", url="https://example.com/hook",
        ...                                  event_types=["video.generated"])

    Args:
        base_url: The GraphQL endpoint (default: ``HOOKLINE_BASE_URL``).
        token: A static bearer token (default: ``HOOKLINE_TOKEN``).
        token_provider: Instead of ``token``: a callable returning ``(token, expires_at)``;
            called when the cached token is missing, about to expire, or rejected (401).
        max_retries: Retries after the first attempt (default 2).
        initial_retry_delay: Backoff base in seconds (default 0.5), doubled per retry.
        max_retry_delay: Backoff cap in seconds (default 8).
        max_retry_after: A ``Retry-After`` longer than this (seconds) is raised at once.
        timeout: Per-attempt timeout in seconds (default 30).
        deadline: Overall limit for one call, retries and waits included (default none).
        idempotent_mutations: Send a generated ``Idempotency-Key`` with each mutation, so
            mutations may be retried (default True; False never retries mutations).
        headers: Extra headers sent with every request.
        http_client: Your own ``httpx.Client`` (proxies, TLS); it is not closed by ``close()``.

    Raises:
        ValueError: when no base URL is given, or both token and token_provider are.
    """

    webhooks: Webhooks
    events: Events
    deliveries: Deliveries

    def __init__(
        self,
        base_url: str | None = None,
        *,
        token: str | None = None,
        token_provider: TokenProvider | None = None,
        max_retries: int = 2,
        initial_retry_delay: float = 0.5,
        max_retry_delay: float = 8.0,
        max_retry_after: float = 60.0,
        timeout: float = 30.0,
        deadline: float | None = None,
        idempotent_mutations: bool = True,
        headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        options, token = _options(
            base_url, token, token_provider,
            max_retries=max_retries, initial_retry_delay=initial_retry_delay,
            max_retry_delay=max_retry_delay, max_retry_after=max_retry_after,
            timeout=timeout, deadline=deadline, idempotent_mutations=idempotent_mutations,
            headers=headers,
        )  # fmt: skip
        self._tokens = SyncTokenCache(token, token_provider)
        self._transport = SyncTransport(options, self._tokens, http_client)
        generated = sync.Client(self._transport)
        self.webhooks = Webhooks(generated)
        self.events = Events(generated)
        self.deliveries = Deliveries(generated)

    @property
    def token_provider_calls(self) -> int:
        """How many times the token provider has been called (for diagnostics)."""
        return self._tokens.provider_calls

    def close(self) -> None:
        """Close the underlying HTTP connections (unless you passed ``http_client``)."""
        self._transport.close()

    def __enter__(self) -> Hookline:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncHookline:
    """asyncio Hookline API client; share one per event loop.

    Takes the same arguments as ``Hookline``; ``token_provider`` may also be an
    ``async`` callable (a plain callable runs in a worker thread), and
    ``http_client`` is an ``httpx.AsyncClient``.

    Example:
        >>> async with AsyncHookline(url, token="...") as client:
        ...     page = await client.webhooks.list(first=10)
    """

    webhooks: AsyncWebhooks
    events: AsyncEvents
    deliveries: AsyncDeliveries

    def __init__(
        self,
        base_url: str | None = None,
        *,
        token: str | None = None,
        token_provider: AsyncTokenProvider | None = None,
        max_retries: int = 2,
        initial_retry_delay: float = 0.5,
        max_retry_delay: float = 8.0,
        max_retry_after: float = 60.0,
        timeout: float = 30.0,
        deadline: float | None = None,
        idempotent_mutations: bool = True,
        headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        options, token = _options(
            base_url, token, token_provider,
            max_retries=max_retries, initial_retry_delay=initial_retry_delay,
            max_retry_delay=max_retry_delay, max_retry_after=max_retry_after,
            timeout=timeout, deadline=deadline, idempotent_mutations=idempotent_mutations,
            headers=headers,
        )  # fmt: skip
        self._tokens = AsyncTokenCache(token, token_provider)
        self._transport = AsyncTransport(options, self._tokens, http_client)
        generated = aio.Client(self._transport)
        self.webhooks = AsyncWebhooks(generated)
        self.events = AsyncEvents(generated)
        self.deliveries = AsyncDeliveries(generated)

    @property
    def token_provider_calls(self) -> int:
        """How many times the token provider has been called (for diagnostics)."""
        return self._tokens.provider_calls

    async def close(self) -> None:
        """Close the underlying HTTP connections (unless you passed ``http_client``)."""
        await self._transport.close()

    async def __aenter__(self) -> AsyncHookline:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
