"""``client.deliveries``: delivery history, manual retry, the retry queue."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Iterator

from .._generated import aio, sync
from ..types import Delivery, DeliveryConnection, DeliveryStatus, DeliveryWithAttempts
from ._shared import call_options, convert, convert_list, guard, guard_async, present

__all__ = ["AsyncDeliveries", "Deliveries"]


class Deliveries:
    """Delivery operations of ``Hookline``."""

    def __init__(self, client: sync.Client) -> None:
        self._client = client

    def list(
        self,
        *,
        webhook_id: str | None = None,
        status: DeliveryStatus | str | None = None,
        event_type: str | None = None,
        first: int | None = None,
        after: str | None = None,
        deadline: float | None = None,
    ) -> DeliveryConnection:
        """One page of the caller's deliveries, newest first, optionally filtered.

        Args:
            webhook_id: Only this webhook's deliveries.
            status: ``"PENDING"``, ``"SUCCESS"``, ``"FAILED"`` or ``"RETRYING"``.
            event_type: Only deliveries of this event type.
            first: Page size (the server's default is 20).
            after: ``page_info.end_cursor`` of the previous page.
        """
        status_enum = DeliveryStatus(status) if status is not None else None
        result = guard(
            lambda: self._client.list_deliveries(
                **present(
                    webhook_id=webhook_id,
                    status=status_enum,
                    event_type=event_type,
                    first=first,
                    after=after,
                ),
                **call_options(deadline=deadline),
            )
        )
        return result.deliveries

    def list_all(
        self,
        *,
        webhook_id: str | None = None,
        status: DeliveryStatus | str | None = None,
        event_type: str | None = None,
        page_size: int | None = None,
        deadline: float | None = None,
    ) -> Iterator[Delivery]:
        """Every matching delivery, fetching pages of ``page_size`` as the loop advances."""
        after: str | None = None
        while True:
            page = self.list(
                webhook_id=webhook_id, status=status, event_type=event_type,
                first=page_size, after=after, deadline=deadline,
            )  # fmt: skip
            for edge in page.edges:
                yield edge.node
            cursor = page.page_info.end_cursor
            if not page.page_info.has_next_page or not cursor or cursor == after:
                return
            after = cursor

    def get(self, id: str, *, deadline: float | None = None) -> DeliveryWithAttempts:
        """One delivery with its attempt history."""
        return guard(
            lambda: self._client.get_delivery(id, **call_options(deadline=deadline))
        ).delivery

    def retry(
        self, delivery_id: str, *, idempotency_key: str | None = None, deadline: float | None = None
    ) -> Delivery:
        """Queue one more attempt of a failed delivery."""
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        return guard(
            lambda: self._client.retry_failed_delivery(delivery_id, **options)
        ).retry_failed_delivery

    def pending_retries(
        self, *, limit: int | None = None, deadline: float | None = None
    ) -> builtins.list[Delivery]:
        """Deliveries due for an attempt, oldest due first (service role only)."""
        result = guard(
            lambda: self._client.list_pending_webhook_retries(
                **present(limit=limit), **call_options(deadline=deadline)
            )
        )
        return result.pending_webhook_retries


class AsyncDeliveries:
    """Delivery operations of ``AsyncHookline``; the same methods as ``Deliveries``, awaitable."""

    def __init__(self, client: aio.Client) -> None:
        self._client = client

    async def list(
        self,
        *,
        webhook_id: str | None = None,
        status: DeliveryStatus | str | None = None,
        event_type: str | None = None,
        first: int | None = None,
        after: str | None = None,
        deadline: float | None = None,
    ) -> DeliveryConnection:
        """One page of the caller's deliveries (see ``Deliveries.list``)."""
        status_enum = aio.DeliveryStatus(status) if status is not None else None
        result = await guard_async(
            lambda: self._client.list_deliveries(
                **present(
                    webhook_id=webhook_id,
                    status=status_enum,
                    event_type=event_type,
                    first=first,
                    after=after,
                ),
                **call_options(deadline=deadline),
            )
        )
        return convert(DeliveryConnection, result.deliveries)

    async def list_all(
        self,
        *,
        webhook_id: str | None = None,
        status: DeliveryStatus | str | None = None,
        event_type: str | None = None,
        page_size: int | None = None,
        deadline: float | None = None,
    ) -> AsyncIterator[Delivery]:
        """Every matching delivery, fetching pages of ``page_size`` as the loop advances."""
        after: str | None = None
        while True:
            page = await self.list(
                webhook_id=webhook_id, status=status, event_type=event_type,
                first=page_size, after=after, deadline=deadline,
            )  # fmt: skip
            for edge in page.edges:
                yield edge.node
            cursor = page.page_info.end_cursor
            if not page.page_info.has_next_page or not cursor or cursor == after:
                return
            after = cursor

    async def get(self, id: str, *, deadline: float | None = None) -> DeliveryWithAttempts:
        """One delivery with its attempt history."""
        result = await guard_async(
            lambda: self._client.get_delivery(id, **call_options(deadline=deadline))
        )
        return convert(DeliveryWithAttempts, result.delivery)

    async def retry(
        self, delivery_id: str, *, idempotency_key: str | None = None, deadline: float | None = None
    ) -> Delivery:
        """Queue one more attempt of a failed delivery."""
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        result = await guard_async(
            lambda: self._client.retry_failed_delivery(delivery_id, **options)
        )
        return convert(Delivery, result.retry_failed_delivery)

    async def pending_retries(
        self, *, limit: int | None = None, deadline: float | None = None
    ) -> builtins.list[Delivery]:
        """Deliveries due for an attempt, oldest due first (service role only)."""
        result = await guard_async(
            lambda: self._client.list_pending_webhook_retries(
                **present(limit=limit), **call_options(deadline=deadline)
            )
        )
        return convert_list(Delivery, result.pending_webhook_retries)
