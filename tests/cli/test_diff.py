"""`apigen diff OLD NEW`: breaking changes in the generated Python API, text and JSON, exit codes."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from apigen.cli import main
from apigen.diff import Change, diff_paths, literal_delta, relation
from apigen.pipeline import build


def _pets() -> dict[str, Any]:
    pet = {"$ref": "#/components/schemas/Pet"}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1"},
        "servers": [{"url": "https://pets.example"}],
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "tags": ["pets"],
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                        # (a request carries Status: its enum is closed, a value removed breaks)
                        {
                            "name": "status",
                            "in": "query",
                            "schema": {"$ref": "#/components/schemas/Status"},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"type": "array", "items": pet}}
                            },
                        }
                    },
                },
            },
            "/pets/{petId}": {
                "get": {
                    "operationId": "getPet",
                    "tags": ["pets"],
                    "parameters": [
                        {
                            "name": "petId",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": pet}},
                        }
                    },
                },
                "delete": {
                    "operationId": "deletePet",
                    "tags": ["pets"],
                    "parameters": [
                        {
                            "name": "petId",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {"204": {"description": "gone"}},
                },
            },
        },
        "components": {
            "schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "tag": {"type": "string"},
                        "status": {"$ref": "#/components/schemas/Status"},
                    },
                },
                "Status": {"type": "string", "enum": ["available", "pending", "sold"]},
            }
        },
    }


def _write(path: Path, spec: dict[str, Any]) -> Path:
    path.write_text(json.dumps(spec))
    return path


def _edited(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> tuple[Path, Path]:
    new = copy.deepcopy(_pets())
    edit(new)
    return _write(tmp_path / "old.json", _pets()), _write(tmp_path / "new.json", new)


def _kinds(changes: list[Change]) -> set[tuple[str, str, str]]:
    return {(c.category, c.kind, c.target) for c in changes}


def _op(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    op: dict[str, Any] = spec["paths"][path][method]
    return op


def _remove_delete(spec: dict[str, Any]) -> None:
    del spec["paths"]["/pets/{petId}"]["delete"]


def _pet_id_int(spec: dict[str, Any]) -> None:
    _op(spec, "/pets/{petId}", "get")["parameters"][0]["schema"] = {"type": "integer"}


def _required_param(spec: dict[str, Any]) -> None:
    _op(spec, "/pets", "get")["parameters"].append(
        {"name": "owner", "in": "query", "required": True, "schema": {"type": "string"}}
    )


def _enum_value_removed(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["Status"]["enum"] = ["available", "sold"]


def _field_removed(spec: dict[str, Any]) -> None:
    del spec["components"]["schemas"]["Pet"]["properties"]["tag"]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_remove_delete, ("breaking", "method-removed", "pets.delete")),
        (_pet_id_int, ("breaking", "param-type-changed", "pets.get(pet_id)")),
        (_required_param, ("breaking", "param-added-required", "pets.list(owner)")),
        (_enum_value_removed, ("breaking", "enum-value-removed", "models.Status")),
        (_field_removed, ("breaking", "field-removed", "models.Pet.tag")),
    ],
)
def test_breaking_changes_are_reported_and_exit_1(
    tmp_path: Path,
    edit: Callable[[dict[str, Any]], None],
    expected: tuple[str, str, str],
) -> None:
    old, new = _edited(tmp_path, edit)
    report = diff_paths(old, new)
    assert expected in _kinds(report.changes)
    assert report.breaking
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 1, result.output
    assert expected[2] in result.output and "Breaking changes (" in result.output


def test_param_type_change_names_both_types(tmp_path: Path) -> None:
    old, new = _edited(tmp_path, _pet_id_int)
    (change,) = [c for c in diff_paths(old, new).changes if c.kind == "param-type-changed"]
    assert (change.old, change.new, change.detail) == ("str", "int", "type changed")


def test_enum_value_removal_names_the_value(tmp_path: Path) -> None:
    old, new = _edited(tmp_path, _enum_value_removed)
    changes = [c for c in diff_paths(old, new).changes if c.kind == "enum-value-removed"]
    assert [c.detail for c in changes] == ["'pending'"]


def _status_spelt_out(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["Pet"]["properties"]["status"] = {"type": "string"}


def _status_closed_in_the_query(spec: dict[str, Any]) -> None:
    param = _op(spec, "/pets", "get")["parameters"][1]
    assert param["name"] == "status"
    param["schema"] = {"type": "string", "enum": ["available"]}


def test_a_field_retyped_from_its_enum_to_what_it_reads_as_is_no_break(tmp_path: Path) -> None:
    """A helper's diff sweep: `Pet.status` from `$ref Status` (an enum: `Literal[...] | str`
    where it is read) to `type: string` was "field-type-changed ... Status -> str", exit 1,
    though mypy accepts the same code against both clients. Names of enums and aliases are
    spelt out before the types are compared; where an enum is sent, its closed form counts."""
    old, new = _edited(tmp_path, _status_spelt_out)
    report = diff_paths(old, new)
    assert not report.breaking, [(c.kind, c.target, c.detail) for c in report.changes]
    (tmp_path / "narrowed").mkdir()
    old, new = _edited(tmp_path / "narrowed", _status_closed_in_the_query)
    narrowed = [c for c in diff_paths(old, new).changes if c.kind == "param-type-changed"]
    assert narrowed and narrowed[0].category == "breaking"


def _with_new_pet(spec: dict[str, Any], required: list[str], age: str) -> dict[str, Any]:
    """`POST /pets` with a `NewPet` body (flattened into `create(name=..., age=...)`)."""
    spec["components"]["schemas"]["NewPet"] = {
        "type": "object",
        "required": required,
        "properties": {"name": {"type": "string"}, "age": {"type": age}},
    }
    body = {"$ref": "#/components/schemas/NewPet"}
    spec["paths"]["/pets"]["post"] = {
        "operationId": "createPet",
        "tags": ["pets"],
        "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
        "responses": {"204": {"description": "made"}},
    }
    return spec


def test_a_flattened_body_s_model_is_judged_as_sent(tmp_path: Path) -> None:
    """helper 189: `NewPet`, only the body of `POST /pets` (flattened into arguments), was
    judged as a response's model: its `name` made optional (`str -> str | None`) or `age`
    widened from integer to number was "field-type-changed", breaking, exit 1, though every
    caller's code still type-checks. Made required, it does break."""
    old = _write(tmp_path / "old.json", _with_new_pet(_pets(), ["name"], "integer"))
    new = _write(tmp_path / "new.json", _with_new_pet(_pets(), [], "number"))
    report = diff_paths(old, new)
    assert not report.breaking, [(c.kind, c.target, c.detail) for c in report.changes]
    assert ("change", "field-type-changed", "models.NewPet.age") in _kinds(report.changes)
    stricter = _write(
        tmp_path / "stricter.json", _with_new_pet(_pets(), ["name", "age"], "integer")
    )
    changes = diff_paths(old, stricter).changes
    broken = {(c.kind, c.target) for c in changes if c.category == "breaking"}
    assert ("field-now-required", "models.NewPet.age") in broken, broken


