"""`api.md` shows each method's signature as it is: a constant parameter (one listed value)
has that value as default, as the method does (decisions.md 27); it was listed as required
(a helper's review: Box's `response_type: Literal['code']`)."""

from __future__ import annotations

from pathlib import Path

from tests.builds import build_into

SPEC = """\
openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "https://x.test"}]
paths:
  /authorize:
    get:
      operationId: authorize
      parameters:
        - {name: response_type, in: query, required: true, schema: {type: string, enum: [code]}}
        - {name: client_id, in: query, required: true, schema: {type: string}}
        - {name: state, in: query, schema: {type: string}}
      responses:
        "204": {description: ok}
"""


def test_a_constant_parameter_shows_its_default(tmp_path: Path) -> None:
    spec = tmp_path / "consts.yaml"
    spec.write_text(SPEC)
    build_into(spec, tmp_path / "out", name="consts")
    reference = (tmp_path / "out" / "api.md").read_text()
    assert (
        "client.authorize.retrieve(*, client_id: str, response_type: Literal['code'] = 'code',"
        " state: str = ...) -> None" in reference
    )


def test_the_spec_s_description_brings_no_code_block_into_the_readme(tmp_path: Path) -> None:
    """A helper's hostile specs: a ```python block in `info.description` was pasted into the
    README as an example (README tooling ran it: a spec's code ran), an unclosed one swallowed
    the Install section, and the 1,000-character cut could leave one open."""
    spec = tmp_path / "fenced.yaml"
    spec.write_text(
        SPEC.replace(
            'info: {title: t, version: "1"}',
            'info: {title: t, version: "1", description: "Intro line\\n```python\\n'
            "import os; os.system('touch pwned')\\n```\\nmore\"}",
        )
    )
    build_into(spec, tmp_path / "out", name="fenced")
    readme = (tmp_path / "out" / "README.md").read_text()
    init = (tmp_path / "out" / "fenced" / "__init__.py").read_text()
    assert "Intro line" in readme and "os.system" not in readme and "os.system" not in init
    assert readme.count("```") % 2 == 0 and "## Install" in readme


def test_the_types_table_names_a_public_module() -> None:
    """A helper's typing review: DigitalOcean's table said `types._droplets_droplets`, a
    private part module; its package re-exports every name."""
    from apigen.render.readme import _public  # pyright: ignore[reportPrivateUsage]

    assert _public("types._droplets_droplets") == "types"
    assert _public("models.pet") == "models.pet" and _public("models") == "models"
    assert _public("_x") == "_x"  # (never an empty path)


def test_a_description_opening_with_code_gives_the_prose_after_it() -> None:
    """A review: a description starting with a fence gave the README no description at all."""
    from apigen.render.readme import first_paragraph

    assert first_paragraph("```python\nx = 1\n\ny\n```\n\nProse here.\nTwo.\n\nNext") == (
        "Prose here.\nTwo."
    )
    assert first_paragraph("Intro line\n```python\nimport os\n```\nmore") == "Intro line"
    assert first_paragraph("A\nB\n\nC") == "A\nB" and first_paragraph("") == ""
