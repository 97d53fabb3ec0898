"""Conformance testee for the Python SDK (see conformance-tests/PROTOCOL.md).

Reads newline-delimited JSON requests on stdin and answers on stdout; requests run
concurrently (one thread each) and may be answered out of order. Logs go to stderr.

Run with sdks/python/.venv/bin/python. ``call`` uses the blocking ``Hookline``
client (threads for ``concurrency > 1``); with HOOKLINE_TESTEE_ASYNC=1 it uses
``AsyncHookline`` (tasks for ``concurrency > 1``) instead, so both flavours can be
put through the same cases.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pydantic
from flask import Flask, Response, g, jsonify
from werkzeug.serving import make_server

import hookline
from hookline.integrations.flask import webhook_view
from hookline.webhooks import Webhook, WebhookVerificationError

USE_ASYNC = os.environ.get("HOOKLINE_TESTEE_ASYNC", "") not in ("", "0", "false")

_out_lock = threading.Lock()


def send(message: dict[str, Any]) -> None:
    line = json.dumps(message, separators=(",", ":"), ensure_ascii=False)
    with _out_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


class TesteeError(Exception):
    """A bad request (unknown op, missing field): reported as class TesteeError."""


def error_object(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, hookline.HooklineError):
        retry_after_ms = None
        if isinstance(exc, hookline.RateLimitError) and exc.retry_after is not None:
            retry_after_ms = round(exc.retry_after * 1000)
        return {
            "class": type(exc).__name__,
            "code": exc.code,
            "status": exc.status,
            "requestId": exc.request_id,
            "retryAfterMs": retry_after_ms,
            "graphqlErrors": exc.graphql_errors,
            "partialData": exc.partial_data,
            "reason": None,
            "message": exc.message,
        }
    if isinstance(exc, WebhookVerificationError):
        return {
            "class": "WebhookVerificationError",
            "code": None,
            "status": None,
            "requestId": None,
            "retryAfterMs": None,
            "graphqlErrors": [],
            "partialData": None,
            "reason": exc.reason,
            "message": exc.message,
        }
    return {
        "class": "TesteeError",
        "code": None,
        "status": None,
        "requestId": None,
        "retryAfterMs": None,
        "graphqlErrors": [],
        "partialData": None,
        "reason": None,
        "message": f"{type(exc).__name__}: {exc}",
    }


def body_of(request: dict[str, Any]) -> bytes:
    if "bodyBase64" in request:
        return base64.b64decode(request["bodyBase64"])
    if "body" in request:
        return str(request["body"]).encode("utf-8")
    raise TesteeError("body or bodyBase64 is required")


# --- signatures ---------------------------------------------------------------


def op_sign(request: dict[str, Any]) -> Any:
    signature = Webhook(request["secret"]).sign(
        request["msgId"],
        int(request["timestamp"]),
        body_of(request),
        algorithm=request.get("algorithm", "sha256"),
    )
    return {"signature": signature}


def op_verify(request: dict[str, Any]) -> Any:
    now = float(request["now"])
    webhook = Webhook(
        request["secrets"],
        tolerance_seconds=int(request.get("toleranceSeconds", 300)),
        now=lambda: now,
    )
    # verify_signature: some vectors carry non-JSON bodies, which verify() would
    # refuse after a valid signature (reason invalid_payload).
    webhook.verify_signature(body_of(request), dict(request.get("headers") or {}))
    return {"verified": True}


# --- client calls ---------------------------------------------------------------


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def snake_keys(values: dict[str, Any] | None) -> dict[str, Any]:
    return {snake(k): v for k, v in (values or {}).items()}


def _without(values: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in names}


# operation -> (resource, method, is_mutation, how to turn GraphQL variables into args)
Invocation = tuple[list[Any], dict[str, Any]]
OPERATIONS: dict[str, tuple[str, str, bool, Callable[[dict[str, Any]], Invocation]]] = {
    "ListWebhooks": ("webhooks", "list", False, lambda v: ([], snake_keys(v))),
    "GetWebhook": ("webhooks", "get", False, lambda v: ([v["id"]], {})),
    "GetWebhookSecret": ("webhooks", "get_secret", False, lambda v: ([v["id"]], {})),
    "CreateWebhook": ("webhooks", "create", True, lambda v: ([], snake_keys(v["input"]))),
    "UpdateWebhook": (
        "webhooks", "update", True, lambda v: ([v["id"]], snake_keys(v.get("input"))),
    ),
    "DeleteWebhook": ("webhooks", "delete", True, lambda v: ([v["id"]], {})),
    "RotateWebhookSecret": (
        "webhooks", "rotate_secret", True, lambda v: ([v["id"]], snake_keys(_without(v, "id"))),
    ),
    "VerifyWebhookEndpoint": ("webhooks", "verify_endpoint", True, lambda v: ([v["id"]], {})),
    "GetWebhookStatistics": (
        "webhooks", "statistics", False,
        lambda v: ([v["webhookId"]], snake_keys(_without(v, "webhookId"))),
    ),
    "SubscribeWebhookEvents": (
        "webhooks", "subscribe", True,
        lambda v: (
            [v["webhookId"], v["eventTypes"]],
            snake_keys(_without(v, "webhookId", "eventTypes")),
        ),
    ),
    "UnsubscribeWebhookEvents": (
        "webhooks", "unsubscribe", True, lambda v: ([v["webhookId"], v["eventTypes"]], {}),
    ),
    "ListEventTypes": ("events", "list_types", False, lambda v: ([], {})),
    "TriggerWebhookEvent": (
        "events", "trigger", True,
        lambda v: ([v["eventType"], v["payload"]], snake_keys(_without(v, "eventType", "payload"))),
    ),
    "SendTestEvent": ("events", "send_test", True, lambda v: ([v["webhookId"]], {})),
    "ListDeliveries": ("deliveries", "list", False, lambda v: ([], snake_keys(v))),
    "GetDelivery": ("deliveries", "get", False, lambda v: ([v["id"]], {})),
    "RetryFailedDelivery": ("deliveries", "retry", True, lambda v: ([v["deliveryId"]], {})),
    "ListPendingWebhookRetries": (
        "deliveries", "pending_retries", False, lambda v: ([], snake_keys(v)),
    ),
}  # fmt: skip


def to_json(value: Any) -> Any:
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(by_alias=True, exclude_unset=True, mode="json")
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value


def client_kwargs(spec: dict[str, Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"max_retries": int(spec.get("maxRetries", 2))}
    for field, name in (
        ("initialRetryDelayMs", "initial_retry_delay"),
        ("maxRetryDelayMs", "max_retry_delay"),
        ("maxRetryAfterMs", "max_retry_after"),
        ("timeoutMs", "timeout"),
        ("deadlineMs", "deadline"),
    ):
        if spec.get(field) is not None:
            kwargs[name] = float(spec[field]) / 1000
    if "idempotentMutations" in spec:
        kwargs["idempotent_mutations"] = bool(spec["idempotentMutations"])
    return kwargs


class Provider:
    """The scripted token provider of PROTOCOL.md: tokens[i] on the i-th call."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.tokens: list[str] = list(spec["tokens"])
        self.expires_in = float(spec.get("expiresInSeconds", 3600))
        self.delay = float(spec.get("delayMs", 0)) / 1000
        self.calls = 0
        self._lock = threading.Lock()

    def _next(self) -> tuple[str, float]:
        with self._lock:
            token = self.tokens[min(self.calls, len(self.tokens) - 1)]
            self.calls += 1
        return token, time.time() + self.expires_in

    def __call__(self) -> tuple[str, float]:
        time.sleep(self.delay)
        return self._next()

    async def async_call(self) -> tuple[str, float]:
        await asyncio.sleep(self.delay)
        return self._next()


