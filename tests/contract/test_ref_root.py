"""A spec whose `$ref`s read a folder above its own (`../common/cat.yaml`): `apigen build
--ref-root` built its client, but `apigen contract` and `apigen sandbox` had no such option
and could not load the spec they were pointed at (a helper's corpus2 sweep)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from apigen.cli import main
from apigen.contract.command import contract

SPEC = """openapi: 3.0.3
info: {title: refroot, version: '1'}
servers: [{url: 'https://api.example.test'}]
paths:
  /cats:
    get:
      operationId: listCats
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '../common/cat.yaml#/Cat'}
"""
CAT = "Cat:\n  type: object\n  required: [id]\n  properties:\n    id: {type: string}\n"


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "api").mkdir()
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "cat.yaml").write_text(CAT)
    spec = tmp_path / "api" / "openapi.yaml"
    spec.write_text(SPEC)
    return spec


@pytest.mark.slow
def test_contract_reads_refs_under_the_ref_root(tmp_path: Path) -> None:
    spec = _tree(tmp_path)
    out = tmp_path / "out"
    runner = CliRunner()
    built = runner.invoke(main, ["build", str(spec), "-o", str(out), "--ref-root", str(tmp_path)])
    assert built.exit_code == 0, built.output
    base = [str(out), "--spec", str(spec), "--max-examples", "2"]
    refused = runner.invoke(contract, base)
    assert refused.exit_code == 2 and "--ref-root" in refused.output
    report = tmp_path / "report.json"
    ran = runner.invoke(contract, [*base, "--ref-root", str(tmp_path), "--report", str(report)])
    assert ran.exit_code == 0, ran.output
    operations = json.loads(report.read_text())["operations"]
    assert [op["operation_id"] for op in operations] == ["listCats"]
    assert operations[0]["calls"] > 0 and not operations[0]["failures"]


def test_the_sandbox_command_takes_a_ref_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without it the spec is refused (exit 1, the option named); with it the bundled
    document is what the sandbox serves (`serve` itself replaced: it would run for ever)."""
    import apigen.sandbox

    served: list[Any] = []
    monkeypatch.setattr(apigen.sandbox, "serve", lambda document, **_: served.append(document))
    spec = _tree(tmp_path)
    runner = CliRunner()
    refused = runner.invoke(main, ["sandbox", str(spec)])
    assert refused.exit_code == 1 and "--ref-root" in refused.output and not served
    ran = runner.invoke(main, ["sandbox", str(spec), "--ref-root", str(tmp_path)])
    assert ran.exit_code == 0, ran.output
    assert served[0]["components"]["schemas"]["Cat"]["required"] == ["id"]


def test_a_spec_other_than_the_client_s_is_named_in_a_warning(tmp_path: Path) -> None:
    """A helper's review: `apigen contract CLIENT --spec OTHER` said nothing when OTHER was
    not the spec the client was built from (the manifest records its SHA-256): failures that
    are only the difference looked like the client's."""
    from apigen.contract.command import _built_from_another

    spec = tmp_path / "a.yaml"
    spec.write_text(
        SPEC.replace("../common/cat.yaml#/Cat", "#/components/schemas/Cat")
        + ("components:\n  schemas:\n    " + CAT.replace("\n", "\n    ").rstrip() + "\n")
    )
    out = tmp_path / "out"
    built = CliRunner().invoke(main, ["build", str(spec), "-o", str(out)])
    assert built.exit_code == 0, built.output
    assert not _built_from_another(out, spec)
    other = tmp_path / "b.yaml"
    other.write_text(spec.read_text() + "# changed\n")
    assert _built_from_another(out, other)
    assert not _built_from_another(tmp_path / "nowhere", other)
