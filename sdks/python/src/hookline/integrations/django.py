"""Django receivers.

    from hookline.integrations.django import webhook_view

    @webhook_view(Webhook(settings.HOOKLINE_WEBHOOK_SECRET))
    def hook(request, event):
        ...
        return HttpResponse(status=204)

The decorated view is CSRF-exempt (the signature is the authentication) and
accepts POST only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast

from ..webhooks import WebhookVerificationError
from . import WebhookSource, rejection, resolve

__all__ = ["verify_request", "webhook_view"]


def verify_request(request: Any, webhook: WebhookSource) -> Any:
    """Verify a Django ``HttpRequest`` from ``request.body``.

    Returns:
        The parsed payload.

    Raises:
        WebhookVerificationError: when verification fails.
    """
    return resolve(webhook).verify(request.body, request.headers)


def webhook_view(webhook: WebhookSource) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a view ``(request, event, ...)``; failures answer 401 with a JSON reason."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        from django.http import JsonResponse
        from django.views.decorators.csrf import csrf_exempt
        from django.views.decorators.http import require_POST

        @functools.wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                event = verify_request(request, webhook)
            except WebhookVerificationError as error:
                return JsonResponse(rejection(error), status=401)
            return view(request, event, *args, **kwargs)

        return cast(Callable[..., Any], csrf_exempt(require_POST(wrapper)))

    return decorate
