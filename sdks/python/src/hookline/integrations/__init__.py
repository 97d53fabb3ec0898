"""Receiver helpers for web frameworks; each reads the raw body and answers 401.

Import the one you use (``hookline.integrations.starlette`` for Starlette and
FastAPI, ``.flask``, ``.django``); each imports its framework lazily, so none of
them is a dependency of the package.
"""

from __future__ import annotations

from collections.abc import Callable

from ..webhooks import Webhook, WebhookVerificationError

WebhookSource = Webhook | Callable[[], Webhook]
"""A verifier, or a callable returning the current one (to change secrets at run time)."""


def resolve(source: WebhookSource) -> Webhook:
    """The verifier to use for this request."""
    return source if isinstance(source, Webhook) else source()


def rejection(error: WebhookVerificationError) -> dict[str, str]:
    """The JSON body of a 401 answer (the reason only; never the secret or signature)."""
    return {"error": "webhook_verification_failed", "reason": error.reason}


__all__ = ["WebhookSource", "rejection", "resolve"]
