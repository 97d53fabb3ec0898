"""The error classes agree with schema/errors.json, the source of truth."""

from __future__ import annotations

import json

import pytest

import hookline
from hookline._exceptions import class_for, error_table, is_retryable

from .conftest import REPO, SDK


def test_shipped_copy_equals_schema_errors_json() -> None:
    shipped = (SDK / "src" / "hookline" / "_generated" / "errors.json").read_text()
    assert shipped == (REPO / "schema" / "errors.json").read_text()
    assert error_table() == json.loads(shipped)


def test_every_class_exists_with_the_schema_parent() -> None:
    for name, spec in error_table()["classes"].items():
        cls = getattr(hookline, name)
        parent = spec["parent"]
        if parent is None:
            assert cls.__bases__ == (Exception,)
        else:
            assert cls.__bases__ == (getattr(hookline, parent),)


@pytest.mark.parametrize(
    "code", sorted(json.loads((REPO / "schema" / "errors.json").read_text())["codes"])
)
def test_each_code_maps_to_its_class_and_retryability(code: str) -> None:
    spec = error_table()["codes"][code]
    cls = class_for(code, spec["httpStatus"])
    assert cls.__name__ == spec["class"]
    assert is_retryable(cls("x", code=code, status=spec["httpStatus"])) is spec["retryable"]


def test_status_fallback_and_unknown_codes() -> None:
    assert class_for(None, 418) is hookline.ValidationError
    assert class_for(None, 599) is hookline.ServerError
    assert class_for("SOMETHING_NEW", 404) is hookline.NotFoundError
    assert class_for("SOMETHING_NEW", 200) is hookline.ServerError


def test_errors_keep_their_fields_and_never_show_tokens() -> None:
    error = hookline.RateLimitError(
        "slow down", code="RATE_LIMITED", status=429, request_id="req_1", retry_after=2.0,
        graphql_errors=[{"message": "slow down"}], partial_data={"x": 1},
    )  # fmt: skip
    assert (error.code, error.status, error.request_id, error.retry_after) == (
        "RATE_LIMITED", 429, "req_1", 2.0,
    )  # fmt: skip
    assert error.partial_data == {"x": 1} and str(error) == "slow down"
    assert isinstance(hookline.TimeoutError("t"), hookline.NetworkError)
