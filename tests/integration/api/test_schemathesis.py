"""Schemathesis over the published OpenAPI document, in-process against the ASGI app, per database.

Every operation is fed schema-valid data (positive) and schema-breaking data (negative) as an admin
and as an agent; each answer must be below 500, conform to the document where it documents one (the
422 and ``4XX`` bodies are the ``Error`` schema), and every 4xx must be ``{"error": {"code",
"message", "field"}}``. Bounded: a few examples per operation, derandomised so a failure reproduces.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, CheckContext, GenerationMode, Response
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

OPENAPI = "/api/v1/openapi.json"
# Operations that would end the run's own session (its token or password); tested in test_api_auth.
SKIP = {("POST", "/api/v1/auth/logout"), ("PUT", "/api/v1/users/{username}/password")}
# Six per operation and mode keep the four runs (two roles, two databases) near a minute of the suite's
# ten; COMPLAINTDESK_FUZZ_EXAMPLES=50 fuzzes harder (the sequence is derandomised: the first six are kept).
EXAMPLES_PER_MODE = int(os.environ.get("COMPLAINTDESK_FUZZ_EXAMPLES", "6"))


def error_shape(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Every 4xx answer is the API's one error shape, never FastAPI's ``{"detail": ...}``."""
    if 400 <= response.status_code < 500:
        body = response.json()
        assert isinstance(body, dict) and set(body) == {"error"}, f"not the error shape: {body!r}"
        error = body["error"]
        assert isinstance(error.get("code"), str) and error["code"], f"no error code: {body!r}"
        assert isinstance(error.get("message"), str) and error["message"], f"no message: {body!r}"
        assert "field" in error and (error["field"] is None or isinstance(error["field"], str)), body
    return None


POSITIVE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    error_shape,
]
NEGATIVE_CHECKS = [*POSITIVE_CHECKS, negative_data_rejection]


def _current_version(client: TestClient, headers: dict[str, str], number: str) -> int | None:
    """None once the caller can no longer read it (an agent may have transferred it to another team)."""
    response = client.get(f"/api/v1/complaints/{number}", headers=headers)
    return int(response.json()["version"]) if response.status_code == 200 else None


def _run(
    client: TestClient, operation: Any, mode: GenerationMode, headers: dict[str, str], number: str
) -> None:
    positive = mode is GenerationMode.POSITIVE
    fixed = {"number": number} if positive and "{number}" in operation.path else None
    # Valid updates carry the version just read, so they get past the 428/409 guard into the service.
    versioned = fixed is not None and any(p.name == "If-Match" for p in operation.headers)
    checks = POSITIVE_CHECKS if mode is GenerationMode.POSITIVE else NEGATIVE_CHECKS

    @settings(
        max_examples=EXAMPLES_PER_MODE,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode, path_parameters=fixed))
    def run(case: Case) -> None:
        extra = dict(headers)
        version = _current_version(client, headers, number) if versioned else None
        if version is not None:
            extra["If-Match"] = f'"{version}"'
            if isinstance(case.body, dict) and "version" in case.body:
                case.body["version"] = version
        case.call_and_validate(headers=extra, checks=checks)

    try:
        run()
    except Unsatisfiable:
        # Nothing in this operation can be made invalid (no parameters, no body): nothing to send.
        if mode is GenerationMode.POSITIVE:
            raise


@pytest.mark.parametrize("username", ["root", "alice"], ids=["admin", "agent"])
def test_every_operation_answers_below_500_in_the_documented_shapes(
    client: TestClient,
    auth: Callable[[str], dict[str, str]],
    open_as: Callable[..., dict[str, Any]],
    username: str,
) -> None:
    schema = schemathesis.openapi.from_asgi(OPENAPI, client.app)
    number = open_as(username)["number"]
    headers = auth(username)
    operations = [result.ok() for result in schema.get_all_operations()]
    exercised = 0
    failures: list[str] = []
    for operation in operations:
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _run(client, operation, mode, headers, number)
            except Exception as exc:  # every operation's failure is reported together, not only the first
                failures.append(f"{operation.method.upper()} {operation.path} [{mode.value}]: {exc}")
        exercised += 1
    assert exercised >= 40, f"only {exercised} operations in the document"
    assert not failures, "\n\n".join(failures)


def test_the_document_describes_errors_in_the_error_shape(client: TestClient) -> None:
    spec = client.get(OPENAPI).json()
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    error = spec["components"]["schemas"]["Error"]["properties"]["error"]
    assert set(error["required"]) == {"code", "message", "field"}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for status in ("422", "4XX"):
                if status in operation["responses"]:
                    ref = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/Error"), (method, path, status)
