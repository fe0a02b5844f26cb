"""The runtime facts a build writes out so that it need not import the runtime: the names it
reserves (pipeline.py) are exactly the public attributes of the runtime's client and resource
base classes, and the error classes it re-exports (render `_ERRORS`) have the bases listed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from apigen import pipeline
from apigen.bundled import runtime_module
from apigen.render import _ERRORS
from tests.conftest import ROOT


def _public(*classes: object) -> set[str]:
    return {n for cls in classes for n in dir(cls) if not n.startswith("_")}


def test_reserved_names_match_the_runtime() -> None:
    """The clients' instances, not only their classes: the settings `__init__` sets (a tag
    `timeout` or `max_retries` made a resource the setting hid: mypy reported 32 override
    errors, `client.max_retries.list()` raised `AttributeError`)."""
    rt = runtime_module()
    clients = (
        rt.SyncAPIClient(base_url="https://x.test"),
        rt.AsyncAPIClient(base_url="https://x.test"),
    )
    generated = {"with_raw_response", "with_streaming_response"}  # the template's (docs §98)
    assert _public(*clients) | generated == pipeline.RESERVED_CLIENT
    resource = _public(rt.SyncResource, rt.AsyncResource)
    assert resource | {"with_raw_response", "with_streaming_response"} == pipeline.RESERVED_RESOURCE


def test_error_bases_match_the_runtime() -> None:
    rt = runtime_module()
    assert {name: getattr(rt, name).__bases__[0].__name__ for name in _ERRORS} == _ERRORS
    errors = {
        name
        for name in rt.__all__
        if isinstance(getattr(rt, name), type) and issubclass(getattr(rt, name), rt.APIError)
    }
    # every runtime error but WebhookVerificationError, which the verifiers raise (a package
    # exports it among its lazy helpers, not its `_exceptions`)
    assert errors - set(_ERRORS) == {"WebhookVerificationError"}


def test_a_build_does_not_import_the_runtime() -> None:
    """Importing the pipeline, asking for the reserved names and rendering a (vendored) client
    load neither httpx nor the runtime (they cost ~0.15 s a build)."""
    code = (
        "import sys; from apigen import pipeline; pipeline._reserved();"
        "from apigen.diagnostics import Report; from apigen.render import render_api;"
        "doc = {'openapi': '3.0.3', 'info': {'title': 'T', 'version': '1'}, 'paths': {}};"
        "from apigen.ir import build_api;"
        "render_api(build_api(doc, package='pkg', spec_file='t.json',"
        " spec_sha256='0', report=Report(), reserved_client=set(), reserved_resource=set(),"
        " options=None, lock=None));"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('httpx', 'apigen_runtime', 'pydantic')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_a_whole_build_does_not_import_the_runtime(tmp_path: Path) -> None:
    """The same for `build()` of a spec, end to end (load, IR, render, compile, ruff, write)."""
    code = (
        "import sys; from pathlib import Path; from apigen import pipeline;"
        f"pipeline.build({str(ROOT / 'specs' / 'petstore.yaml')!r}, Path(sys.argv[1]));"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('httpx', 'apigen_runtime', 'pydantic')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "petstore")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]", out.stdout
    assert (tmp_path / "petstore" / "petstore" / "_exceptions.py").is_file()


def test_a_tag_named_like_a_client_setting_becomes_another_resource() -> None:
    """A helper's hostile-name sweep: tags `timeout`, `max_retries`, `base_url`... built
    without a word into resources the client's own settings then hid."""
    from apigen.diagnostics import Report
    from apigen.ir import build_api

    names = ["timeout", "max_retries", "base_url", "strict_response_validation"]
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            f"/{n}": {
                "get": {
                    "operationId": f"list_{n}",
                    "tags": [n],
                    "responses": {"204": {"description": "ok"}},
                }
            }
            for n in names
        },
    }
    reserved_client, reserved_resource = pipeline._reserved()
    api = build_api(
        doc,
        package="t",
        spec_file="t.json",
        spec_sha256="0",
        report=Report(),
        reserved_client=reserved_client,
        reserved_resource=reserved_resource,
        options=None,
        lock=None,
    )
    attrs = set(api.resources)
    assert not attrs & set(names), attrs
    assert {f"{n}_api" for n in names} <= attrs
