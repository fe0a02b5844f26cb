"""A dangling `$ref` (missing file or missing pointer) degrades that one place, with a warning.

`specs/dangling/openapi.yaml` has one of each: a schema (internal, missing file, missing pointer
in an existing file), a parameter, a request body and a response. `--strict` still fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apigen.diagnostics import Diagnostic, Report, SpecError
from apigen.pipeline import build
from apigen.spec import load_spec

from .conftest import FIXTURES

SPEC = FIXTURES / "dangling" / "openapi.yaml"
ANY = "typed as Any"


def warnings_by_pointer() -> tuple[dict[str, object], dict[str, Diagnostic]]:
    report = Report()
    spec = load_spec(SPEC, report=report)
    assert not report.errors
    return spec.document, {d.pointer: d for d in report.warnings}


def test_every_dangling_ref_is_a_located_warning_saying_what_was_done() -> None:
    _, found = warnings_by_pointer()
    expected = {
        # pointer: (line, action, words of the message)
        "#/paths/~1pets/get/parameters/0/$ref": (9, "parameter left out", "does not resolve"),
        "#/paths/~1pets/get/responses/200/content/application~1json/schema/items/$ref": (
            18,
            ANY,
            "'#/components/schemas/Missing' does not resolve",
        ),
        "#/paths/~1pets/post/requestBody/$ref": (
            22,
            "request body typed as Any (JSON)",
            "does not resolve",
        ),
        "#/paths/~1owners/get/responses/404/$ref": (39, "response typed as Any", "NotThere"),
        "#/components/schemas/Pet/properties/tag/$ref": (
            46,
            ANY,
            "no-such-file.yaml: No such file",
        ),
        "#/components/schemas/Pet/properties/kind/$ref": (
            47,
            ANY,
            "#/NoSuchKind does not exist in",
        ),
    }
    assert set(found) == set(expected)
    for pointer, (line, action, words) in expected.items():
        d = found[pointer]
        assert (d.file, d.line, d.action, d.kind) == (str(SPEC), line, action, "ref"), pointer
        assert words in d.message, d.message


def test_the_stand_ins() -> None:
    doc, _ = warnings_by_pointer()
    paths = doc["paths"]
    assert isinstance(paths, dict)
    get = paths["/pets"]["get"]
    assert get["parameters"] == [{"name": "limit", "in": "query", "schema": {"type": "integer"}}]
    assert get["responses"]["200"]["content"]["application/json"]["schema"]["items"] == {}
    body = paths["/pets"]["post"]["requestBody"]
    assert body == {"content": {"application/json": {"schema": {}}}}
    owners = paths["/owners"]["get"]["responses"]
    assert owners["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Owner"
    }
    assert owners["404"]["content"]["application/json"]["schema"] == {}
    pet = doc["components"]["schemas"]["Pet"]  # type: ignore[index]
    assert pet["properties"]["tag"] == {} and pet["properties"]["kind"] == {}


def test_the_spec_builds_and_the_dangling_places_are_any(tmp_path: Path) -> None:
    result = build(SPEC, tmp_path / "dangling")
    assert {d.pointer for d in result.report.warnings if d.kind == "ref"} == set(
        warnings_by_pointer()[1]
    )
    models = "\n".join(
        p.read_text() for p in (tmp_path / "dangling" / "dangling" / "models").rglob("*.py")
    )
    assert "tag: Any" in models and "kind: Any" in models
    pets = (tmp_path / "dangling" / "dangling" / "resources" / "pets.py").read_text()
    assert "limit" in pets


def test_strict_still_fails_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        build(SPEC, tmp_path / "dangling", strict=True)
    refs = [d for d in info.value.diagnostics if d.kind == "ref"]
    assert len(refs) == 6 and all(d.severity == "error" and d.line for d in refs)
    assert not (tmp_path / "dangling").exists()


def test_a_dangling_ref_with_nothing_to_stand_in_stays_fatal(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
        "paths: {}\n"
        "components:\n  securitySchemes:\n    key: {$ref: '#/nowhere'}\n"
    )
    with pytest.raises(SpecError) as info:
        load_spec(spec, report=Report())
    (d,) = info.value.diagnostics
    assert d.severity == "error" and d.pointer == "#/components/securitySchemes/key/$ref"
    assert d.line == 6


def test_swagger2_dangling_refs_get_2_0_stand_ins() -> None:
    spec_file = FIXTURES / "dangling" / "swagger2.yaml"
    report = Report()
    doc = load_spec(spec_file, report=report).document
    actions = {(d.line, d.action) for d in report.warnings}
    assert actions == {
        (10, "parameter left out"),
        (16, "header left out"),  # a 2.0 header must claim a primitive type: none can be
        (17, ANY),
        (19, "response typed as Any"),
    }
    get = doc["paths"]["/pets"]["get"]
    assert [p["name"] for p in get["parameters"]] == ["limit"]
    ok = get["responses"]["200"]
    assert "headers" not in ok or ok["headers"] == {}
    assert ok["content"]["application/json"]["schema"] == {}
    assert get["responses"]["404"]["content"]["application/json"]["schema"] == {}


def test_a_31_ref_with_sibling_constraints_keeps_them(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"
        "components:\n  schemas:\n    S:\n      $ref: '#/nowhere'\n      maxLength: 3\n"
        "    T:\n      $ref: '#/nowhere'\n      description: d\n"
    )
    report = Report()
    schemas = load_spec(spec, report=report).document["components"]["schemas"]
    assert schemas == {"S": {"maxLength": 3}, "T": {"description": "d"}}
    actions = {d.pointer: d.action for d in report.warnings}
    assert actions == {
        "#/components/schemas/S/$ref": "$ref left out; the rest of the schema kept",
        "#/components/schemas/T/$ref": ANY,
    }


def test_a_reference_chain_that_comes_back_to_itself_degrades_like_a_dangling_one(
    tmp_path: Path,
) -> None:
    """A helper's sweep: opc's `circular-body-ref.yaml` (`requestBodies/body: {$ref: body}`)
    built with no word and a method taking no body; parameters and responses the same. Each use
    is now a located warning saying what was done; YAML and JSON (its fast path) alike."""
    import json

    import yaml

    doc = {
        "openapi": "3.1.0",
        "info": {"title": "circ", "version": "1"},
        "paths": {
            "/": {
                "post": {
                    "parameters": [{"$ref": "#/components/parameters/p"}],
                    "requestBody": {"$ref": "#/components/requestBodies/a"},
                    "responses": {"200": {"$ref": "#/components/responses/r"}},
                }
            }
        },
        "components": {
            "parameters": {"p": {"$ref": "#/components/parameters/p"}},
            "requestBodies": {
                "a": {"$ref": "#/components/requestBodies/b"},
                "b": {"$ref": "#/components/requestBodies/a"},
            },
            "responses": {"r": {"$ref": "#/components/responses/r"}},
        },
    }
    for name, text in (("c.yaml", yaml.safe_dump(doc)), ("c.json", json.dumps(doc))):
        path = tmp_path / name
        path.write_text(text)
        report = Report()
        load_spec(path, report=report)
        found = {d.pointer: d for d in report.warnings if d.kind == "ref"}
        post = "#/paths/~1/post"
        assert set(found) == {
            f"{post}/parameters/0/$ref",
            f"{post}/requestBody/$ref",
            f"{post}/responses/200/$ref",
        }, found
        body = found[f"{post}/requestBody/$ref"]
        assert "never ends: #/components/requestBodies/a -> #/components/requestBodies/b" in (
            body.message
        )
        assert body.action == "request body typed as Any (JSON)"
        assert found[f"{post}/parameters/0/$ref"].action == "parameter left out"


def test_a_swagger2_reference_chain_that_comes_back_degrades_too(tmp_path: Path) -> None:
    """A helper's review of the above: in a 2.0 document (refs checked before the upgrade) the
    chain's own definitions (`#/parameters/P1`) read as uses, and the build failed."""
    import yaml

    doc = {
        "swagger": "2.0",
        "info": {"title": "c", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "parameters": [{"$ref": "#/parameters/P1"}],
                    "responses": {"200": {"$ref": "#/responses/R1"}},
                }
            }
        },
        "parameters": {"P1": {"$ref": "#/parameters/P2"}, "P2": {"$ref": "#/parameters/P1"}},
        "responses": {"R1": {"$ref": "#/responses/R1"}},
    }
    path = tmp_path / "c2.yaml"
    path.write_text(yaml.safe_dump(doc))
    report = Report()
    load_spec(path, report=report)
    found = {d.pointer: d.action for d in report.warnings if d.kind == "ref"}
    assert found == {
        "#/paths/~1a/get/parameters/0/$ref": "parameter left out",
        "#/paths/~1a/get/responses/200/$ref": "response typed as Any",
    }


