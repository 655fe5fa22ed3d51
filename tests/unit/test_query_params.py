"""Query parameters read by one model answer as FastAPI's own parameters did."""

from __future__ import annotations

import pytest
from fastapi.exceptions import RequestValidationError
from pydantic import Field
from starlette.requests import Request

from complaintdesk.api.query_params import QueryModel, parse_query, query_openapi


class Params(QueryModel):
    flag: list[str] = Field([], max_length=2)
    limit: int = Field(50, ge=1, le=200, description="how many")
    stage: str | None = None


def _request(query: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "query_string": query.encode(), "headers": []})


def test_repeated_parameter_fills_a_list_and_the_last_value_wins_elsewhere() -> None:
    params = parse_query(Params, _request("flag=a&flag=b&limit=3&limit=7&other=x"))
    assert params.flag == ["a", "b"]
    assert params.limit == 7
    assert params.stage is None


def test_bad_value_is_a_validation_error_located_in_the_query() -> None:
    with pytest.raises(RequestValidationError) as raised:
        parse_query(Params, _request("limit=500"))
    (error,) = raised.value.errors()
    assert error["loc"] == ("query", "limit")
    assert error["type"] == "less_than_equal"


def test_openapi_lists_every_field_as_an_optional_query_parameter() -> None:
    parameters = {p["name"]: p for p in query_openapi(Params)["parameters"]}
    assert set(parameters) == {"flag", "limit", "stage"}
    assert parameters["limit"]["in"] == "query"
    assert parameters["limit"]["required"] is False
    assert parameters["limit"]["description"] == "how many"
    assert parameters["limit"]["schema"]["maximum"] == 200
