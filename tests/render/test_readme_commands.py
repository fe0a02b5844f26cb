"""The commands a generated README shows run as written: a spec name with a space is one shell
word (a helper's multi-file sweep: `apigen sandbox my spec.yaml` was printed unquoted)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tests.builds import build_into

SPEC = """\
openapi: 3.0.3
info: {title: Spaced, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      responses: {"200": {description: ok}}
"""


def test_a_spec_name_with_a_space_is_quoted_in_the_commands(tmp_path: Path) -> None:
    spec = tmp_path / "my spec.yaml"
    spec.write_text(SPEC)
    build_into(spec, tmp_path / "out", name="spaced")
    readme = (tmp_path / "out" / "README.md").read_text()
    for command in ("apigen sandbox", "apigen build"):
        line = next(part for part in readme.split("`") if part.startswith(command))
        assert shlex.split(line)[2] == "my spec.yaml", line


@pytest.mark.parametrize("name", ["a-->b.yaml", "a--->b.yaml"])  # (three: the review)
def test_a_spec_name_holding_dashes_does_not_close_the_header_comment(
    tmp_path: Path, name: str
) -> None:
    """Helper 174: a spec named `a-->b.yaml` ended the README's `<!-- Generated ... -->` early
    and put the rest of its name (a spec's author's text) in the page."""
    spec = tmp_path / name
    spec.write_text(SPEC)
    build_into(spec, tmp_path / "out", name="dashes")
    for page in ("README.md", "api.md"):
        first = (tmp_path / "out" / page).read_text().splitlines()[0]
        assert first.startswith("<!-- ") and first.endswith(" -->"), first
        assert "--" not in first[4:-3], first
