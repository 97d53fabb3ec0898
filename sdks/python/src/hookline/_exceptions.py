"""The client's error classes and how a response maps to one.

The mapping (code to class, HTTP status fallback, what is retryable) is not written
here: it is read from ``_generated/errors.json``, a build-time copy of
``schema/errors.json``, so every SDK classifies from the same table.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = [
    "AuthenticationError",
    "HooklineError",
    "NetworkError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "TimeoutError",
    "ValidationError",
]


class HooklineError(Exception):
    """Base of every error the Hookline client raises.

    Attributes:
        message: Human-readable description (never contains a token or secret).
        code: ``extensions.code`` of the first GraphQL error, if any.
        status: HTTP status of the (last) response, if one arrived.
        request_id: ``x-request-id`` of the (last) response, if any.
        graphql_errors: Every GraphQL error of the response, as JSON objects.
        partial_data: ``data`` that came back together with the errors, if any.
        retry_after: Seconds the server asked to wait (``Retry-After``), if given.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        request_id: str | None = None,
        graphql_errors: list[dict[str, Any]] | None = None,
        partial_data: Any = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.request_id = request_id
        self.graphql_errors: list[dict[str, Any]] = graphql_errors or []
        self.partial_data = partial_data
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, code={self.code!r}, "
            f"status={self.status!r}, request_id={self.request_id!r})"
        )


class ValidationError(HooklineError):
    """The request was refused as invalid (bad input, invalid document, conflict)."""


class AuthenticationError(HooklineError):
    """The bearer token is missing, expired or invalid (HTTP 401)."""


class PermissionDeniedError(HooklineError):
    """The caller's role may not perform this operation (HTTP 403)."""


class NotFoundError(HooklineError):
    """The object does not exist or belongs to someone else."""


class RateLimitError(HooklineError):
    """Too many requests; ``retry_after`` says how many seconds to wait, if known."""


class ServerError(HooklineError):
    """The server failed unexpectedly (HTTP 5xx or ``INTERNAL_SERVER_ERROR``)."""


class NetworkError(HooklineError):
    """No usable HTTP response: connection refused or reset, DNS failure, and so on."""


class TimeoutError(NetworkError):
    """An attempt exceeded its timeout, or the whole call exceeded its deadline."""


_CLASSES: dict[str, type[HooklineError]] = {
    cls.__name__: cls
    for cls in (
        HooklineError,
        ValidationError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        RateLimitError,
        ServerError,
        NetworkError,
        TimeoutError,
    )
}


@lru_cache(maxsize=1)
def error_table() -> dict[str, Any]:
    """The parsed copy of ``schema/errors.json`` shipped inside the package."""
    text = resources.files("hookline._generated").joinpath("errors.json").read_text("utf-8")
    table: dict[str, Any] = json.loads(text)
    return table


def class_for(code: str | None, status: int | None) -> type[HooklineError]:
    """The error class for an ``extensions.code`` (first) or HTTP status (second)."""
    table = error_table()
    if code is not None and code in table["codes"]:
        return _CLASSES[table["codes"][code]["class"]]
    fallback: dict[str, str] = table["statusFallback"]
    if status is not None and not 200 <= status < 300:
        if str(status) in fallback:
            return _CLASSES[fallback[str(status)]]
        if status >= 500:
            return _CLASSES[fallback["5xx"]]
        if status >= 400:
            return _CLASSES[fallback["other4xx"]]
    # GraphQL errors in a 2xx answer with no code we know: the server failed to
    # say what went wrong, which is its fault rather than the caller's.
    return ServerError


def is_retryable(error: HooklineError) -> bool:
    """Whether a failed attempt may be retried (network, timeouts, listed statuses, codes)."""
    if isinstance(error, NetworkError):
        return True
    table = error_table()
    if error.code is not None and error.code in table["codes"]:
        return bool(table["codes"][error.code]["retryable"])
    return error.status is not None and error.status in table["retryableStatuses"]
