"""`_rt.later`: models named through it are imported and built only when data for them is
validated, and behave as plain references do (errors, unions, dumps, JSON schema, fallback)."""

from __future__ import annotations

import asyncio
import importlib
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic
import pytest

from apigen_runtime._lazy import Later, LaterUnion
from apigen_runtime._models import construct

_MEMBERS = {
    "b": """
        class B(Model):
            object: Literal["b"]
            x: int
            inner: Leaf | None = None
    """,
    "c": """
        class C(Model):
            object: Literal["c"]
            y: int = 0
            z: int = 0
    """,
    "leaf": """
        class Leaf(Model):
            n: int
    """,
}
_OWNER = """
    class A(Model):
        one: B | None = None
        many: list[B] | None = None
        either: str | B | C | None = None
        by_tag: Annotated[
            Annotated[B, Tag("B")] | Annotated[C, Tag("C")] | Annotated[B | C, Tag("*")],
            Discriminator(discriminator("object", {"b": "B", "c": "C"}, fallback="*")),
        ] | None = None
"""
_HEADER = """
    from __future__ import annotations
    from typing import TYPE_CHECKING, Annotated, Literal
    from pydantic import Discriminator, Tag
    from apigen_runtime import later
    from apigen_runtime._models import Model, discriminator
"""


def _write(root: Path, package: str, lazy: bool) -> None:
    folder = root / package
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    for name, body in _MEMBERS.items():
        head = "from .leaf import Leaf\n" if name == "b" else ""
        (folder / f"{name}.py").write_text(textwrap.dedent(_HEADER) + head + textwrap.dedent(body))
    if lazy:
        names = textwrap.dedent("""
            if TYPE_CHECKING:
                from .b import B
                from .c import C
            else:
                B = later(__package__, ".b", "B")
                C = later(__package__, ".c", "C")
        """)
    else:
        names = "from .b import B\nfrom .c import C\n"
    (folder / "a.py").write_text(textwrap.dedent(_HEADER) + names + textwrap.dedent(_OWNER))


@pytest.fixture
def pkgs(tmp_path: Path) -> Iterator[tuple[ModuleType, ModuleType]]:
    """(`lazy_pkg.a`, `eager_pkg.a`): the same models, with and without `later`."""
    _write(tmp_path, "lazy_pkg", lazy=True)
    _write(tmp_path, "eager_pkg", lazy=False)
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module("lazy_pkg.a"), importlib.import_module("eager_pkg.a")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.split(".")[0] in ("lazy_pkg", "eager_pkg")]:
            del sys.modules[name]


FULL = {
    "one": {"object": "b", "x": "3", "inner": {"n": 1}},
    "many": [{"object": "b", "x": 1}],
    "either": {"object": "c", "y": 2},
    "by_tag": {"object": "c", "z": 5},
}


def test_nothing_is_imported_until_data_for_it_is_validated(
    pkgs: tuple[ModuleType, ModuleType],
) -> None:
    lazy, _ = pkgs
    assert "lazy_pkg.b" not in sys.modules and "lazy_pkg.c" not in sys.modules
    a = lazy.A.model_validate({"either": "cus_1", "one": None})
    assert a.either == "cus_1" and a.one is None
    assert "lazy_pkg.b" not in sys.modules and "lazy_pkg.c" not in sys.modules
    lazy.A.model_validate({"one": {"object": "b", "x": 1}})
    assert "lazy_pkg.b" in sys.modules and "lazy_pkg.c" not in sys.modules


def test_field_annotations_hold_placeholders(pkgs: tuple[ModuleType, ModuleType]) -> None:
    lazy, _ = pkgs
    fields = lazy.A.model_fields
    assert isinstance(fields["either"].annotation, LaterUnion)
    b = vars(lazy)["B"]
    assert isinstance(b, Later) and b.resolve() is importlib.import_module("lazy_pkg.b").B


