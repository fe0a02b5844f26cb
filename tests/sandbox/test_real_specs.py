"""The sandbox against the real specs: every operation answers, and synthesized data is valid."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from apigen.sandbox import ExampleGenerator, Sandbox
from apigen.sandbox._dialect import OAS30NullableValidator, OAS31BoundsValidator

from .conftest import feature_specs, load_spec

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

#: Feature specs whose schemas admit no valid instance of some kind, or need regex inversion.
KNOWN: dict[str, tuple[str, str]] = {
    "features/3.0/readme-legacy.yaml": (
        "is valid under each of",
        "oneOf variants differ only in `default`",
    ),
    "features/3.0/schema-deprecated.yaml": (
        "is valid under each of",
        "oneOf lists one schema twice",
    ),
    "features/3.0/complex-nesting.yaml": (
        "is valid under each of",
        "oneOf lists FlatObject twice (drawn values can only pick one)",
    ),
    "features/3.0/circular-request-bodies.yaml": (
        "is a required property",
        "TreeNode requires a parent",
    ),
    "features/3.1/readme.yaml": ("does not match", "patterns are tried, never inverted"),
}


def _resolve(generator: ExampleGenerator, node: Any) -> Mapping[str, Any]:
    target, _ = generator.resolver.resolve(node)
    return target if isinstance(target, Mapping) else {}


def response_schemas(
    document: Mapping[str, Any], generator: ExampleGenerator, paths: list[str] | None = None
) -> Iterator[tuple[str, Any]]:
    """(where, schema) for every response media type of the given paths (default: all)."""
    for path in paths if paths is not None else list(document.get("paths") or {}):
        item = _resolve(generator, document["paths"][path])
        for method in METHODS:
            operation = item.get(method)
            if not isinstance(operation, Mapping):
                continue
            for code, response in (operation.get("responses") or {}).items():
                for media, media_object in (
                    _resolve(generator, response).get("content") or {}
                ).items():
                    schema = _resolve(generator, media_object).get("schema")
                    if schema is not None:
                        yield f"{method.upper()} {path} {code} {media}", schema


def _read_view(node: Any) -> Any:
    """`node` as a response must satisfy it: a required writeOnly property is required of
    requests only (OpenAPI 3.0; JSON Schema's writeOnly in 3.1: "never present when the
    instance is retrieved"), so it leaves `required`. (OAS30ReadValidator does this for 3.0;
    openapi-schema-validator has no 3.1 counterpart.)"""
    if isinstance(node, list):
        return [_read_view(item) for item in node]
    if not isinstance(node, Mapping):
        return node
    out = {key: _read_view(value) for key, value in node.items()}
    props = node.get("properties")
    if isinstance(node.get("required"), list) and isinstance(props, Mapping):
        out["required"] = [
            name
            for name in node["required"]
            if not (isinstance(props.get(name), Mapping) and props[name].get("writeOnly") is True)
        ]
    return out


_READ_ROOTS: dict[int, tuple[Mapping[str, Any], dict[str, Any]]] = {}


def _read_root(document: Mapping[str, Any]) -> dict[str, Any]:
    """The read view of a document's components and paths, made once per document."""
    known = _READ_ROOTS.get(id(document))
    if known is None or known[0] is not document:
        view = {k: _read_view(document[k]) for k in ("components", "paths") if k in document}
        known = _READ_ROOTS[id(document)] = (document, view)
    return known[1]


def validation_errors(document: Mapping[str, Any], schema: Any, value: Any) -> list[str]:
    """Errors for `value` read as apigen reads null beside `allOf`/`oneOf`/`anyOf` (decisions
    §31: GitHub's `nullable: true` beside `anyOf` admits null, as schemathesis reads it too)."""
    validator = (
        OAS31BoundsValidator
        if str(document.get("openapi", "")).startswith("3.1")
        else OAS30NullableValidator
    )
    root = dict(_read_root(document))
    root["allOf"] = [_read_view(schema)]
    return [
        e.message
        for e in validator(root, format_checker=validator.FORMAT_CHECKER).iter_errors(value)
    ]


def check_examples(
    document: Mapping[str, Any], paths: list[str] | None = None, tolerated: str | None = None
) -> int:
    """Synthesize and validate every response schema; returns how many were checked."""
    generator = ExampleGenerator(document)
    failures: list[str] = []
    count = 0
    for where, schema in response_schemas(document, generator, paths):
        for vary in (False, True):  # the canonical example and one drawn with variety
            started = time.process_time()  # CPU: wall time fails on a busy machine
            value = generator.generate(schema, key=where, vary=vary)
            assert time.process_time() - started < 1.0, f"{where}: generation took over a second"
            json.dumps(value)
            count += not vary
            errors = [
                e
                for e in validation_errors(document, schema, value)
                if not (tolerated and tolerated in e)
            ]
            if errors:
                failures.append(f"{where} (vary={vary}): {errors[0][:300]}")
    assert not failures, "\n".join(failures)
    return count


