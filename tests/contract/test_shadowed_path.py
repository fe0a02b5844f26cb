"""A drawn path value that spells another operation's path is the spec's ambiguity.

A helper's regression sweep: rubrik's `/exclusion_pattern/{id}` drew `id='bulk'`, and the
request went to its concrete `/exclusion_pattern/bulk` (concrete paths win, in our sandbox as
in servers): the answer was another operation's, filed as the sandbox's fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigen.contract.runner import SHADOWED_PATH
from tests.builds import contract_of

_BODY = {"type": "object", "properties": {"pattern": {"type": "string"}}}
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "shadow", "version": "1"},
    "paths": {
        "/patterns/bulk": {
            "post": {
                "operationId": "bulkUpdatePatterns",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"type": "array", "items": _BODY}}},
                },
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/patterns/{id}": {
            "post": {
                "operationId": "updatePattern",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": ["bulk", "p1"]},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _BODY}},
                },
                "responses": {"200": {"description": "ok"}},
            }
        },
    },
}


@pytest.mark.slow
def test_a_value_spelling_a_concrete_path_is_the_spec_s(tmp_path: Path) -> None:
    report = contract_of(tmp_path, SPEC, "shadowed")
    failures = [f for op in report.operations for f in op.failures]
    assert not [f for f in failures if f.klass != "spec"], failures
    shadowed = [f for f in failures if f.check == "path_shadowed"]
    assert shadowed and shadowed[0].message.startswith(SHADOWED_PATH)
    assert "'/patterns/bulk'" in shadowed[0].message


def test_a_value_the_client_must_refuse_is_checked_even_where_it_spells_another_path(
    tmp_path: Path,
) -> None:
    """A helper's sweep: for `id=''` on `/things/{id}` beside `/things/`, the shadow check ran
    first and filed the case as the spec's, so the client's refusal was never checked: a client
    sending `/things/` (another endpoint) passed. The refusal is checked first now; a runtime
    that stops refusing is the client's failure."""
    import json

    from apigen.contract import ContractConfig, run_contract
    from tests.builds import build_into

    ok = {"200": {"description": "ok"}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things/": {"get": {"operationId": "listThings", "responses": ok}},
            "/things/{id}": {
                "get": {
                    "operationId": "getThing",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": ok,
                }
            },
        },
    }
    path = tmp_path / "refusal.json"
    path.write_text(json.dumps(spec))
    out = tmp_path / "refusal"
    build_into(path, out, name="refusal")
    config = ContractConfig(out, spec=path, max_examples=3, seed=0, operations=("getThing",))
    report = run_contract(config)
    failures = [f for op in report.operations for f in op.failures]
    assert not [
        f for f in failures if f.check == "path_shadowed" and "is refused" in (f.case or "")
    ]
    assert not [f for f in failures if f.klass == "client"], failures
    request = out / "refusal" / "_runtime" / "_request.py"  # a runtime that stops refusing
    dots = '_DOT_SEGMENTS = frozenset({"", ".", ".."})'
    assert dots in request.read_text()
    request.write_text(request.read_text().replace(dots, "_DOT_SEGMENTS = frozenset()"))
    import sys

    for name in [m for m in sys.modules if m == "refusal" or m.startswith("refusal.")]:
        del sys.modules[name]  # (the run imported the package: the patched one is read anew)
    broken = run_contract(config)
    refusals = [f for op in broken.operations for f in op.failures if f.klass == "client"]
    assert refusals and all("refused" in (f.case or "") for f in refusals), refusals
