"""Interoperability with the official ``standardwebhooks`` package, both directions."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest
from standardwebhooks.webhooks import Webhook as OfficialWebhook

from hookline.webhooks import Webhook

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
BODY = '{"type":"credit.added","timestamp":"2026-12-04T19:00:00Z","data":{"amount":5}}'


def test_theirs_verifies_with_ours() -> None:
    now = int(time.time())
    signature = OfficialWebhook(SECRET).sign(
        "msg_theirs", datetime.fromtimestamp(now, timezone.utc), BODY
    )
    headers = {
        "webhook-id": "msg_theirs",
        "webhook-timestamp": str(now),
        "webhook-signature": signature,
    }
    assert Webhook(SECRET).verify(BODY.encode(), headers)["data"] == {"amount": 5}


def test_ours_verifies_with_theirs() -> None:
    now = int(time.time())
    signature = Webhook(SECRET).sign("msg_ours", now, BODY)
    headers = {
        "webhook-id": "msg_ours",
        "webhook-timestamp": str(now),
        "webhook-signature": signature,
    }
    assert OfficialWebhook(SECRET).verify(BODY, headers)["data"] == {"amount": 5}


def test_theirs_refuses_what_ours_refuses() -> None:
    now = int(time.time())
    signature = Webhook(SECRET).sign("msg_ours", now, BODY)
    headers = {
        "webhook-id": "msg_ours",
        "webhook-timestamp": str(now),
        "webhook-signature": signature,
    }
    from standardwebhooks.webhooks import WebhookVerificationError as TheirError

    with pytest.raises(TheirError):
        OfficialWebhook(SECRET).verify(BODY + " ", headers)
