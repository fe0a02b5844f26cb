"""A helper's fuzzing: a URL Python cannot split (`http://[::1`, an unclosed bracket) in a
`$ref` crashed `apigen check` with a traceback and `apigen build` with "internal error"; in
`externalDocs.url` or `info.contact.url` the same. A `$ref` so written is the referring
place's error; a documentation URL so written is no site to resolve links against."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from apigen.cli import main


def _spec(tmp_path: Path, *, ref: str = "#/components/schemas/S", docs: str | None = None) -> Path:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1", "contact": {"url": docs or "https://x.test"}},
        "paths": {
            "/x": {
                "get": {
                    "operationId": "getX",
                    "description": "See [the guide](/guide).",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": ref}}},
                        },
                    },
                }
            }
        },
        "components": {"schemas": {"S": {"type": "object"}}},
    }
    if docs is not None:
        document["externalDocs"] = {"url": docs}
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(document))
    return spec


def test_a_ref_that_is_no_url_is_a_located_error(tmp_path: Path) -> None:
    spec = _spec(tmp_path, ref="http://[::1/s.json")
    for command in (["check", str(spec)], ["build", str(spec), "-o", str(tmp_path / "out")]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output and "internal error" not in result.output
        assert "is no valid URL" in result.output
        assert "spec.json" in result.output and "/content/application~1json/schema" in result.output
    assert not (tmp_path / "out").exists()


def test_a_documentation_url_that_is_no_url_is_no_site(tmp_path: Path) -> None:
    spec = _spec(tmp_path, docs="http://[::1")
    result = CliRunner().invoke(main, ["build", str(spec), "-o", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 0, result.output
    resource = (tmp_path / "out" / "out" / "resources" / "x.py").read_text()
    assert "[the guide](/guide)" in resource  # left relative: no site to resolve it against
