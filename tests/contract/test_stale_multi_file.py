"""A multi-file spec's manifest records a digest of its whole tree: `apigen contract` warned
that a spec was not the one a client was built from only when the root file changed (a helper's
multi-file sweep: an edit in `models/thing.yaml` alone gave 4 client failures, no warning)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from apigen.contract.client import load_client
from apigen.contract.command import _built_from_another  # pyright: ignore[reportPrivateUsage]
from tests.builds import build_into

ROOT = """\
openapi: 3.0.3
info: {title: Tree, version: "1"}
paths:
  /things:
    get:
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "models/thing.yaml"}}}
"""
THING = "type: object\nproperties:\n  id: {type: integer}\n"


def test_an_edit_in_a_referenced_file_alone_is_noticed(tmp_path: Path) -> None:
    spec = tmp_path / "spec" / "api.yaml"
    (spec.parent / "models").mkdir(parents=True)
    spec.write_text(ROOT)
    (spec.parent / "models" / "thing.yaml").write_text(THING)
    out = tmp_path / "out"
    build_into(spec, out, name="tree")
    manifest = json.loads((out / "apigen.json").read_text())
    assert isinstance(manifest.get("spec_tree_sha256"), str)
    assert not _built_from_another(out, spec)
    elsewhere = Path.cwd()
    os.chdir(tmp_path)  # the spec named from another folder: the same tree
    try:
        assert not _built_from_another(out, Path("spec/api.yaml"))
    finally:
        os.chdir(elsewhere)
    client = load_client(out)
    assert client.find_spec([spec.parent]) == spec  # without --spec: found by name and tree
    (spec.parent / "models" / "thing.yaml").write_text(THING.replace("integer", "string"))
    assert _built_from_another(out, spec)
    # ... and no longer taken for the spec the client was built from (a review: only `--spec`
    # was checked)
    assert client.find_spec([spec.parent]) is None and client.stale_specs == [spec]


def test_a_one_file_manifest_stays_as_it_was(tmp_path: Path) -> None:
    spec = tmp_path / "one.yaml"
    spec.write_text(ROOT.replace('{$ref: "models/thing.yaml"}', "{type: object}"))
    build_into(spec, tmp_path / "out", name="one")
    assert "spec_tree_sha256" not in json.loads((tmp_path / "out" / "apigen.json").read_text())
