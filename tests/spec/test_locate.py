"""JSON pointer -> line, for JSON and YAML texts."""

from __future__ import annotations

import pytest

from apigen.spec.locate import Locator, line_of
from apigen.spec.pointer import join as join_pointer
from apigen.spec.pointer import split as split_pointer

JSON_TEXT = """{
  "openapi": "3.0.3",
  "paths": {
    "/a/{id}": {
      "get": {
        "parameters": [
          {"name": "id"},
          {
            "name": "q"
          }
        ]
      }
    }
  },
  "x~y": {"s\\"t": 1}
}
"""

YAML_TEXT = """openapi: 3.0.3
paths:
  /a/{id}:
    get:
      parameters:
        - name: id
        -
          name: q
"x~y":
  's"t': 1
200: ok
"""


@pytest.mark.parametrize(
    ("pointer", "json_line", "yaml_line"),
    [
        ("", 1, 1),
        ("#", 1, 1),
        ("#/openapi", 2, 1),
        ("#/paths/~1a~1{id}", 4, 3),
        ("/paths/~1a~1{id}/get/parameters/0", 7, 6),
        ("#/paths/~1a~1{id}/get/parameters/1/name", 9, 8),
        ('#/x~0y/s"t', 15, 10),
        # a pointer that does not exist resolves to its deepest existing prefix
        ("#/paths/~1a~1{id}/get/parameters/7/name", 6, 5),
        ("#/nowhere/at/all", 1, 1),
    ],
)
def test_lines(pointer: str, json_line: int, yaml_line: int) -> None:
    assert line_of(JSON_TEXT, pointer) == json_line
    assert line_of(YAML_TEXT, pointer) == yaml_line


def test_yaml_int_keys_match_string_segments() -> None:
    assert line_of(YAML_TEXT, "#/200") == 11


def test_locator_is_reusable_and_lazy() -> None:
    locator = Locator(JSON_TEXT)
    assert locator.line("#/x~0y") == 15
    assert locator.line("#/openapi") == 2  # members scanned earlier are remembered
    assert locator.line("#/paths/~1a~1{id}/get") == 5


def test_unparseable_text_gives_no_line() -> None:
    assert line_of("a: [unclosed", "#/a") is None


def test_pointer_helpers_round_trip() -> None:
    segments = ["paths", "/a/{id}", "x~y", "0"]
    assert join_pointer(segments) == "#/paths/~1a~1{id}/x~0y/0"
    assert split_pointer(join_pointer(segments)) == segments
    assert split_pointer("#") == [] and split_pointer("") == []
    with pytest.raises(ValueError):
        split_pointer("paths")
