"""Identifiers made from hostile or awkward spec text are valid, safe and meaningful."""

from __future__ import annotations

import keyword
from typing import Any

import pytest

from apigen import naming


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("fooBar", "foo_bar"),
        ("foo-bar", "foo_bar"),
        ("class", "class_"),
        ("model_config", "model_config_"),
        ("json", "json_"),
        ("schema", "schema_"),
        ("str", "str_"),
        ("+1", "plus_1"),
        ("-1", "minus_1"),
        ("1st", "n1st"),
        ("", "value"),
        ("__proto__", "proto"),
        ("X-Rate-Limit", "x_rate_limit"),
        ("ünïcode", "unicode"),
    ],
)
def test_field_names(wire: str, expected: str) -> None:
    assert naming.field_name(wire) == expected


@pytest.mark.parametrize(
    "hostile",
    [
        'a"; import os; os.system("x")',
        "{{ 7*7 }}",
        "\n\nclass X:",
        "__import__('os')",
        "日本語",
        "🙂",
    ],
)
def test_hostile_text_becomes_plain_identifiers(hostile: str) -> None:
    for convert in (naming.field_name, naming.param_name, naming.class_name, naming.module_name):
        name = convert(hostile)
        assert name.isidentifier(), (convert.__name__, name)
        assert name.isascii()
        assert not keyword.iskeyword(name)


def test_module_names_windows_reserves_get_a_suffix() -> None:
    """A hostile-spec sweep: schemas `con`, `aux`, `nul`, `com1`, `LPT1` made `models/con.py`
    ...: names Windows reserves for devices whatever the extension, so the package could not
    be checked out or installed there."""
    for name in ("con", "AUX", "Nul", "com1", "LPT1", "prn"):
        assert naming.module_name(name) == name.lower() + "_"
    assert naming.module_name("console") == "console" and naming.module_name("com10") == "com10"


def test_colliding_wire_names_get_distinct_meaningful_names() -> None:
    names = naming.unique_names(["foo_bar", "foo-bar", "fooBar", "+1", "-1"])
    assert names["foo_bar"] == "foo_bar"
    assert len(set(names.values())) == 5
    assert not any(ch.isdigit() for n in ("foo-bar", "fooBar") for ch in names[n])
    assert names["+1"] == "plus_1" and names["-1"] == "minus_1"


def test_class_names_do_not_shadow_generated_imports() -> None:
    for name in ("Any", "Literal", "Field", "NotGiven", "list", "Client"):
        assert naming.class_name(name) not in naming.CLASS_RESERVED


@pytest.mark.parametrize(
    ("text", "snake", "pascal"),
    [
        ("getOAuthToken", "get_oauth_token", "GetOAuthToken"),  # was get_o_auth_token
        ("getIPv6Address", "get_ipv6_address", "GetIPv6Address"),  # was get_i_pv6_address
        ("listMyURLs", "list_my_urls", "ListMyURLs"),  # was list_my_ur_ls
        ("deviceIDs", "device_ids", "DeviceIDs"),
        ("iOSApps", "ios_apps", "IOSApps"),
        ("getAPIKey", "get_api_key", "GetAPIKey"),  # unchanged
        ("ADDRESS", "address", "ADDRESS"),  # a capital S is no plural
    ],
)
def test_mixed_case_words_and_plural_acronyms_stay_whole(
    text: str, snake: str, pascal: str
) -> None:
    """Mixed-case words and plural acronyms split in the middle (a review of the corpus' names,
    2026-12-05); class names keep the spec's spelling."""
    assert naming.snake(text) == snake
    assert naming.pascal(text) == pascal


@pytest.mark.parametrize(
    ("wire", "name"),
    [
        ("StartTime", "start_time"),
        ("StartTime<", "start_time_lt"),  # Twilio's filters beside the plain parameter
        ("StartTime>", "start_time_gt"),
        ("DateCreated<=", "date_created_lte"),
        ("Price>=", "price_gte"),
        ("created[lt]", "created_lt"),  # the bracketed spelling the suffixes follow
        ("array<any>", "array_any"),  # a pair of brackets is no comparison
        (">", "gt"),
    ],
)
def test_a_comparison_a_parameter_name_ends_with_is_spelled(wire: str, name: str) -> None:
    assert naming.param_name(wire) == name


def test_a_parameter_spelled_as_python_keeps_its_name_beside_one_sanitised_to_it() -> None:
    """Parameters whose names sanitise alike: the one already a Python name keeps it, whatever
    the order (the first once kept the clean name: `a b` was `a_b` and the real `a_b` became
    `a_underscore_b_query`; a hostile-name sweep)."""
    from tests.builds import api_of

    def param(name: str, where: str) -> dict[str, Any]:
        return {"name": name, "in": where, "schema": {"type": "string"}}

    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "parameters": [
                        param("a b", "header"),
                        param("a-b", "query"),
                        param("a_b", "query"),
                        param("limit", "query"),
                        param("limit", "header"),
                    ],
                    "responses": {"204": {"description": "none"}},
                }
            },
            "/things/{thing}": {
                "get": {
                    "operationId": "getThing",
                    "parameters": [param("thing", "query"), param("thing", "path")],
                    "responses": {"204": {"description": "none"}},
                }
            },
        },
    }
    op, one = api_of(doc).operations
    by_place = {(p.location, p.wire_name): p.py_name for p in one.params}
    assert by_place == {("path", "thing"): "thing", ("query", "thing"): "query_thing"}
    names = {(p.location, p.wire_name): p.py_name for p in op.params}
    assert names[("query", "a_b")] == "a_b"
    assert names[("query", "limit")] == "limit"
    assert len(set(names.values())) == len(names)
    assert all(n.isidentifier() for n in names.values())


def test_no_class_takes_a_name_a_generated_module_defines() -> None:
    """A helper's hostile specs: a schema named `WEBHOOKS` was imported into webhooks.py (for
    type checkers) beside the module's own `WEBHOOKS` registry: mypy `no-redef`, and
    `get_type_hints` read the registry as the model. Every public module-level name a
    template assigns is reserved for classes."""
    import re

    from apigen.bundled import templates_dir

    assigned = {
        m.group(1)
        for path in templates_dir().glob("*.py.jinja")
        for m in re.finditer(r"^([A-Z][A-Z0-9_]*)\s*(?::|=)", path.read_text(), re.MULTILINE)
    }
    assert {"WEBHOOKS", "ERRORS", "REQUIREMENT"} <= assigned
    assert assigned <= naming.CLASS_RESERVED
    assert naming.class_name("WEBHOOKS") not in assigned
