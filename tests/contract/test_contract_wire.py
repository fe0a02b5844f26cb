"""The contract runner on tests/fixtures/contract-wire.yaml: request encodings the sweeps of
TomTom search, Discourse and multipart specs reported as client or sandbox failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigen.contract import ContractConfig, RunReport, run_contract
from tests.builds import build_into
from tests.conftest import ROOT

SPEC = ROOT / "tests" / "fixtures" / "contract-wire.yaml"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> RunReport:
    out: Path = tmp_path_factory.mktemp("wire") / "wire"
    build_into(SPEC, out)
    return run_contract(ContractConfig(out, spec=SPEC, max_examples=10, seed=0))


def _failures(report: RunReport, operation_id: str) -> list[str]:
    (op,) = [o for o in report.operations if o.operation_id == operation_id]
    assert op.cases > 0 and not op.skipped
    return [f"{f.klass} {f.check}: {f.message}" for f in op.failures if f.klass != "spec"]


def test_values_holding_the_separator_stay_in_their_place(report: RunReport) -> None:
    # `query='a.b'` went as `a.b.json`, which reads back as query 'a', ext 'b.json'; a boolean
    # `enum: [true]` query value drawn as 'true' did not map onto `Literal[True]`
    assert _failures(report, "search") == []


def test_a_null_a_query_cannot_spell_is_the_spec_s(report: RunReport) -> None:
    # drawn as the text 'null': it did not map onto the argument's None (a client failure),
    # and a required nullable parameter or a null array item left out was "missing"
    assert _failures(report, "nulls") == []
    (op,) = [o for o in report.operations if o.operation_id == "nulls"]
    assert any("null" in f.message for f in op.failures if f.klass == "spec")


def test_negative_numbers_around_a_dash(report: RunReport) -> None:
    assert _failures(report, "range") == []


def test_multipart_objects_are_json_parts(report: RunReport) -> None:
    # objects were exploded into form fields when `encoding` gave a form style, and their JSON
    # parts had no Content-Type; a repeated JSON part was read back as the last one only
    assert _failures(report, "upload") == []


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_a_pattern_re_cannot_compile_is_left_unchecked(version: str) -> None:
    # AWS IoT: `[^\p{C}]+`, `[\p{Graph}\x20]*` (Java/ECMA classes): every body was reported as
    # "schema not usable: bad escape \p", a client failure
    from apigen.contract.spec import SpecView

    view = SpecView({"openapi": version})
    unicode_class = {
        "type": "object",
        "properties": {"a": {"type": "string", "pattern": r"[^\p{C}]+"}},
    }
    assert view.errors(unicode_class, {"a": "any text"}) == []
    assert view.errors(unicode_class, {"a": 3}) != []  # the rest of the schema still holds
    assert view.errors({"type": "string", "pattern": "^a+$"}, "b") != []


def test_a_header_value_http_cannot_carry_is_the_spec_s(report: RunReport) -> None:
    # schemathesis draws 'üüü...' for a plain string header; the runtime refuses non-ASCII
    # header values before sending (a ValueError naming the header): not a client bug
    (op,) = [o for o in report.operations if o.operation_id == "uploadDigest"]
    assert op.cases > 0
    assert {(f.klass, f.check) for f in op.failures} <= {("spec", "unsendable_header")}
