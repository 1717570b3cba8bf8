"""Fuzzing every operation of /openapi.json: no input may make the server answer 5xx."""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings

EXAMPLES_PER_OPERATION = 30


def _server_errors(operation: Any) -> list[str]:
    found: list[str] = []

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        response = case.call()
        if response.status_code >= 500:
            found.append(f"{case.method} {case.formatted_path} -> {response.status_code}: "
                         f"{response.text[:200]}")

    run()
    return found


def test_no_generated_input_makes_a_server_error(web_app: FastAPI) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", web_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    errors: list[str] = []
    for operation in operations:
        errors += _server_errors(operation)
    assert errors == []
