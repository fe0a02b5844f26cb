"""The contract runner on tests/fixtures/contract-edges-31.yaml: OpenAPI 3.1 shapes the sandbox
once answered wrongly (a pattern none of its plain strings match, a draft-04 boolean bound, a
required writeOnly property in a response), and runner messages for what only 3.1 allows."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigen.contract import ContractConfig, ContractError, RunReport, run_contract
from tests.builds import build_into
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
SPEC = FIXTURES / "contract-edges-31.yaml"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> RunReport:
    out: Path = tmp_path_factory.mktemp("edges31") / "edges31"
    build_into(SPEC, out)
    return run_contract(ContractConfig(out, spec=SPEC, max_examples=5))


def _checks(report: RunReport, operation_id: str) -> set[tuple[str, str]]:
    (op,) = [o for o in report.operations if o.operation_id == operation_id]
    assert op.cases > 0 and not op.skipped
    return {(f.klass, f.check) for f in op.failures}


def test_no_client_or_sandbox_failure(report: RunReport) -> None:
    bad = [f for op in report.operations for f in op.failures if f.klass != "spec"]
    assert not bad, "\n".join(f"{f.operation_id} [{f.klass}/{f.check}] {f.message}" for f in bad)


@pytest.mark.parametrize("operation_id", ["listKeys", "getNumbers", "createPayment", "postMtls"])
def test_passes(report: RunReport, operation_id: str) -> None:
    # response strings built from their patterns; `exclusiveMaximum: true` read the draft-04
    # way in a 3.1 document; a required writeOnly property left out of the response; a
    # mutualTLS requirement (nothing to send in HTTP). `source`'s Card member has no `type`:
    # a drawn list is valid there, and the TypedDict the argument is converted to (since the
    # contract resolves TYPE_CHECKING imports) refuses it: the spec's
    assert _checks(report, operation_id) <= {("spec", "untyped_schema")}


@pytest.mark.parametrize(
    ("operation_id", "check"),
    [
        ("postPhoto", "binary_in_json"),  # `format: binary` in JSON: drawn octets, not text
        ("postLoose", "untyped_schema"),  # `items` without `type`: null is valid there
        ("postImport", "untyped_schema"),  # the same inside a model: `additionalProperties`
        ("postSearches", "untyped_schema"),  # the same for the items of a whole body
        ("postBoth", "security_requirement"),  # basic AND bearer: one Authorization header
    ],
)
def test_the_spec_s_own_impossibility(report: RunReport, operation_id: str, check: str) -> None:
    assert ("spec", check) in _checks(report, operation_id)


def test_no_documented_response_is_the_spec_s(report: RunReport) -> None:
    assert _checks(report, "getSilent") == {("spec", "status_code_conformance")}


def test_a_webhooks_only_spec_says_so(tmp_path: Path) -> None:
    spec = FIXTURES / "webhooks-only.yaml"
    build_into(spec, tmp_path / "hooks")
    with pytest.raises(ContractError, match="only webhooks"):
        run_contract(ContractConfig(tmp_path / "hooks", spec=spec, max_examples=1))
