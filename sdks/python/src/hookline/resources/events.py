"""``client.events``: event types, triggering events and test events."""

from __future__ import annotations

from typing import Any

from .._generated import aio, sync
from ..types import Delivery, EventType, TriggeredEvent
from ._shared import call_options, convert, convert_list, guard, guard_async, present

__all__ = ["AsyncEvents", "Events"]


class Events:
    """Event operations of ``Hookline``."""

    def __init__(self, client: sync.Client) -> None:
        self._client = client

    def list_types(self, *, deadline: float | None = None) -> list[EventType]:
        """Every event type, enabled or not."""
        return guard(
            lambda: self._client.list_event_types(**call_options(deadline=deadline))
        ).event_types

    def trigger(
        self,
        event_type: str,
        payload: Any,
        *,
        user_id: str | None = None,
        idempotency_key: str | None = None,
        deadline: float | None = None,
    ) -> TriggeredEvent:
        """Fan an event out to every matching subscription (service role only).

        Args:
            event_type: e.g. ``"video.generated"``.
            payload: JSON-serialisable event data; subscription filters match against it.
            user_id: Deliver only to this user's webhooks.
            idempotency_key: Reuse to make a retried trigger safe; generated when omitted.

        Returns:
            The event id, how many deliveries were created, and the deliveries.
        """
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        result = guard(
            lambda: self._client.trigger_webhook_event(
                event_type, payload, **present(user_id=user_id), **options
            )
        )
        return result.trigger_webhook_event

    def send_test(
        self, webhook_id: str, *, idempotency_key: str | None = None, deadline: float | None = None
    ) -> Delivery:
        """Queue a ``webhook.test`` delivery to the webhook."""
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        return guard(lambda: self._client.send_test_event(webhook_id, **options)).send_test_event


class AsyncEvents:
    """Event operations of ``AsyncHookline``; the same methods as ``Events``, awaitable."""

    def __init__(self, client: aio.Client) -> None:
        self._client = client

    async def list_types(self, *, deadline: float | None = None) -> list[EventType]:
        """Every event type, enabled or not."""
        result = await guard_async(
            lambda: self._client.list_event_types(**call_options(deadline=deadline))
        )
        return convert_list(EventType, result.event_types)

    async def trigger(
        self,
        event_type: str,
        payload: Any,
        *,
        user_id: str | None = None,
        idempotency_key: str | None = None,
        deadline: float | None = None,
    ) -> TriggeredEvent:
        """Fan an event out to every matching subscription (see ``Events.trigger``)."""
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        result = await guard_async(
            lambda: self._client.trigger_webhook_event(
                event_type, payload, **present(user_id=user_id), **options
            )
        )
        return convert(TriggeredEvent, result.trigger_webhook_event)

    async def send_test(
        self, webhook_id: str, *, idempotency_key: str | None = None, deadline: float | None = None
    ) -> Delivery:
        """Queue a ``webhook.test`` delivery to the webhook."""
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        result = await guard_async(lambda: self._client.send_test_event(webhook_id, **options))
        return convert(Delivery, result.send_test_event)
