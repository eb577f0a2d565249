"""Property-based run of the whole OpenAPI with Schemathesis: no input, valid or not, from
an applicant or a reviewer, may produce a 5xx."""

from __future__ import annotations

import warnings

from e2e_support import Demo
from hypothesis import HealthCheck, given, settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis

MAX_EXAMPLES = 20


def _run(operation: object, who: str, headers: dict[str, str], failures: list[str]) -> None:
    @given(case=operation.as_strategy())  # type: ignore[attr-defined]
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case: object) -> None:
        response = case.call(headers=headers)  # type: ignore[attr-defined]
        if response.status_code >= 500:
            failures.append(f"{who} {case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}")  # type: ignore[attr-defined]

    run()


def test_no_server_errors_for_any_generated_input(demo: Demo) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", demo.client.app)
    identities = {"applicant": demo.headers(demo.founder), "reviewer": demo.headers("reviewer.market.jinan"), "anonymous": {}}
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for who, headers in identities.items():
            _run(operation, who, headers, failures)
    assert operations >= 15
    assert not failures, "\n".join(failures[:20])
