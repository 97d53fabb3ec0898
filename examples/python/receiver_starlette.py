"""A Starlette receiver (FastAPI works the same way with WebhookDependency).

pip install uvicorn
export HOOKLINE_WEBHOOK_SECRET=whsec_...
uvicorn --app-dir examples/python receiver_starlette:app --port 8000
"""

from __future__ import annotations

import os
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hookline.integrations.starlette import webhook_endpoint
from hookline.webhooks import Webhook


def create_app(secret: str) -> Starlette:
    @webhook_endpoint(Webhook(secret))
    async def hook(request: Request, event: Any) -> Response:
        if event["type"] == "webhook.verification":
            return JSONResponse({"challenge": event["data"]["challenge"]})
        print("received", event["type"], event["data"])
        return Response(status_code=204)

    return Starlette(routes=[Route("/hooks/hookline", hook, methods=["POST"])])


app = (
    create_app(os.environ["HOOKLINE_WEBHOOK_SECRET"])
    if "HOOKLINE_WEBHOOK_SECRET" in os.environ
    else None
)