def _additions(spec: dict[str, Any]) -> None:
    _op(spec, "/pets", "get")["parameters"].append(
        {"name": "owner", "in": "query", "schema": {"type": "string"}}
    )
    spec["paths"]["/pets"]["post"] = {
        "operationId": "createPet",
        "tags": ["pets"],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
        },
        "responses": {"201": {"description": "made"}},
    }
    spec["components"]["schemas"]["Pet"]["properties"]["age"] = {"type": "integer"}
    spec["components"]["schemas"]["Status"]["enum"].append("adopted")


def test_additions_only_exit_0(tmp_path: Path) -> None:
    old, new = _edited(tmp_path, _additions)
    report = diff_paths(old, new)
    assert not report.breaking
    assert {
        ("addition", "param-added", "pets.list(owner)"),
        ("addition", "method-added", "pets.create"),
        ("addition", "field-added", "models.Pet.age"),
        ("addition", "enum-value-added", "models.Status"),
    } <= _kinds(report.changes)
    runner = CliRunner()
    result = runner.invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    assert "0 breaking" in result.output and "pets.create" in result.output
    result = runner.invoke(main, ["diff", "--format", "json", str(old), str(new)])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["summary"]["breaking"] == 0 and data["breaking"] == []
    assert {"kind": "method-added", "target": "pets.create", "detail": "POST /pets"} in data[
        "additions"
    ]


def _streams(spec: dict[str, Any]) -> None:
    """`GET /pets` gains `stream` and an event stream beside its JSON: `stream=True` is new."""
    get = _op(spec, "/pets", "get")
    get["parameters"].append({"name": "stream", "in": "query", "schema": {"type": "boolean"}})
    content = get["responses"]["200"]["content"]
    content["text/event-stream"] = {"schema": {"$ref": "#/components/schemas/Pet"}}


def test_a_stream_switch_added_and_removed(tmp_path: Path) -> None:
    old, new = _edited(tmp_path, _streams)
    target = "pets.list(stream=True)"
    added = [c for c in diff_paths(old, new).changes if c.target == target]
    assert [(c.category, c.kind, c.new) for c in added] == [
        ("addition", "stream-added", "Stream[Pet]")
    ]
    removed = [c for c in diff_paths(new, old).changes if c.target == target]
    assert [(c.category, c.kind) for c in removed] == [("breaking", "stream-removed")]


