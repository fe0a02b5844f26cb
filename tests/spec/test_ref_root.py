"""Relative `$ref`s that leave the spec's folder: refused by default, read under `ref_root`.

`specs/monorepo/` is a monorepo layout: `services/pets/openapi.yaml` refers to
`../../common/*.yaml`.
"""

from __future__ import annotations

import os
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from apigen.diagnostics import Report, SpecError
from apigen.pipeline import check
from apigen.spec import load_spec
from apigen.spec.refs import canonical_ref

from .conftest import FIXTURES
from .test_refs import all_refs

MONOREPO = FIXTURES / "monorepo"
PETS = MONOREPO / "services" / "pets" / "openapi.yaml"
ESCAPING_REF = "#/paths/~1pets/get/responses/default/$ref"  # the first one the walk meets


def test_leaving_the_spec_folder_is_refused_by_default_and_names_the_option() -> None:
    with pytest.raises(SpecError) as info:
        load_spec(PETS, report=Report())
    (d,) = info.value.diagnostics
    assert d.severity == "error" and d.kind == "external-ref"
    assert d.file == str(PETS) and d.pointer == ESCAPING_REF and d.line == 19
    assert "../../common/responses.yaml#/Error" in d.message
    assert "leaves the spec's folder" in d.message and "--ref-root" in d.message


def test_ref_root_reads_files_beside_the_spec_folder() -> None:
    report = Report()
    spec = load_spec(PETS, report=report, ref_root=MONOREPO)
    doc = spec.document
    assert report.items == []
    assert set(doc["components"]["schemas"]) == {"Pet", "Owner", "Error"}
    get = doc["paths"]["/pets"]["get"]
    assert get["parameters"] == [
        {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}
    ]
    refs = all_refs(doc)
    assert refs and all(r.startswith("#/") and canonical_ref(doc, r)[0] for r in refs)
    # diagnostics point into the common files, spelt without `..`
    file, line = spec.locate("#/components/schemas/Owner/properties/name")
    assert file == str(MONOREPO / "common" / "schemas.yaml") and line == 10
    assert ".." not in file
    assert len(spec.files) == 4


def test_ref_root_through_the_pipeline_parameter() -> None:
    """`pipeline.check` (and `build`) take `ref_root`: what the config key will set."""
    with pytest.raises(SpecError):
        check(PETS)
    report = check(PETS, ref_root=MONOREPO)
    assert not report.errors


def test_a_ref_root_that_does_not_hold_the_spec_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load_spec(PETS, report=Report(), ref_root=tmp_path)
    (d,) = info.value.diagnostics
    assert d.kind == "ref-root" and "does not contain the spec" in d.message
    with pytest.raises(SpecError) as info:
        load_spec(PETS, report=Report(), ref_root=tmp_path / "nope")
    assert "no such folder" in info.value.diagnostics[0].message


def test_refs_cannot_leave_the_ref_root_either() -> None:
    """A root narrower than the refs need: still refused, and the message says by what."""
    with pytest.raises(SpecError) as info:
        load_spec(PETS, report=Report(), ref_root=MONOREPO / "services")
    (d,) = info.value.diagnostics
    assert d.pointer == ESCAPING_REF
    assert "leaves the allowed folder" in d.message and str(MONOREPO / "services") in d.message


def _api(root: Path, ref: str) -> Path:
    spec = root / "svc" / "api.yaml"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        f"components:\n  schemas:\n    P:\n      $ref: '{ref}'\n"
    )
    return spec


@pytest.mark.parametrize(
    "ref",
    [
        "../../outside.yaml#/Pet",  # plainly above the root
        "../svc/../../outside.yaml#/Pet",  # `..` folded before the check
        "../common/../../outside.yaml#/Pet",
        "link.yaml#/Pet",  # a symlink in the spec folder pointing outside
        "linkdir/outside.yaml#/Pet",  # a symlinked folder pointing outside
    ],
)
def test_escaping_the_ref_root_is_refused(tmp_path: Path, ref: str) -> None:
    root = tmp_path / "repo"
    (root / "common").mkdir(parents=True)
    (tmp_path / "outside.yaml").write_text("Pet: {type: object}\n")
    spec = _api(root, ref)
    os.symlink(tmp_path / "outside.yaml", spec.parent / "link.yaml")
    os.symlink(tmp_path, spec.parent / "linkdir")
    with pytest.raises(SpecError) as info:
        load_spec(spec, report=Report(), ref_root=root)
    (d,) = info.value.diagnostics
    assert d.kind == "external-ref" and "leaves the allowed folder" in d.message
    assert d.file == str(spec) and d.pointer == "#/components/schemas/P/$ref" and d.line == 7


