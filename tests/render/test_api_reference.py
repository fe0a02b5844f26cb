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