def test_server_variables_added_removed_and_changed(tmp_path: Path) -> None:
    def servers(region: list[str], default: str, stage: bool) -> Callable[[dict[str, Any]], None]:
        def edit(spec: dict[str, Any]) -> None:
            variables: dict[str, Any] = {"region": {"default": default, "enum": region}}
            url = "https://{region}.pets.example"
            if stage:
                variables["stage"] = {"default": "prod"}
                url += "/{stage}"
            spec["servers"] = [{"url": url, "variables": variables}]

        return edit

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _, old = _edited(tmp_path / "a", servers(["eu", "us", "ap"], "eu", stage=True))
    _, new = _edited(tmp_path / "b", servers(["eu", "us"], "us", stage=False))
    changes = diff_paths(old, new).changes
    assert {(c.category, c.kind, c.target, c.detail) for c in changes} == {
        ("breaking", "server-variable-removed", "new.Client(stage=)", "stage"),
        ("breaking", "server-variable-values-removed", "new.Client(region=)", "ap"),
        (
            "change",
            "server-variable-default-changed",
            "new.Client(region=)",
            "default 'eu' -> 'us': requests go elsewhere",
        ),
    }
    back = diff_paths(new, old).changes
    assert ("addition", "server-variable-added", "new.Client(stage=)") in _kinds(back)


def _deprecate_delete(spec: dict[str, Any]) -> None:
    _op(spec, "/pets/{petId}", "delete")["deprecated"] = True


def test_a_method_newly_deprecated_is_a_compatible_change(tmp_path: Path) -> None:
    old, new = _edited(tmp_path, _deprecate_delete)
    changes = diff_paths(old, new).changes
    assert [(c.category, c.kind) for c in changes] == [("change", "method-deprecated")]
    assert diff_paths(new, old).changes == []  # un-deprecating asks nothing of callers


def test_a_folder_against_a_spec_keeps_the_folder_s_package_name(tmp_path: Path) -> None:
    """A helper's diff sweep: `apigen diff sdk/shop shop-v2.json` named the new client after
    the spec's file (`new.Client(region=)`), where regenerating keeps `shop`."""
    spec = _pets()
    spec["servers"] = [
        {"url": "https://{region}.pets.example", "variables": {"region": {"default": "eu"}}}
    ]
    old = _write(tmp_path / "old.json", spec)
    new = _write(tmp_path / "new.json", _pets())
    out = tmp_path / "shop"
    build(old, out, name="shop")
    targets = [c.target for c in diff_paths(out, new).changes]
    assert "shop.Client(region=)" in targets, targets


def test_same_spec_reports_nothing(tmp_path: Path) -> None:
    spec = _write(tmp_path / "pets.json", _pets())
    assert diff_paths(spec, spec).changes == []


def test_manifest_and_client_folder_inputs(tmp_path: Path) -> None:
    """A generated folder (or its apigen.json) as OLD, a spec as NEW; JSON report, exit 1."""
    old, new = _edited(tmp_path, _field_removed)
    out = tmp_path / "pets_client"
    build(old, out)
    runner = CliRunner()
    for side in (out, out / "apigen.json"):
        result = runner.invoke(main, ["diff", "--format", "json", str(side), str(new)])
        assert result.exit_code == 1, result.output
        data = json.loads(result.output)
        assert data["summary"]["breaking"] == 1
        assert data["breaking"] == [
            {"kind": "field-removed", "target": "models.Pet.tag", "old": "str | None"}
        ]
    result = runner.invoke(main, ["diff", str(out), str(out / "apigen.json")])
    assert result.exit_code == 0 and "0 breaking, 0 additions" in result.output


