"""The receiver-side verifier: reasons, tolerance, rotation, sha512, header shapes,
and every signature vector of conformance-tests/cases/signatures/ (read in place)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from hookline.webhooks import Webhook, WebhookVerificationError

from .conftest import REPO

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OTHER = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
NOW = 1_700_000_000
BODY = b'{"type":"video.generated","timestamp":"2023-11-14T22:13:20Z","data":{"id":1}}'


def headers(signature: str, *, msg_id: str = "msg_1", timestamp: int = NOW) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }


def signed(
    secret: str = SECRET, *, timestamp: int = NOW, algorithm: str = "sha256"
) -> dict[str, str]:
    signature = Webhook(secret).sign("msg_1", timestamp, BODY, algorithm=algorithm)  # type: ignore[arg-type]
    return headers(signature, timestamp=timestamp)


def reason_of(webhook: Webhook, body: Any, hdrs: Any) -> str:
    with pytest.raises(WebhookVerificationError) as caught:
        webhook.verify(body, hdrs)
    return caught.value.reason


def test_verify_returns_the_parsed_payload() -> None:
    event = Webhook(SECRET, now=lambda: NOW).verify(BODY, signed())
    assert event["type"] == "video.generated" and event["data"] == {"id": 1}


def test_str_body_and_header_case_do_not_matter() -> None:
    hdrs = {k.upper(): v for k, v in signed().items()}
    assert Webhook(SECRET, now=lambda: NOW).verify(BODY.decode(), hdrs)["data"] == {"id": 1}


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_missing_or_empty_header(missing: str) -> None:
    hdrs = signed()
    del hdrs[missing]
    assert reason_of(Webhook(SECRET, now=lambda: NOW), BODY, hdrs) == "missing_header"
    assert (
        reason_of(Webhook(SECRET, now=lambda: NOW), BODY, {**signed(), missing: ""})
        == "missing_header"
    )


@pytest.mark.parametrize("stamp", ["abc", "1.5", "", " 1", "1e9", "١٢٣"])
def test_invalid_timestamp(stamp: str) -> None:
    hdrs = {**signed(), "webhook-timestamp": stamp}
    expected = "missing_header" if stamp == "" else "invalid_timestamp"
    assert reason_of(Webhook(SECRET, now=lambda: NOW), BODY, hdrs) == expected


def test_tolerance_is_inclusive_in_both_directions() -> None:
    for offset, reason in (
        (300, None),
        (301, "timestamp_too_old"),
        (-300, None),
        (-301, "timestamp_too_new"),
    ):
        webhook = Webhook(SECRET, now=lambda offset=offset: NOW + offset)
        if reason is None:
            webhook.verify(BODY, signed())
        else:
            assert reason_of(webhook, BODY, signed()) == reason


def test_custom_tolerance() -> None:
    webhook = Webhook(SECRET, tolerance_seconds=10, now=lambda: NOW + 11)
    assert reason_of(webhook, BODY, signed()) == "timestamp_too_old"


def test_tampered_body_and_wrong_secret() -> None:
    webhook = Webhook(SECRET, now=lambda: NOW)
    assert reason_of(webhook, BODY + b" ", signed()) == "no_matching_signature"
    assert reason_of(Webhook(OTHER, now=lambda: NOW), BODY, signed()) == "no_matching_signature"


def test_several_signatures_and_unknown_versions() -> None:
    good = signed()["webhook-signature"]
    hdrs = {**signed(), "webhook-signature": f"v2,abc v1,bm9wZQ== {good}"}
    Webhook(SECRET, now=lambda: NOW).verify(BODY, hdrs)
    only_unknown = {**signed(), "webhook-signature": "v2," + good.split(",", 1)[1]}
    assert (
        reason_of(Webhook(SECRET, now=lambda: NOW), BODY, only_unknown) == "no_matching_signature"
    )


def test_sha512_signatures() -> None:
    hdrs = signed(algorithm="sha512")
    assert hdrs["webhook-signature"].startswith("v1-sha512,")
    Webhook(SECRET, now=lambda: NOW).verify(BODY, hdrs)


def test_rotation_accepts_either_secret() -> None:
    both = Webhook([OTHER, SECRET], now=lambda: NOW)
    both.verify(BODY, signed(SECRET))
    both.verify(BODY, signed(OTHER))


@pytest.mark.parametrize("secret", ["whsec_", "whsec_!!!", "not base64 at all", ""])
def test_invalid_secret_is_refused_at_construction_without_echoing_it(secret: str) -> None:
    with pytest.raises(WebhookVerificationError) as caught:
        Webhook(secret)
    assert caught.value.reason == "invalid_secret"
    if secret.removeprefix("whsec_"):
        assert secret not in str(caught.value)


def test_plain_base64_and_raw_bytes_secrets() -> None:
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    for variant in (SECRET.removeprefix("whsec_"), key):
        Webhook(variant, now=lambda: NOW).verify(BODY, signed())


def test_parsed_body_gets_a_clear_type_error() -> None:
    with pytest.raises(TypeError, match="raw request body"):
        Webhook(SECRET, now=lambda: NOW).verify(json.loads(BODY), signed())  # type: ignore[arg-type]


def test_non_json_body_verifies_but_does_not_parse() -> None:
    body = b"\xff\xfe not json"
    hdrs = headers(Webhook(SECRET).sign("msg_1", NOW, body))
    webhook = Webhook(SECRET, now=lambda: NOW)
    webhook.verify_signature(body, hdrs)
    assert reason_of(webhook, body, hdrs) == "invalid_payload"


# --- the shared vectors --------------------------------------------------------

VECTOR_FILES = sorted((REPO / "conformance-tests" / "cases" / "signatures").glob("*.json"))


def _vector_cases() -> list[Any]:
    cases = []
    for path in VECTOR_FILES:
        for case in json.loads(Path(path).read_text())["cases"]:
            if case["request"]["op"] in ("sign", "verify"):
                cases.append(pytest.param(case, id=case["name"]))
    return cases


def _body(request: dict[str, Any]) -> bytes:
    if "bodyBase64" in request:
        return base64.b64decode(request["bodyBase64"])
    body = request["body"]
    if isinstance(body, dict):  # the runner's body generator {"repeat", "times"}
        return str(body["repeat"] * body["times"]).encode()
    return str(body).encode()


def test_vector_files_exist() -> None:
    assert len(_vector_cases()) >= 10, "expected conformance-tests/cases/signatures/*.json"


@pytest.mark.parametrize("case", _vector_cases())
def test_shared_signature_vectors(case: dict[str, Any]) -> None:
    request, expect = case["request"], case["expect"]
    try:
        if request["op"] == "sign":
            result: dict[str, Any] = {
                "signature": Webhook(request["secret"]).sign(
                    request["msgId"], request["timestamp"], _body(request),
                    algorithm=request.get("algorithm", "sha256"),
                )
            }  # fmt: skip
        else:
            webhook = Webhook(
                request["secrets"],
                tolerance_seconds=request.get("toleranceSeconds", 300),
                now=lambda: request["now"],
            )
            webhook.verify_signature(_body(request), request["headers"])
            result = {"verified": True}
    except WebhookVerificationError as error:
        assert expect["ok"] is False, f"unexpected {error.reason}: {error}"
        assert error.reason == expect["error"]["reason"]
        return
    assert expect["ok"] is True, f"expected failure {expect.get('error')}, got {result}"
    for key, value in expect.get("result", {}).items():
        assert result[key] == value