@pytest.mark.parametrize("spec", feature_specs("3.0") + feature_specs("3.1"))
def test_feature_spec_examples_are_valid(spec: str) -> None:
    check_examples(load_spec(spec), tolerated=KNOWN.get(spec, (None,))[0])


def test_github_sample_examples_are_valid(github_doc: dict[str, Any]) -> None:
    paths = sorted(github_doc["paths"])
    sample = random.Random(0).sample(paths, 200)
    assert check_examples(github_doc, sample) > 200


def test_every_github_response_draw_is_valid(github_doc: dict[str, Any]) -> None:
    """All ~2,900 GitHub response schemas, one drawn (varied) value each (~3 s)."""
    generator = ExampleGenerator(github_doc, seed=9)
    failures = []
    count = 0
    for where, schema in response_schemas(github_doc, generator):
        value = generator.generate(schema, key=where, vary=True)
        count += 1
        errors = validation_errors(github_doc, schema, value)
        if errors:
            failures.append(f"{where}: {errors[0][:300]}")
    assert count > 2000
    assert not failures, "\n".join(failures[:20])


def test_stripe_sample_examples_are_valid(stripe_doc: dict[str, Any]) -> None:
    # Stripe's deep anyOf trees make each validation ~15 ms, so a sample keeps this fast.
    sample = random.Random(0).sample(sorted(stripe_doc["paths"]), 60)
    assert check_examples(stripe_doc, sample) > 100


def _expected_status(operation: Mapping[str, Any], generator: ExampleGenerator) -> tuple[int, int]:
    """Allowed [low, high) status: any 2xx if declared, 200 for `default`, else the lowest
    final one (a 1xx is interim, never the answer)."""
    keys = [str(k) for k in _resolve(generator, operation.get("responses"))]
    if any(k.startswith("2") for k in keys):
        return 200, 300
    if "default" in keys:
        return 200, 201
    keys = [k for k in keys if not k.startswith("1")]
    if not keys:  # 3.1 makes `responses` optional (or only 1xx): nothing to say, nothing said
        return 204, 205
    lowest = min(int(k.upper().replace("X", "0")) for k in keys)
    return lowest, lowest + 1


def _path_part(template: str) -> str:
    return template.split("#", 1)[0].split("?", 1)[0]


def answer_every_operation(document: Mapping[str, Any]) -> tuple[int, float]:
    """Call each operation once in-process; returns (operations, slowest CPU seconds: a bound
    on pathological drawing, not a speed target; wall time failed it on a busy machine).

    Without validation every operation must answer its success status; with it, the bare
    example path (no parameters, no body) may also be refused, but only with a JSON 400,
    401 or 422, never a sandbox failure.
    """
    sandbox = Sandbox(document, validate=False)
    validating = Sandbox(document, dynamic=True)
    generator = sandbox.responder.generator
    operations = 0
    slowest = 0.0
    for route in sandbox.router:
        for method, operation in route.operations.items():
            operations += 1
            started = time.process_time()
            reply = sandbox.handle(method, sandbox.router.prefix + route.example_path())
            slowest = max(slowest, time.process_time() - started)
            where = f"{method.upper()} {route.template}"
            routed = sandbox.requests[-1].template or ""
            assert _path_part(routed) == _path_part(route.template), where
            low, high = _expected_status(operation, generator)
            assert low <= reply.status < high, f"{where}: {reply.status}"
            if reply.headers.get("Content-Type", "").startswith("application/json"):
                json.loads(reply.body)
            checked = validating.handle(method, sandbox.router.prefix + route.example_path())
            if not low <= checked.status < high:
                assert checked.status in (400, 401, 422), f"{where} (validating): {checked.status}"
                # JSON, in the media type the operation declares for it (`problem+json`)
                media = checked.headers["Content-Type"].split(";")[0]
                assert media.endswith(("/json", "+json")), where
                json.loads(checked.body)
    return operations, slowest


@pytest.mark.parametrize("name", ["github", "stripe"])
def test_every_operation_answers(
    name: str, github_doc: dict[str, Any], stripe_doc: dict[str, Any]
) -> None:
    operations, slowest = answer_every_operation(github_doc if name == "github" else stripe_doc)
    assert operations > (1000 if name == "github" else 400)
    assert slowest < 1.0


@pytest.mark.parametrize("spec", feature_specs("3.0") + feature_specs("3.1"))
def test_every_feature_spec_operation_answers(spec: str) -> None:
    answer_every_operation(load_spec(spec))
