"""Shared fixtures: repository paths and a GraphQL response helper."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parents[3]
SDK = Path(__file__).resolve().parents[1]
URL = "http://hookline.test/graphql"

EMPTY_PAGE = {"webhooks": {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}}


def gql_error(code: str, message: str = "boom", **extra: Any) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": code, **extra}}


def ok(data: dict[str, Any] | None = None, **headers: str) -> httpx.Response:
    return httpx.Response(200, json={"data": EMPTY_PAGE if data is None else data}, headers=headers)


@pytest.fixture(autouse=True)
def _no_real_sleep(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> list[float]:
    """Record backoff sleeps instead of waiting (tests marked real_sleep keep them)."""
    slept: list[float] = []
    if "real_sleep" in request.keywords:
        return slept
    import hookline._transport as transport

    async def fake_async_sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(transport, "_sleep", slept.append)
    monkeypatch.setattr(transport, "_async_sleep", fake_async_sleep)
    return slept


@pytest.fixture
def slept(_no_real_sleep: list[float]) -> list[float]:
    """The backoff waits the client asked for, in seconds."""
    return _no_real_sleep