def test_a_client_built_before_alias_chains_were_shortened_diffs_clean(tmp_path: Path) -> None:
    """helper 191: a manifest of `A0: A1, A1: A2, ...` (built before every link named the
    chain's end) against one of `A0: A8` read `A6 -> A8` as a changed return type: aliases
    were spelt out six rounds deep. Chains resolve to their end."""
    links = 8
    schemas: dict[str, Any] = {
        f"A{i}": {"$ref": f"#/components/schemas/A{i + 1}"} for i in range(links)
    }
    schemas[f"A{links}"] = {"type": "object", "properties": {"x": {"type": "string"}}}
    spec = _pets()
    spec["components"]["schemas"].update(schemas)
    ok = {"application/json": {"schema": {"$ref": "#/components/schemas/A0"}}}
    spec["paths"]["/chain"] = {
        "get": {
            "operationId": "getChain",
            "responses": {"200": {"description": "ok", "content": ok}},
        }
    }
    out = tmp_path / "chain_client"
    build(_write(tmp_path / "chain.json", spec), out)
    manifest = json.loads((out / "apigen.json").read_text())
    aliases = manifest["aliases"]
    assert aliases["models.A0"] == f"A{links}"  # shortened
    for i in range(links - 1):  # as a client built before wrote them
        aliases[f"models.A{i}"] = f"A{i + 1}"
    old = _write(tmp_path / "old.json", manifest)
    report = diff_paths(old, out / "apigen.json")
    assert report.changes == [], [(c.kind, c.target, c.detail) for c in report.changes]


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    spec = _write(tmp_path / "pets.json", _pets())
    runner = CliRunner()
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(main, ["diff", str(empty), str(spec)])
    assert result.exit_code == 2 and "without apigen.json" in result.output
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    result = runner.invoke(main, ["diff", str(broken), str(spec)])
    assert result.exit_code == 2 and "broken.json" in result.output
    fake = _write(tmp_path / "fake.json", {"generator": "apigen", "operations": [{"call": 3}]})
    result = runner.invoke(main, ["diff", str(fake), str(spec)])
    assert result.exit_code == 2 and "#/operations/0" in result.output
    assert runner.invoke(main, ["diff", str(spec)]).exit_code == 2
    assert runner.invoke(main, ["diff", str(tmp_path / "nope.json"), str(spec)]).exit_code == 2
    result = runner.invoke(main, ["diff", "--format", "xml", str(spec), str(spec)])
    assert result.exit_code == 2


def _params_too_short(m: dict[str, Any]) -> str:
    m["operations"][0]["params"] = [["limit"]]
    return "#/operations/0/params/0"


def _fields_not_a_map(m: dict[str, Any]) -> str:
    m["model_fields"]["models.Pet"] = "oops"
    return "#/model_fields/models.Pet"


def _credentials_a_list(m: dict[str, Any]) -> str:
    m["credentials"] = [["x"]]
    return "#/credentials"


def _params_without_returns(m: dict[str, Any]) -> str:
    del m["operations"][0]["returns"]
    return "#/operations/0"


@pytest.mark.parametrize(
    "damage", [_params_too_short, _fields_not_a_map, _credentials_a_list, _params_without_returns]
)
def test_a_damaged_manifest_is_named_where_it_is_damaged(
    tmp_path: Path, damage: Callable[[dict[str, Any]], str]
) -> None:
    """A helper's manifest fuzz: 16 shapes the lock's checks let through ended in "internal
    error" (IndexError, AttributeError...) deep in the comparison; the manifest's shape is now
    checked first (`diff._SHAPE`), exit 2."""
    spec = _write(tmp_path / "pets.json", _pets())
    out = tmp_path / "pets_client"
    build(spec, out)
    manifest = json.loads((out / "apigen.json").read_text())
    pointer = damage(manifest)
    bad = _write(tmp_path / "bad.json", manifest)
    for args in ([bad, spec], [out, bad]):
        result = CliRunner().invoke(main, ["diff", *map(str, args)])
        assert result.exit_code == 2, result.output
        assert f"bad.json: not an apigen manifest: {pointer}" in result.output
        assert "internal error" not in result.output


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("str", "str", "same"),
        ("str", "int", "changed"),
        ("str", "str | None", "widened"),
        ("Literal['a', 'b']", "Literal['a']", "narrowed"),
        ("Literal['a'] | str", "Literal['a', 'b'] | str", "same"),  # an open enum
        ("Literal['a', 'b']", "str", "widened"),
        ("list[Literal['a']] | None", "list[Literal['a', 'b']] | None", "widened"),
        ("list[A | B]", "list[A]", "narrowed"),
        ("SyncPage[A]", "SyncPage[B]", "changed"),
        # helper 189: `enum: [true]` made a plain boolean was "changed" (breaking)
        ("Literal[True]", "bool", "widened"),
        ("bool", "Literal[True, False]", "same"),
        ("bool", "Literal[True]", "narrowed"),
        ("Literal[1, 2]", "float", "widened"),
    ],
)
def test_type_relation(old: str, new: str, expected: str) -> None:
    assert relation(old, new) == expected


def test_literal_delta() -> None:
    assert literal_delta("list[Literal['a', 'b']]", "list[Literal['b', 'c']]") == (
        ["'a'"],
        ["'c'"],
    )
    assert literal_delta("str", "int") is None


