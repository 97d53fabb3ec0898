"""Helpers shared by the sync and async resources."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pydantic

from .._exceptions import ServerError

M = TypeVar("M", bound=pydantic.BaseModel)
T = TypeVar("T")

__all__ = [
    "NOT_GIVEN",
    "call_options",
    "convert",
    "convert_list",
    "given",
    "guard",
    "guard_async",
    "present",
]


def call_options(
    *, idempotency_key: str | None = None, deadline: float | None = None
) -> dict[str, Any]:
    """Per-call options forwarded through the generated client to the transport."""
    options: dict[str, Any] = {}
    if idempotency_key is not None:
        options["idempotency_key"] = idempotency_key
    if deadline is not None:
        options["deadline"] = deadline
    return options


def _invalid(exc: pydantic.ValidationError) -> ServerError:
    error = ServerError(
        f"the server's answer does not match the schema: {exc.error_count()} error(s)"
    )
    error.__cause__ = exc
    return error


def guard(run: Callable[[], T]) -> T:
    """Run a generated call; a response that fails model validation is a ServerError."""
    try:
        return run()
    except pydantic.ValidationError as exc:
        raise _invalid(exc) from exc


async def guard_async(run: Callable[[], Awaitable[T]]) -> T:
    """``guard`` for coroutines."""
    try:
        return await run()
    except pydantic.ValidationError as exc:
        raise _invalid(exc) from exc


def convert(model: type[M], value: pydantic.BaseModel) -> M:
    """Re-type an async-flavour model as the shared public model class."""
    try:
        return model.model_validate(value.model_dump(by_alias=True, exclude_unset=True))
    except pydantic.ValidationError as exc:
        raise _invalid(exc) from exc


def convert_list(model: type[M], values: list[Any]) -> list[M]:
    """``convert`` for every element of a list."""
    return [convert(model, v) for v in values]


def given(**fields: Any) -> dict[str, Any]:
    """Only the keyword arguments that were actually passed (not the NOT_GIVEN default)."""
    return {k: v for k, v in fields.items() if v is not NOT_GIVEN}


class _NotGiven:
    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> bool:
        return False


NOT_GIVEN: Any = _NotGiven()
"""Default of update arguments: leaving one out leaves the field unchanged (``None`` clears it)."""


def present(**fields: Any) -> dict[str, Any]:
    """Only the keyword arguments that are not None (None means "use the server's default")."""
    return {k: v for k, v in fields.items() if v is not None}
