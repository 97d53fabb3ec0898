"""One GraphQL call over httpx with retry, idempotency keys, tokens and deadlines.

``SyncTransport`` and ``AsyncTransport`` run the same attempt loop; everything that
does not wait or do I/O (headers, response classification, backoff) is shared.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from ._exceptions import (
    AuthenticationError,
    HooklineError,
    NetworkError,
    ServerError,
    TimeoutError,
    class_for,
    is_retryable,
)
from ._logging import configure_from_env, logger, redact_headers, redact_text
from ._tokens import AsyncTokenCache, SyncTokenCache
from ._version import __version__

__all__ = ["AsyncTransport", "ClientOptions", "SyncTransport"]

USER_AGENT = f"hookline-python/{__version__}"

# Module-level so tests can record backoff waits instead of sleeping.
_sleep = time.sleep
_async_sleep = asyncio.sleep


@dataclass(frozen=True)
class ClientOptions:
    """Settings shared by ``Hookline`` and ``AsyncHookline`` (times in seconds)."""

    base_url: str
    max_retries: int = 2
    initial_retry_delay: float = 0.5
    max_retry_delay: float = 8.0
    max_retry_after: float = 60.0
    timeout: float = 30.0
    deadline: float | None = None
    idempotent_mutations: bool = True
    headers: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if self.timeout <= 0:
            raise ValueError("timeout must be > 0")
        if self.deadline is not None and self.deadline <= 0:
            raise ValueError("deadline must be > 0")


@dataclass
class _Call:
    """The state of one logical call across its attempts."""

    operation_name: str
    body: bytes
    idempotency_key: str | None
    may_retry: bool
    deadline_at: float | None
    retries: int = 0
    refreshed: bool = False


class _DeadlineExceeded(TimeoutError):
    """A TimeoutError caused by the overall deadline: never retried."""


def _remaining(call: _Call) -> float | None:
    return None if call.deadline_at is None else call.deadline_at - time.monotonic()


def _deadline_error(call: _Call, cause: BaseException | None = None) -> TimeoutError:
    error = _DeadlineExceeded(f"{call.operation_name}: overall deadline exceeded")
    error.__cause__ = cause
    return error


def _new_call(
    options: ClientOptions,
    *,
    operation_name: str,
    query: str,
    variables: Mapping[str, Any],
    is_mutation: bool,
    idempotency_key: str | None,
    deadline: float | None,
) -> _Call:
    configure_from_env()
    key = idempotency_key
    if key is None and is_mutation and options.idempotent_mutations:
        key = str(uuid.uuid4())
    body = json.dumps(
        {"query": query, "operationName": operation_name, "variables": dict(variables)},
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    deadline = options.deadline if deadline is None else deadline
    return _Call(
        operation_name=operation_name,
        body=body,
        idempotency_key=key,
        may_retry=not is_mutation or key is not None,
        deadline_at=None if deadline is None else time.monotonic() + deadline,
    )


def _headers(options: ClientOptions, call: _Call, token: str | None) -> dict[str, str]:
    headers = {
        "content-type": "application/json",
        "accept": "application/graphql-response+json, application/json",
        "user-agent": USER_AGENT,
        **options.headers,
    }
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    if call.idempotency_key is not None:
        headers["idempotency-key"] = call.idempotency_key
    return headers


def _attempt_timeout(options: ClientOptions, call: _Call) -> tuple[float, bool]:
    """This attempt's timeout, and whether the deadline (not ``timeout``) bounds it."""
    remaining = _remaining(call)
    if remaining is not None and remaining < options.timeout:
        return max(remaining, 0.001), True
    return options.timeout, False


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta seconds or an HTTP date)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    return max(seconds, 0.0)