def test_a_plain_name_fragment_finds_its_anchor(tmp_path: Path) -> None:
    """A helper's 3.1 probe: `$ref: '#money'` (JSON Schema's plain-name fragment, the schema
    declaring `$anchor: money`) was typed Any with a warning, and the sandbox drew a string.
    It is read as that schema's pointer; an unknown name is a dangling ref as before."""
    import json

    money = {"$anchor": "money", "type": "object", "properties": {"amount": {"type": "string"}}}
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "a", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Money": money,
                "Holder": {
                    "type": "object",
                    "properties": {"money": {"$ref": "#money"}, "other": {"$ref": "#nothing"}},
                },
            }
        },
    }
    path = tmp_path / "a.json"
    path.write_text(json.dumps(doc))
    report = Report()
    loaded = load_spec(path, report=report).document
    props = loaded["components"]["schemas"]["Holder"]["properties"]
    assert props["money"] == {"$ref": "#/components/schemas/Money"}
    (dangling,) = [d for d in report.warnings if d.kind == "ref"]
    assert (
        dangling.pointer.endswith("/other/$ref")
        and "'#nothing' does not resolve" in dangling.message
    )


def test_long_reference_chains_are_walked_once(tmp_path: Path) -> None:
    """A helper's hostile specs: a chain of 3,000 parameters, each only a `$ref` to the next,
    never finished loading (each ref walked the rest of the chain, a list's `in` at each step).
    Chains known to end are remembered; a cycle at the end of a long chain is still found, and
    the uses of a chain that ends are fine. YAML and JSON (its fast path) alike."""
    import json

    import yaml

    n = 3000
    params: dict[str, Any] = {
        f"p{i}": {"$ref": f"#/components/parameters/p{i + 1}"} for i in range(n)
    }
    params[f"p{n}"] = {"name": "q", "in": "query", "schema": {"type": "string"}}
    params.update({"c0": {"$ref": "#/components/parameters/c1"}})
    params.update({f"c{i}": {"$ref": f"#/components/parameters/c{i + 1}"} for i in range(1, 500)})
    params["c500"] = {"$ref": "#/components/parameters/c250"}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "chain", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "parameters": [
                        {"$ref": "#/components/parameters/p0"},
                        {"$ref": "#/components/parameters/c0"},
                    ],
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
        "components": {"parameters": params},
    }
    for name, text in (("chain.json", json.dumps(doc)), ("chain.yaml", yaml.safe_dump(doc))):
        path = tmp_path / name
        path.write_text(text)
        report = Report()
        load_spec(path, report=report)
        found = {d.pointer for d in report.warnings if d.kind == "ref"}
        assert found == {"#/paths/~1a/get/parameters/1/$ref"}, found
