"""Issue 11: the names generated code takes from the runtime are exactly names the runtime
exports. Read from both sides: every `_rt.<Name>` / `from .._runtime import <Name>` that the
templates and the renderer can write (literal ones, and the tables behind the computed ones:
pagination descriptors, error classes, security schemes, page helpers) and every one the
committed-style builds contain must be in `apigen_runtime.__all__`; renaming one on either side
fails here, before any generated client is imported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import apigen_runtime as rt
from apigen.render import _ERRORS, _HELPERS
from apigen.render.views import _PAGINATION
from tests.conftest import ROOT

_LITERAL = re.compile(r"_rt\.([A-Za-z_][A-Za-z0-9_]*)")
_FROM = re.compile(r"from \.+_runtime import ([A-Za-z_, ]+)")
EXPORTED = set(rt.__all__)
SECURITY_KINDS = {
    "ApiKey",
    "HTTPBasic",
    "HTTPBearer",
    "OAuth2ClientCredentials",
    "OAuth2AuthorizationCode",
}
PAGE_HELPERS = {"raw_page", "streaming_page", "raw_async_page", "streaming_async_page"}


def _names(text: str) -> set[str]:
    found = set(_LITERAL.findall(text))
    for group in _FROM.findall(text):
        found |= {name.strip() for name in group.split(",") if name.strip()}
    return found


def test_renderer_sources_name_only_runtime_exports() -> None:
    sources = [
        *(ROOT / "templates").glob("*.jinja"),
        *(ROOT / "generator/apigen/render").glob("*.py"),
    ]
    named = set().union(*(_names(p.read_text()) for p in sources))
    assert named, "no runtime names found: the pattern is stale"
    assert named <= EXPORTED, sorted(named - EXPORTED)


def test_computed_names_are_runtime_exports() -> None:
    computed = {cls for cls, _, _ in _PAGINATION.values()}
    computed |= set(_ERRORS) | set(_HELPERS) | SECURITY_KINDS | PAGE_HELPERS
    computed |= {"SyncAPIClient", "AsyncAPIClient"}
    assert computed <= EXPORTED, sorted(computed - EXPORTED)
    for name in computed | SECURITY_KINDS:
        assert getattr(rt, name) is not None


def test_security_kinds_are_what_the_ir_emits() -> None:
    source = (ROOT / "generator/apigen/ir/security.py").read_text()
    emitted = set(re.findall(r'"(ApiKey|HTTP\w+|OAuth2\w+)"', source))
    assert emitted == SECURITY_KINDS


@pytest.mark.parametrize("name", ["petstore", "stripe", "github"])
def test_built_clients_name_only_runtime_exports(built: dict[str, Path], name: str) -> None:
    named: set[str] = set()
    for path in (built[name] / name).rglob("*.py"):
        if "_runtime" not in path.parts:
            named |= _names(path.read_text())
    assert {"Operation", "Param", "Response", "SyncResource"} <= named
    assert named <= EXPORTED, sorted(named - EXPORTED)
