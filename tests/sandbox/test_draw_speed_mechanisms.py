"""What keeps drawn responses cheap (decisions.md 44) without changing a single drawn value:
schema facts worked out once per node, and routes indexed by their literal first segment."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from apigen.sandbox import ExampleGenerator, Router, Sandbox
from apigen.sandbox._examples import _Facts
from apigen.sandbox._refs import Resolver

OWNER = {
    "type": "object",
    "required": ["login"],
    "properties": {
        "login": {"type": "string", "example": "octocat"},
        "kind": {"type": "string", "enum": ["User", "Organization"]},
        "site_admin": {"type": "boolean", "nullable": True},
        "secret": {"type": "string", "writeOnly": True},
    },
}
REPO: dict[str, Any] = {
    "type": "object",
    "required": ["id", "owner"],
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "owner": {"$ref": "#/components/schemas/Owner"},
        "topics": {"type": "array", "items": {"type": "string", "maxLength": 8}},
        "parent": {"$ref": "#/components/schemas/Repo"},  # recurs: skipped when on the stack
        "license": {
            "nullable": True,
            "allOf": [
                {"type": "object", "required": ["key"], "properties": {"key": {"type": "string"}}},
                {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}},
            ],
        },
    },
}
DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "repos", "version": "1"},
    "paths": {},
    "components": {"schemas": {"Owner": OWNER, "Repo": REPO}},
}
ROOT = {"$ref": "#/components/schemas/Repo"}


def _ids(node: Any) -> set[int]:
    """The ids of every dict in a document."""
    if isinstance(node, dict):
        return {id(node)}.union(*(_ids(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_ids(v) for v in node))
    return set()


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    made: list[Any] = []
    original = ExampleGenerator._facts_of

    def counted(self: ExampleGenerator, node: Any, null_too: bool, schema: Any) -> _Facts:
        made.append(schema)
        return original(self, node, null_too, schema)

    monkeypatch.setattr(ExampleGenerator, "_facts_of", counted)
    return made


def test_a_second_draw_works_out_no_facts_again_but_for_merges(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = _counting(monkeypatch)
    generator = ExampleGenerator(DOC)
    first = [generator.generate(ROOT, key=f"first{i}", vary=True) for i in range(40)]
    assert made, "the first draws work the facts out"
    made.clear()
    values = [generator.generate(ROOT, key=f"draw{i}", vary=True) for i in range(40)]
    # only what an allOf merge built for this draw's stack is described again: no schema of
    # the document itself
    assert made and not {id(schema) for schema in made} & _ids(DOC)
    assert {"key", "url"} <= {k for s in made for k in s.get("properties", ())}
    assert len({repr(v) for v in [*first, *values]}) > 10, "draws still differ"


def test_cached_facts_keep_every_rule_a_response_follows() -> None:
    generator = ExampleGenerator(DOC)
    for i in range(60):
        value = generator.generate(ROOT, key=f"k{i}", vary=True)
        assert isinstance(value["id"], int) and value["id"] >= 1
        assert value["owner"]["login"]
        assert "secret" not in value["owner"], "writeOnly never sent"
        assert value["owner"].get("kind", "User") in ("User", "Organization")
        assert "parent" not in value or "parent" not in value["parent"], "recursion cut"
        assert all(len(t) <= 8 for t in value.get("topics", []))
        license_ = value.get("license")
        assert license_ is None or {"key", "url"} <= set(license_)


def test_an_enum_member_that_is_an_object_is_a_fresh_copy_each_draw() -> None:
    doc = {**DOC, "components": {"schemas": {"E": {"enum": [{"a": [1]}]}}}}
    generator = ExampleGenerator(doc)
    first = generator.generate({"$ref": "#/components/schemas/E"})
    first["a"].append(2)
    assert generator.generate({"$ref": "#/components/schemas/E"}) == {"a": [1]}


ROUTE_DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "routes", "version": "1"},
    "servers": [{"url": "/api"}],
    "paths": {
        path: {"get": {"responses": {"200": {"description": "ok"}}}}
        for path in (
            "/repos/{owner}/{repo}",
            "/repos/mine/{repo}",
            "/users/{user}/repos",
            "/{tenant}/repos/{id}",
            "/{tenant}/things/{id}",
            "/a b/{x}/c",
            "/a%20b/{x}/c",
            "/v1.{fmt}/{x}/y",
            "/",
            "/repos",
        )
    },
}
SEGMENTS = ("repos", "%72epos", "users", "mine", "a b", "a%20b", "v1.json", "x", "", "REPOS")


def test_the_head_index_routes_every_path_as_trying_every_route_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    router = Router(ROUTE_DOC, Resolver(ROUTE_DOC))
    paths = ["/", "/api"] + [
        "/" + "/".join(parts) for n in (1, 2, 3) for parts in itertools.product(SEGMENTS, repeat=n)
    ]
    paths += ["/api" + p for p in paths]

    def outcome(path: str) -> Any:
        found = router.match("get", path)
        return None if found is None else (found.route.template, sorted(found.params.items()))

    indexed = [outcome(p) for p in paths]
    monkeypatch.setattr(Router, "_candidates", lambda self, s: self._by_length.get(len(s), []))
    assert indexed == [outcome(p) for p in paths]
    assert sum(o is not None for o in indexed) > 50  # the paths do reach routes


def test_a_first_segment_sent_encoded_still_finds_its_literal_route() -> None:
    sandbox = Sandbox(ROUTE_DOC)
    assert sandbox.router.match("get", "/api/%72epos/mine/x") is not None
    found = sandbox.router.match("get", "/%72epos/mine/x")
    assert found is not None and found.route.template == "/repos/mine/{repo}"
    found = sandbox.router.match("get", "/a%20b/1/c")
    assert found is not None and found.route.template in ("/a b/{x}/c", "/a%20b/{x}/c")
