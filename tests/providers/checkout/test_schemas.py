from __future__ import annotations

import json

from simulator.providers.checkout import schemas


def test_every_schema_compiles_and_references_resolve():
    for name in schemas.names():
        validator = schemas.validator(name)
        validator.check_schema(validator.schema)
        list(validator.iter_errors({}))  # resolves the $refs it meets


def test_every_file_has_a_matching_id():
    for path in schemas.FOLDER.glob("*.json"):
        assert json.loads(path.read_text())["$id"] == path.name


def test_request_schemas_named_by_routes_exist():
    import inspect

    from simulator.providers.checkout import applicants, identity_verifications, routes

    source = "".join(inspect.getsource(m) for m in (applicants, identity_verifications, routes))
    for name in (
        "applicant.create.request",
        "applicant.update.request",
        "identity_verification.create.request",
        "identity_verification.create_and_open.request",
        "identity_verification.attempt.create.request",
    ):
        assert f'"{name}"' in source
        assert name in schemas.names()


def test_response_errors_reports_violations():
    assert schemas.response_errors("pdf_report.response", {"pdf_report": "https://a.b/r.pdf"}) == []
    assert schemas.response_errors("pdf_report.response", {"signed_url": "x"})
