"""Issue 11: an enum reused across the spec is open where responses are parsed (a newer server
may add values) and strict in request signatures: `status=["availabel"]` fails mypy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _mypy_errors(out: Path, snippet: Path) -> tuple[list[str], str]:
    """`mypy --strict` on `snippet` with the packages in `out`: its error lines, its output."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(snippet)],
        capture_output=True,
        text=True,
        env={"MYPYPATH": str(out), "PATH": "/usr/bin:/bin"},
    )
    return [line for line in result.stdout.splitlines() if ": error:" in line], result.stdout


def test_request_signatures_take_only_listed_values(built: dict[str, Path], tmp_path: Path) -> None:
    out = built["petstore"]
    model = (out / "petstore" / "models" / "pet_status.py").read_text()
    assert 'Literal["available", "pending", "sold"] | str' in model  # open for responses
    snippet = tmp_path / "use_enum.py"
    snippet.write_text(
        "from petstore import Client\n\n\n"
        "def use(client: Client) -> None:\n"
        '    client.pets.list(status=["available", "sold"])\n'
        '    client.pets.list(status=["availabel"])\n'
        "    pet = client.pets.get(1)\n"
        '    if pet.status == "retired":  # a response may carry a value the spec does not list\n'
        "        print(pet)\n"
    )
    errors, output = _mypy_errors(out, snippet)
    assert len(errors) == 1, output
    assert "use_enum.py:6:" in errors[0] and "availabel" in errors[0]


ENUM_LIST = """\
openapi: 3.0.3
info: {title: EnumList, version: 1.0.0}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                color: {$ref: "#/components/schemas/Color"}
                colors: {$ref: "#/components/schemas/Colors"}
                by_name: {$ref: "#/components/schemas/ColorMap"}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
components:
  schemas:
    Color: {type: string, enum: [red, green]}
    Colors: {type: array, items: {$ref: "#/components/schemas/Color"}}
    ColorMap: {type: object, additionalProperties: {type: string, enum: [red, green]}}
    Thing:
      type: object
      properties:
        colors: {$ref: "#/components/schemas/Colors"}
        by_name: {$ref: "#/components/schemas/ColorMap"}
"""


def test_an_alias_made_of_an_open_enum_is_strict_in_requests(tmp_path: Path) -> None:
    """A helper's type review (Twilio's `use_case_categories`): a list-of-enum alias stayed
    open in request signatures (`colors=["blue"]` type-checked) where the enum itself was
    strict; so did a map of them. Spelled out strictly there, open where responses parse."""
    from tests.builds import build_into

    spec = tmp_path / "enumlist.yaml"
    spec.write_text(ENUM_LIST)
    out = tmp_path / "out"
    build_into(spec, out, name="enumlist")
    resource = (out / "enumlist" / "resources" / "things.py").read_text()
    assert 'colors: Sequence[Literal["red", "green"]] | NotGiven' in resource
    assert 'by_name: Mapping[str, Literal["red", "green"]] | NotGiven' in resource
    model = (out / "enumlist" / "models" / "colors.py").read_text()
    assert "Colors: TypeAlias = list[Color]" in model  # open for responses
    snippet = tmp_path / "use_list.py"
    snippet.write_text(
        "from enumlist import Client\n\n\n"
        "def use(client: Client) -> None:\n"
        '    client.things.create(colors=["red"], by_name={"a": "green"})\n'
        '    client.things.create(colors=["blue"])\n'
        '    client.things.create(by_name={"a": "blue"})\n'
    )
    errors, output = _mypy_errors(out, snippet)
    assert [e.split(":")[1] for e in errors] == ["6", "7"], output


def test_an_int_enum_past_64_bits_is_its_type_not_a_literal(tmp_path: Path) -> None:
    """A helper's fuzzing: `enum: [1, 18446744073709551616]` gave `Literal[1,
    18446744073709551616] | int`, which mypy refuses ("Literal[...] cannot contain arbitrary
    expressions": it takes 64-bit int literals only). Such an enum is typed `int`."""
    import json

    from tests.builds import build_into

    document = {
        "openapi": "3.0.3",
        "info": {"title": "Big", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "operationId": "getA",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/K"}}
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "K": {
                    "type": "object",
                    "properties": {
                        "big": {"type": "integer", "enum": [1, 18446744073709551616]},
                        "small": {"type": "integer", "enum": [1, 9223372036854775807]},
                    },
                }
            }
        },
    }
    spec = tmp_path / "big.json"
    spec.write_text(json.dumps(document))
    build_into(spec, tmp_path / "out" / "big", name="big")
    snippet = tmp_path / "use_big.py"
    snippet.write_text(
        "from big.models import K\n\n"
        "k = K.model_validate({'big': 18446744073709551616, 'small': 1})\n"
        "print(k.big, k.small)\n"
        "big: int | None = k.big\n"
    )
    errors, output = _mypy_errors(tmp_path / "out" / "big", snippet)
    assert errors == [], output
    model = next((tmp_path / "out" / "big" / "big" / "models").glob("k*.py")).read_text()
    assert "18446744073709551616" not in model and "9223372036854775807" in model