def error_from_response(
    response: httpx.Response, operation_name: str
) -> tuple[dict[str, Any] | None, HooklineError | None]:
    """The root ``data`` of a response, or the error it stands for."""
    status = response.status_code
    request_id = response.headers.get("x-request-id")
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    try:
        payload = response.json()
    except (ValueError, UnicodeDecodeError):
        payload = None
    errors: list[dict[str, Any]] = []
    data: Any = None
    if isinstance(payload, dict):
        raw_errors = payload.get("errors")
        if isinstance(raw_errors, list):
            errors = [e if isinstance(e, dict) else {"message": str(e)} for e in raw_errors]
        data = payload.get("data")
    ok_status = 200 <= status < 300
    if ok_status and not errors:
        if isinstance(data, dict):
            return data, None
        return None, ServerError(
            f"{operation_name}: the server answered HTTP {status} without GraphQL data",
            status=status,
            request_id=request_id,
        )
    code: str | None = None
    message = f"{operation_name}: HTTP {status}"
    if errors:
        extensions = errors[0].get("extensions")
        if isinstance(extensions, dict) and isinstance(extensions.get("code"), str):
            code = extensions["code"]
        if isinstance(errors[0].get("message"), str):
            message = f"{operation_name}: {errors[0]['message']}"
    cls = class_for(code, None if ok_status else status)
    error = cls(
        message,
        code=code,
        status=status,
        request_id=request_id,
        graphql_errors=errors,
        partial_data=data,
        retry_after=retry_after,
    )
    return None, error


def _transport_error(call: _Call, exc: httpx.HTTPError, deadline_bound: bool) -> HooklineError:
    if isinstance(exc, httpx.TimeoutException):
        if deadline_bound:
            return _deadline_error(call, exc)
        error: HooklineError = TimeoutError(f"{call.operation_name}: attempt timed out")
    else:
        error = NetworkError(
            f"{call.operation_name}: {type(exc).__name__}: {redact_text(str(exc))}"
        )
    error.__cause__ = exc
    return error


def _next_delay(options: ClientOptions, call: _Call, error: HooklineError) -> float | None:
    """Seconds to wait before retrying after ``error``, or None to raise it now."""
    if isinstance(error, _DeadlineExceeded) or not call.may_retry:
        return None
    if call.retries >= options.max_retries or not is_retryable(error):
        return None
    if error.retry_after is not None:
        if error.retry_after > options.max_retry_after:
            return None
        return error.retry_after
    base = options.initial_retry_delay * float(2**call.retries)
    jittered = base * random.uniform(0.75, 1.25)  # noqa: S311 - jitter, not crypto
    return min(jittered, options.max_retry_delay)


def _should_refresh(call: _Call, error: HooklineError, has_provider: bool) -> bool:
    return isinstance(error, AuthenticationError) and has_provider and not call.refreshed


def _log_attempt(call: _Call, headers: dict[str, str]) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "request op=%s attempt=%d headers=%s",
            call.operation_name,
            call.retries + 1,
            redact_headers(headers),
        )


def _log_failure(call: _Call, error: HooklineError, delay: float | None) -> None:
    if delay is None:
        logger.info(
            "failed op=%s class=%s status=%s code=%s request_id=%s",
            call.operation_name,
            type(error).__name__,
            error.status,
            error.code,
            error.request_id,
        )
    else:
        logger.info(
            "retrying op=%s in %.3fs after class=%s status=%s request_id=%s",
            call.operation_name,
            delay,
            type(error).__name__,
            error.status,
            error.request_id,
        )


def _finish(error: HooklineError) -> HooklineError:
    """The error to raise: a deadline error reads as a plain TimeoutError."""
    if isinstance(error, _DeadlineExceeded):
        plain = TimeoutError(error.message)
        plain.__cause__ = error.__cause__
        return plain
    return error


