"""Hookline: outbound webhooks for your product.

The client (``Hookline``, ``AsyncHookline``) manages webhooks, triggers events and
inspects deliveries through the Hookline GraphQL API; ``hookline.webhooks.Webhook``
verifies deliveries on the receiving side (pure standard library).
"""

from ._client import AsyncHookline, Hookline
from ._exceptions import (
    AuthenticationError,
    HooklineError,
    NetworkError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TimeoutError,
    ValidationError,
)
from ._tokens import AsyncTokenProvider, TokenProvider, TokenResult
from ._version import __version__
from .webhooks import Webhook, WebhookVerificationError

__all__ = [
    "AsyncHookline",
    "AsyncTokenProvider",
    "AuthenticationError",
    "Hookline",
    "HooklineError",
    "NetworkError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "TimeoutError",
    "TokenProvider",
    "TokenResult",
    "ValidationError",
    "Webhook",
    "WebhookVerificationError",
    "__version__",
]
