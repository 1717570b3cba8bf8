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


PROFILE_FORM: dict[str, Any] = {
    "type": "object",
    "properties": {name: {"type": "string"} for name in (
        "applicant_type", "graduation_year", "visa", "exams.step1", "exams.step2ck",
        "exams.failed_attempts", "ecfmg_certified", "usce[0].kind", "usce[0].specialty",
        "usce[0].start", "usce[0].end", "usce[0].cases", "targets[0].specialty",
        "targets[0].role", "budget_usd", "target_p_match", "_profile_json", "_what_if")}
    | {"preferences.states": {"type": "array", "items": {"type": "string"}}},
    "additionalProperties": {"type": "string"},
}
FORM_ROUTES = ("/plan", "/usce", "/profile/validate", "/profile/export", "/profile/save",
               "/profile/edit", "/plan/what-if")


def _form_operation(schema: dict[str, Any]) -> dict[str, Any]:
    return {"post": {"requestBody": {"required": True, "content": {
        "application/x-www-form-urlencoded": {"schema": schema}}},
        "responses": {"200": {"description": "a page"}}}}


def html_routes_schema() -> dict[str, Any]:
    """The HTML routes (left out of /openapi.json) described for the fuzzer."""
    paths: dict[str, Any] = {route: _form_operation(PROFILE_FORM) for route in FORM_ROUTES}
    paths["/extract"] = _form_operation({"type": "object", "required": ["text"],
                                         "properties": {"text": {"type": "string"}}})
    paths["/profile/import"] = {"post": {"requestBody": {"required": True, "content": {
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary"}}}}}},
        "responses": {"200": {"description": "the form"}}}}
    paths["/programs"] = {"get": {"parameters": [
        {"name": name, "in": "query", "schema": {"type": "string"}} for name in (
            "specialty", "state", "visa", "type", "min_img_share", "min_positions",
            "max_positions", "page")], "responses": {"200": {"description": "a page"}}}}
    paths["/programs/{program_id}"] = {"get": {"parameters": [
        {"name": "program_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "a page"}}}}
    paths["/p/{token}/delete"] = {"post": {"parameters": [
        {"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}],
        "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
            "type": "object", "properties": {"owner_key": {"type": "string"}}}}}},
        "responses": {"200": {"description": "a page"}}}}
    return {"openapi": "3.0.3", "info": {"title": "SmartPick pages", "version": "1"},
            "paths": paths}


def test_no_generated_form_makes_a_page_answer_5xx(web_app: FastAPI) -> None:
    schema = schemathesis.openapi.from_dict(html_routes_schema())
    schema.app = web_app
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(FORM_ROUTES) + 5
    errors: list[str] = []
    for operation in operations:
        errors += _server_errors(operation)
    assert errors == []
