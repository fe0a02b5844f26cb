"""A property's `default` is carried to the model where the generated type holds it, ignored
with a warning where it does not match the schema, and never reported when it is valid.

A helper's probe: `{$ref: Mode, default: slow}`, `allOf: [$ref: Mode]` with a default beside it,
and string defaults of `date`, `date-time` and `uuid` properties were all valid (jsonschema agrees)
but warned "does not match the schema's type", so `apigen build --strict` refused the spec."""

from __future__ import annotations

from typing import Any

from apigen.diagnostics import Report
from apigen.ir.nodes import ModelDef
from tests.builds import api_of


def _job(props: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Mode": {"type": "string", "enum": ["fast", "slow"]},
                "Job": {"type": "object", "properties": props},
            }
        },
    }
    report = Report()
    api = api_of(spec, report)
    job = api.definitions[api.components["Job"]]
    assert isinstance(job, ModelDef)
    defaults = {f.wire_name: f.default for f in job.fields}
    return defaults, [w.pointer for w in report.warnings if w.kind == "default"]


def test_valid_defaults_raise_no_warning_and_literal_ones_are_kept() -> None:
    defaults, warned = _job(
        {
            "mode": {"$ref": "#/components/schemas/Mode", "default": "slow"},
            "mode2": {"allOf": [{"$ref": "#/components/schemas/Mode"}], "default": "fast"},
            "when": {"type": "string", "format": "date-time", "default": "2020-01-01T00:00:00Z"},
            "day": {"type": "string", "format": "date", "default": "2020-01-01"},
            "id": {
                "type": "string",
                "format": "uuid",
                "default": "00000000-0000-0000-0000-000000000000",
            },
            "retries": {"type": ["integer", "null"], "default": 3},
        }
    )
    assert warned == []
    assert defaults["mode"] == "slow" and defaults["mode2"] == "fast" and defaults["retries"] == 3


def test_a_default_outside_the_enum_still_warns() -> None:
    _, warned = _job(
        {
            "mode": {"$ref": "#/components/schemas/Mode", "default": "medium"},
            "n": {"type": "integer", "default": "five"},
        }
    )
    assert warned == [
        "#/components/schemas/Job/properties/mode/default",
        "#/components/schemas/Job/properties/n/default",
    ]


def test_a_union_s_default_fits_a_member_and_a_format_s_range_is_kept() -> None:
    """A helper's hostile specs: `oneOf: [integer, string], default: 5` warned "does not match
    the schema's type" and lost its valid default; an `int64` default beyond 2**63 - 1 was
    said "ignored" (by the validator) while the model kept it."""
    defaults, warned = _job(
        {
            "uni": {"oneOf": [{"type": "integer"}, {"type": "string"}], "default": 5},
            "big": {"type": "integer", "format": "int64", "default": 2**63},
            "small": {"type": "integer", "format": "int32", "default": 2**31 - 1},
        }
    )
    assert defaults == {"uni": 5, "big": None, "small": 2**31 - 1}
    assert warned == ["#/components/schemas/Job/properties/big/default"]


def test_array_and_map_defaults_of_fitting_values_are_kept_and_others_warn() -> None:
    """Every array or map `default` was dropped without a word (GitHub's hook `events:
    [push]`, Mist's `bands: ["24", "5"]`, OpenAI's `timestamp_granularities`): a response
    leaving the property out read None, not what the server assumes; a required one was not
    sent. Kept when each value fits the items' type; warned when one does not (Vercel's
    `type: string, default: [MEMBER, VIEWER]`); quiet when the items cannot be judged."""
    defaults, warned = _job(
        {
            "events": {"type": "array", "items": {"type": "string"}, "default": ["push"]},
            "modes": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Mode"},
                "default": ["fast", "slow"],
            },
            "phases": {"type": "array", "items": {"type": "number"}, "default": [1, 10.5]},
            "empty": {"type": "array", "items": {"type": "integer"}, "default": []},
            "pairs": {
                "type": "array",
                "items": {"type": "string", "nullable": True},
                "default": ["a", None],
            },
            "labels": {
                "type": "object",
                "additionalProperties": {"type": "integer"},
                "default": {"a": 1},
            },
            "grid": {
                "type": "array",
                "items": {"type": "array", "items": {"type": "boolean"}},
                "default": [[True], []],
            },
            "role": {"type": "string", "default": ["MEMBER", "VIEWER"]},
            "bad_item": {"type": "array", "items": {"type": "integer"}, "default": ["x"]},
            "bad_mode": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Mode"},
                "default": ["medium"],
            },
            "days": {
                "type": "array",
                "items": {"type": "string", "format": "date"},
                "default": ["2020-01-01"],
            },
            "jobs": {
                "type": "array",
                "items": {"type": "object", "properties": {"n": {"type": "integer"}}},
                "default": [{"n": 1}],
            },
        }
    )
    assert defaults == {
        "events": ["push"],
        "modes": ["fast", "slow"],
        "phases": [1, 10.5],
        "empty": [],
        "pairs": ["a", None],
        "labels": {"a": 1},
        "grid": [[True], []],
        "role": None,
        "bad_item": None,
        "bad_mode": None,
        "days": None,
        "jobs": None,
    }
    prefix = "#/components/schemas/Job/properties/"
    assert warned == [f"{prefix}{name}/default" for name in ("role", "bad_item", "bad_mode")]


def test_an_array_default_outside_its_bounds_is_ignored_with_a_warning() -> None:
    """A review of the above: a required `{minItems: 2, default: [a]}` was kept, and sent on
    every call leaving it out, while the validator said "default ignored"."""
    text = {"type": "string"}
    defaults, warned = _job(
        {
            "few": {"type": "array", "items": text, "minItems": 2, "default": ["a"]},
            "many": {"type": "array", "items": text, "maxItems": 1, "default": ["a", "b"]},
            "twice": {"type": "array", "items": text, "uniqueItems": True, "default": ["a", "a"]},
            "big": {"type": "array", "items": {"type": "integer", "maximum": 9}, "default": [10]},
            "long": {
                "type": "array",
                "items": {"type": "string", "maxLength": 1},
                "default": ["ab"],
            },
            "shape": {
                "type": "array",
                "items": {"type": "string", "pattern": "^x"},
                "default": ["y"],
            },
            "keys": {
                "type": "object",
                "additionalProperties": text,
                "maxProperties": 0,
                "default": {"a": "b"},
            },
            "fine": {
                "type": "array",
                "items": {"type": "integer", "minimum": 1},
                "minItems": 1,
                "default": [1],
            },
        }
    )
    ignored = ("few", "many", "twice", "big", "long", "shape", "keys")
    assert {name: defaults[name] for name in ignored} == dict.fromkeys(ignored)
    assert defaults["fine"] == [1]
    prefix = "#/components/schemas/Job/properties/"
    assert warned == [f"{prefix}{name}/default" for name in ignored]
