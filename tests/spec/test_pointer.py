"""The one JSON-pointer module (issue 11): escaping, splitting, joining and following."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigen.diagnostics import Report, SpecError
from apigen.spec import load_spec, pointer


def test_escape_round_trip() -> None:
    for token in ("a/b", "~x", "~1", "plain", "", "a~/b"):
        assert pointer.unescape(pointer.escape(token)) == token
    assert pointer.join(["paths", "/pets/{id}", "get", 0]) == "#/paths/~1pets~1{id}/get/0"
    assert pointer.split("#/paths/~1pets~1{id}/get") == ["paths", "/pets/{id}", "get"]
    assert pointer.split("#") == [] and pointer.split("") == []
    with pytest.raises(ValueError):
        pointer.split("#paths")


def test_find_and_lookup() -> None:
    doc = {"a": [{"b/c": 1}], "n": None}
    assert pointer.find(doc, "#/a/0/b~1c") == 1
    assert pointer.find(doc, "#/n") is None
    assert pointer.find(doc, "#/a/1") is pointer.MISSING
    assert pointer.find(doc, "#/a/x") is pointer.MISSING
    assert pointer.find(doc, "not a pointer") is pointer.MISSING
    assert pointer.lookup(doc, "#/a/0") == {"b/c": 1}
    with pytest.raises(KeyError):
        pointer.lookup(doc, "#/missing")


def test_an_index_with_a_leading_zero_or_a_non_ascii_digit_names_no_item() -> None:
    """RFC 6901: an array index is `0` or digits without a leading zero. `#/items/01`
    resolved as item 1 (a left-alone finding, fixed by a lead audit)."""
    doc = {"a": ["x", "y"]}
    assert pointer.find(doc, "#/a/1") == "y" and pointer.find(doc, "#/a/0") == "x"
    for bad in ("01", "00", "²", "-1", "1.0", " 1"):
        assert pointer.find(doc, ["a", bad]) is pointer.MISSING, bad
    assert pointer.index("10", 11) == 10 and pointer.index("10", 10) is None


@pytest.mark.parametrize("where", ["root", "other file"])
def test_a_ref_through_a_zero_padded_index_is_reported_as_such(tmp_path: Path, where: str) -> None:
    (tmp_path / "other.yaml").write_text("list:\n  - {type: string}\n  - {type: integer}\n")
    ref = "#/components/schemas/A/allOf/01" if where == "root" else "other.yaml#/list/01"
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n"
        "    A: {allOf: [{type: object}, {type: object}]}\n"
        f"    B: {{$ref: '{ref}'}}\n"
    )
    report = Report()
    try:
        load_spec(spec, report=report)
        found = report.items
    except SpecError as err:
        found = err.diagnostics
    (d,) = [d for d in found if "01" in d.message]
    assert d.pointer == "#/components/schemas/B/$ref"
    assert "no leading zero" in d.message