class SyncTransport:
    """The blocking attempt loop used by ``Hookline``."""

    def __init__(
        self,
        options: ClientOptions,
        tokens: SyncTokenCache,
        http_client: httpx.Client | None = None,
    ) -> None:
        self.options = options
        self.tokens = tokens
        self._owns_client = http_client is None
        self.http = http_client if http_client is not None else httpx.Client()

    def close(self) -> None:
        if self._owns_client:
            self.http.close()

    def request(
        self,
        *,
        operation_name: str,
        query: str,
        variables: Mapping[str, Any],
        is_mutation: bool,
        idempotency_key: str | None = None,
        deadline: float | None = None,
    ) -> dict[str, Any]:
        call = _new_call(
            self.options,
            operation_name=operation_name,
            query=query,
            variables=variables,
            is_mutation=is_mutation,
            idempotency_key=idempotency_key,
            deadline=deadline,
        )
        while True:
            remaining = _remaining(call)
            if remaining is not None and remaining <= 0:
                raise _finish(_deadline_error(call))
            token = self.tokens.get()
            headers = _headers(self.options, call, token)
            timeout, deadline_bound = _attempt_timeout(self.options, call)
            _log_attempt(call, headers)
            data: dict[str, Any] | None = None
            error: HooklineError | None
            try:
                response = self.http.post(
                    self.options.base_url,
                    content=call.body,
                    headers=headers,
                    timeout=timeout,
                )
            except httpx.HTTPError as exc:
                error = _transport_error(call, exc, deadline_bound)
            else:
                data, error = error_from_response(response, operation_name)
            if error is None and data is not None:
                return data
            assert error is not None
            if _should_refresh(call, error, self.tokens.has_provider):
                call.refreshed = True
                self.tokens.invalidate(token)
                logger.info("op=%s got 401; refreshing the token once", operation_name)
                continue
            delay = _next_delay(self.options, call, error)
            _log_failure(call, error, delay)
            if delay is None:
                raise _finish(error)
            remaining = _remaining(call)
            if remaining is not None and delay >= remaining:
                # Waiting would outlive the deadline: fail now rather than sleep for nothing.
                raise _finish(_deadline_error(call, error))
            _sleep(delay)
            call.retries += 1


class AsyncTransport:
    """The asyncio attempt loop used by ``AsyncHookline``."""

    def __init__(
        self,
        options: ClientOptions,
        tokens: AsyncTokenCache,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self.options = options
        self.tokens = tokens
        self._owns_client = http_client is None
        self.http = http_client if http_client is not None else httpx.AsyncClient()

    async def close(self) -> None:
        if self._owns_client:
            await self.http.aclose()

    async def request(
        self,
        *,
        operation_name: str,
        query: str,
        variables: Mapping[str, Any],
        is_mutation: bool,
        idempotency_key: str | None = None,
        deadline: float | None = None,
    ) -> dict[str, Any]:
        call = _new_call(
            self.options,
            operation_name=operation_name,
            query=query,
            variables=variables,
            is_mutation=is_mutation,
            idempotency_key=idempotency_key,
            deadline=deadline,
        )
        while True:
            remaining = _remaining(call)
            if remaining is not None and remaining <= 0:
                raise _finish(_deadline_error(call))
            token = await self.tokens.get()
            headers = _headers(self.options, call, token)
            timeout, deadline_bound = _attempt_timeout(self.options, call)
            _log_attempt(call, headers)
            data: dict[str, Any] | None = None
            error: HooklineError | None
            try:
                # httpx's timeout is per phase (connect, read, ...); wait_for makes
                # it bound the whole attempt, as the contract says.
                response = await asyncio.wait_for(
                    self.http.post(
                        self.options.base_url,
                        content=call.body,
                        headers=headers,
                        timeout=timeout,
                    ),
                    timeout=timeout + 0.05,
                )
            except (httpx.HTTPError, asyncio.TimeoutError) as exc:
                wrapped = (
                    httpx.ReadTimeout("attempt timed out")
                    if isinstance(exc, asyncio.TimeoutError)
                    else exc
                )
                error = _transport_error(call, wrapped, deadline_bound)
            else:
                data, error = error_from_response(response, operation_name)
            if error is None and data is not None:
                return data
            assert error is not None
            if _should_refresh(call, error, self.tokens.has_provider):
                call.refreshed = True
                self.tokens.invalidate(token)
                logger.info("op=%s got 401; refreshing the token once", operation_name)
                continue
            delay = _next_delay(self.options, call, error)
            _log_failure(call, error, delay)
            if delay is None:
                raise _finish(error)
            remaining = _remaining(call)
            if remaining is not None and delay >= remaining:
                raise _finish(_deadline_error(call, error))
            await _async_sleep(delay)
            call.retries += 1