@pytest.mark.parametrize("how", ["python", "json"])
def test_valid_nested_data_validates_as_with_plain_imports(
    pkgs: tuple[ModuleType, ModuleType], how: str
) -> None:
    lazy, eager = pkgs
    results = []
    for module in (lazy, eager):
        if how == "json":
            results.append(module.A.model_validate_json(pydantic.TypeAdapter(Any).dump_json(FULL)))
        else:
            results.append(module.A.model_validate(FULL))
    got, want = results
    assert type(got.one).__name__ == "B" and got.one.x == 3 and got.one.inner.n == 1
    assert type(got.either).__name__ == "C" and type(got.by_tag).__name__ == "C"
    assert got.model_dump() == want.model_dump()
    assert got.model_dump(by_alias=True, exclude_unset=True) == want.model_dump(
        by_alias=True, exclude_unset=True
    )
    assert got.model_dump_json() == want.model_dump_json()
    assert got.model_dump(mode="json", include={"one": {"x"}}) == {"one": {"x": 3}}


def test_invalid_nested_data_fails_with_the_same_errors(
    pkgs: tuple[ModuleType, ModuleType],
) -> None:
    lazy, eager = pkgs
    bad = {"one": {"object": "b", "x": "q"}, "many": [{"object": "b"}]}
    errors = []
    for module in (lazy, eager):
        with pytest.raises(pydantic.ValidationError) as caught:
            module.A.model_validate(bad)
        errors.append([(e["type"], e["loc"]) for e in caught.value.errors()])
    assert (
        errors[0]
        == errors[1]
        == [
            ("int_parsing", ("one", "x")),
            ("missing", ("many", 0, "x")),
        ]
    )


def test_unions_pick_the_same_member(pkgs: tuple[ModuleType, ModuleType]) -> None:
    lazy, eager = pkgs
    for value in (
        {"object": "b", "x": 1},
        {"object": "c"},
        "id_1",
        None,
    ):
        tagged = value if not isinstance(value, str) else None  # (no `str` member there)
        got = lazy.A.model_validate({"either": value, "by_tag": tagged})
        want = eager.A.model_validate({"either": value, "by_tag": tagged})
        assert type(got.either).__name__ == type(want.either).__name__
        assert type(got.by_tag).__name__ == type(want.by_tag).__name__
    with pytest.raises(pydantic.ValidationError):
        lazy.A.model_validate({"either": {"object": "d"}})
    with pytest.raises(pydantic.ValidationError):
        lazy.A.model_validate({"by_tag": {"object": "b"}})  # tagged B without its `x`


def test_json_schema_matches_plain_imports(pkgs: tuple[ModuleType, ModuleType]) -> None:
    lazy, eager = pkgs
    for mode in ("validation", "serialization"):
        got = lazy.A.model_json_schema(mode=mode)
        want = eager.A.model_json_schema(mode=mode)
        # the one difference: a field holding a lazily named model gets a title from its name
        assert got["properties"]["one"].pop("title") == "One"
        assert got == want


def test_values_built_without_validation_dump(pkgs: tuple[ModuleType, ModuleType]) -> None:
    lazy, _ = pkgs
    b = importlib.import_module("lazy_pkg.b").B
    assert not b.__pydantic_complete__
    owner = lazy.A.model_construct(one=b.model_construct(object="b", x=1))
    assert owner.model_dump(exclude_unset=True) == {"one": {"object": "b", "x": 1}}


def test_lenient_construct_builds_nested_models(pkgs: tuple[ModuleType, ModuleType]) -> None:
    lazy, _ = pkgs
    data = {"one": {"object": "b", "x": "q"}, "either": {"object": "c", "y": "1"}}
    made = construct(lazy.A, data)
    assert type(made.one).__name__ == "B" and made.one.x == "q"  # kept as received
    assert type(made.either).__name__ == "C" and made.either.y == "1"
    strict = construct(lazy.A, {"either": {"object": "b", "x": 1}, "by_tag": {"object": "c"}})
    assert type(strict.either).__name__ == "B" and type(strict.by_tag).__name__ == "C"