def op_call(request: dict[str, Any]) -> Any:
    spec = request.get("client") or {}
    operation = request.get("operation")
    if operation not in OPERATIONS:
        raise TesteeError(f"unknown operation {operation!r}")
    resource_name, method_name, is_mutation, build = OPERATIONS[operation]
    args, kwargs = build(request.get("variables") or {})
    if is_mutation and request.get("idempotencyKey"):
        kwargs["idempotency_key"] = request["idempotencyKey"]
    concurrency = int(request.get("concurrency") or 1)
    provider = Provider(spec["tokenProvider"]) if spec.get("tokenProvider") else None
    if USE_ASYNC:
        return asyncio.run(
            _call_async(spec, provider, resource_name, method_name, args, kwargs, concurrency)
        )
    client = hookline.Hookline(
        spec["baseUrl"],
        token=spec.get("token") if provider is None else None,
        token_provider=provider,
        **client_kwargs(spec),
    )
    with client:
        method = getattr(getattr(client, resource_name), method_name)
        if concurrency == 1:
            try:
                data = to_json(method(*args, **kwargs))
            except hookline.HooklineError as exc:
                raise CallFailed(exc, provider) from exc
            return {"data": data, "providerCalls": provider.calls if provider else 0}
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            futures = [pool.submit(method, *args, **kwargs) for _ in range(concurrency)]
            results = []
            for future in futures:
                try:
                    results.append({"ok": True, "data": to_json(future.result())})
                except hookline.HooklineError as exc:
                    results.append({"ok": False, "error": error_object(exc)})
        return {"results": results, "providerCalls": provider.calls if provider else 0}


