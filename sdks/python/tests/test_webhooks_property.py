"""Property tests: the verifier raises only WebhookVerificationError on arbitrary
input, and whatever it signs it verifies."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hookline.webhooks import Webhook, WebhookVerificationError

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
NOW = 1_700_000_000

header_names = st.sampled_from(
    ["webhook-id", "Webhook-Id", "webhook-timestamp", "WEBHOOK-TIMESTAMP", "webhook-signature", "x"]
)
header_values = st.one_of(
    st.text(),
    st.integers(min_value=NOW - 1000, max_value=NOW + 1000).map(str),
    st.lists(st.sampled_from(["v1,", "v1-sha512,", "v2,", "", "=", "abc", " "]), max_size=6).map(
        "".join
    ),
)


@settings(max_examples=400, deadline=None)
@given(
    body=st.one_of(st.binary(), st.text()),
    headers=st.dictionaries(header_names, header_values, max_size=6),
)
def test_arbitrary_input_raises_only_verification_errors(
    body: bytes | str, headers: dict[str, str]
) -> None:
    webhook = Webhook(SECRET, now=lambda: NOW)
    try:
        webhook.verify(body, headers)
    except WebhookVerificationError as error:
        assert error.reason in {
            "missing_header", "invalid_timestamp", "timestamp_too_old",
            "timestamp_too_new", "no_matching_signature", "invalid_payload",
        }  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(secret=st.text())
def test_arbitrary_secrets_are_accepted_or_refused_as_invalid_secret(secret: str) -> None:
    try:
        Webhook(secret)
    except WebhookVerificationError as error:
        assert error.reason == "invalid_secret"


@settings(max_examples=300, deadline=None)
@given(
    key=st.binary(min_size=1, max_size=64),
    msg_id=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1),
    offset=st.integers(min_value=-300, max_value=300),
    body=st.binary(max_size=4096),
    algorithm=st.sampled_from(["sha256", "sha512"]),
)
def test_sign_then_verify_round_trips(
    key: bytes, msg_id: str, offset: int, body: bytes, algorithm: str
) -> None:
    webhook = Webhook(key, now=lambda: NOW)
    timestamp = NOW + offset
    signature = webhook.sign(msg_id, timestamp, body, algorithm=algorithm)  # type: ignore[arg-type]
    headers = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }
    webhook.verify_signature(body, headers)
    if body:
        flipped = bytes([body[0] ^ 1]) + body[1:]
        try:
            webhook.verify_signature(flipped, headers)
        except WebhookVerificationError as error:
            assert error.reason == "no_matching_signature"
        else:
            raise AssertionError("a tampered body verified")
