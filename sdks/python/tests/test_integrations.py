"""Framework receivers read the raw body themselves and answer 401 on failure."""

from __future__ import annotations

import time
from typing import Any

import pytest

from hookline.webhooks import Webhook

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
BODY = b'{"type":"credit.added","timestamp":"2026-12-04T19:00:00Z","data":{"amount":5}}'


def signed_headers(body: bytes = BODY) -> dict[str, str]:
    now = int(time.time())
    return {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(now),
        "webhook-signature": Webhook(SECRET).sign("msg_1", now, body),
        "content-type": "application/json",
    }


def test_starlette_endpoint() -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from hookline.integrations.starlette import webhook_endpoint

    @webhook_endpoint(Webhook(SECRET))
    async def hook(request: Request, event: Any) -> Response:
        return JSONResponse({"amount": event["data"]["amount"]})

    client = TestClient(Starlette(routes=[Route("/hook", hook, methods=["POST"])]))
    ok = client.post("/hook", content=BODY, headers=signed_headers())
    assert ok.status_code == 200 and ok.json() == {"amount": 5}
    bad = client.post("/hook", content=BODY + b" ", headers=signed_headers())
    assert bad.status_code == 401 and bad.json()["reason"] == "no_matching_signature"
    missing = client.post("/hook", content=BODY)
    assert missing.status_code == 401 and missing.json()["reason"] == "missing_header"


def test_fastapi_style_dependency_with_rotating_secret() -> None:
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from hookline.integrations.starlette import WebhookDependency

    current = {"webhook": Webhook("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")}
    verified = WebhookDependency(lambda: current["webhook"])

    async def hook(request: Request) -> JSONResponse:
        try:
            event = await verified(request)
        except HTTPException as exc:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return JSONResponse(event["data"])

    client = TestClient(Starlette(routes=[Route("/hook", hook, methods=["POST"])]))
    assert client.post("/hook", content=BODY, headers=signed_headers()).status_code == 401
    current["webhook"] = Webhook(SECRET)
    assert client.post("/hook", content=BODY, headers=signed_headers()).json() == {"amount": 5}


def test_flask_view() -> None:
    from flask import Flask

    from hookline.integrations.flask import webhook_view

    app = Flask("t")

    @app.post("/hook")
    @webhook_view(Webhook(SECRET))
    def hook(event: Any) -> Any:
        return {"amount": event["data"]["amount"]}

    client = app.test_client()
    ok = client.post("/hook", data=BODY, headers=signed_headers())
    assert ok.status_code == 200 and ok.get_json() == {"amount": 5}
    bad = client.post("/hook", data=BODY, headers={**signed_headers(), "webhook-timestamp": "1"})
    assert bad.status_code == 401 and bad.get_json()["reason"] == "timestamp_too_old"


@pytest.fixture(scope="module")
def django_settings() -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(DEBUG=False, ALLOWED_HOSTS=["testserver"], SECRET_KEY="test-only")
        django.setup()


@pytest.mark.usefixtures("django_settings")
def test_django_view() -> None:
    from django.http import HttpResponse, JsonResponse
    from django.test import RequestFactory

    from hookline.integrations.django import webhook_view

    @webhook_view(Webhook(SECRET))
    def hook(request: Any, event: Any) -> HttpResponse:
        return JsonResponse({"amount": event["data"]["amount"]})

    factory = RequestFactory()
    meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in signed_headers().items()}
    ok = hook(factory.post("/hook", data=BODY, content_type="application/json", **meta))
    assert ok.status_code == 200
    bad = hook(factory.post("/hook", data=BODY + b"x", content_type="application/json", **meta))
    assert bad.status_code == 401
    assert hook(factory.get("/hook")).status_code == 405


def test_fastapi_dependency_in_a_real_fastapi_app() -> None:
    from fastapi import Depends, FastAPI
    from fastapi.testclient import TestClient

    from hookline.integrations.starlette import WebhookDependency

    app = FastAPI()
    verified = WebhookDependency(Webhook(SECRET))

    @app.post("/hook")
    async def hook(event: dict[str, Any] = Depends(verified)) -> dict[str, Any]:  # noqa: B008
        return {"amount": event["data"]["amount"]}

    client = TestClient(app)
    ok = client.post("/hook", content=BODY, headers=signed_headers())
    assert ok.status_code == 200 and ok.json() == {"amount": 5}
    bad = client.post("/hook", content=BODY, headers={**signed_headers(), "webhook-id": "other"})
    assert bad.status_code == 401
    assert bad.json() == {"detail": "webhook verification failed: no_matching_signature"}
