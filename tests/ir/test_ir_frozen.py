"""The IR is frozen once `build_api` returns (ir/freeze.py): readers cannot change it."""

from __future__ import annotations

import copy
import importlib
from collections.abc import Iterator
from dataclasses import FrozenInstanceError, dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from apigen.diagnostics import Report
from apigen.ir import Api, build_api
from apigen.ir.freeze import FrozenDict, FrozenList
from apigen.ir.nodes import FieldDef, ModelDef, OperationDef, ResourceDef
from apigen.ir.options import ApiOptions
from apigen.pipeline import _reserved, open_spec
from apigen.render import render_api
from tests.conftest import FIXTURES, shared_specs

SPECS = FIXTURES
freeze_module = importlib.import_module("apigen.ir.freeze")


def _build(path: Path, *, frozen: bool = True) -> Api:
    return _build_with(path, None, frozen=frozen)


def _build_with(path: Path, options: ApiOptions | None, *, frozen: bool = True) -> Api:
    report = Report()
    spec, name = open_spec(path, report=report)
    reserved_client, reserved_resource = _reserved()
    api_module = importlib.import_module("apigen.ir")
    saved = api_module.freeze
    if not frozen:
        api_module.freeze = lambda api: api  # type: ignore[attr-defined]
    try:
        return build_api(
            spec.document,
            package=path.stem.replace("-", "_"),
            spec_file=name,
            spec_sha256=spec.sha256,
            report=report,
            reserved_client=reserved_client,
            reserved_resource=reserved_resource,
            options=options,
        )
    finally:
        api_module.freeze = saved


SPEC_PATHS = {
    "petstore": lambda: shared_specs() / "petstore.yaml",
    "model-shapes": lambda: SPECS / "model-shapes.yaml",
    "long-running": lambda: SPECS / "long-running.yaml",
}


@pytest.fixture(scope="module", params=sorted(SPEC_PATHS))
def api(request: pytest.FixtureRequest) -> Api:
    return _build(SPEC_PATHS[request.param]())


def _reachable(obj: Any, seen: set[int] | None = None) -> Iterator[Any]:
    """Every dataclass instance, list and dict reachable from `obj`."""
    seen = set() if seen is None else seen
    if id(obj) in seen or isinstance(obj, str | int | float | bool | type(None)):
        return
    seen.add(id(obj))
    if isinstance(obj, list | dict) or is_dataclass(obj):
        yield obj
    if isinstance(obj, dict):
        children: Any = obj.values()
    elif isinstance(obj, list | tuple | frozenset):
        children = obj
    elif is_dataclass(obj):
        children = [getattr(obj, f.name) for f in fields(obj)]
    else:
        children = ()
    for child in children:
        yield from _reachable(child, seen)


def test_every_node_refuses_assignment(api: Api) -> None:
    nodes = [o for o in _reachable(api) if is_dataclass(o)]
    kinds = {type(o).__name__ for o in nodes}
    assert {"Api", "OperationDef", "ResourceDef", "ApiOptions"} <= kinds
    for node in nodes:
        first = fields(node)[0].name
        with pytest.raises(FrozenInstanceError):
            setattr(node, first, getattr(node, first))
        with pytest.raises(FrozenInstanceError):
            delattr(node, first)


def test_every_collection_refuses_change(api: Api) -> None:
    collections = [o for o in _reachable(api) if isinstance(o, list | dict)]
    assert collections
    for c in collections:
        assert isinstance(c, FrozenList | FrozenDict), type(c)
        if isinstance(c, list):
            with pytest.raises(TypeError, match="frozen"):
                c.append(None)
            with pytest.raises(TypeError, match="frozen"):
                c += [None]
            if c:
                with pytest.raises(TypeError, match="frozen"):
                    c[0] = c[0]
                with pytest.raises(TypeError, match="frozen"):
                    c.sort()
        else:
            with pytest.raises(TypeError, match="frozen"):
                c["x"] = None
            with pytest.raises(TypeError, match="frozen"):
                c.update({})
            with pytest.raises(TypeError, match="frozen"):
                c.pop("x", None)


def test_the_usual_mutations_raise(api: Api) -> None:
    op = api.operations[0]
    with pytest.raises(FrozenInstanceError):
        op.name = "renamed"
    with pytest.raises(TypeError):
        op.params.append(op.params[0] if op.params else None)
    with pytest.raises(TypeError):
        api.definitions.clear()
    with pytest.raises(TypeError):
        del api.resources[next(iter(api.resources))]
    models = [d for d in api.definitions.values() if isinstance(d, ModelDef) and d.fields]
    with pytest.raises(FrozenInstanceError):
        models[0].fields[0].doc = "changed"
    with pytest.raises(TypeError):
        models[0].fields.pop()


def test_frozen_values_are_what_their_annotations_say(api: Api) -> None:
    model = next(d for d in api.definitions.values() if isinstance(d, ModelDef) and d.fields)
    assert isinstance(model, ModelDef)
    assert isinstance(model.fields, list) and isinstance(model.fields[0], FieldDef)
    assert model.fields == list(model.fields)
    assert type(model).__name__ == "ModelDef" and repr(model).startswith("ModelDef(")
    assert isinstance(api.operations[0], OperationDef)
    assert all(isinstance(r, ResourceDef) for r in api.resources.values())
    # a copy is as frozen; `replace` makes a new, frozen node
    copied = copy.deepcopy(model)
    assert copied == model
    with pytest.raises(FrozenInstanceError):
        copied.name = "changed"
    renamed = replace(api.operations[0], name="other")
    assert renamed.name == "other" and api.operations[0].name != "other"
    assert type(renamed) is type(api.operations[0])
    with pytest.raises(FrozenInstanceError):
        renamed.name = "changed"


def test_freezing_again_changes_nothing(api: Api) -> None:
    ops = api.operations
    assert freeze_module.freeze(api) is api
    assert api.operations is ops


@pytest.mark.parametrize("name", sorted(SPEC_PATHS))
def test_rendering_a_frozen_ir_gives_the_same_files(name: str) -> None:
    path = SPEC_PATHS[name]()
    frozen = render_api(_build(path))
    assert frozen == render_api(_build(path, frozen=False))
    assert any(f.endswith(".py") for f in frozen)


def test_the_callers_options_stay_mutable() -> None:
    options = ApiOptions(headers={"X-Team": "a"})
    api = _build_with(SPECS / "model-shapes.yaml", options)
    assert api.options.headers == {"X-Team": "a"}
    with pytest.raises(TypeError):
        api.options.headers["X-Team"] = "b"
    options.headers["X-Team"] = "b"  # the caller's object is not the Api's
    options.spec_url = "https://example.com/spec.yaml"
    assert api.options.headers == {"X-Team": "a"} and api.options.spec_url is None


@dataclass
class _Holder:
    items: list[int]
    extra: Any  # anything: looked at by value
    tags: tuple[str, ...] = ()


def test_freeze_follows_any_and_tuples_and_leaves_plain_fields() -> None:
    holder = freeze_module.freeze(_Holder([1], ({"a": [2]},), ("t",)))
    assert isinstance(holder.items, FrozenList) and holder.items == [1]
    (inner,) = holder.extra
    assert isinstance(inner, FrozenDict) and isinstance(inner["a"], FrozenList)
    assert holder.tags == ("t",)
    with pytest.raises(FrozenInstanceError):
        holder.tags = ()
    with pytest.raises(TypeError, match="cannot freeze"):
        freeze_module.freeze(_Holder([], object()))