@pytest.fixture(scope="module")
def stripe_specs() -> tuple[Path, Path]:
    from tests.conftest import shared_specs

    specs = shared_specs()
    return specs / "stripe-spec3-official-2022-04-12.json", specs / "stripe.json"


def test_stripe_2022_to_2023_lists_removed_operations_and_exits_1(
    stripe_specs: tuple[Path, Path],
) -> None:
    old, new = stripe_specs
    result = CliRunner().invoke(main, ["diff", "--format", "json", str(old), str(new)])
    assert result.exit_code == 1, result.output[-2000:]
    data = json.loads(result.output)
    removed = {c["target"]: c["detail"] for c in data["breaking"] if c["kind"] == "method-removed"}
    assert removed["orders.list"] == "GET /v1/orders"
    assert removed["skus.create"] == "POST /v1/skus"
    assert len(removed) == 51
    # with the 2022 names as the lock, nothing that still exists is renamed
    assert not [c for c in data["breaking"] if c["kind"] == "method-renamed"]
    added = {c["target"] for c in data["additions"] if c["kind"] == "method-added"}
    assert "customers.payment_methods.retrieve" in added
    assert any(
        c["kind"] == "param-type-changed"
        and c["target"] == "webhook_endpoints.create(enabled_events)"
        for c in data["breaking"]
    )


def test_an_untyped_manifest_compares_methods_only(tmp_path: Path) -> None:
    """A manifest from before types were recorded still diffs by method, with a note."""
    old, new = _edited(tmp_path, _remove_delete)
    out = tmp_path / "pets_client"
    build(old, out)
    data = json.loads((out / "apigen.json").read_text())
    for key in ("model_fields", "typed_dict_fields", "field_aliases", "enums", "aliases"):
        del data[key]
    for op in data["operations"]:
        del op["params"], op["returns"]
    legacy = _write(tmp_path / "legacy.json", data)
    result = CliRunner().invoke(main, ["diff", str(legacy), str(new)])
    assert result.exit_code == 1
    assert "method-removed             pets.delete" in result.output
    assert "records no types" in result.output


def _basic_auth(spec: dict[str, Any]) -> None:
    spec["components"]["securitySchemes"] = {"basic": {"type": "http", "scheme": "basic"}}
    spec["security"] = [{"basic": []}]


def _bearer_auth(spec: dict[str, Any]) -> None:
    spec["components"]["securitySchemes"] = {"token": {"type": "http", "scheme": "bearer"}}
    spec["security"] = [{"token": []}]


def test_client_credential_keywords_are_compared(tmp_path: Path) -> None:
    """`Client(username=..., password=...)` becoming `Client(api_key=...)` breaks every caller."""
    old_spec, new_spec = copy.deepcopy(_pets()), copy.deepcopy(_pets())
    _basic_auth(old_spec)
    _bearer_auth(new_spec)
    old = _write(tmp_path / "old.json", old_spec)
    new = _write(tmp_path / "new.json", new_spec)
    report = diff_paths(old, new)
    found = {(c.category, c.kind, c.target.split(".")[-1]) for c in report.changes}
    assert ("breaking", "credential-removed", "Client(username=)") in found
    assert ("breaking", "credential-removed", "Client(password=)") in found
    assert ("addition", "credential-added", "Client(api_key=)") in found
    assert report.breaking
    added = [c for c in report.changes if c.kind == "credential-added"]
    assert [c.detail for c in added] == [added[0].detail] and added[0].detail.endswith("_API_KEY")
    # the same credentials on both sides: nothing to report
    same = diff_paths(new, _write(tmp_path / "same.json", new_spec))
    assert not [c for c in same.changes if c.kind.startswith("credential")]


def test_a_credential_read_from_another_variable_is_breaking(tmp_path: Path) -> None:
    from apigen.diff import compare

    old = {"package": "pets", "client": "pets.Client", "operations": []}
    old["credentials"] = {"api_key": "PETS_API_KEY"}
    new = {**old, "credentials": {"api_key": "PETS_TOKEN"}}
    (change,) = compare(old, new)
    assert (change.category, change.kind, change.target, change.detail) == (
        "breaking",
        "credential-env-changed",
        "pets.Client(api_key=)",
        "PETS_API_KEY -> PETS_TOKEN",
    )
    assert compare(old, {**new, "package": "pets2"}) == []  # a renamed package renames them too
    assert compare({k: v for k, v in old.items() if k != "credentials"}, new) == []  # old manifest


def _hooked(**webhooks: dict[str, Any]) -> dict[str, Any]:
    spec = _pets()
    spec["openapi"] = "3.1.0"
    spec["webhooks"] = {
        name: {
            "post": {
                "requestBody": {"content": {"application/json": {"schema": schema}}},
                "responses": {"200": {"description": "ok"}},
            }
        }
        for name, schema in webhooks.items()
    }
    return spec


