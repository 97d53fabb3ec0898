"""Opt-in logging on ``logging.getLogger("hookline")``, with credentials redacted.

The library only emits records; the application decides where they go. Setting
``HOOKLINE_LOG=debug`` (or ``info``, ``warning``) attaches a stderr handler at that
level, for a quick look without touching logging configuration.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping

logger = logging.getLogger("hookline")

_SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "webhook-signature"}
)
_SECRET_PATTERN = re.compile(r"whsec_[A-Za-z0-9+/=]+|Bearer\s+\S+")
_configured = False


def configure_from_env() -> None:
    """Attach a stderr handler when ``HOOKLINE_LOG`` names a level (once per process)."""
    global _configured
    if _configured:
        return
    _configured = True
    level_name = os.environ.get("HOOKLINE_LOG", "").strip().upper()
    if not level_name:
        return
    level = logging.getLevelName(level_name)
    if not isinstance(level, int):
        level = logging.DEBUG
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s hookline %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)


def redact_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """A copy of ``headers`` safe to log: credentials and signatures replaced."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {
        name: ("[redacted]" if name.lower() in _SENSITIVE_HEADERS else redact_text(value))
        for name, value in items
    }


def redact_text(text: str) -> str:
    """``text`` with webhook secrets and bearer tokens replaced."""
    return _SECRET_PATTERN.sub("[redacted]", text)
