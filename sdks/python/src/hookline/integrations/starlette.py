"""Starlette and FastAPI receivers.

FastAPI, as a dependency::

    from hookline.integrations.starlette import WebhookDependency
    verified = WebhookDependency(Webhook(secret))

    @app.post("/hook")
    async def hook(event: dict = Depends(verified)) -> None: ...

Starlette, as an endpoint decorator::

    @webhook_endpoint(Webhook(secret))
    async def hook(request: Request, event: Any) -> Response: ...
"""

# No `from __future__ import annotations`: FastAPI reads WebhookDependency.__call__'s
# annotations at run time to see that `request` is the Request, not a query parameter.
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..webhooks import WebhookVerificationError
from . import WebhookSource, rejection, resolve

__all__ = ["WebhookDependency", "verify_request", "webhook_endpoint"]


async def verify_request(request: Request, webhook: WebhookSource) -> Any:
    """Read the raw body of ``request`` and verify it.

    Returns:
        The parsed payload.

    Raises:
        WebhookVerificationError: when verification fails.
    """
    body = await request.body()
    return resolve(webhook).verify(body, request.headers)


class WebhookDependency:
    """A FastAPI dependency returning the verified payload, or answering 401."""

    def __init__(self, webhook: WebhookSource) -> None:
        self._webhook = webhook

    async def __call__(self, request: Request) -> Any:
        try:
            return await verify_request(request, self._webhook)
        except WebhookVerificationError as error:
            raise HTTPException(
                status_code=401, detail=f"webhook verification failed: {error.reason}"
            ) from error


def webhook_endpoint(
    webhook: WebhookSource,
) -> Callable[
    [Callable[[Request, Any], Awaitable[Response]]], Callable[[Request], Awaitable[Response]]
]:
    """Wrap a Starlette endpoint ``(request, event) -> Response``; failures answer 401."""

    def decorate(
        handler: Callable[[Request, Any], Awaitable[Response]],
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                event = await verify_request(request, webhook)
            except WebhookVerificationError as error:
                return JSONResponse(rejection(error), status_code=401)
            return await handler(request, event)

        endpoint.__name__ = getattr(handler, "__name__", "endpoint")
        endpoint.__doc__ = handler.__doc__
        return endpoint

    return decorate