async def _call_async(
    spec: dict[str, Any],
    provider: Provider | None,
    resource_name: str,
    method_name: str,
    args: list[Any],
    kwargs: dict[str, Any],
    concurrency: int,
) -> Any:
    async with hookline.AsyncHookline(
        spec["baseUrl"],
        token=spec.get("token") if provider is None else None,
        token_provider=provider.async_call if provider else None,
        **client_kwargs(spec),
    ) as client:
        method = getattr(getattr(client, resource_name), method_name)
        if concurrency == 1:
            try:
                data = to_json(await method(*args, **kwargs))
            except hookline.HooklineError as exc:
                raise CallFailed(exc, provider) from exc
            return {"data": data, "providerCalls": provider.calls if provider else 0}
        outcomes = await asyncio.gather(
            *(method(*args, **kwargs) for _ in range(concurrency)),
            return_exceptions=True,
        )
        results = []
        for outcome in outcomes:
            if isinstance(outcome, hookline.HooklineError):
                results.append({"ok": False, "error": error_object(outcome)})
            elif isinstance(outcome, BaseException):
                raise outcome
            else:
                results.append({"ok": True, "data": to_json(outcome)})
        return {"results": results, "providerCalls": provider.calls if provider else 0}


class CallFailed(Exception):
    """A single call's SDK error, with the provider's call count for the answer."""

    def __init__(self, error: hookline.HooklineError, provider: Provider | None) -> None:
        super().__init__(str(error))
        self.error = error
        self.provider_calls = provider.calls if provider else 0


# --- receiver -----------------------------------------------------------------


class Receiver:
    """A Flask app behind werkzeug's threaded server, verifying with the SDK's helper."""

    def __init__(self, secrets: list[str]) -> None:
        self.webhook = Webhook(secrets)
        self.events: list[dict[str, Any]] = []
        self.rejected = 0
        self.forced_status: int | None = None
        self.forced_times = 0
        self.changed = threading.Condition()
        app = Flask("hookline-testee-receiver")

        @app.post("/hook")
        @webhook_view(lambda: self.webhook)
        def hook(event: Any) -> Any:
            from flask import request

            with self.changed:
                if self.forced_times > 0 and self.forced_status is not None:
                    self.forced_times -= 1
                    g.forced = True  # neither recorded nor counted as rejected
                    return Response(status=self.forced_status)
                data = event.get("data") if isinstance(event, dict) else None
                event_type = event.get("type") if isinstance(event, dict) else None
                self.events.append(
                    {
                        "webhookId": request.headers.get("webhook-id"),
                        "type": event_type,
                        "data": data,
                    }
                )
                self.changed.notify_all()
            if event_type == "webhook.verification":
                challenge = data.get("challenge") if isinstance(data, dict) else None
                return jsonify({"challenge": challenge}), 200
            return Response(status=204)

        @app.after_request
        def count_rejections(response: Response) -> Response:
            if response.status_code == 401 and not g.get("forced"):
                with self.changed:
                    self.rejected += 1
                    self.changed.notify_all()
            return response

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"

    def wait(self, count: int, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self.changed:
            while len(self.events) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self.changed.wait(remaining)
            return {"events": list(self.events), "rejected": self.rejected}

    def stop(self) -> None:
        self.server.shutdown()


_receiver: Receiver | None = None


def receiver() -> Receiver:
    if _receiver is None:
        raise TesteeError("no receiver started")
    return _receiver


def op_start_receiver(request: dict[str, Any]) -> Any:
    global _receiver
    if _receiver is not None:
        _receiver.stop()
    _receiver = Receiver(list(request["secrets"]))
    return {"url": _receiver.url}


def op_set_receiver_secrets(request: dict[str, Any]) -> Any:
    current = receiver()
    current.webhook = Webhook(list(request["secrets"]))
    return {}


def op_set_receiver_status(request: dict[str, Any]) -> Any:
    current = receiver()
    with current.changed:
        current.forced_status = int(request["status"])
        current.forced_times = int(request.get("times", 1))
    return {}


def op_received_events(request: dict[str, Any]) -> Any:
    return receiver().wait(
        int(request.get("waitFor", 0)), float(request.get("timeoutMs", 5000)) / 1000
    )


OPS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "sign": op_sign,
    "verify": op_verify,
    "call": op_call,
    "startReceiver": op_start_receiver,
    "setReceiverSecrets": op_set_receiver_secrets,
    "setReceiverStatus": op_set_receiver_status,
    "receivedEvents": op_received_events,
}


def handle(request: dict[str, Any]) -> None:
    request_id = request.get("id")
    try:
        op = OPS.get(request.get("op", ""))
        if op is None:
            raise TesteeError(f"unknown op {request.get('op')!r}")
        send({"id": request_id, "ok": True, "result": op(request)})
    except CallFailed as failed:
        error = error_object(failed.error)
        error["providerCalls"] = failed.provider_calls
        send({"id": request_id, "ok": False, "error": error})
    except Exception as exc:  # every failure becomes an answer, never a crash
        send({"id": request_id, "ok": False, "error": error_object(exc)})


def main() -> int:
    workers = ThreadPoolExecutor(max_workers=64)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except ValueError as exc:
            send({"id": None, "ok": False, "error": error_object(TesteeError(str(exc)))})
            continue
        if request.get("op") == "shutdown":
            workers.shutdown(wait=True)
            send({"id": request.get("id"), "ok": True, "result": {}})
            break
        workers.submit(handle, request)
    else:
        workers.shutdown(wait=True)
    if _receiver is not None:
        _receiver.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
