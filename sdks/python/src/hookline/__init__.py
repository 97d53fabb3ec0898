"""Hookline: outbound webhooks for your product.

The client (``Hookline``, ``AsyncHookline``) manages webhooks, triggers events and
inspects deliveries through the Hookline GraphQL API; ``hookline.webhooks.Webhook``
verifies deliveries on the receiving side (pure standard library).

The client classes are imported on first use, so a receiver that only needs
``hookline.webhooks`` never loads httpx or pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
from ._version import __version__
from .webhooks import Webhook, WebhookVerificationError

if TYPE_CHECKING:
    from . import types
    from ._client import AsyncHookline, Hookline
    from ._tokens import AsyncTokenProvider, TokenProvider, TokenResult

_LAZY = {
    "Hookline": "._client",
    "AsyncHookline": "._client",
    "TokenProvider": "._tokens",
    "AsyncTokenProvider": "._tokens",
    "TokenResult": "._tokens",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    if name == "types":
        return importlib.import_module(".types", __name__)
    raise AttributeError(f"module 'hookline' has no attribute {name!r}")


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
    "types",
]
