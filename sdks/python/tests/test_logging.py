"""Opt-in logging on the "hookline" logger never shows tokens or secrets."""

from __future__ import annotations

import logging

import httpx
import pytest
import respx

import hookline._logging as hl_logging
from hookline import Hookline
from hookline._logging import redact_headers, redact_text

from .conftest import URL, ok


def test_redaction_helpers() -> None:
    headers = redact_headers({"Authorization": "Bearer abc.def", "x-note": "whsec_AAAA", "a": "b"})
    assert headers == {"Authorization": "[redacted]", "x-note": "[redacted]", "a": "b"}
    assert "s3cret" not in redact_text("token Bearer s3cret here")


def test_debug_records_carry_no_token(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="hookline")
    with respx.mock() as router:
        router.post(URL).mock(side_effect=[httpx.Response(503), ok()])
        Hookline(URL, token="very-secret-token").webhooks.list()
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "request op=ListWebhooks attempt=1" in text and "retrying op=ListWebhooks" in text
    assert "very-secret-token" not in text


def test_hookline_log_env_attaches_a_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    logger = logging.getLogger("hookline")
    before = list(logger.handlers)
    monkeypatch.setattr(hl_logging, "_configured", False)
    monkeypatch.setenv("HOOKLINE_LOG", "info")
    try:
        hl_logging.configure_from_env()
        assert logger.level == logging.INFO
        assert len(logger.handlers) == len(before) + 1
    finally:
        for handler in logger.handlers[len(before) :]:
            logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
