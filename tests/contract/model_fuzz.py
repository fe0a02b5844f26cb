"""Model fuzzing helpers: OpenAPI 3.0 component schemas -> JSON Schema -> instances -> models.

`json_schema()` turns one component schema into a self-contained JSON Schema that
hypothesis-jsonschema (the generator schemathesis uses) can draw from:

- `nullable: true` becomes `"null"` in `type` (and `null` in `enum`), or `anyOf [..., null]`;
- `$ref`s are inlined from the document (a `$defs`-style registry of the component schemas);
  a ref that re-enters itself (recursion) is cut: that branch becomes `false`, which prunes an
  optional property, an `anyOf` member or array items (a schema whose every instance needs the
  recursive branch becomes unsatisfiable and is reported as skipped, never silently dropped).
  Refs nested deeper than `max_depth` are cut the same way, so Stripe's web of expandable
  objects stays drawable; `FuzzSchema.pruned` counts the cuts;
- `discriminator`, `xml`, `example`, `externalDocs`, `readOnly`/`writeOnly`, `deprecated` and
  `x-*` keys are dropped (annotations for generators, not constraints);
- 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` become draft-07 numbers;
- a schema with `properties`/`additionalProperties`/`required` and no `type` is an object and
  one with `items` is an array (what the spec authors mean and what apigen generates; taken
  literally, JSON Schema would let such a schema be a string);
- only the formats apigen types (`date-time`, `date`, `uuid`) are kept: others are plain
  strings in the models, and drawing URIs or e-mail addresses is slow;
- with `closed=True`, an object that leaves `additionalProperties` unset gets
  `additionalProperties: false` (no unknown extra keys: much faster to draw); `allOf` parts are
  merged into one object first, so closing never makes a schema unsatisfiable.

`roundtrip_equal()` compares the instance with the model's JSON dump up to the normalisations
the test module documents.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

COMPONENTS = "#/components/schemas/"
_DROP = {
    "discriminator",
    "xml",
    "example",
    "examples",
    "externalDocs",
    "readOnly",
    "writeOnly",
    "deprecated",
    "nullable",
    "description",
    "title",
    "default",
    "$ref",
}


def load_document(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    doc: dict[str, Any] = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    return doc


def _resolve(doc: Mapping[str, Any], ref: str) -> Any:
    node: Any = doc
    for raw in ref[2:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


@dataclass
class FuzzSchema:
    name: str
    schema: Any  # JSON Schema (draft 7)
    nullable: bool  # the component itself accepts null
    pruned: int  # recursive or too-deep ref branches cut


class Converter:
    """OpenAPI 3.0 schema -> JSON Schema, refs inlined to a bounded depth."""

    def __init__(self, doc: Mapping[str, Any], max_depth: int, *, closed: bool = False) -> None:
        self.doc = doc
        self.max_depth = max_depth
        self.closed = closed  # objects without `additionalProperties` get no extra keys
        self.pruned = 0

    def component(self, name: str) -> FuzzSchema:
        self.pruned = 0
        ref = COMPONENTS + name.replace("~", "~0").replace("/", "~1")
        schema = self.convert({"$ref": ref}, (), 0)
        return FuzzSchema(name, schema, accepts_null(self.doc, ref), self.pruned)

    def convert(
        self,
        schema: Any,
        stack: tuple[str, ...],
        depth: int,
        optional: bool = False,
        part: bool = False,
    ) -> Any:
        """`optional`: an instance may do without this branch (an optional property, an
        `anyOf` member with siblings, array items): only there is a too-deep ref cut."""
        if isinstance(schema, bool):
            return schema
        if not isinstance(schema, Mapping):
            return True
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref in stack or (optional and depth >= self.max_depth):
                self.pruned += 1
                return False
            return self.convert(_resolve(self.doc, ref), (*stack, ref), depth + 1, part=part)
        required = set(schema.get("required") or [])
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key in _DROP or key.startswith("x-"):
                continue
            if key == "properties":
                out[key] = {
                    k: self.convert(v, stack, depth, k not in required) for k, v in value.items()
                }
            elif key == "patternProperties":
                out[key] = {k: self.convert(v, stack, depth, True) for k, v in value.items()}
            elif key == "items":
                optional_items = not schema.get("minItems")
                out[key] = (
                    [self.convert(v, stack, depth, optional_items) for v in value]
                    if isinstance(value, list)
                    else self.convert(value, stack, depth, optional_items)
                )
            elif key in ("additionalProperties", "not"):
                out[key] = self.convert(value, stack, depth, key == "additionalProperties")
            elif key in ("anyOf", "oneOf"):
                out[key] = [self.convert(v, stack, depth, len(value) > 1) for v in value]
            elif key == "allOf":
                out[key] = [self.convert(v, stack, depth, part=True) for v in value]
            elif key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
                bound = schema.get("minimum" if key == "exclusiveMinimum" else "maximum")
                if value and isinstance(bound, int | float):
                    out[key] = bound
            elif key == "format" and value not in _FORMATS:
                continue  # unknown formats are annotations (hypothesis-jsonschema refuses some)
            else:
                out[key] = value
        for exclusive, inclusive in (
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ):
            if exclusive in out and out.get(inclusive) == out[exclusive]:
                del out[inclusive]
        if "type" not in out:
            if {"properties", "additionalProperties", "required"} & set(out):
                out["type"] = "object"
            elif "items" in out:
                out["type"] = "array"
        if "allOf" in out:
            out = _merge_objects(out)
        if (
            self.closed
            and not part
            and "properties" in out
            and not {"additionalProperties", "allOf", "anyOf", "oneOf"} & set(out)
        ):
            out["additionalProperties"] = False
        if schema.get("nullable") is True:
            out = _nullable(out)
        return out


def _merge_objects(schema: dict[str, Any]) -> dict[str, Any]:
    """`allOf` of plain object schemas as one object (so it can be closed); else unchanged."""
    parts = [{k: v for k, v in schema.items() if k != "allOf"}, *schema["allOf"]]
    plain = {"type", "properties", "required", "additionalProperties"}
    if not all(isinstance(p, dict) and set(p) <= plain for p in parts):
        return schema
    if any(p.get("type", "object") != "object" for p in parts):
        return schema
    if any(p.get("additionalProperties", True) is not True for p in parts):
        return schema
    props: dict[str, Any] = {}
    required: list[str] = []
    for p in parts:
        for name, sub in (p.get("properties") or {}).items():
            props[name] = {"allOf": [props[name], sub]} if name in props else sub
        required.extend(r for r in p.get("required") or [] if r not in required)
    merged: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        merged["required"] = required
    return merged


_FORMATS = {"date-time", "date", "uuid"}  # those apigen types (others are plain strings)


def _nullable(out: dict[str, Any]) -> dict[str, Any]:
    if "type" in out and not any(k in out for k in ("allOf", "anyOf", "oneOf")):
        types = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = [*types, "null"] if "null" not in types else types
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        return out
    return {"anyOf": [out, {"type": "null"}]}


def accepts_null(doc: Mapping[str, Any], ref: str) -> bool:
    """Whether the schema `ref` names accepts null (`nullable`, a null member, a ref chain)."""
    seen: set[str] = set()
    todo = [ref]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        schema = _resolve(doc, current)
        if not isinstance(schema, Mapping):
            continue
        if schema.get("nullable") is True or schema.get("type") == "null":
            return True
        if isinstance(schema.get("$ref"), str):
            todo.append(schema["$ref"])
        for combiner in ("anyOf", "oneOf"):
            for member in schema.get(combiner) or []:
                if isinstance(member, Mapping):
                    if member.get("nullable") is True or member.get("type") == "null":
                        return True
                    if isinstance(member.get("$ref"), str):
                        todo.append(member["$ref"])
        parts = schema.get("allOf") or []
        if len(parts) == 1 and isinstance(parts[0], Mapping) and "$ref" in parts[0]:
            todo.append(parts[0]["$ref"])
    return False


# --- comparing the dump with the instance -----------------------------------------------------


def _as_datetime(value: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed
    return parsed.astimezone(dt.UTC)


def _as_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def roundtrip_equal(original: Any, dumped: Any) -> bool:
    """Equal, up to: datetimes, dates and UUIDs compared as values (pydantic writes `Z` for
    UTC, drops `+00:00`, lower-cases UUIDs); an integer equals the same float (a `number`
    field holds a float); nothing else."""
    if isinstance(original, dict) and isinstance(dumped, dict):
        return original.keys() == dumped.keys() and all(
            roundtrip_equal(original[k], dumped[k]) for k in original
        )
    if isinstance(original, list) and isinstance(dumped, list):
        return len(original) == len(dumped) and all(
            roundtrip_equal(a, b) for a, b in zip(original, dumped, strict=True)
        )
    if isinstance(original, bool) or isinstance(dumped, bool):
        return original is dumped
    if isinstance(original, int | float) and isinstance(dumped, int | float):
        return original == dumped or (math.isnan(original) and math.isnan(dumped))
    if isinstance(original, str) and isinstance(dumped, str):
        if original == dumped:
            return True
        for parse in (_as_datetime, _as_date, _as_uuid):
            a, b = parse(original), parse(dumped)
            if a is not None and b is not None:
                return bool(a == b)
        return False
    return bool(original == dumped) and type(original) is type(dumped)


def first_difference(original: Any, dumped: Any, path: str = "$") -> str:
    """Where two JSON values first differ (for failure messages)."""
    if isinstance(original, dict) and isinstance(dumped, dict):
        for k in sorted(set(original) | set(dumped), key=str):
            if k not in dumped:
                return f"{path}.{k}: missing from the dump"
            if k not in original:
                return f"{path}.{k}: added by the dump ({dumped[k]!r})"
            if not roundtrip_equal(original[k], dumped[k]):
                return first_difference(original[k], dumped[k], f"{path}.{k}")
    if isinstance(original, list) and isinstance(dumped, list) and len(original) == len(dumped):
        for i, (a, b) in enumerate(zip(original, dumped, strict=True)):
            if not roundtrip_equal(a, b):
                return first_difference(a, b, f"{path}[{i}]")
    return f"{path}: {original!r} != {dumped!r}"


# --- drawing and checking ---------------------------------------------------------------------


@dataclass
class SchemaResult:
    name: str
    drawn: int = 0
    accepted: int = 0
    pruned: int = 0
    skipped: str = ""  # why nothing could be drawn (unsatisfiable once recursion is cut, ...)
    failures: list[str] | None = None


def draw(schema: Any, count: int, seed: int, check: Any) -> None:
    """Run `check(instance)` on `count` instances hypothesis-jsonschema draws from `schema`."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed
    from hypothesis_jsonschema import from_schema

    strategy = from_schema(schema)

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hseed(seed)
    @given(strategy)
    def run(instance: Any) -> None:
        check(instance)

    run()