def test_a_symlink_inside_the_ref_root_is_fine(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "common").mkdir(parents=True)
    (root / "common" / "pet.yaml").write_text("Pet: {type: object}\n")
    spec = _api(root, "link.yaml#/Pet")
    os.symlink(root / "common" / "pet.yaml", spec.parent / "link.yaml")
    doc = load_spec(spec, report=Report(), ref_root=root).document
    assert doc["components"]["schemas"]["P"] == {"type": "object"}


@pytest.mark.parametrize("ref", ["https://example.com/x.yaml#/Pet", "file:///etc/passwd"])
def test_ref_root_never_fetches_urls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ref: str
) -> None:
    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a refused ref must never be fetched")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    spec = _api(tmp_path, ref)
    with pytest.raises(SpecError) as info:
        load_spec(spec, report=Report(), ref_root=tmp_path)
    assert "refused" in info.value.diagnostics[0].message


def test_a_symlink_loop_is_a_located_error_not_a_crash(tmp_path: Path) -> None:
    """A helper's hostile-input review: `$ref: loop/a.yaml#/Pet` with `loop -> loop` made
    `check` and `sandbox` print a traceback (3.11's `Path.resolve` raises `RuntimeError`) and
    `build` an "internal error"; so did an output folder under such a loop."""
    from apigen.pipeline import build
    from apigen.write import OutputError

    spec = _api(tmp_path, "loop/a.yaml#/Pet")
    os.symlink(spec.parent / "loop", spec.parent / "loop")
    with pytest.raises(SpecError) as info:
        load_spec(spec, report=Report())
    (d,) = info.value.diagnostics
    assert d.kind == "external-ref" and "Symlink loop" in d.message
    assert d.file == str(spec) and d.pointer == "#/components/schemas/P/$ref" and d.line == 7
    fine = _api(tmp_path / "fine", "#/components/schemas/Q")
    with pytest.raises(OutputError, match="cannot use the output"):
        build(fine, spec.parent / "loop" / "out", cache=False)


def test_a_spec_reached_through_a_symlink_reads_refs_beside_its_real_file(tmp_path: Path) -> None:
    """A helper's sweep: `link/api.yaml -> ../real/api.yaml` with `$ref: pet.yaml#/Pet` and
    `pet.yaml` beside the real file was refused ("cannot read link/pet.yaml"). A ref the link's
    folder does not hold is read beside the real file."""
    spec = _api(tmp_path / "real", "pet.yaml#/Pet")
    (spec.parent / "pet.yaml").write_text("Pet: {type: object, title: real}\n")
    link = tmp_path / "link"
    link.mkdir()
    os.symlink(spec, link / spec.name)
    doc = load_spec(link / spec.name, report=Report()).document
    assert doc["components"]["schemas"]["P"] == {"type": "object", "title": "real"}


def test_a_tree_of_symlinks_reads_refs_as_named_first(tmp_path: Path) -> None:
    """The review (Bazel's runfiles: every file its own symlink into another folder): the
    root's refs are read beside the root as named, under `--ref-root`, as before."""
    spec = _api(tmp_path / "bz" / "a", "pet.yaml#/Pet")
    pet = tmp_path / "bz" / "b" / "pet.yaml"
    pet.parent.mkdir(parents=True)
    pet.write_text("Pet: {type: object, title: b}\n")
    run = tmp_path / "run"
    run.mkdir()
    os.symlink(spec, run / "api.yaml")
    os.symlink(pet, run / "pet.yaml")
    doc = load_spec(run / "api.yaml", report=Report(), ref_root=tmp_path).document
    assert doc["components"]["schemas"]["P"] == {"type": "object", "title": "b"}


def test_a_file_beside_the_link_outside_the_real_folder_gives_way(tmp_path: Path) -> None:
    """The last review: with `link/pet.yaml` beside a symlinked root (and no --ref-root), the
    named-first rule took it and refused the spec for leaving the real folder; the file
    beside the real spec, which refs may read, is read instead, as before."""
    spec = _api(tmp_path / "real", "pet.yaml#/Pet")
    (spec.parent / "pet.yaml").write_text("Pet: {type: object, title: real}\n")
    link = tmp_path / "link"
    link.mkdir()
    (link / "pet.yaml").write_text("Pet: {type: object, title: link}\n")
    os.symlink(spec, link / spec.name)
    doc = load_spec(link / spec.name, report=Report()).document
    assert doc["components"]["schemas"]["P"] == {"type": "object", "title": "real"}
