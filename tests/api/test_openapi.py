"""The OpenAPI document says what the API does: every route of /api/v1 is in it and nothing
more, and schemathesis calls every operation with parameters generated from the document
(a fixed number of examples, derandomised: the same cases on every run) and checks each answer
against it: no server error, a documented status, JSON of the documented shape."""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation.modes import GenerationMode

from app.api import openapi
from tests.api.conftest import bearer


def test_every_route_is_documented_and_nothing_more(app):
    routes = {rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace("<", "{")
              .replace(">", "}") for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("api_v1.") and rule.endpoint != "api_v1.openapi_document"}
    assert routes == set(openapi.document()["paths"])


def test_the_document_is_served_without_a_token(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json["openapi"].startswith("3.")


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = 15  # per operation and set of path parameters; the whole test takes seconds


def _known(world) -> dict:
    """Path parameters of objects that exist, so that the 200 answers are checked too."""
    return {"class_id": world["ky"].id, "unit_id": world["son_ky"].id,
            "certificate_code": world["code"]}


def test_the_api_does_what_its_document_says(app, world):
    # schemathesis' own pytest fixture loader (schemathesis.pytest.from_fixture) fails on
    # pytest 9 ('Function' object has no attribute '_nodeid'): each operation is driven here
    # with its Hypothesis strategy instead, as that loader would.
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    # The WSGI client does not unpack gzip (Flask-Compress answers JSON gzipped when asked).
    headers = {**bearer(world["province"]), "Accept-Encoding": "identity"}
    known = _known(world)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(openapi.document()["paths"])
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        choices = [None] + ([{n: known[n] for n in names}] if names else [])
        for path_parameters in choices:
            strategy = operation.as_strategy(GenerationMode.POSITIVE,
                                             path_parameters=path_parameters)

            @given(case=strategy)
            @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            def check(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            check()
