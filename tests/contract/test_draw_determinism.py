"""Cases drawn for an operation depend on the spec and the seed alone. Hypothesis (6.13x+)
mixes literals of every loaded non-site-packages module into its draws: apigen's own, the
runtime's, the client's modules as operations import them; one seed drew other cases per
apigen version and per the operations run before (helper 230: `'_alt'`, a literal of apigen's
source, as a path value; 1 failing case of an operation in a full run, 10 with `--operation`)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from hypothesis.internal.conjecture import providers

from apigen.contract.cases import CaseSource, _spec_constants_only


def test_no_local_literal_reaches_a_draw(tmp_path: Path) -> None:
    (tmp_path / "many_literals.py").write_text("WORDS = ['zz-local-literal-1', 'zz-local-2']\n")
    sys.path.insert(0, str(tmp_path))
    try:
        importlib.import_module("many_literals")
        assert "zz-local-literal-1" in providers._get_local_constants().set_for_type("string")
        with _spec_constants_only():
            assert len(providers._get_local_constants()) == 0
        assert "zz-local-literal-1" in providers._get_local_constants().set_for_type("string")
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("many_literals", None)


def test_a_seed_draws_the_same_cases_whatever_was_loaded_before(tmp_path: Path) -> None:
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a/{p}": {
                "get": {
                    "operationId": "a",
                    "parameters": [
                        {"name": "p", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    first = [c.path for c in CaseSource(doc).draw("get", "/a/{p}", 25, 7)]
    (tmp_path / "more_literals.py").write_text(
        "\n".join(f"W{i} = 'zz-more-{i}'" for i in range(200)) + "\n"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        importlib.import_module("more_literals")
        again = [c.path for c in CaseSource(doc).draw("get", "/a/{p}", 25, 7)]
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("more_literals", None)
    assert again == first and not [v for v in again if "zz-more" in str(v)]
