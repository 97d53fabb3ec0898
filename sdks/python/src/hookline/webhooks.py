"""Verify (and sign) Standard Webhooks deliveries. Pure standard library.

Example:
    >>> from hookline.webhooks import Webhook, WebhookVerificationError
    >>> wh = Webhook("whsec_...")
    >>> try:
    ...     event = wh.verify(raw_body_bytes, request_headers)
    ... except WebhookVerificationError as e:
    ...     return 401  # e.reason says why

Importing this module pulls in no client code, httpx or pydantic.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

__all__ = ["Webhook", "WebhookVerificationError"]

VerificationReason = Literal[
    "missing_header",
    "invalid_timestamp",
    "timestamp_too_old",
    "timestamp_too_new",
    "no_matching_signature",
    "invalid_secret",
    "invalid_payload",
]

_SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
_VERSIONS = {"v1": "sha256", "v1-sha512": "sha512"}


class WebhookVerificationError(Exception):
    """A delivery failed verification; ``reason`` says why (stable, machine-readable).

    Reasons: ``missing_header``, ``invalid_timestamp``, ``timestamp_too_old``,
    ``timestamp_too_new``, ``no_matching_signature``, ``invalid_secret`` (raised by
    the constructor) and ``invalid_payload`` (``verify`` only: the signature matched
    but the body is not JSON).
    """

    def __init__(self, reason: VerificationReason, message: str) -> None:
        super().__init__(message)
        self.reason: VerificationReason = reason
        self.message = message


def _decode_secret(secret: str | bytes) -> bytes:
    if isinstance(secret, (bytes, bytearray)):
        if not secret:
            raise WebhookVerificationError("invalid_secret", "the secret is empty")
        return bytes(secret)
    if not isinstance(secret, str):
        raise WebhookVerificationError(
            "invalid_secret", f"a secret must be a str or bytes, not {type(secret).__name__}"
        )
    text = secret.removeprefix(_SECRET_PREFIX)
    try:
        key = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        key = b""
    if not key:
        # Never echo the secret itself.
        raise WebhookVerificationError(
            "invalid_secret", "the secret is not 'whsec_' followed by base64, nor plain base64"
        )
    return key


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    value = headers.get(name)
    if value.__class__ is str:  # the common case, kept cheap
        return value or None
    if value is None:
        # Plain dicts are case-sensitive; framework header objects are not.
        for key, candidate in headers.items():
            if isinstance(key, str) and key.lower() == name:
                value = candidate
                break
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if value is None or not isinstance(value, str) or value == "":
        return None
    return value


def _body_bytes(body: object) -> bytes:
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8", "surrogatepass")
    if isinstance(body, (bytearray, memoryview)):
        return bytes(body)
    if isinstance(body, (dict, list)):
        raise TypeError(
            "Webhook.verify needs the raw request body (bytes or str) exactly as received, "
            f"not a parsed {type(body).__name__}: re-serialising JSON changes the bytes and "
            "breaks the signature. In Flask use request.get_data(), in Starlette/FastAPI "
            "await request.body(), in Django request.body."
        )
    raise TypeError(f"body must be bytes or str, not {type(body).__name__}")


class Webhook:
    """Verifies deliveries signed with one or more secrets.

    Args:
        secret: ``whsec_``-prefixed base64 secret (or plain base64, or raw key bytes),
            or several of them: any may match (use both during a rotation).
        tolerance_seconds: Accepted clock difference in both directions (default 300).
        now: Clock returning unix seconds; injectable for tests (default ``time.time``).

    Raises:
        WebhookVerificationError: ``reason="invalid_secret"`` for a malformed secret.
    """

    def __init__(
        self,
        secret: str | bytes | Iterable[str | bytes],
        *,
        tolerance_seconds: int = 300,
        now: Callable[[], float] | None = None,
    ) -> None:
        secrets = [secret] if isinstance(secret, (str, bytes, bytearray)) else list(secret)
        if not secrets:
            raise WebhookVerificationError("invalid_secret", "at least one secret is required")
        self._keys = [_decode_secret(s) for s in secrets]
        self._tolerance = tolerance_seconds
        self._now = now or time.time

    def verify(self, body: bytes | str, headers: Mapping[str, Any]) -> Any:
        """Check a delivery's signature and timestamp, then parse its JSON body.

        Args:
            body: The raw request body, exactly as received.
            headers: The request headers, in any case (dict, Starlette, Flask, Django...).

        Returns:
            The parsed JSON payload (``{"type", "timestamp", "data"}`` for Hookline).

        Raises:
            WebhookVerificationError: with a ``reason``; see the class.
            TypeError: when handed a parsed object instead of the raw body.
        """
        raw = _body_bytes(body)
        self.verify_signature(raw, headers)
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise WebhookVerificationError(
                "invalid_payload", "the signature is valid but the body is not JSON"
            ) from exc

    def verify_signature(self, body: bytes | str, headers: Mapping[str, Any]) -> None:
        """Like ``verify`` but without parsing the body (for non-JSON payloads)."""
        raw = _body_bytes(body)
        msg_id = _header(headers, "webhook-id")
        timestamp = _header(headers, "webhook-timestamp")
        signatures = _header(headers, "webhook-signature")
        if msg_id is None or timestamp is None or signatures is None:
            name = (
                "webhook-id"
                if msg_id is None
                else "webhook-timestamp"
                if timestamp is None
                else "webhook-signature"
            )
            raise WebhookVerificationError("missing_header", f"missing {name} header")
        digits = timestamp[1:] if timestamp[0] == "-" else timestamp
        # isascii: str.isdigit alone accepts other scripts' digits and superscripts.
        if not (digits.isascii() and digits.isdigit()):
            raise WebhookVerificationError(
                "invalid_timestamp", "webhook-timestamp is not a base-10 integer"
            )
        sent_at = int(timestamp)
        now = int(self._now())
        if now - sent_at > self._tolerance:
            raise WebhookVerificationError("timestamp_too_old", "webhook-timestamp is too old")
        if sent_at - now > self._tolerance:
            raise WebhookVerificationError(
                "timestamp_too_new", "webhook-timestamp is too far in the future"
            )
        signed = f"{msg_id}.{timestamp}.".encode("utf-8", "surrogatepass") + raw
        computed: dict[str, list[bytes]] = {}
        for entry in signatures.split(" "):
            version, _, value = entry.partition(",")
            algorithm = _VERSIONS.get(version)
            if algorithm is None or not value:
                continue  # unknown versions are ignored
            digests = computed.get(algorithm)
            if digests is None:
                digests = computed[algorithm] = [
                    base64.b64encode(hmac.digest(key, signed, algorithm)) for key in self._keys
                ]
            candidate = value.encode("utf-8", "surrogatepass")
            for digest in digests:
                if hmac.compare_digest(digest, candidate):
                    return
        raise WebhookVerificationError("no_matching_signature", "no matching signature found")

    def sign(
        self,
        msg_id: str,
        timestamp: int,
        body: bytes | str,
        *,
        algorithm: Literal["sha256", "sha512"] = "sha256",
    ) -> str:
        """The ``webhook-signature`` value for a delivery, with the first secret.

        Returns:
            ``v1,<base64>`` for sha256, ``v1-sha512,<base64>`` for sha512.
        """
        if algorithm not in ("sha256", "sha512"):
            raise ValueError("algorithm must be 'sha256' or 'sha512'")
        signed = f"{msg_id}.{int(timestamp)}.".encode() + _body_bytes(body)
        digest = base64.b64encode(hmac.digest(self._keys[0], signed, algorithm)).decode()
        return f"{'v1' if algorithm == 'sha256' else 'v1-sha512'},{digest}"
