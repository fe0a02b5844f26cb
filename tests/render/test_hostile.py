"""A spec is untrusted input: hostile text stays data, hostile names stay harmless identifiers."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from apigen.ir.schemas import MAX_MODEL_DEPTH
from tests.builds import build_into, check_generated, manifest, on_path

CANARY = "/tmp/apigen-hostile-canary"
PAYLOADS = [
    f'"""; open("{CANARY}", "w")  #',
    f"'''; open('{CANARY}', 'w')  #",
    f'\\"; open("{CANARY}", "w"); x = "\\',
    f"{{{{ cycler.__init__.__globals__.os.system('touch {CANARY}') }}}}",
    f"{{% for x in range(3) %}}{{{{ open('{CANARY}', 'w') }}}}{{% endfor %}}",
    f"\n\nimport os\nos.system('touch {CANARY}')\n",
    f"# comment\r\nopen('{CANARY}', 'w')",
    '\x00\x01\x1b[31m\u2028\u2029 trailing quote"',
]
NAMES = [
    "class",
    "def",
    "self",
    "None",
    "True",
    "model_config",
    "json",
    "schema",
    "copy",
    "__init__",
    "__class__",
    "__dict__",
    "_private",
    "quote",
    "httpx",
    "_rt",
    "NOT_GIVEN",
    "request_options",
    "extra_headers",
    "timeout",
    "idempotency_key",
    "Any",
    "Literal",
    "Field",
    "str",
    "int",
    "list",
    "dict",
    "+1",
    "-1",
    "",
    "a.b.c",
    "x-y",
    "X Y",
    "日本",
    "import os",
]


def hostile_spec() -> dict[str, Any]:
    props = {
        name: {"type": "string", "description": PAYLOADS[i % len(PAYLOADS)]}
        for i, name in enumerate(NAMES)
    }
    props["level"] = {"type": "string", "enum": [*PAYLOADS, "+1", "-1", "a", "A"]}
    props["count"] = {"type": "integer", "enum": [1, -1, 2]}
    props["weird_default"] = {"type": "string", "default": PAYLOADS[0]}
    schemas: dict[str, Any] = {
        name: {
            "type": "object",
            "title": PAYLOADS[3],
            "description": PAYLOADS[0],
            "properties": props,
        }
        for name in [
            "Client",
            "Response",
            "Any",
            "Field",
            "NotGiven",
            "os.path",
            "class",
            "__builtins__",
            "Foo Bar",
            "123abc",
            "foo_bar",
            "FooBar",
        ]
    }
    schemas["Node"] = {
        "type": "object",
        "properties": {
            "child": {"$ref": "#/components/schemas/Node"},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
        },
    }
    params = [
        {"name": n, "in": "query", "description": PAYLOADS[1], "schema": {"type": "string"}}
        for n in NAMES
        if n
    ]
    return {
        "openapi": "3.0.3",
        "info": {"title": PAYLOADS[0], "version": PAYLOADS[2], "description": PAYLOADS[4]},
        "servers": [{"url": f"https://example.com/{PAYLOADS[2]}"}],
        "tags": [{"name": PAYLOADS[5]}],
        "paths": {
            "/things/{class}": {
                "get": {
                    "operationId": f"__import__('os').system('touch {CANARY}')",
                    "tags": [PAYLOADS[5]],
                    "summary": PAYLOADS[0],
                    "description": PAYLOADS[6],
                    "parameters": [
                        {
                            "name": "class",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        *params,
                    ],
                    "responses": {
                        "200": {
                            "description": PAYLOADS[7],
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Client"}
                                }
                            },
                        }
                    },
                },
                "post": {
                    "operationId": "def",
                    "tags": ["import"],
                    "parameters": [
                        {
                            "name": "class",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"type": "object", "properties": props}}
                        }
                    },
                    "responses": {
                        "201": {
                            "description": "x",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Node"}
                                }
                            },
                        }
                    },
                },
            },
        },
        "components": {"schemas": schemas},
    }


