"""External `$ref`s are bundled or refused; internal ones must resolve."""

from __future__ import annotations

import os
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from apigen.diagnostics import Diagnostic, Report, SpecError
from apigen.spec import LoadedSpec, load_spec
from apigen.spec.pointer import split as split_pointer
from apigen.spec.refs import canonical_ref

from .conftest import FIXTURES

MULTI = FIXTURES / "multi" / "openapi.yaml"


def load(path: Path, **kwargs: Any) -> LoadedSpec:
    return load_spec(path, report=Report(), **kwargs)


def all_refs(node: Any) -> list[str]:
    out, stack = [], [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            if isinstance(cur.get("$ref"), str):
                out.append(cur["$ref"])
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)
    return out


def test_multi_file_spec_is_bundled() -> None:
    spec = load(MULTI)
    doc = spec.document
    schemas = doc["components"]["schemas"]
    # root names are kept; external ones are named after the pointer's last segment or the
    # file stem, and a clash is settled with the file stem as prefix; a root component that
    # is only a `$ref` to one (`Tag: {$ref: common.yaml}`) gives it its name (no alias)
    assert set(schemas) == {"Error", "Tag", "Pet", "Owner", "responses_Error"}
    assert schemas["Tag"]["properties"] == {"label": {"type": "string"}}
    assert schemas["Pet"]["properties"]["owner"] == {"$ref": "#/components/schemas/Owner"}
    assert schemas["Pet"]["properties"]["tag"] == {"$ref": "#/components/schemas/Tag"}
    # the cycle Pet -> Owner -> Pet across files ends in internal refs
    assert schemas["Owner"]["properties"]["pets"]["items"] == {"$ref": "#/components/schemas/Pet"}
    get = doc["paths"]["/pets"]["get"]
    # non-schema things are inlined
    assert get["parameters"] == [
        {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}
    ]
    not_found = get["responses"]["404"]
    assert not_found["description"] == "not found"
    assert not_found["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/responses_Error"
    }
    owner = doc["paths"]["/owners/{id}"]["get"]
    assert owner["operationId"] == "getOwner"
    assert owner["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Owner"
    }
    refs = all_refs(doc)
    assert refs and all(r.startswith("#/") and canonical_ref(doc, r)[0] for r in refs)
    assert len(spec.files) == 7 and next(iter(spec.files)) == str(MULTI)


def test_bundled_pointers_locate_in_their_own_file() -> None:
    spec = load(MULTI)
    file, line = spec.locate("#/components/schemas/Pet/properties/id")
    assert Path(file) == MULTI.parent / "schemas" / "pet.yaml" and line == 5
    file, line = spec.locate("#/paths/~1pets/get/responses/404/content")
    assert Path(file) == MULTI.parent / "responses.yaml" and line == 3
    assert spec.locate("#/components/schemas/Error") == (str(MULTI), 26)
    file, line = spec.locate("#/components/schemas/Tag/properties/label")
    assert Path(file) == MULTI.parent / "common.yaml" and line == 3


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("/etc/passwd", "absolute paths are not read"),
        ("file:///etc/passwd", "file:// URLs are not read"),
        ("https://example.com/pet.yaml#/Pet", "remote URLs are not fetched"),
        ("http://example.com/pet.yaml", "remote URLs are not fetched"),
        ("../../outside.yaml#/Pet", "leaves the spec's folder"),
        ("../outside.yaml", "leaves the spec's folder"),
    ],
)
def test_unsafe_refs_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ref: str, reason: str
) -> None:
    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a refused ref must never be fetched")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    root = tmp_path / "a" / "b"
    root.mkdir(parents=True)
    for outside in (tmp_path / "outside.yaml", tmp_path / "a" / "outside.yaml"):
        outside.write_text("Pet: {type: object}\n")
    spec = root / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\n"
        "info: {title: t, version: '1'}\n"
        "paths:\n"
        "  /x:\n"
        "    get:\n"
        "      responses:\n"
        "        '200':\n"
        "          description: ok\n"
        "          content:\n"
        "            application/json:\n"
        "              schema:\n"
        f"                $ref: '{ref}'\n"
    )
    with pytest.raises(SpecError) as info:
        load(spec)
    (d,) = info.value.diagnostics
    assert reason in d.message and ref in d.message
    assert d.kind == "external-ref" and d.file == str(spec) and d.line == 12
    assert d.pointer == "#/paths/~1x/get/responses/200/content/application~1json/schema/$ref"


