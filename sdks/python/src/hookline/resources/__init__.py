"""Resource groups of the client: ``client.webhooks``, ``client.events``, ``client.deliveries``."""

from .deliveries import AsyncDeliveries, Deliveries
from .events import AsyncEvents, Events
from .webhooks import AsyncWebhooks, Webhooks

__all__ = ["AsyncDeliveries", "AsyncEvents", "AsyncWebhooks", "Deliveries", "Events", "Webhooks"]
