"""``client.webhooks``: create, read, update and delete webhooks, secrets, statistics."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Iterator
from typing import Any

from .._generated import aio, sync
from ..types import (
    CreatedWebhook,
    CreateWebhookInput,
    DeletedWebhook,
    EndpointVerification,
    EventSubscription,
    RotatedWebhookSecret,
    SignatureAlgorithm,
    UnsubscribeResult,
    UpdateWebhookInput,
    Webhook,
    WebhookConnection,
    WebhookSecret,
    WebhookStatistics,
)
from ._shared import (
    NOT_GIVEN,
    call_options,
    convert,
    convert_list,
    given,
    guard,
    guard_async,
    present,
)

__all__ = ["AsyncWebhooks", "Webhooks"]


def _create_input(
    name: str,
    url: str,
    description: str | None,
    event_types: builtins.list[str] | None,
    filters: Any,
    signature_algorithm: SignatureAlgorithm | str | None,
    retry_enabled: bool | None,
    max_retries: int | None,
    retry_delay_seconds: int | None,
    timeout_seconds: int | None,
    metadata: Any,
) -> CreateWebhookInput:
    return CreateWebhookInput.model_validate(
        {
            "name": name,
            "url": url,
            **present(
                description=description,
                eventTypes=event_types,
                filters=filters,
                signatureAlgorithm=signature_algorithm,
                retryEnabled=retry_enabled,
                maxRetries=max_retries,
                retryDelaySeconds=retry_delay_seconds,
                timeoutSeconds=timeout_seconds,
                metadata=metadata,
            ),
        }
    )


def _update_input(fields: dict[str, Any]) -> UpdateWebhookInput:
    aliases = {
        "is_active": "isActive",
        "signature_algorithm": "signatureAlgorithm",
        "retry_enabled": "retryEnabled",
        "max_retries": "maxRetries",
        "retry_delay_seconds": "retryDelaySeconds",
        "timeout_seconds": "timeoutSeconds",
    }
    return UpdateWebhookInput.model_validate(
        {aliases.get(k, k): v for k, v in given(**fields).items()}
    )


class Webhooks:
    """Webhook operations of ``Hookline``."""

    def __init__(self, client: sync.Client) -> None:
        self._client = client

    def list(
        self, *, first: int | None = None, after: str | None = None, deadline: float | None = None
    ) -> WebhookConnection:
        """One page of the caller's webhooks, newest first.

        Args:
            first: Page size (the server's default is 20).
            after: ``page_info.end_cursor`` of the previous page.
            deadline: Overall time limit for this call in seconds (overrides the client's).

        Returns:
            A connection with ``edges[].node`` webhooks and ``page_info``.

        Raises:
            HooklineError: a subclass describing what went wrong.
        """
        result = guard(
            lambda: self._client.list_webhooks(
                **present(first=first, after=after), **call_options(deadline=deadline)
            )
        )
        return result.webhooks

    def list_all(
        self, *, page_size: int | None = None, deadline: float | None = None
    ) -> Iterator[Webhook]:
        """Every webhook of the caller, fetching pages of ``page_size`` as the loop advances."""
        after: str | None = None
        while True:
            page = self.list(first=page_size, after=after, deadline=deadline)
            for edge in page.edges:
                yield edge.node
            cursor = page.page_info.end_cursor
            if not page.page_info.has_next_page or not cursor or cursor == after:
                return
            after = cursor

    def get(self, id: str, *, deadline: float | None = None) -> Webhook:
        """One webhook by id; raises NotFoundError if it is absent or someone else's."""
        return guard(
            lambda: self._client.get_webhook(id, **call_options(deadline=deadline))
        ).webhook

    def get_secret(self, id: str, *, deadline: float | None = None) -> WebhookSecret:
        """The webhook's signing secret (``whsec_...``)."""
        result = guard(
            lambda: self._client.get_webhook_secret(id, **call_options(deadline=deadline))
        )
        return result.webhook_secret

    def create(
        self,
        *,
        name: str,
        url: str,
        description: str | None = None,
        event_types: builtins.list[str] | None = None,
        filters: Any = None,
        signature_algorithm: SignatureAlgorithm | str | None = None,
        retry_enabled: bool | None = None,
        max_retries: int | None = None,
        retry_delay_seconds: int | None = None,
        timeout_seconds: int | None = None,
        metadata: Any = None,
        idempotency_key: str | None = None,
        deadline: float | None = None,
    ) -> CreatedWebhook:
        """Create a webhook, optionally subscribed to ``event_types`` right away.

        Args:
            name: Display name.
            url: ``https://`` (or ``http://``) URL of the receiver.
            event_types: Event types to subscribe to, e.g. ``["video.generated"]``.
            filters: JSON containment filter applied to those subscriptions.
            signature_algorithm: ``"SHA256"`` (default, Standard Webhooks ``v1``) or ``"SHA512"``.
            idempotency_key: Reuse to make a retried create safe; generated when omitted.

        Returns:
            The webhook, its secret (shown only here, on rotation and by ``get_secret``)
            and its subscriptions.
        """
        webhook_input = _create_input(
            name, url, description, event_types, filters, signature_algorithm,
            retry_enabled, max_retries, retry_delay_seconds, timeout_seconds, metadata,
        )  # fmt: skip
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        return guard(lambda: self._client.create_webhook(webhook_input, **options)).create_webhook

    def update(
        self,
        id: str,
        *,
        name: str = NOT_GIVEN,
        url: str = NOT_GIVEN,
        description: str | None = NOT_GIVEN,
        is_active: bool = NOT_GIVEN,
        signature_algorithm: SignatureAlgorithm | str = NOT_GIVEN,
        retry_enabled: bool = NOT_GIVEN,
        max_retries: int = NOT_GIVEN,
        retry_delay_seconds: int = NOT_GIVEN,
        timeout_seconds: int = NOT_GIVEN,
        metadata: Any = NOT_GIVEN,
        idempotency_key: str | None = None,
        deadline: float | None = None,
    ) -> Webhook:
        """Change the given fields of a webhook; fields left out are not changed."""
        webhook_input = _update_input(
            dict(
                name=name, url=url, description=description, is_active=is_active,
                signature_algorithm=signature_algorithm, retry_enabled=retry_enabled,
                max_retries=max_retries, retry_delay_seconds=retry_delay_seconds,
                timeout_seconds=timeout_seconds, metadata=metadata,
            )
        )  # fmt: skip
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        return guard(
            lambda: self._client.update_webhook(id, webhook_input, **options)
        ).update_webhook

    def delete(
        self, id: str, *, idempotency_key: str | None = None, deadline: float | None = None
    ) -> DeletedWebhook:
        """Delete a webhook with its subscriptions and deliveries."""
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        return guard(lambda: self._client.delete_webhook(id, **options)).delete_webhook

    def rotate_secret(
        self,
        id: str,
        *,
        grace_period_seconds: int | None = None,
        idempotency_key: str | None = None,
        deadline: float | None = None,
    ) -> RotatedWebhookSecret:
        """New secret now; the previous one keeps signing for the grace period (default 24 h)."""
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        result = guard(
            lambda: self._client.rotate_webhook_secret(
                id, **present(grace_period_seconds=grace_period_seconds), **options
            )
        )
        return result.rotate_webhook_secret

    def verify_endpoint(
        self, id: str, *, idempotency_key: str | None = None, deadline: float | None = None
    ) -> EndpointVerification:
        """Send a signed ``webhook.verification`` challenge; the receiver must echo it."""
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        return guard(
            lambda: self._client.verify_webhook_endpoint(id, **options)
        ).verify_webhook_endpoint

    def statistics(
        self, webhook_id: str, *, days: int | None = None, deadline: float | None = None
    ) -> WebhookStatistics:
        """Delivery statistics over the last ``days`` days (default 30)."""
        result = guard(
            lambda: self._client.get_webhook_statistics(
                webhook_id, **present(days=days), **call_options(deadline=deadline)
            )
        )
        return result.webhook_statistics

    def subscribe(
        self,
        webhook_id: str,
        event_types: builtins.list[str],
        *,
        filters: Any = None,
        idempotency_key: str | None = None,
        deadline: float | None = None,
    ) -> builtins.list[EventSubscription]:
        """Subscribe (or re-activate, replacing filters) event types for a webhook."""
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        result = guard(
            lambda: self._client.subscribe_webhook_events(
                webhook_id, event_types, **present(filters=filters), **options
            )
        )
        return result.subscribe_webhook_events

    def unsubscribe(
        self,
        webhook_id: str,
        event_types: builtins.list[str],
        *,
        idempotency_key: str | None = None,
        deadline: float | None = None,
    ) -> UnsubscribeResult:
        """Remove the webhook's subscriptions to ``event_types``."""
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        result = guard(
            lambda: self._client.unsubscribe_webhook_events(webhook_id, event_types, **options)
        )
        return result.unsubscribe_webhook_events


class AsyncWebhooks:
    """Webhook operations of ``AsyncHookline``; the same methods as ``Webhooks``, awaitable."""

    def __init__(self, client: aio.Client) -> None:
        self._client = client

    async def list(
        self, *, first: int | None = None, after: str | None = None, deadline: float | None = None
    ) -> WebhookConnection:
        """One page of the caller's webhooks, newest first (see ``Webhooks.list``)."""
        result = await guard_async(
            lambda: self._client.list_webhooks(
                **present(first=first, after=after), **call_options(deadline=deadline)
            )
        )
        return convert(WebhookConnection, result.webhooks)

    async def list_all(
        self, *, page_size: int | None = None, deadline: float | None = None
    ) -> AsyncIterator[Webhook]:
        """Every webhook of the caller, fetching pages of ``page_size`` as the loop advances."""
        after: str | None = None
        while True:
            page = await self.list(first=page_size, after=after, deadline=deadline)
            for edge in page.edges:
                yield edge.node
            cursor = page.page_info.end_cursor
            if not page.page_info.has_next_page or not cursor or cursor == after:
                return
            after = cursor

    async def get(self, id: str, *, deadline: float | None = None) -> Webhook:
        """One webhook by id; raises NotFoundError if it is absent or someone else's."""
        result = await guard_async(
            lambda: self._client.get_webhook(id, **call_options(deadline=deadline))
        )
        return convert(Webhook, result.webhook)

    async def get_secret(self, id: str, *, deadline: float | None = None) -> WebhookSecret:
        """The webhook's signing secret (``whsec_...``)."""
        result = await guard_async(
            lambda: self._client.get_webhook_secret(id, **call_options(deadline=deadline))
        )
        return convert(WebhookSecret, result.webhook_secret)

    async def create(
        self,
        *,
        name: str,
        url: str,
        description: str | None = None,
        event_types: builtins.list[str] | None = None,
        filters: Any = None,
        signature_algorithm: SignatureAlgorithm | str | None = None,
        retry_enabled: bool | None = None,
        max_retries: int | None = None,
        retry_delay_seconds: int | None = None,
        timeout_seconds: int | None = None,
        metadata: Any = None,
        idempotency_key: str | None = None,
        deadline: float | None = None,
    ) -> CreatedWebhook:
        """Create a webhook (see ``Webhooks.create``)."""
        webhook_input = aio.CreateWebhookInput.model_validate(
            _create_input(
                name, url, description, event_types, filters, signature_algorithm,
                retry_enabled, max_retries, retry_delay_seconds, timeout_seconds, metadata,
            ).model_dump(by_alias=True, exclude_unset=True)
        )  # fmt: skip
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        result = await guard_async(lambda: self._client.create_webhook(webhook_input, **options))
        return convert(CreatedWebhook, result.create_webhook)

    async def update(
        self,
        id: str,
        *,
        name: str = NOT_GIVEN,
        url: str = NOT_GIVEN,
        description: str | None = NOT_GIVEN,
        is_active: bool = NOT_GIVEN,
        signature_algorithm: SignatureAlgorithm | str = NOT_GIVEN,
        retry_enabled: bool = NOT_GIVEN,
        max_retries: int = NOT_GIVEN,
        retry_delay_seconds: int = NOT_GIVEN,
        timeout_seconds: int = NOT_GIVEN,
        metadata: Any = NOT_GIVEN,
        idempotency_key: str | None = None,
        deadline: float | None = None,
    ) -> Webhook:
        """Change the given fields of a webhook; fields left out are not changed."""
        webhook_input = aio.UpdateWebhookInput.model_validate(
            _update_input(
                dict(
                    name=name, url=url, description=description, is_active=is_active,
                    signature_algorithm=signature_algorithm, retry_enabled=retry_enabled,
                    max_retries=max_retries, retry_delay_seconds=retry_delay_seconds,
                    timeout_seconds=timeout_seconds, metadata=metadata,
                )
            ).model_dump(by_alias=True, exclude_unset=True)
        )  # fmt: skip
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        result = await guard_async(
            lambda: self._client.update_webhook(id, webhook_input, **options)
        )
        return convert(Webhook, result.update_webhook)

    async def delete(
        self, id: str, *, idempotency_key: str | None = None, deadline: float | None = None
    ) -> DeletedWebhook:
        """Delete a webhook with its subscriptions and deliveries."""
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        result = await guard_async(lambda: self._client.delete_webhook(id, **options))
        return convert(DeletedWebhook, result.delete_webhook)

    async def rotate_secret(
        self,
        id: str,
        *,
        grace_period_seconds: int | None = None,
        idempotency_key: str | None = None,
        deadline: float | None = None,
    ) -> RotatedWebhookSecret:
        """New secret now; the previous one keeps signing for the grace period (default 24 h)."""
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        result = await guard_async(
            lambda: self._client.rotate_webhook_secret(
                id, **present(grace_period_seconds=grace_period_seconds), **options
            )
        )
        return convert(RotatedWebhookSecret, result.rotate_webhook_secret)

    async def verify_endpoint(
        self, id: str, *, idempotency_key: str | None = None, deadline: float | None = None
    ) -> EndpointVerification:
        """Send a signed ``webhook.verification`` challenge; the receiver must echo it."""
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        result = await guard_async(lambda: self._client.verify_webhook_endpoint(id, **options))
        return convert(EndpointVerification, result.verify_webhook_endpoint)

    async def statistics(
        self, webhook_id: str, *, days: int | None = None, deadline: float | None = None
    ) -> WebhookStatistics:
        """Delivery statistics over the last ``days`` days (default 30)."""
        result = await guard_async(
            lambda: self._client.get_webhook_statistics(
                webhook_id, **present(days=days), **call_options(deadline=deadline)
            )
        )
        return convert(WebhookStatistics, result.webhook_statistics)

    async def subscribe(
        self,
        webhook_id: str,
        event_types: builtins.list[str],
        *,
        filters: Any = None,
        idempotency_key: str | None = None,
        deadline: float | None = None,
    ) -> builtins.list[EventSubscription]:
        """Subscribe (or re-activate, replacing filters) event types for a webhook."""
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        result = await guard_async(
            lambda: self._client.subscribe_webhook_events(
                webhook_id, event_types, **present(filters=filters), **options
            )
        )
        return convert_list(EventSubscription, result.subscribe_webhook_events)

    async def unsubscribe(
        self,
        webhook_id: str,
        event_types: builtins.list[str],
        *,
        idempotency_key: str | None = None,
        deadline: float | None = None,
    ) -> UnsubscribeResult:
        """Remove the webhook's subscriptions to ``event_types``."""
        options = call_options(idempotency_key=idempotency_key, deadline=deadline)
        result = await guard_async(
            lambda: self._client.unsubscribe_webhook_events(webhook_id, event_types, **options)
        )
        return convert(UnsubscribeResult, result.unsubscribe_webhook_events)
