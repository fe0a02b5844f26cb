"""Model graphs are imported and built with the cyclic collector paused, and it comes back."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from apigen_runtime._lazy import _Lazy, gc_paused
from apigen_runtime._operation import LazyResponses, Response


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


class Pet(BaseModel):
    name: str


def test_pause_turns_the_collector_back_on_even_after_an_error() -> None:
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(KeyError), gc_paused():
        raise KeyError("x")
    assert gc.isenabled()


def test_nested_pause_and_a_collector_the_caller_turned_off_are_left_alone() -> None:
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause did not turn it back on early
    assert gc.isenabled()
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_lazy_validator_builds_with_the_collector_paused() -> None:
    seen: list[bool] = []

    def load() -> type[Pet]:
        seen.append(gc.isenabled())
        return Pet

    lazy = _Lazy(load)
    assert lazy.validator().validate_python({"name": "Rex"}) == Pet(name="Rex")
    assert seen == [False]
    assert gc.isenabled()


def test_responses_load_and_adapter_build_with_the_collector_paused() -> None:
    seen: list[bool] = []

    def load() -> dict[str, Response]:
        seen.append(gc.isenabled())
        return {"200": Response(Pet, "json")}

    responses = LazyResponses(load)
    assert responses["200"].adapter().validate_json(b'{"name": "Rex"}') == Pet(name="Rex")
    assert seen == [False]
    assert gc.isenabled()