def fuzz_component(
    converter: Converter, name: str, model: Any, count: int, seed: int
) -> SchemaResult:
    """Draw `count` instances of component `name`; each must validate and round-trip."""
    import pydantic

    fuzz = converter.component(name)
    result = SchemaResult(name, pruned=fuzz.pruned, failures=[])
    assert result.failures is not None
    failures = result.failures
    target = model | None if fuzz.nullable and isinstance(model, type) else model
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(target)

    def check(instance: Any) -> None:
        result.drawn += 1
        try:
            value = adapter.validate_python(instance)
        except pydantic.ValidationError as err:
            if len(failures) < 3:
                failures.append(f"rejected {json.dumps(instance)[:400]}: {str(err)[:600]}")
            return
        dumped = adapter.dump_python(
            value, mode="json", by_alias=True, exclude_unset=True, warnings=False
        )
        if not roundtrip_equal(instance, dumped):
            if len(failures) < 3:
                failures.append(
                    f"round trip of {json.dumps(instance)[:400]}: "
                    f"{first_difference(instance, dumped)[:400]}"
                )
            return
        result.accepted += 1

    try:
        draw(fuzz.schema, count, seed, check)
    except Exception as err:  # unsatisfiable once recursion is cut, or a generator limit
        if result.drawn == 0:
            result.skipped = f"{type(err).__name__}: {str(err).splitlines()[0][:200]}"
        else:
            failures.append(f"drawing stopped: {type(err).__name__}: {str(err)[:300]}")
    return result