def deep_spec_text(depth: int) -> str:
    """JSON text nested `depth` levels deep (written by hand: json.dumps itself would recurse)."""
    schema = '{"type":"object","properties":{"inner":' * depth + '{"type":"string"}' + "}}" * depth
    cycle = {
        f"C{i}": {
            "type": "object",
            "properties": {"next": {"$ref": f"#/components/schemas/C{(i + 1) % 50}"}},
        }
        for i in range(50)
    }
    head = {"openapi": "3.1.0", "info": {"title": "deep", "version": "1"}}
    response = '{"description":"x","content":{"application/json":{"schema":' + schema + "}}}"
    return (
        json.dumps(head)[:-1]
        + ',"paths":{"/deep":{"get":{"operationId":"deep","responses":{"200":'
        + response
        + '}}}},"components":{"schemas":{"Deep":'
        + schema
        + ","
        + json.dumps(cycle)[1:-1]
        + "}}}"
    )


def test_hostile_spec_builds_to_inert_code(tmp_path: Path) -> None:
    Path(CANARY).unlink(missing_ok=True)
    spec = tmp_path / "hostile.json"
    spec.write_text(json.dumps(hostile_spec()))
    out = tmp_path / "hostile"
    build_into(spec, out)
    data = check_generated(out)  # imports every module, resolves every call and model
    assert not Path(CANARY).exists(), "spec text was executed"
    assert len(data["models"]) == 13
    for path in (out / "hostile").rglob("*.py"):
        compile(path.read_text(), str(path), "exec")
    # Calling through the client sends the hostile strings as data, never as code.
    code = (
        "import hostile, httpx\n"
        "seen = []\n"
        "def handler(request):\n"
        "    seen.append(request)\n"
        "    return httpx.Response(200, json={'class': 'x', '+1': 'y', 'model_config': 'z'})\n"
        "c = hostile.Client(base_url='http://t', http_client=httpx.Client("
        "transport=httpx.MockTransport(handler)))\n"
        "import json, sys\n"
        "m = json.load(open('apigen.json'))\n"
        "call = m['operations'][0]['call'].split('.')\n"
        "target = c\n"
        "for a in call: target = getattr(target, a)\n"
        "r = target(class_='a/b')\n"
        "print(seen[0].url.raw_path.decode(), r.class_, r.model_config_)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["/things/a%2Fb", "x", "z"]
    assert not Path(CANARY).exists()


def test_hostile_names_are_distinct_and_wire_names_kept(tmp_path: Path) -> None:
    spec = tmp_path / "hostile.json"
    spec.write_text(json.dumps(hostile_spec()))
    build_into(spec, tmp_path / "h2")
    models = manifest(tmp_path / "h2")["models"]
    classes = [v.rsplit(".", 1)[1] for v in models.values()]
    assert len(set(classes)) == len(classes)
    assert all(c.isidentifier() and c.isascii() for c in classes)
    assert not any(c[-1].isdigit() for c in classes if c != "N123abc")


def test_deep_nesting_and_cycles_do_not_recurse_without_bound(tmp_path: Path) -> None:
    spec = tmp_path / "deep.json"
    spec.write_text(deep_spec_text(2000))
    result = subprocess.run(
        [sys.executable, "-m", "apigen", "build", str(spec), "-o", str(tmp_path / "deep")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "RecursionError" not in result.stderr
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr[-2000:]
    assert "nested deeper than" in result.stderr  # the cut is reported, not silent
    check_generated(tmp_path / "deep")


@pytest.mark.parametrize("levels", [140, 198, 260])
def test_arrays_nested_near_the_cap_give_python_that_compiles(tmp_path: Path, levels: int) -> None:
    """A helper's hostile-input review: a response of arrays nested 198 deep passed the
    200-level cap, and the build failed with "apigen generated invalid Python: too many nested
    parentheses" (CPython's parser stops at 200 brackets, and the code wraps the type in a few
    more). The cap is 150 levels: past it `Any`, with the warning."""
    schema = '{"type":"array","items":' * levels + '{"type":"string"}' + "}" * levels
    spec = tmp_path / "arrays.json"
    spec.write_text(
        '{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/a":{"get":'
        '{"operationId":"getA","responses":{"200":{"description":"ok","content":'
        '{"application/json":{"schema":' + schema + "}}}}}}}}"
    )
    result = subprocess.run(
        [sys.executable, "-m", "apigen", "build", str(spec), "-o", str(tmp_path / "arrays")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert ("nested deeper than" in result.stderr) is (levels > 150)
    check_generated(tmp_path / "arrays")


def test_a_deeply_nested_inline_object_gives_models_that_validate(tmp_path: Path) -> None:
    """Inline models live in their component's module, each naming the next by a forward
    reference that pydantic resolves recursively: 100 nested models exhausted the recursion
    limit at the first `model_validate` (the build and the import were fine). Past
    `MAX_MODEL_DEPTH` an inline object is a dict, with a warning."""
    spec = tmp_path / "deep.json"
    spec.write_text(deep_spec_text(150))
    result = build_into(spec, tmp_path / "deep")
    assert any("inline object nested deeper" in d.message for d in result.report.items)
    data: dict[str, Any] = {"inner": "leaf"}
    for _ in range(148):
        data = {"inner": data}
    with on_path(tmp_path / "deep", "deep"):
        models_module = importlib.import_module("deep.models")
        value: Any = models_module.Deep.model_validate(data)
        models = 0
        while not isinstance(value, dict):
            models, value = models + 1, value.inner
        assert 16 <= models <= MAX_MODEL_DEPTH // 2 + 1  # models down to the cut, then the data
        depth = 0
        while isinstance(value, dict):
            depth, value = depth + 1, value["inner"]
        assert (models + depth, value) == (149, "leaf")


def test_no_control_or_bidi_character_reaches_the_package(tmp_path: Path) -> None:
    """A helper's hostile-input review: bidirectional controls in descriptions reached the
    generated docstrings ("Trojan Source": ruff PLE2502 flagged 16 lines), a NUL reached the
    README, and the manifest held them raw (GitHub flags such a file). Prose loses them; the
    manifest escapes them (its values are data: the same to a JSON reader)."""
    import re

    odd = "a\u202eb\u2066c\u2069d\x00e\x1bf\x85g\u200fh\u200bi"  # (a zero-width space: PLE2515)
    spec = {
        "openapi": "3.0.3",
        "info": {"title": f"Odd {odd}", "version": "1", "description": odd},
        # values that are no prose (a helper's review: they reached the README raw)
        "servers": [
            {
                "url": "https://{region}.example.com",
                "variables": {"region": {"default": f"eu{odd}", "enum": [f"eu{odd}", "us"]}},
            }
        ],
        "components": {
            "securitySchemes": {
                "oauth": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": f"https://auth.example.com/{odd}",
                            "scopes": {},
                        }
                    },
                }
            }
        },
        "security": [{"oauth": []}],
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "summary": odd,
                    "description": f"{odd}\n\n| x | {odd} |",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "description": odd,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": odd,
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "description": odd,
                                        "properties": {
                                            "kind": {"type": "string", "enum": [odd, "plain"]},
                                            "note": {"type": "string", "description": odd},
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            }
        },
    }
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(spec))
    out = tmp_path / "odd"
    build_into(path, out)
    unseen = re.compile(
        "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]"
    )
    for file in out.rglob("*"):
        if file.is_file() and "_runtime" not in file.parts:
            text = file.read_bytes().decode("utf-8")
            assert not unseen.search(text), (file, unseen.findall(text))
    with on_path(out, "odd"):  # the enum value itself is kept, as an escape
        import typing

        from odd.types.things import ThingsListResponse  # type: ignore[import-not-found]

        kind = ThingsListResponse.model_fields["kind"].annotation
        assert odd in {a for m in typing.get_args(kind) for a in typing.get_args(m)}
