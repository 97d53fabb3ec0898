"""Pydantic models returned by the client, under names that read naturally.

They are the models ariadne-codegen generates from ``schema/operations/``; fields
use snake_case in Python and the schema's camelCase as aliases
(``model_dump(by_alias=True)`` gives the GraphQL JSON shape). ``DateTime`` values
are RFC 3339 strings (``datetime.fromisoformat`` parses them), ``UUID`` values are
strings and ``JSON`` values are plain Python objects. ``Hookline`` and
``AsyncHookline`` both return these classes.
"""

from ._generated.sync import (
    CreateWebhookCreateWebhook as CreatedWebhook,
)
from ._generated.sync import (
    CreateWebhookInput,
    DeliveryFields,
    DeliveryStatus,
    EventSubscriptionFields,
    PageInfoFields,
    SignatureAlgorithm,
    UpdateWebhookInput,
    WebhookFields,
)
from ._generated.sync import (
    DeleteWebhookDeleteWebhook as DeletedWebhook,
)
from ._generated.sync import (
    GetDeliveryDelivery as DeliveryWithAttempts,
)
from ._generated.sync import (
    GetDeliveryDeliveryAttempts as DeliveryAttempt,
)
from ._generated.sync import (
    GetWebhookSecretWebhookSecret as WebhookSecret,
)
from ._generated.sync import (
    GetWebhookStatisticsWebhookStatistics as WebhookStatistics,
)
from ._generated.sync import (
    ListDeliveriesDeliveries as DeliveryConnection,
)
from ._generated.sync import (
    ListEventTypesEventTypes as EventType,
)
from ._generated.sync import (
    ListWebhooksWebhooks as WebhookConnection,
)
from ._generated.sync import (
    RotateWebhookSecretRotateWebhookSecret as RotatedWebhookSecret,
)
from ._generated.sync import (
    TriggerWebhookEventTriggerWebhookEvent as TriggeredEvent,
)
from ._generated.sync import (
    UnsubscribeWebhookEventsUnsubscribeWebhookEvents as UnsubscribeResult,
)
from ._generated.sync import (
    VerifyWebhookEndpointVerifyWebhookEndpoint as EndpointVerification,
)

Webhook = WebhookFields
"""A webhook (never includes its secret)."""
Delivery = DeliveryFields
"""One event sent to one webhook, with the outcome of its latest attempt."""
EventSubscription = EventSubscriptionFields
"""A webhook's subscription to one event type."""
PageInfo = PageInfoFields
"""Relay-style page information."""

__all__ = [
    "CreateWebhookInput",
    "CreatedWebhook",
    "DeletedWebhook",
    "Delivery",
    "DeliveryAttempt",
    "DeliveryConnection",
    "DeliveryStatus",
    "DeliveryWithAttempts",
    "EndpointVerification",
    "EventSubscription",
    "EventType",
    "PageInfo",
    "RotatedWebhookSecret",
    "SignatureAlgorithm",
    "TriggeredEvent",
    "UnsubscribeResult",
    "UpdateWebhookInput",
    "Webhook",
    "WebhookConnection",
    "WebhookSecret",
    "WebhookStatistics",
]
