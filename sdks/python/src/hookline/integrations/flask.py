"""Flask receivers.

from hookline.integrations.flask import webhook_view

@app.post("/hook")
@webhook_view(Webhook(secret))
def hook(event):
    ...
    return "", 204
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from ..webhooks import WebhookVerificationError
from . import WebhookSource, rejection, resolve

__all__ = ["verify_request", "webhook_view"]

R = TypeVar("R")


def verify_request(webhook: WebhookSource, request: Any = None) -> Any:
    """Verify the current Flask request (or ``request``) from its raw body.

    Returns:
        The parsed payload.

    Raises:
        WebhookVerificationError: when verification fails.
    """
    if request is None:
        from flask import request as current

        request = current
    # cache=True keeps the bytes for the view; as_text=False keeps them raw.
    body = request.get_data(cache=True, as_text=False)
    return resolve(webhook).verify(body, request.headers)


def webhook_view(webhook: WebhookSource) -> Callable[[Callable[..., R]], Callable[..., Any]]:
    """Decorate a view: it gets the verified payload as ``event``; failures answer 401."""

    def decorate(view: Callable[..., R]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from flask import jsonify

            try:
                event = verify_request(webhook)
            except WebhookVerificationError as error:
                return jsonify(rejection(error)), 401
            return view(*args, event=event, **kwargs)

        return wrapper

    return decorate
