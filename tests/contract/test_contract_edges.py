"""The contract runner on tests/fixtures/contract-edges.yaml: shapes found by running it on specs
beyond petstore, Stripe and GitHub (features/, APIs.guru), each once a false client failure or a
real client bug. Every one now passes, or is classed spec for the spec's own fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigen.contract import ContractConfig, RunReport, run_contract
from tests.builds import build_into
from tests.conftest import ROOT

SPEC = ROOT / "tests" / "fixtures" / "contract-edges.yaml"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> RunReport:
    out: Path = tmp_path_factory.mktemp("edges") / "edges"
    build_into(SPEC, out)
    return run_contract(ContractConfig(out, spec=SPEC, max_examples=5))


def _checks(report: RunReport, operation_id: str) -> set[tuple[str, str]]:
    (op,) = [o for o in report.operations if o.operation_id == operation_id]
    assert op.cases > 0 and not op.skipped
    return {(f.klass, f.check) for f in op.failures}


def test_no_client_or_sandbox_failure(report: RunReport) -> None:
    bad = [f for op in report.operations for f in op.failures if f.klass != "spec"]
    assert not bad, "\n".join(f"{f.operation_id} [{f.klass}/{f.check}] {f.message}" for f in bad)


def test_an_optional_body_can_be_left_out(report: RunReport) -> None:
    # `client_id` is required by the schema of an optional body: not a required argument
    assert _checks(report, "createToken") <= {("spec", "form_key")}


def test_a_required_multipart_body_with_optional_fields_and_file_arrays(
    report: RunReport,
) -> None:
    assert _checks(report, "upload") <= {("spec", "form_key")}


def test_only_error_responses_declared_is_the_spec_s(report: RunReport) -> None:
    assert _checks(report, "getLegacy") == {("spec", "no_success_response")}


@pytest.mark.parametrize(
    "operation_id",
    ["listKeyed", "undefinedScheme", "getThing", "putLoose", "addDroplets", "listRules"],
)
def test_passes(report: RunReport, operation_id: str) -> None:
    # query credential and `page[offset]`; a scheme nobody defined; uuid path values that
    # '.', '..' and '' are not; a required property without a definition (via extra_body);
    # a `required` beside a 3.0 $ref (ignored); oneOf variants told apart by a discriminator only
    assert _checks(report, operation_id) == set()


def test_a_non_object_body_for_an_untyped_schema_is_the_spec_s(report: RunReport) -> None:
    assert _checks(report, "postUntyped") <= {("spec", "untyped_schema")}


def test_the_refusal_of_an_empty_required_query_value_is_the_spec_s(report: RunReport) -> None:
    assert _checks(report, "search") == {
        ("spec", "empty_query_value"),
        ("spec", "status_code_conformance"),
    }


def test_content_documented_for_a_204_is_the_spec_s(report: RunReport) -> None:
    checks = _checks(report, "removeMember")
    assert checks and {klass for klass, _ in checks} == {"spec"}


def test_an_empty_value_for_a_typed_allow_empty_parameter_is_the_spec_s(
    report: RunReport,
) -> None:
    assert _checks(report, "getPretty") == {("spec", "empty_value_typed")}


def test_a_one_of_no_value_satisfies_is_the_spec_s(report: RunReport) -> None:
    assert _checks(report, "getOffering") == {("spec", "response_schema_conformance")}
    (op,) = [o for o in report.operations if o.operation_id == "getOffering"]
    assert all("admits no valid value" in f.message for f in op.failures)