def test_allow_remote_reads_absolute_paths(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "pet.yaml"
    other.parent.mkdir()
    other.write_text("Pet: {type: object, properties: {id: {type: integer}}}\n")
    spec = tmp_path / "api" / "api.yaml"
    spec.parent.mkdir()
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"
        f"components: {{schemas: {{P: {{$ref: '{other}#/Pet'}}}}}}\n"
    )
    doc = load(spec, allow_remote=True).document
    assert doc["components"]["schemas"] == {
        "P": {"type": "object", "properties": {"id": {"type": "integer"}}}
    }


def load_warned(path: Path, **kwargs: Any) -> tuple[LoadedSpec, list[Diagnostic]]:
    report = Report()
    spec = load_spec(path, report=report, **kwargs)
    return spec, report.warnings


def test_missing_external_file_names_the_referring_place(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    P:\n      $ref: 'nope.yaml#/P'\n"
    )
    loaded, (d,) = load_warned(spec)
    assert "cannot read" in d.message and d.pointer == "#/components/schemas/P/$ref" and d.line == 7
    assert d.action == "typed as Any" and d.kind == "ref"
    assert loaded.document["components"]["schemas"]["P"] == {}


def test_missing_fragment_in_external_file(tmp_path: Path) -> None:
    (tmp_path / "defs.yaml").write_text("Other: {type: string}\n")
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    P:\n      $ref: 'defs.yaml#/P'\n"
    )
    _, (d,) = load_warned(spec)
    assert "#/P does not exist in" in d.message and d.severity == "warning"


def test_errors_inside_external_files_point_into_them(tmp_path: Path) -> None:
    (tmp_path / "defs.yaml").write_text("P:\n  type: object\n  properties:\n    q: {$ref: '#/Q'}\n")
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components: {schemas: {P: {$ref: 'defs.yaml#/P'}}}\n"
    )
    _, (d,) = load_warned(spec)
    assert Path(d.file) == tmp_path / "defs.yaml"
    assert d.pointer == "#/P/properties/q/$ref" and d.line == 4


def test_inline_cycle_across_files_terminates(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("Param: {$ref: 'b.yaml#/Param'}\n")
    (tmp_path / "b.yaml").write_text("Param: {$ref: 'a.yaml#/Param'}\n")
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
        "paths: {/x: {get: {parameters: [{$ref: 'a.yaml#/Param'}], responses: {'200': {description: ok}}}}}\n"
    )
    with pytest.raises(SpecError) as info:
        load(spec)
    assert "cycle" in info.value.diagnostics[0].message


@pytest.mark.parametrize(("name", "line"), [("broken-ref.yaml", 14), ("broken-ref.json", 20)])
def test_unresolvable_internal_ref(name: str, line: int) -> None:
    loaded, (d,) = load_warned(FIXTURES / name)
    assert d.severity == "warning" and d.kind == "ref" and d.line == line
    assert "'#/components/schemas/Missing' does not resolve" in d.message
    assert d.pointer.endswith("/content/application~1json/schema/$ref")
    assert d.file == str(FIXTURES / name)
    node: Any = loaded.document
    for segment in split_pointer(d.pointer)[:-1]:
        node = node[segment]
    assert node == {}  # the schema now allows any value


def test_refs_in_example_data_and_names_are_not_refs(tmp_path: Path) -> None:
    spec = tmp_path / "api.json"
    spec.write_text(
        '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},'
        ' "components": {"schemas": {"S": {"type": "object",'
        ' "properties": {"$ref": {"type": "string"}},'
        ' "example": {"$ref": "#/nowhere"}, "x-meta": {"$ref": "./not-read.yaml"}}}}}'
    )
    assert load(spec).document["components"]["schemas"]["S"]["properties"]["$ref"]


def test_percent_encoded_refs_are_decoded(tmp_path: Path) -> None:
    spec = tmp_path / "api.json"
    spec.write_text(
        '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {'
        '"/a/{id}": {"parameters": [{"name": "id", "in": "path", "required": true,'
        ' "schema": {"type": "string"}}], "get": {"parameters": ['
        '{"$ref": "#/paths/~1a~1%7Bid%7D/parameters/0"}], "responses": {}}}}}'
    )
    doc = load(spec).document
    (param,) = doc["paths"]["/a/{id}"]["get"]["parameters"]
    assert param == {"$ref": "#/paths/~1a~1{id}/parameters/0"}


def test_non_string_ref_is_fatal(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {schemas: {S: {$ref: 7}}}\n"
    )
    with pytest.raises(SpecError) as info:
        load(spec)
    assert info.value.diagnostics[0].message == "$ref must be a string"


def test_relative_display_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(MULTI.parent.parent)
    spec = load(Path("multi/openapi.yaml"))
    assert spec.locate("#/components/schemas/Owner")[0] == os.path.join(
        "multi", "schemas", "owner.yaml"
    )


