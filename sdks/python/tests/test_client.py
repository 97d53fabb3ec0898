"""The blocking client's own behaviour against respx-mocked HTTP: retry, backoff,
Retry-After, idempotency keys, tokens, classification, timeouts and deadlines."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import httpx
import pytest
import respx

import hookline
from hookline import Hookline

from .conftest import EMPTY_PAGE, URL, gql_error, ok

UUID = "6f1c2a4e-8b3d-4c5e-9f7a-1b2c3d4e5f60"
DELETED = {"deleteWebhook": {"deletedWebhookId": UUID}}


def client(**options: object) -> Hookline:
    options.setdefault("token", "static-token")
    return Hookline(URL, **options)  # type: ignore[arg-type]


def test_list_returns_typed_models() -> None:
    node = {
        "id": UUID, "userId": UUID, "name": "n", "url": "https://example.com/h",
        "description": None, "signatureAlgorithm": "SHA512", "isActive": True,
        "isVerified": False, "disabledReason": None, "retryEnabled": True, "maxRetries": 3,
        "retryDelaySeconds": 60, "timeoutSeconds": 30, "totalDeliveries": 0,
        "successfulDeliveries": 0, "failedDeliveries": 0, "lastDeliveryAt": None,
        "lastSuccessAt": None, "lastFailureAt": None, "metadata": {"team": "a"},
        "createdAt": "2026-12-04T19:46:10.123Z", "updatedAt": "2026-12-04T19:46:10.123Z",
        "subscriptions": [],
    }  # fmt: skip
    page = {"webhooks": {"edges": [{"cursor": "c1", "node": node}],
                         "pageInfo": {"hasNextPage": True, "endCursor": "c1"}}}  # fmt: skip
    with respx.mock() as router:
        route = router.post(URL).mock(return_value=ok(page))
        result = client().webhooks.list(first=1)
    assert result.edges[0].node.signature_algorithm is hookline.types.SignatureAlgorithm.SHA512
    assert result.edges[0].node.metadata == {"team": "a"}
    assert result.page_info.end_cursor == "c1"
    sent = json.loads(route.calls[0].request.content)
    assert sent["operationName"] == "ListWebhooks"
    assert sent["variables"] == {"first": 1}


def test_create_sends_camel_case_input_and_only_given_fields() -> None:
    created = {"createWebhook": {"webhook": None, "secret": "whsec_x", "subscriptions": []}}
    with respx.mock() as router:
        route = router.post(URL).mock(return_value=ok(created))
        with pytest.raises(hookline.ServerError, match="does not match the schema"):
            client().webhooks.create(
                name="Orders", url="https://example.com/h", event_types=["video.generated"],
                max_retries=5,
            )  # fmt: skip
    variables = json.loads(route.calls[0].request.content)["variables"]
    assert variables == {
        "input": {"name": "Orders", "url": "https://example.com/h",
                  "eventTypes": ["video.generated"], "maxRetries": 5}
    }  # fmt: skip


def test_update_sends_none_to_clear_and_leaves_out_the_rest() -> None:
    with respx.mock() as router:
        route = router.post(URL).mock(return_value=ok({"updateWebhook": None}))
        with pytest.raises(hookline.ServerError):
            client().webhooks.update(UUID, description=None, is_active=False)
    variables = json.loads(route.calls[0].request.content)["variables"]
    assert variables == {"id": UUID, "input": {"description": None, "isActive": False}}


def test_query_retries_5xx_then_succeeds_with_backoff(slept: list[float]) -> None:
    with respx.mock() as router:
        route = router.post(URL).mock(side_effect=[httpx.Response(503), httpx.Response(502), ok()])
        client(initial_retry_delay=0.2, max_retry_delay=5).webhooks.list()
    assert route.call_count == 3
    assert 0.15 <= slept[0] <= 0.25 and 0.3 <= slept[1] <= 0.5


def test_backoff_is_capped(slept: list[float]) -> None:
    with respx.mock() as router:
        router.post(URL).mock(side_effect=[httpx.Response(503)] * 4 + [ok()])
        client(max_retries=4, initial_retry_delay=1, max_retry_delay=2.5).webhooks.list()
    assert max(slept) <= 2.5 and len(slept) == 4


def test_retry_after_seconds_is_waited_instead_of_backoff(slept: list[float]) -> None:
    limited = httpx.Response(
        429, headers={"Retry-After": "2"}, json={"errors": [gql_error("RATE_LIMITED")]}
    )
    with respx.mock() as router:
        router.post(URL).mock(side_effect=[limited, ok()])
        client(initial_retry_delay=0.01).webhooks.list()
    assert slept == [2.0]


def test_retry_after_http_date(slept: list[float]) -> None:
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    with respx.mock() as router:
        router.post(URL).mock(
            side_effect=[httpx.Response(503, headers={"Retry-After": when}), ok()]
        )
        client().webhooks.list()
    assert 28 <= slept[0] <= 31


def test_retry_after_beyond_cap_raises_at_once(slept: list[float]) -> None:
    limited = httpx.Response(
        429,
        headers={"Retry-After": "120", "x-request-id": "req_1"},
        json={"errors": [gql_error("RATE_LIMITED")]},
    )
    with respx.mock() as router:
        route = router.post(URL).mock(return_value=limited)
        with pytest.raises(hookline.RateLimitError) as caught:
            client(max_retry_after=5).webhooks.list()
    assert route.call_count == 1 and slept == []
    assert caught.value.retry_after == 120 and caught.value.request_id == "req_1"


def test_mutation_key_is_a_uuid4_reused_across_attempts() -> None:
    with respx.mock() as router:
        route = router.post(URL).mock(
            side_effect=[httpx.Response(503), httpx.ConnectError("reset"), ok(DELETED)]
        )
        client().webhooks.delete(UUID)
    keys = {call.request.headers["idempotency-key"] for call in route.calls}
    assert route.call_count == 3 and len(keys) == 1
    assert keys.pop()[14] == "4"


def test_separate_calls_get_separate_keys_and_explicit_key_is_used() -> None:
    with respx.mock() as router:
        route = router.post(URL).mock(return_value=ok(DELETED))
        c = client()
        c.webhooks.delete(UUID)
        c.webhooks.delete(UUID)
        c.webhooks.delete(UUID, idempotency_key="mine")
    keys = [call.request.headers["idempotency-key"] for call in route.calls]
    assert keys[0] != keys[1] and keys[2] == "mine"


def test_queries_send_no_idempotency_key() -> None:
    with respx.mock() as router:
        route = router.post(URL).mock(return_value=ok())
        client().webhooks.list()
    assert "idempotency-key" not in route.calls[0].request.headers


def test_mutation_without_idempotency_is_not_retried() -> None:
    with respx.mock() as router:
        route = router.post(URL).mock(return_value=httpx.Response(503))
        with pytest.raises(hookline.ServerError):
            client(idempotent_mutations=False).webhooks.delete(UUID)
    assert route.call_count == 1
    assert "idempotency-key" not in route.calls[0].request.headers


@pytest.mark.parametrize(
    ("status", "code", "cls", "attempts"),
    [
        (401, "UNAUTHENTICATED", hookline.AuthenticationError, 1),
        (403, "FORBIDDEN", hookline.PermissionDeniedError, 1),
        (400, "BAD_USER_INPUT", hookline.ValidationError, 1),
        (400, "GRAPHQL_VALIDATION_FAILED", hookline.ValidationError, 1),
        (404, "NOT_FOUND", hookline.NotFoundError, 1),
        (409, "CONFLICT", hookline.ValidationError, 1),
        (429, "RATE_LIMITED", hookline.RateLimitError, 3),
        (500, "INTERNAL_SERVER_ERROR", hookline.ServerError, 3),
        (200, "NOT_FOUND", hookline.NotFoundError, 1),
        (400, "NOT_FOUND", hookline.NotFoundError, 1),
        (500, "BAD_USER_INPUT", hookline.ValidationError, 1),
    ],
)
def test_code_classifies_before_status(
    status: int, code: str, cls: type[hookline.HooklineError], attempts: int
) -> None:
    body = {"data": None, "errors": [gql_error(code, "mock")]}
    with respx.mock() as router:
        route = router.post(URL).mock(
            return_value=httpx.Response(status, json=body, headers={"x-request-id": "req_x"})
        )
        with pytest.raises(cls) as caught:
            client().webhooks.list()
    assert type(caught.value) is cls
    assert route.call_count == attempts
    error = caught.value
    assert (error.code, error.status, error.request_id) == (code, status, "req_x")
    assert error.graphql_errors == body["errors"]


@pytest.mark.parametrize(
    ("status", "cls", "attempts"),
    [
        (400, hookline.ValidationError, 1),
        (401, hookline.AuthenticationError, 1),
        (403, hookline.PermissionDeniedError, 1),
        (404, hookline.NotFoundError, 1),
        (408, hookline.NetworkError, 3),
        (413, hookline.ValidationError, 1),
        (418, hookline.ValidationError, 1),
        (429, hookline.RateLimitError, 3),
        (500, hookline.ServerError, 1),
        (502, hookline.ServerError, 3),
        (503, hookline.ServerError, 3),
        (504, hookline.ServerError, 3),
    ],
)
def test_status_fallback_without_body(
    status: int, cls: type[hookline.HooklineError], attempts: int
) -> None:
    with respx.mock() as router:
        route = router.post(URL).mock(return_value=httpx.Response(status, text="<html>"))
        with pytest.raises(cls) as caught:
            client().webhooks.list()
    assert type(caught.value) is cls
    assert caught.value.code is None and caught.value.graphql_errors == []
    assert route.call_count == attempts


def test_partial_data_is_kept_with_the_errors() -> None:
    body = {"data": EMPTY_PAGE, "errors": [gql_error("FORBIDDEN", "not allowed")]}
    with respx.mock() as router:
        router.post(URL).mock(return_value=httpx.Response(200, json=body))
        with pytest.raises(hookline.PermissionDeniedError) as caught:
            client().webhooks.list()
    assert caught.value.partial_data == EMPTY_PAGE


def test_connection_errors_raise_network_error_with_cause() -> None:
    with respx.mock() as router:
        route = router.post(URL).mock(side_effect=httpx.ConnectError("refused"))
        with pytest.raises(hookline.NetworkError) as caught:
            client().webhooks.list()
    assert route.call_count == 3
    assert type(caught.value) is hookline.NetworkError
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def test_timeouts_raise_timeout_error_after_retries() -> None:
    with respx.mock() as router:
        route = router.post(URL).mock(side_effect=httpx.ReadTimeout("slow"))
        with pytest.raises(hookline.TimeoutError) as caught:
            client(max_retries=1).webhooks.list()
    assert route.call_count == 2 and isinstance(caught.value, hookline.NetworkError)


@pytest.mark.real_sleep
def test_deadline_stops_a_retry_that_would_outlive_it() -> None:
    with respx.mock() as router:
        route = router.post(URL).mock(
            side_effect=[httpx.Response(503, headers={"Retry-After": "3"}), ok()]
        )
        started = time.monotonic()
        with pytest.raises(hookline.TimeoutError, match="deadline"):
            client(deadline=1.0).webhooks.list()
    assert route.call_count == 1
    assert time.monotonic() - started < 1.0  # fails fast instead of sleeping 3 s


def test_static_token_and_headers_on_every_attempt() -> None:
    with respx.mock() as router:
        route = router.post(URL).mock(side_effect=[httpx.Response(503), ok()])
        client(headers={"x-team": "a"}).webhooks.list()
    for call in route.calls:
        assert call.request.headers["authorization"] == "Bearer static-token"
        assert call.request.headers["x-team"] == "a"
        assert call.request.headers["content-type"] == "application/json"


def unauthenticated() -> httpx.Response:
    return httpx.Response(401, json={"errors": [gql_error("UNAUTHENTICATED", "expired")]})


def test_401_refreshes_once_outside_the_retry_budget() -> None:
    tokens = iter(["t1", "t2", "t3"])
    calls: list[str] = []

    def provider() -> tuple[str, float]:
        calls.append("x")
        return next(tokens), time.time() + 3600

    with respx.mock() as router:
        route = router.post(URL).mock(side_effect=[unauthenticated(), ok()])
        Hookline(URL, token_provider=provider, max_retries=0).webhooks.list()
    assert [c.request.headers["authorization"] for c in route.calls] == ["Bearer t1", "Bearer t2"]
    assert len(calls) == 2


def test_second_401_raises_authentication_error() -> None:
    tokens = iter(["t1", "t2", "t3"])
    with respx.mock() as router:
        route = router.post(URL).mock(return_value=unauthenticated())
        with pytest.raises(hookline.AuthenticationError):
            Hookline(URL, token_provider=lambda: (next(tokens), None)).webhooks.list()
    assert route.call_count == 2


def test_401_with_static_token_is_not_replayed() -> None:
    with respx.mock() as router:
        route = router.post(URL).mock(return_value=unauthenticated())
        with pytest.raises(hookline.AuthenticationError):
            client().webhooks.list()
    assert route.call_count == 1


def test_expired_token_is_refetched_for_the_retry() -> None:
    tokens = iter(["t1", "t2", "t3"])
    with respx.mock() as router:
        route = router.post(URL).mock(side_effect=[httpx.Response(503), ok()])
        Hookline(URL, token_provider=lambda: (next(tokens), time.time())).webhooks.list()
    assert [c.request.headers["authorization"] for c in route.calls] == ["Bearer t1", "Bearer t2"]


def test_threads_share_one_token_refresh() -> None:
    issued: list[str] = []
    lock = threading.Lock()

    def provider() -> tuple[str, float]:
        time.sleep(0.05)
        with lock:
            issued.append(f"t{len(issued) + 1}")
            return issued[-1], time.time() + 3600

    def respond(request: httpx.Request) -> httpx.Response:
        return ok() if request.headers["authorization"] == "Bearer t2" else unauthenticated()

    hl = Hookline(URL, token_provider=provider)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            hl.webhooks.list()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    with respx.mock() as router:
        router.post(URL).mock(side_effect=respond)
        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert issued == ["t1", "t2"]
    assert hl.token_provider_calls == 2


def test_base_url_and_token_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOOKLINE_BASE_URL", URL)
    monkeypatch.setenv("HOOKLINE_TOKEN", "env-token")
    with respx.mock() as router:
        route = router.post(URL).mock(return_value=ok())
        Hookline().webhooks.list()
    assert route.calls[0].request.headers["authorization"] == "Bearer env-token"


def test_constructor_rejects_ambiguous_or_missing_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOOKLINE_BASE_URL", raising=False)
    with pytest.raises(ValueError, match="base_url"):
        Hookline()
    with pytest.raises(ValueError, match="not both"):
        Hookline(URL, token="a", token_provider=lambda: "b")


def delivery(id: str) -> dict[str, object]:
    return {
        "id": id, "webhookId": UUID, "eventId": UUID, "eventType": "video.generated",
        "status": "FAILED", "requestUrl": "https://example.com/h", "requestMethod": "POST",
        "requestHeaders": None, "requestPayload": {"type": "video.generated"},
        "requestSignature": None, "responseStatus": 500, "responseHeaders": None,
        "responseBody": "no", "responseBodyTruncated": False, "responseTimeMs": 12,
        "attemptNumber": 1, "maxAttempts": 4, "nextRetryAt": None, "errorCode": None,
        "errorMessage": None, "createdAt": "2026-12-04T19:46:10Z",
        "updatedAt": "2026-12-04T19:46:10Z",
    }  # fmt: skip


def _page(ids: list[str], end: str | None, more: bool) -> httpx.Response:
    edges = [{"cursor": i, "node": delivery(i)} for i in ids]
    return ok({"deliveries": {"edges": edges, "pageInfo": {"hasNextPage": more, "endCursor": end}}})


def test_list_all_walks_every_page_lazily() -> None:
    with respx.mock() as router:
        route = router.post(URL).mock(
            side_effect=[_page(["a", "b"], "b", True), _page(["c"], "c", False)]
        )
        iterator = client().deliveries.list_all(status="FAILED", page_size=2)
        assert next(iterator).id == "a"
        assert route.call_count == 1
        assert [d.id for d in iterator] == ["b", "c"]
    assert route.call_count == 2
    sent = [json.loads(c.request.content)["variables"] for c in route.calls]
    assert sent == [
        {"status": "FAILED", "first": 2},
        {"status": "FAILED", "first": 2, "after": "b"},
    ]


def test_malformed_data_is_a_server_error() -> None:
    with respx.mock() as router:
        router.post(URL).mock(return_value=_partial())
        with pytest.raises(hookline.ServerError, match="does not match the schema"):
            client().deliveries.get(UUID)


def _partial() -> httpx.Response:
    return ok({"delivery": {"id": UUID}})


def test_payloads_with_datetimes_uuids_and_decimals_are_sent_as_json() -> None:
    import decimal
    import uuid as uuid_module

    triggered = {"triggerWebhookEvent": {"eventId": UUID, "deliveryCount": 0, "deliveries": []}}
    when = datetime(2026, 12, 4, 19, 0, tzinfo=timezone.utc)
    with respx.mock() as router:
        route = router.post(URL).mock(return_value=ok(triggered))
        result = client().events.trigger(
            "credit.added",
            {"at": when, "by": uuid_module.UUID(UUID), "amount": decimal.Decimal("1.5")},
        )
    assert result.delivery_count == 0
    payload = json.loads(route.calls[0].request.content)["variables"]["payload"]
    assert payload == {"at": "2026-12-04T19:00:00Z", "by": UUID, "amount": "1.5"}
