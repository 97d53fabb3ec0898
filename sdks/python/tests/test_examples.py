"""The receivers in examples/python verify real signatures and answer challenges."""

from __future__ import annotations

import importlib.util
import json
import time
from types import ModuleType

from hookline.webhooks import Webhook

from .conftest import REPO

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "examples" / "python" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def delivery(event_type: str, data: dict[str, object]) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(
        {"type": event_type, "timestamp": "2026-12-04T19:00:00Z", "data": data}
    ).encode()
    now = int(time.time())
    return body, {
        "webhook-id": "msg_ex",
        "webhook-timestamp": str(now),
        "webhook-signature": Webhook(SECRET).sign("msg_ex", now, body),
    }


def test_flask_example() -> None:
    client = load("receiver_flask").create_app(SECRET).test_client()
    body, headers = delivery("webhook.verification", {"challenge": "ch_1"})
    assert client.post("/hooks/hookline", data=body, headers=headers).get_json() == {
        "challenge": "ch_1"
    }
    body, headers = delivery("video.generated", {"videoId": "v"})
    assert client.post("/hooks/hookline", data=body, headers=headers).status_code == 204
    assert client.post("/hooks/hookline", data=body + b" ", headers=headers).status_code == 401


def test_starlette_example() -> None:
    from starlette.testclient import TestClient

    client = TestClient(load("receiver_starlette").create_app(SECRET))
    body, headers = delivery("webhook.verification", {"challenge": "ch_2"})
    assert client.post("/hooks/hookline", content=body, headers=headers).json() == {
        "challenge": "ch_2"
    }
    body, headers = delivery("video.generated", {"videoId": "v"})
    assert client.post("/hooks/hookline", content=body, headers=headers).status_code == 204
    assert client.post("/hooks/hookline", content=body, headers={}).status_code == 401


def test_producer_example_imports() -> None:
    producer = load("producer")
    assert callable(producer.produce) and callable(producer.report)
