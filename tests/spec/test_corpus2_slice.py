"""A fixed, fast slice of `shared/specs/corpus2` built end to end, with the outcome each must have.

The slice: every spec that failed before the fixes of issue 7 (dangling refs, a validator crash,
refs leaving the spec's folder), multi-file trees, a Swagger 2.0 provider spec, a spec the
validator cannot finish (RecursionError) and one that is not OpenAPI at all.
`scripts/corpus2.py` builds the whole corpus (minutes); this stays under a minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from apigen.diagnostics import SpecError
from apigen.pipeline import build

from .conftest import require_shared


@dataclass(frozen=True)
class Case:
    spec: str
    refused: str | None = None  # None: builds; else words of the (first) error
    warned: tuple[str, ...] = ()  # words every one of which some warning must contain
    ref_root: str | None = None  # relative to corpus2: passed as ref_root


SLICE = [
    Case(
        "oag/2_0/refAliasedPrimitiveWithValidation.yml",
        warned=("'#/definitions/StringEnum' does not resolve", "typed as Any"),
    ),
    Case(
        "oag/3_0/python-experimental/"
        "petstore-with-fake-endpoints-models-for-testing-with-http-signature.yaml",
        warned=("'#/definitions/Boolean' does not resolve", "typed as Any"),
    ),
    Case(
        "opc/documents_with_errors/missing-body-ref.yaml",
        warned=("'#/components/requestBodies/body'", "request body typed as Any"),
    ),
    Case(
        "dcg/querystring_parameter_31.yaml",
        warned=("`in: querystring` (OpenAPI 3.2) is not supported", "parameter left out"),
    ),
    Case(
        "dcg/external_relative_ref/model_b/module.openapi.yaml",
        refused="leaves the spec's folder",
    ),
    Case(
        "dcg/external_relative_ref/model_b/module.openapi.yaml",
        ref_root="dcg/external_relative_ref",
    ),
    Case(
        "dcg/reference_same_hierarchy_directory/public/entities.yaml",
        refused="pass --ref-root DIR",
    ),
    Case(
        "dcg/reference_same_hierarchy_directory/public/entities.yaml",
        ref_root="dcg/reference_same_hierarchy_directory",
    ),
    Case("dcg/invalid.yaml", refused="not an OpenAPI or Swagger document"),
    Case("oag/3_0/issue_24528/swagger.yml"),
    Case("dcg/paths_ref_with_external_schema/openapi.yaml"),
    Case("dcg/openapi_discriminated_oneof_allof_cycle.json"),
    Case("providers/slack/slack_web_openapi_v2.json"),
]


@pytest.mark.parametrize(
    "case", SLICE, ids=[c.spec + (" --ref-root" if c.ref_root else "") for c in SLICE]
)
def test_corpus2_slice(case: Case, tmp_path: Path) -> None:
    corpus = require_shared() / "corpus2"
    spec = corpus / case.spec
    out = tmp_path / "client"
    ref_root = corpus / case.ref_root if case.ref_root else None
    if case.refused is not None:
        with pytest.raises(SpecError) as info:
            build(spec, out, ref_root=ref_root)
        first = info.value.diagnostics[0]
        assert case.refused in first.message, first.format()
        assert first.file.startswith(str(corpus)) and first.pointer.startswith("#")
        assert not out.exists()
        return
    result = build(spec, out, ref_root=ref_root)
    assert (out / result.api.package / "__init__.py").is_file()
    assert not result.report.errors
    if case.warned:
        texts = [d.format() for d in result.report.warnings]
        assert any(all(w in t for w in case.warned) for t in texts), "\n".join(texts)
