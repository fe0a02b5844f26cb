"""The one JSON-pointer module (issue 11): escaping, splitting, joining and following."""

from __future__ import annotations

import pytest

from apigen.spec import pointer


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
