"""A JSON `$ref` key spelled with escapes (`"\\u0024ref"`) is a `$ref` like any other. A
helper's sweep: the regex fast paths read `"$ref"` literally, so `{"\\u0024ref": "pet.yaml"}`
was left unbundled (the client returned a `dict`, not `Pet`), a ref leaving the spec's folder
was not refused, and a dangling one ended in `KeyError`."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigen.diagnostics import Report, SpecError
from apigen.spec import load_spec


def _spec(folder: Path, ref: str) -> Path:
    spec = folder / "api.json"
    spec.write_text(
        '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/p": {"get": '
        '{"responses": {"200": {"description": "ok", "content": {"application/json": '
        '{"schema": {"\\u0024re\\u0066": "' + ref + '"}}}}}}}}}'
    )
    return spec


def test_an_escaped_ref_key_is_bundled(tmp_path: Path) -> None:
    (tmp_path / "pet.yaml").write_text("type: object\nproperties: {id: {type: integer}}\n")
    loaded = load_spec(_spec(tmp_path, "pet.yaml"), report=Report())
    schema = loaded.document["paths"]["/p"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]
    ref = schema["schema"]["$ref"]
    assert ref.startswith("#/components/schemas/")
    name = ref.rsplit("/", 1)[1]
    assert loaded.document["components"]["schemas"][name]["properties"] == {
        "id": {"type": "integer"}
    }


@pytest.mark.parametrize(
    ("ref", "kind"),
    [("../outside/pet.yaml", "external-ref"), ("#/components/schemas/Nope", "ref")],
)
def test_an_escaped_ref_key_is_checked(tmp_path: Path, ref: str, kind: str) -> None:
    folder = tmp_path / "api"
    folder.mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "pet.yaml").write_text("type: object\n")
    report = Report()
    try:
        load_spec(_spec(folder, ref), report=report)
        found = report.items
    except SpecError as err:
        found = err.diagnostics
    (d,) = [d for d in found if d.kind == kind]
    assert d.pointer == "#/paths/~1p/get/responses/200/content/application~1json/schema/$ref"