def test_webhook_parsers_removed_added_and_retyped(tmp_path: Path) -> None:
    """`<package>.webhooks` is public API too (decisions 55): a removed parser breaks a receiver,
    and its payload, a value the API sends, may narrow but not widen."""
    pet = {"$ref": "#/components/schemas/Pet"}
    old = _write(
        tmp_path / "old.json",
        _hooked(petAdopted=pet, petGone={"type": "string"}, ping={"type": "string"}),
    )
    new = _write(
        tmp_path / "new.json",
        _hooked(petAdopted=pet, ping={"type": "integer"}, petBorn=pet),
    )
    report = diff_paths(old, new)
    kinds = _kinds(report.changes)
    assert ("breaking", "webhook-removed", "webhooks.pet_gone") in kinds
    assert ("breaking", "webhook-payload-changed", "webhooks.ping") in kinds
    assert ("addition", "webhook-added", "webhooks.pet_born") in kinds
    assert not any(target.endswith("pet_adopted") for _, _, target in kinds)
    assert report.breaking


def test_a_configured_client_is_compared_with_its_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A helper's review: `apigen diff gen/zoo spec.yaml` for a client built with
    `renames.models` and `exclude` compared it with the bare spec: "1 breaking, 2 additions",
    exit 1, for an unchanged spec and configuration (a CI gate failing for nothing, a real
    change hidden in the noise). The client writing OLD's folder lends its options: found in
    the current folder's configuration, or named by `--config`."""
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(_pets()))
    (tmp_path / "apigen.toml").write_text(
        '[clients.zoo]\nspec = "spec.json"\noutput = "gen/zoo"\n'
        '[clients.zoo.renames.models]\nPet = "Animal"\n'
    )
    from apigen.config import load_config

    load_config(tmp_path / "apigen.toml").clients[0].build()
    runner = CliRunner()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no configuration here: the bare spec, as before
    bare = runner.invoke(main, ["diff", str(tmp_path / "gen" / "zoo"), str(spec)])
    assert bare.exit_code == 1, bare.output
    named = runner.invoke(
        main,
        [
            "diff",
            str(tmp_path / "gen" / "zoo"),
            str(spec),
            "--config",
            str(tmp_path / "apigen.toml"),
        ],
    )
    assert named.exit_code == 0 and "0 breaking" in named.output, named.output
    monkeypatch.chdir(tmp_path)
    found = runner.invoke(main, ["diff", "gen/zoo", "spec.json"])
    assert found.exit_code == 0 and "0 breaking" in found.output, found.output