def test_first_use_from_many_threads_at_once(pkgs: tuple[ModuleType, ModuleType]) -> None:
    lazy, _ = pkgs

    async def main() -> list[Any]:
        jobs = [asyncio.to_thread(lazy.A.model_validate, FULL) for _ in range(8)]
        return list(await asyncio.gather(*jobs))

    results = asyncio.run(main())
    assert {type(r.one).__name__ for r in results} == {"B"}
    assert len({r.model_dump_json() for r in results}) == 1


_CYCLE = {
    "node": """
        if TYPE_CHECKING:
            from .edge import Edge
        else:
            Edge = later(__package__, ".edge", "Edge")

        class Node(Model):
            name: str
            out: list[Edge] | None = None
    """,
    "edge": """
        if TYPE_CHECKING:
            from .node import Node
        else:
            Node = later(__package__, ".node", "Node")

        class Edge(Model):
            to: str | Node
    """,
}


def test_a_cycle_of_lazily_named_models_validates_and_has_a_json_schema(tmp_path: Path) -> None:
    folder = tmp_path / "lazy_cycle_pkg"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    for name, body in _CYCLE.items():
        (folder / f"{name}.py").write_text(textwrap.dedent(_HEADER) + textwrap.dedent(body))
    sys.path.insert(0, str(tmp_path))
    try:
        node = importlib.import_module("lazy_cycle_pkg.node").Node
        value = node.model_validate(
            {"name": "a", "out": [{"to": "b"}, {"to": {"name": "c", "out": [{"to": "a"}]}}]}
        )
        assert value.out[1].to.out[0].to == "a"
        # before: RecursionError (each lazily named model generated the other's schema again)
        for mode in ("validation", "serialization"):
            schema = node.model_json_schema(mode=mode)
            assert set(schema["$defs"]) == {"Edge", "Node"}, schema
            edge = schema["$defs"]["Edge"]["properties"]["to"]
            assert {"$ref": "#/$defs/Node"} in edge["anyOf"], edge
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("lazy_cycle_pkg")]:
            del sys.modules[name]


def test_a_union_with_a_lazy_member_after_two_others_picks_by_the_data(tmp_path: Path) -> None:
    """Helper 216: `A | B | Later(C)` arrives as `(A | B, C)`; its models were counted as one,
    so the union went to pydantic as `A | B | <function validator>`, and the lazy member won
    for any body (Stripe's `str | A | Later(C)` too)."""
    folder = tmp_path / "lazy_tail_pkg"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    model = "from typing import Literal\nfrom pydantic import BaseModel\n\n\nclass {0}(BaseModel):\n    type: Literal['{1}'] | str\n    v: str\n"
    (folder / "c.py").write_text(model.format("C", "c"))
    (folder / "m.py").write_text(
        model.format("A", "a")
        + "\n\n"
        + model.format("B", "b").split("\n\n\n", 1)[1]
        + "\n\nfrom apigen_runtime._lazy import later\n\nC = later(__package__, '.c', 'C')\n\n\n"
        "class Nested(BaseModel):\n    x: A | B | C\n\n\n"
        "class Expandable(BaseModel):\n    x: str | A | C\n"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        m = importlib.import_module("lazy_tail_pkg.m")
        assert type(m.Nested.model_validate({"x": {"type": "b", "v": "1"}}).x).__name__ == "B"
        assert type(m.Nested.model_validate({"x": {"type": "c", "v": "1"}}).x).__name__ == "C"
        assert type(m.Expandable.model_validate({"x": {"type": "a", "v": "1"}}).x).__name__ == "A"
        assert m.Expandable.model_validate({"x": "id_1"}).x == "id_1"
        # its JSON schema names each member (a CI run: generated inline, Stripe's `Account`
        # ran out of stack)
        schema = m.Nested.model_json_schema()
        assert {"A", "B", "C"} <= set(schema["$defs"]), schema
        refs = [part.get("$ref") for part in schema["properties"]["x"]["anyOf"]]
        assert refs == ["#/$defs/A", "#/$defs/B", "#/$defs/C"], schema
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n.startswith("lazy_tail_pkg")]:
            del sys.modules[name]
