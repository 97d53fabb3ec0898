"""``AsyncHookline``: the same rules as the blocking client, with asyncio tasks."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest
import respx

import hookline
from hookline import AsyncHookline
from hookline.types import DeliveryConnection, WebhookConnection

from .conftest import URL, gql_error, ok

UUID = "6f1c2a4e-8b3d-4c5e-9f7a-1b2c3d4e5f60"


def unauthenticated() -> httpx.Response:
    return httpx.Response(401, json={"errors": [gql_error("UNAUTHENTICATED", "expired")]})


async def test_returns_the_shared_public_model_classes() -> None:
    deliveries = {
        "deliveries": {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}
    }
    with respx.mock() as router:
        route = router.post(URL).mock(side_effect=[ok(), ok(deliveries)])
        async with AsyncHookline(URL, token="t") as client:
            page = await client.webhooks.list(first=2)
            history = await client.deliveries.list(status="FAILED", webhook_id=UUID)
    assert type(page) is WebhookConnection and type(history) is DeliveryConnection
    variables = json.loads(route.calls[1].request.content)["variables"]
    assert variables == {"status": "FAILED", "webhookId": UUID}


async def test_retries_with_the_same_idempotency_key(slept: list[float]) -> None:
    deleted = {"deleteWebhook": {"deletedWebhookId": UUID}}
    with respx.mock() as router:
        route = router.post(URL).mock(
            side_effect=[httpx.Response(502), httpx.ConnectError("reset"), ok(deleted)]
        )
        async with AsyncHookline(URL, token="t", initial_retry_delay=0.1) as client:
            result = await client.webhooks.delete(UUID)
    assert result.deleted_webhook_id == UUID
    assert len({c.request.headers["idempotency-key"] for c in route.calls}) == 1
    assert len(slept) == 2


async def test_rate_limit_error_carries_retry_after() -> None:
    limited = httpx.Response(
        429, headers={"Retry-After": "90"}, json={"errors": [gql_error("RATE_LIMITED")]}
    )
    with respx.mock() as router:
        router.post(URL).mock(return_value=limited)
        async with AsyncHookline(URL, token="t", max_retry_after=10) as client:
            with pytest.raises(hookline.RateLimitError) as caught:
                await client.events.list_types()
    assert caught.value.retry_after == 90


async def test_tasks_share_one_refresh_with_an_async_provider() -> None:
    issued: list[str] = []

    async def provider() -> tuple[str, float]:
        await asyncio.sleep(0.05)
        issued.append(f"t{len(issued) + 1}")
        return issued[-1], time.time() + 3600

    def respond(request: httpx.Request) -> httpx.Response:
        return ok() if request.headers["authorization"] == "Bearer t2" else unauthenticated()

    with respx.mock() as router:
        router.post(URL).mock(side_effect=respond)
        async with AsyncHookline(URL, token_provider=provider) as client:
            results = await asyncio.gather(*(client.webhooks.list() for _ in range(8)))
    assert len(results) == 8
    assert issued == ["t1", "t2"]


async def test_plain_provider_runs_off_the_loop_and_is_shared() -> None:
    calls: list[int] = []

    def provider() -> tuple[str, None]:
        time.sleep(0.05)  # would block the loop if called inline
        calls.append(1)
        return "t1", None

    with respx.mock() as router:
        router.post(URL).mock(return_value=ok())
        async with AsyncHookline(URL, token_provider=provider) as client:
            await asyncio.gather(*(client.webhooks.list() for _ in range(5)))
    assert calls == [1]


async def test_per_attempt_timeout_bounds_a_slow_response() -> None:
    attempts: list[httpx.Request] = []

    async def slow(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        await asyncio.sleep(5)
        return ok()

    with respx.mock(assert_all_called=False) as router:
        router.post(URL).mock(side_effect=slow)
        async with AsyncHookline(URL, token="t", timeout=0.1, max_retries=1) as client:
            started = time.monotonic()
            with pytest.raises(hookline.TimeoutError):
                await client.webhooks.list()
    assert len(attempts) == 2
    assert time.monotonic() - started < 2


async def test_deadline_ends_a_slow_attempt_without_retrying() -> None:
    attempts: list[httpx.Request] = []

    async def slow(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        await asyncio.sleep(5)
        return ok()

    with respx.mock(assert_all_called=False) as router:
        router.post(URL).mock(side_effect=slow)
        async with AsyncHookline(URL, token="t", timeout=10, deadline=0.2) as client:
            with pytest.raises(hookline.TimeoutError, match="deadline"):
                await client.webhooks.list()
    assert len(attempts) == 1


async def test_per_call_deadline_overrides_the_client_default() -> None:
    attempts: list[httpx.Request] = []

    async def slow(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        await asyncio.sleep(5)
        return ok()

    with respx.mock(assert_all_called=False) as router:
        router.post(URL).mock(side_effect=slow)
        async with AsyncHookline(URL, token="t", timeout=10) as client:
            with pytest.raises(hookline.TimeoutError):
                await client.webhooks.list(deadline=0.1)


async def test_async_list_all_walks_pages() -> None:
    from .test_client import _page

    with respx.mock() as router:
        route = router.post(URL).mock(
            side_effect=[_page(["a"], "a", True), _page(["b"], "b", False)]
        )
        async with AsyncHookline(URL, token="t") as client:
            ids = [d.id async for d in client.deliveries.list_all(page_size=1)]
    assert ids == ["a", "b"] and route.call_count == 2