def test_a_broken_configuration_found_here_is_an_error_not_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: a typo in the apigen.toml of the current folder dropped it silently, renames
    and all, and `apigen diff` called the configured rename a breaking change (exit 1). An
    unreadable unrelated pyproject.toml still means no configuration (the bare spec)."""
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(_pets()))
    config = '[clients.zoo]\nspec = "spec.json"\noutput = "gen/zoo"\n'
    (tmp_path / "apigen.toml").write_text(config + '[clients.zoo.renames.models]\nPet = "Animal"\n')
    from apigen.config import load_config

    load_config(tmp_path / "apigen.toml").clients[0].build()
    (tmp_path / "apigen.toml").write_text(
        config + 'pakage = "x"\n[clients.zoo.renames.models]\nPet = "Animal"\n'
    )
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    broken = runner.invoke(main, ["diff", "gen/zoo", "spec.json"])
    assert broken.exit_code == 2 and "unknown key 'pakage'" in broken.output, broken.output
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "pyproject.toml").write_bytes(b"\xff\xfe [project]")
    monkeypatch.chdir(elsewhere)
    bare = runner.invoke(main, ["diff", str(tmp_path / "gen" / "zoo"), str(spec)])
    assert bare.exit_code == 1 and "internal error" not in bare.output, bare.output
    # ... but a broken pyproject.toml holding `[tool.apigen]` is a broken configuration
    (elsewhere / "pyproject.toml").write_text('[tool.apigen.clients.zoo\nspec = "x"\n')
    ours = runner.invoke(main, ["diff", str(tmp_path / "gen" / "zoo"), str(spec)])
    assert ours.exit_code == 2 and "not valid TOML" in ours.output, ours.output


# --- a helper's review of `apigen diff` (74 pairs against mypy and a caller) ------------------


def _owner_body(spec: dict[str, Any], owner: dict[str, Any] | None = None) -> None:
    """`POST /owners` taking an `Owner` (a `$ref`: the caller builds the model) and answering
    204: the model only travels in requests."""
    spec["components"]["schemas"]["Owner"] = owner or {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "string"}, "email": {"type": "string"}},
    }
    spec["paths"]["/owners"] = {
        "post": {
            "operationId": "createOwner",
            "tags": ["owners"],
            "requestBody": {
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["owner"],
                            "properties": {"owner": {"$ref": "#/components/schemas/Owner"}},
                        }
                    }
                }
            },
            "responses": {"204": {"description": "ok"}},
        }
    }


def _pair(
    tmp_path: Path,
    old_edit: Callable[[dict[str, Any]], None],
    new_edit: Callable[[dict[str, Any]], None],
) -> list[Change]:
    old, new = copy.deepcopy(_pets()), copy.deepcopy(_pets())
    old_edit(old)
    new_edit(new)
    return diff_paths(
        _write(tmp_path / "old.json", old), _write(tmp_path / "new.json", new)
    ).changes


def test_a_model_the_caller_builds_is_judged_as_an_input(tmp_path: Path) -> None:
    """A request-only model gaining a required field, or a field becoming required, broke
    every caller (mypy and pydantic refuse the old call) but was an "addition" / a compatible
    narrowing: models were judged as returned only."""

    def required_name(spec: dict[str, Any]) -> None:
        _owner_body(spec)
        owner = spec["components"]["schemas"]["Owner"]
        owner["required"] = ["id", "email", "name"]
        owner["properties"]["name"] = {"type": "string"}

    kinds = _kinds(_pair(tmp_path, _owner_body, required_name))
    assert ("breaking", "field-added-required", "models.Owner.name") in kinds
    assert ("breaking", "field-now-required", "models.Owner.email") in kinds


def test_a_model_both_sides_carry_breaks_on_any_retyping(tmp_path: Path) -> None:
    def shared(spec: dict[str, Any], kind: str = "string") -> None:
        _owner_body(spec)
        spec["components"]["schemas"]["Owner"]["properties"]["email"] = {"type": kind}
        spec["components"]["schemas"]["Pet"]["properties"]["owner"] = {
            "$ref": "#/components/schemas/Owner"
        }

    changes = _pair(tmp_path, shared, lambda s: shared(s, "integer"))
    assert ("breaking", "field-type-changed", "models.Owner.email") in _kinds(changes)


def test_a_path_parameter_moved_to_the_query_breaks_the_positional_call(tmp_path: Path) -> None:
    def to_query(spec: dict[str, Any]) -> None:
        spec["paths"]["/pets/{petId}"]["get"]["parameters"] = []
        spec["paths"]["/pets/by-id"] = {"get": _op(spec, "/pets/{petId}", "get")}
        del spec["paths"]["/pets/{petId}"]["get"]
        _op(spec, "/pets/by-id", "get")["parameters"] = [
            {"name": "petId", "in": "query", "required": True, "schema": {"type": "string"}}
        ]

    kinds = _kinds(_pair(tmp_path, lambda s: None, to_query))
    assert ("breaking", "param-location-changed", "pets.get(pet_id)") in kinds


def test_int_is_a_float_and_a_response_enum_is_open(tmp_path: Path) -> None:
    """`integer` -> `number` on an input, and `number` -> `integer` on a response field, type
    check unchanged (PEP 484's numeric tower); a value leaving an enum only responses carry
    changes no type (`Literal[...] | str`), as the README says."""

    def numbers(spec: dict[str, Any], param: str = "integer", field: str = "number") -> None:
        _op(spec, "/pets", "get")["parameters"][0]["schema"] = {"type": param}
        del _op(spec, "/pets", "get")["parameters"][1]  # Status: in responses only
        spec["components"]["schemas"]["Pet"]["properties"]["weight"] = {"type": field}

    def changed(spec: dict[str, Any]) -> None:
        numbers(spec, "number", "integer")
        spec["components"]["schemas"]["Status"]["enum"] = ["available", "sold"]

    changes = _pair(tmp_path, numbers, changed)
    assert not [c for c in changes if c.category == "breaking"], changes
    assert ("change", "param-type-changed", "pets.list(limit)") in _kinds(changes)
    assert not [c for c in changes if c.target == "models.Status"]


def test_an_enum_a_request_carries_still_breaks_on_a_removed_value(tmp_path: Path) -> None:
    kinds = _kinds(_pair(tmp_path, lambda s: None, _enum_value_removed))  # `status=` sends it
    assert ("breaking", "enum-value-removed", "models.Status") in kinds


def test_two_specs_take_the_options_of_the_client_whose_spec_one_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CI's usual diff (the spec as it was, from git, against the configured one) ignored the
    configuration: an operation the client excludes was "method-removed", exit 1."""
    (tmp_path / "specs").mkdir()
    spec = _write(tmp_path / "specs" / "pets.json", _pets())
    old = copy.deepcopy(_pets())
    old["paths"]["/pets/{petId}"]["delete"]["tags"] = ["admin"]
    new_spec = copy.deepcopy(_pets())
    del new_spec["paths"]["/pets/{petId}"]["delete"]  # gone: the client never had it
    _write(spec, new_spec)
    old_file = _write(tmp_path / "old.json", old)
    (tmp_path / "apigen.toml").write_text(
        '[clients.pets]\nspec = "specs/pets.json"\noutput = "client"\n'
        '[clients.pets.exclude]\ntags = ["admin"]\n'
    )
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["diff", str(old_file), "specs/pets.json"])
    assert result.exit_code == 0 and "pets.delete" not in result.output, result.output
    monkeypatch.chdir(tmp_path / "specs")
    named = runner.invoke(
        main, ["diff", str(old_file), str(spec), "--config", str(tmp_path / "apigen.toml")]
    )
    assert named.exit_code == 0 and "pets.delete" not in named.output, named.output