def test_yaml_flow_document_refs_are_checked(tmp_path: Path) -> None:
    spec = tmp_path / "flow.yaml"
    spec.write_text(
        "{openapi: 3.0.3, info: {title: t, version: '1'}, paths: {}, components: {schemas: {A: {$ref: '#/nope'}}}}\n"
    )
    _, (d,) = load_warned(spec)
    assert d.pointer == "#/components/schemas/A/$ref" and d.line == 1


def test_swagger2_external_schemas_end_up_in_components(tmp_path: Path) -> None:
    (tmp_path / "defs.yaml").write_text("Pet:\n  type: object\n  x-nullable: true\n")
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\n"
        "paths:\n  /p:\n    post:\n      parameters:\n"
        "        - {name: pet, in: body, schema: {$ref: 'defs.yaml#/Pet'}}\n"
        "      responses: {'204': {description: ok}}\n"
    )
    loaded = load(spec)
    doc = loaded.document
    body = doc["paths"]["/p"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/Pet"}
    assert doc["components"]["schemas"]["Pet"] == {"type": "object", "nullable": True}
    assert loaded.original["definitions"]["Pet"]["x-nullable"] is True
    file, line = loaded.locate("#/components/schemas/Pet/x-nullable")
    assert Path(file) == tmp_path / "defs.yaml" and line == 3


def test_a_whole_named_map_can_be_a_ref(tmp_path: Path) -> None:
    (tmp_path / "schemas.yaml").write_text("Pet: {type: object}\nTag: {type: string}\n")
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    $ref: schemas.yaml\n"
    )
    doc = load(spec).document
    assert doc["components"]["schemas"] == {"Pet": {"type": "object"}, "Tag": {"type": "string"}}


def test_no_line_when_the_file_changed_since_loading(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n")
    loaded = load(spec)
    spec.write_text("\n\n\n" + spec.read_text())
    assert loaded.locate("#/paths") == (str(spec), None)


def test_a_discriminator_mapping_into_another_file_names_the_bundled_schema(
    tmp_path: Path,
) -> None:
    """`mapping: {attach: models/actions.yml#/attach}` (DigitalOcean) is a reference like a
    `$ref`: it ends up naming the bundled copy of that schema, so the tag `attach` picks it.
    Left as it was, the IR could not match it to a member and tagged each by its schema name.
    A component name, or a reference the bundle cannot follow, stays as it is."""
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "actions.yml").write_text(
        "attach: {type: object, required: [type], properties: {type: {type: string}}}\n"
        "detach: {type: object, required: [type], properties: {type: {type: string}}}\n"
    )
    (tmp_path / "body.yml").write_text(
        "oneOf:\n"
        "  - $ref: 'models/actions.yml#/attach'\n"
        "  - $ref: 'models/actions.yml#/detach'\n"
        "discriminator:\n"
        "  propertyName: type\n"
        "  mapping:\n"
        "    attach: 'models/actions.yml#/attach'\n"
        "    detach: 'models/actions.yml#/detach'\n"
        "    gone: 'models/missing.yml#/x'\n"
        "    named: Other\n"
    )
    (tmp_path / "api.yaml").write_text(
        "openapi: 3.0.3\n"
        "info: {title: t, version: '1'}\n"
        "paths:\n"
        "  /actions:\n"
        "    post:\n"
        "      requestBody:\n"
        "        content:\n"
        "          application/json:\n"
        "            schema: {$ref: 'body.yml'}\n"
        "      responses: {'204': {description: ok}}\n"
    )
    doc = load(tmp_path / "api.yaml").document
    schemas = doc["components"]["schemas"]
    body = doc["paths"]["/actions"]["post"]["requestBody"]["content"]["application/json"]
    union = schemas[body["schema"]["$ref"].removeprefix("#/components/schemas/")]
    mapping = union["discriminator"]["mapping"]
    refs = [member["$ref"] for member in union["oneOf"]]
    assert [mapping["attach"], mapping["detach"]] == refs
    assert all(ref.removeprefix("#/components/schemas/") in schemas for ref in refs)
    assert mapping["gone"] == "models/missing.yml#/x" and mapping["named"] == "Other"


def test_an_empty_ref_says_so(tmp_path: Path) -> None:
    """A helper's sweep: `$ref: ''` read as the spec's folder: "cannot read .: Is a
    directory"."""
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    P: {$ref: ''}\n"
    )
    report = Report()
    load_spec(spec, report=report)
    (d,) = [d for d in report.items if d.kind == "ref"]
    assert d.pointer == "#/components/schemas/P/$ref" and "is empty" in d.message
