"""The base classes ariadne-codegen's generated clients inherit from.

ariadne-codegen copies this file into each generated package (``_generated/sync``
and ``_generated/aio``) and makes the generated ``Client`` subclass ``BaseClient``
or ``AsyncBaseClient``. It stays thin on purpose: the attempt loop (retry, tokens,
idempotency, deadlines, error classification) lives in ``hookline._transport``, so
this copy never needs to change when that logic does.

``execute`` returns the response's ``data`` object, already checked for errors by
the transport, and ``get_data`` hands it on unchanged.
"""

from __future__ import annotations

import enum
from typing import Any

from pydantic import BaseModel as PydanticBaseModel
from pydantic_core import to_jsonable_python

from hookline._transport import AsyncTransport, SyncTransport


def _is_unset(value: Any) -> bool:
    # Each generated package defines its own UnsetType; recognise any of them.
    return type(value).__name__ == "UnsetType"


def _to_json(value: Any) -> Any:
    if isinstance(value, PydanticBaseModel):
        return value.model_dump(by_alias=True, exclude_unset=True, mode="json")
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_to_json(item) for item in value]
    if isinstance(value, dict):
        return {key: _to_json(item) for key, item in value.items() if not _is_unset(item)}
    return value


def _variables(variables: dict[str, Any] | None) -> dict[str, Any]:
    # to_jsonable_python turns what json cannot encode (datetime, UUID, Decimal...) in
    # user payloads into its JSON form.
    converted = {
        key: _to_json(value) for key, value in (variables or {}).items() if not _is_unset(value)
    }
    result: dict[str, Any] = to_jsonable_python(converted)
    return result


def _is_mutation(query: str) -> bool:
    return query.lstrip().startswith("mutation")


class BaseClient:
    """Sends generated operations through a ``SyncTransport``."""

    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    def execute(
        self,
        query: str,
        operation_name: str | None = None,
        variables: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        return self._transport.request(
            operation_name=operation_name or "",
            query=query,
            variables=_variables(variables),
            is_mutation=_is_mutation(query),
            idempotency_key=kwargs.get("idempotency_key"),
            deadline=kwargs.get("deadline"),
        )

    def get_data(self, response: dict[str, Any]) -> dict[str, Any]:
        return response


class AsyncBaseClient:
    """Sends generated operations through an ``AsyncTransport``."""

    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    async def execute(
        self,
        query: str,
        operation_name: str | None = None,
        variables: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        return await self._transport.request(
            operation_name=operation_name or "",
            query=query,
            variables=_variables(variables),
            is_mutation=_is_mutation(query),
            idempotency_key=kwargs.get("idempotency_key"),
            deadline=kwargs.get("deadline"),
        )

    def get_data(self, response: dict[str, Any]) -> dict[str, Any]:
        return response