def test_a_json_spec_nested_too_deeply_is_an_unreadable_input(tmp_path: Path) -> None:
    """A helper's hostile-input sweep: `apigen diff` read a `.json` side as a manifest first,
    and a document nested ~2,000+ levels raised `RecursionError` there: "internal error"."""
    old = _write(tmp_path / "old.json", _pets())
    deep = tmp_path / "deep.json"
    deep.write_text('{"openapi": "3.0.3", "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    result = CliRunner().invoke(main, ["diff", str(old), str(deep)])
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output and "nested too deeply" in result.output


def test_a_json_spec_build_reads_diff_reads_too(tmp_path: Path) -> None:
    """A helper's review: `diff` read any `.json` strictly as UTF-8 to see if it was a
    manifest, so a UTF-16 or BOM spec that `build` and `check` accept was refused, and a syntax
    error or a huge integer got an unlocated message (with CPython's advice) instead of the
    spec loader's."""
    text = json.dumps(_pets())
    utf16 = tmp_path / "utf16.json"
    utf16.write_bytes(text.encode("utf-16"))
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode())
    plain = _write(tmp_path / "plain.json", _pets())
    runner = CliRunner()
    for spec in (utf16, bom):
        result = runner.invoke(main, ["diff", str(spec), str(plain)])
        assert result.exit_code == 0 and "0 breaking" in result.output, result.output
    broken = tmp_path / "broken.json"
    broken.write_text("{," + text[1:])
    huge = tmp_path / "huge.json"
    huge.write_text(text.replace('"version"', '"x-big": ' + "9" * 5000 + ', "version"', 1))
    for spec, said in ((broken, "invalid JSON"), (huge, "more than 4300 digits")):
        result = runner.invoke(main, ["diff", str(spec), str(plain)])
        assert result.exit_code != 0 and f"{spec}:1: error: #: " in result.output, result.output
        assert said in result.output and "sys.set_int_max_str_digits" not in result.output
    manifest = tmp_path / "apigen.json"
    manifest.write_text("{not json")
    result = runner.invoke(main, ["diff", str(manifest), str(plain)])
    assert result.exit_code != 0 and "cannot read it as JSON" in result.output


def test_a_configured_rename_of_a_removed_operation_is_reported_as_its_removal(
    tmp_path: Path,
) -> None:
    """Helper 176: `renames.methods.deletePet` in the configuration, and NEW without
    `deletePet`: exit 2 "not a usable spec", instead of the removal diff exists to report."""
    old, new = _edited(tmp_path, _remove_delete)
    config = tmp_path / "apigen.toml"
    config.write_text(
        f'[clients.pets]\nspec = "{old.as_posix()}"\noutput = "out"\n'
        "long_running = {deletePet = {status_field = 'status', done = ['done']}}\n"
        '[clients.pets.renames.methods]\ndeletePet = "pets.remove"\n'
        '[clients.pets.renames.models]\nPet = "Animal"\n'
    )
    result = CliRunner().invoke(main, ["generate", "--config", str(config), "--quiet"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["diff", "--config", str(config), str(old), str(new)])
    assert result.exit_code == 1, result.output
    assert "method-removed" in result.output and "pets.remove" in result.output
    # the configuration itself still refuses such a rename where a client is built
    config.write_text(config.read_text().replace(old.as_posix(), new.as_posix()))
    result = CliRunner().invoke(main, ["generate", "--config", str(config)])
    assert result.exit_code != 0 and "names no operation" in result.output
