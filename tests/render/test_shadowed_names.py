"""Names a spec gives that shadow what generated code reads (a helper's pyright strict sweep of
the 320 corpus, corpus2 and features clients: 5 not clean). A schema `List` is the module
`models/list.py`, which the lazy `models/__init__.py` then read as its `list` builtin; a
TypedDict key `int` made a later key's `int` the key; a long deprecated method's
`# pyright: ignore` landed on the wrong line once ruff wrapped the statement."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.builds import assert_strict_mypy, build_document, on_path
from tests.conftest import run_pyright

_OBJECT = {"type": "object", "properties": {"a": {"type": "string"}}}
_LONG = "/search/{versionNumber}/routedFilter/{position}/{heading}.{ext}"


def _document() -> dict[str, Any]:
    path_params = [
        {"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
        for n in ("versionNumber", "position", "heading", "ext")
    ]
    ok = {"200": {"description": "ok"}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "shadows", "version": "1"},
        "servers": [{"url": "https://api.example.test"}],
        "paths": {
            _LONG: {
                "get": {
                    "tags": ["Filters"],
                    "deprecated": True,
                    "parameters": path_params,
                    "responses": ok,
                },
                "post": {
                    "tags": ["Filters"],
                    "deprecated": True,
                    "parameters": path_params,
                    "responses": {
                        "202": {
                            "description": "accepted",
                            "headers": {"Location": {"schema": {"type": "string"}}},
                        }
                    },
                },
            },
            "/search/{versionNumber}/geometryFilter.{ext}": {
                "get": {
                    "tags": ["Filters"],
                    "parameters": path_params[:1] + path_params[3:],
                    "responses": ok,
                },
            },
            **_class_body_paths(ok),
            "/x": {
                "post": {
                    "tags": ["str"],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "a": {
                                            "type": "object",
                                            "properties": {
                                                "int": {"type": "integer"},
                                                "b": {"type": "integer"},
                                            },
                                        }
                                    },
                                }
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": _OBJECT}},
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {name: _OBJECT for name in ("List", "Dict", "Str", "Sorted", "Getattr")}
        },
    }


# Names the client's and resources' class bodies read after their attributes: a tag
# `cached_property` made the package fail to import, an operation `overload` the stream
# switch's overloads after it, a tag `Self` replaced `typing.Self` in `_client.py` (Mist).
# Helper 208: a tag named like a wrapper `_client.py` imports (`ClientWithRawResponse`) made a
# resource class of that name (ruff F811, 12 mypy errors, users' `with_raw_response` untyped).
_CLASS_BODY_TAGS = (
    "cached_property",
    "httpx",
    "threading",
    "Self",
    "ClientWithRawResponse",
    "AsyncClientWithStreamingResponse",
)


def _class_body_paths(ok: dict[str, Any]) -> dict[str, Any]:
    chat_body = {
        "type": "object",
        "properties": {"stream": {"type": "boolean"}, "q": {"type": "string"}},
    }
    paths: dict[str, Any] = {
        f"/{tag.lower()}": {"get": {"tags": [tag], "operationId": f"list{tag}", "responses": ok}}
        for tag in _CLASS_BODY_TAGS
    }
    paths["/things/overload"] = {
        "post": {"tags": ["things"], "operationId": "overload", "responses": ok}
    }
    # methods named as the builtins the call options' annotations read (`max_retries: int`):
    # mypy read the method there ("not valid as a type"); `float` waits (`poll_timeout`)
    accepted = {"description": "accepted", "headers": {"Location": {"schema": {"type": "string"}}}}
    for name in ("str", "int", "float"):
        responses = {"202": accepted} if name == "float" else ok
        paths[f"/things/{name}"] = {
            "post": {"tags": ["things"], "operationId": name, "responses": responses}
        }
    paths["/things/chat"] = {
        "post": {
            "tags": ["things"],
            "operationId": "zchat",
            "requestBody": {"content": {"application/json": {"schema": chat_body}}},
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {"schema": _OBJECT},
                        "text/event-stream": {"schema": _OBJECT},
                    },
                }
            },
        }
    }
    return paths


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_document(tmp_path_factory, "shadows", _document())


def test_the_client_is_clean_under_pyright_strict(out: Path, tmp_path: Path) -> None:
    config = tmp_path / "pyrightconfig.json"
    config.write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.11"}))
    result = run_pyright("--outputjson", "--project", str(config), str(out), cwd=tmp_path)
    report = json.loads(result.stdout)
    errors = [
        f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']} ({d.get('rule')})"
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    assert errors == [], "\n".join(errors[:20])


def test_methods_named_like_builtins_leave_the_client_clean_under_mypy_strict(
    out: Path, tmp_path: Path
) -> None:
    """A helper's fuzzing: operations `str`, `int`, `float` beside others of their tag gave
    98 mypy errors (the options' `max_retries: int`, `idempotency_key: str` read the method);
    they read `_builtins.int` there now."""
    snippet = tmp_path / "use.py"
    snippet.write_text(
        "import shadows\n"
        "client = shadows.Client(base_url='http://127.0.0.1:9')\n"
        "client.things.str(max_retries=1, idempotency_key='k', deadline=2.0)\n"
        "client.things.float_and_wait(poll_timeout=1.0, poll_interval=0.5)\n"
    )
    assert_strict_mypy(out, snippet)
    text = (out / "shadows" / "resources" / "things.py").read_text()
    assert "max_retries: _builtins.int | NotGiven" in text


def test_a_model_module_named_like_a_builtin_leaves_the_package_working(out: Path) -> None:
    """At run time too: importing `models/sorted.py` bound `sorted` in the package, and its
    `__dir__` (`sorted(...)`) called the module."""
    with on_path(out, "shadows") as pkg:
        from shadows import models  # type: ignore[import-not-found]

        assert models.Sorted(a="x").a == "x" and models.Getattr(a="y").a == "y"
        assert models.List(a="z").a == "z"
        assert {"List", "Dict", "Str", "Sorted", "Getattr"} <= set(dir(models))
        assert pkg.Client is not None


def test_names_the_class_bodies_read_are_not_taken_by_resources_or_methods(out: Path) -> None:
    with on_path(out, "shadows") as pkg:
        client = pkg.Client(base_url="http://127.0.0.1:9")
        names = set(dir(client))
        assert not names & {"cached_property", "httpx", "threading"}
        assert callable(client.things.zchat) and callable(client.things.overload_)
        assert client.with_options(timeout=1.0).self.list is not None
    text = (out / "shadows" / "_client.py").read_text()
    assert "import AsyncSelf, Self" not in text
    with on_path(out, "shadows") as pkg:
        client = pkg.Client(base_url="http://127.0.0.1:9")
        wrapper = type(client.with_raw_response)
        assert wrapper.__module__ == "shadows._client_wrappers", wrapper
        resource = type(client.client_with_raw_response)
        assert resource.__name__ != "ClientWithRawResponse" and resource is not wrapper
