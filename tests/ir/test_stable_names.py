"""Stable names: the previous output's apigen.json is the lock of resource and method names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from apigen.cli import main
from apigen.ir.options import ApiOptions
from apigen.pipeline import build
from apigen.write import OutputError
from tests.builds import check_generated, manifest, on_path, resolve_call


def _get(op_id: str, *, params: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "operationId": op_id,
        "parameters": [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
            for p in params
        ],
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        },
    }


def _spec(paths: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Shop", "version": "1"},
        "servers": [{"url": "https://shop.example/v1"}],
        "paths": paths,
    }


V1 = _spec(
    {
        "/customers/{customer}": {"get": _get("GetCustomer", params=("customer",))},
        "/customers/{customer}/payment_methods": {
            "get": _get("CustomerPaymentMethods", params=("customer",))
        },
        "/things/{id}": {"get": _get("getThing", params=("id",))},
    }
)
# A sibling path makes `payment_methods` a sub-resource; getThing moved; a new operation takes
# the path (and so the derived name) getThing had.
V2 = _spec(
    {
        "/customers/{customer}": {"get": _get("GetCustomer", params=("customer",))},
        "/customers/{customer}/payment_methods": {
            "get": _get("CustomerPaymentMethods", params=("customer",))
        },
        "/customers/{customer}/payment_methods/{payment_method}": {
            "get": _get("GetCustomerPaymentMethod", params=("customer", "payment_method"))
        },
        "/things/{id}/detail": {"get": _get("getThing", params=("id",))},
        "/things/{id}": {"get": _get("fetchThing", params=("id",))},
    }
)


def _write(tmp_path: Path, name: str, spec: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(spec))
    return path


def _calls(out: Path) -> dict[str, str]:
    return {op["operation_id"]: op["call"] for op in manifest(out)["operations"]}


def test_regenerating_keeps_every_locked_name(tmp_path: Path) -> None:
    out = tmp_path / "shop"
    build(_write(tmp_path, "v1.json", V1), out)
    before = _calls(out)
    assert before["CustomerPaymentMethods"] == "customers.payment_methods"
    assert before["getThing"] == "things.retrieve"

    build(_write(tmp_path, "v2.json", V2), out)
    after = _calls(out)
    assert {k: after[k] for k in before} == before  # no existing method renamed
    # the new sub-resource steps aside from the locked method; the new method off the old name
    assert after["GetCustomerPaymentMethod"] == "customers.payment_methods_api.retrieve"
    assert after["fetchThing"] == "things.fetch_thing"
    check_generated(out)  # every call resolves and is callable, the old one included


def test_fresh_names_ignore_the_lock(tmp_path: Path) -> None:
    out = tmp_path / "shop"
    build(_write(tmp_path, "v1.json", V1), out)
    build(_write(tmp_path, "v2.json", V2), out, fresh_names=True)
    after = _calls(out)
    # derived anew: `payment_methods` is a sub-resource now, `fetchThing` takes `retrieve`
    assert after["CustomerPaymentMethods"].startswith("customers.payment_methods.")
    assert after["GetCustomerPaymentMethod"].startswith("customers.payment_methods.")
    assert after["fetchThing"] == "things.retrieve"


def test_cli_flag_no_lock(tmp_path: Path) -> None:
    out = tmp_path / "shop"
    v1, v2 = _write(tmp_path, "v1.json", V1), _write(tmp_path, "v2.json", V2)
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(v1), "-o", str(out), "--quiet"]).exit_code == 0
    result = runner.invoke(main, ["build", str(v2), "-o", str(out), "--quiet", "--no-lock"])
    assert result.exit_code == 0, result.output
    assert _calls(out)["CustomerPaymentMethods"].startswith("customers.payment_methods.")


def test_operation_matched_by_route_when_its_id_changes(tmp_path: Path) -> None:
    out = tmp_path / "shop"
    build(_write(tmp_path, "v1.json", V1), out)
    renamed = json.loads(json.dumps(V1))
    renamed["paths"]["/things/{id}"]["get"]["operationId"] = "retrieveThingById"
    build(_write(tmp_path, "v1b.json", renamed), out)
    assert _calls(out)["retrieveThingById"] == "things.retrieve"


def test_configured_rename_overrides_the_lock(tmp_path: Path) -> None:
    out = tmp_path / "shop"
    build(_write(tmp_path, "v1.json", V1), out)
    options = ApiOptions(rename_methods={"CustomerPaymentMethods": "list_payment_methods"})
    build(_write(tmp_path, "v2.json", V2), out, options=options)
    after = _calls(out)
    assert after["CustomerPaymentMethods"] == "customers.list_payment_methods"
    assert after["getThing"] == "things.retrieve"  # the others stay locked


def test_a_malformed_lock_is_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "shop"
    build(_write(tmp_path, "v1.json", V1), out)
    (out / "apigen.json").write_text('{"generator": "apigen", "operations": [{"call": 1}]}')
    with pytest.raises(OutputError, match=r"apigen.json: #/operations/0: .*--fresh-names"):
        build(_write(tmp_path, "v2.json", V2), out)
    result = CliRunner().invoke(main, ["build", str(tmp_path / "v2.json"), "-o", str(out)])
    assert result.exit_code == 1
    assert "--fresh-names" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "call", ["shop.\uff55\uff50\uff44\uff41\uff54\uff45", "shop.__init__", "shop._x", "shop.class"]
)
def test_a_lock_naming_no_public_method_is_a_clear_error(tmp_path: Path, call: str) -> None:
    """Helper 174: the lock took any identifier: a full-width `update` (NFKC: `update`) replaced
    another method, `__init__` the resource's constructor; a keyword broke the module."""
    out = tmp_path / "shop"
    build(_write(tmp_path, "v1.json", V1), out)
    data = json.loads((out / "apigen.json").read_text())
    data["operations"][0]["call"] = call
    (out / "apigen.json").write_text(json.dumps(data))
    with pytest.raises(OutputError, match=r"#/operations/0/call: .*not a dotted resource"):
        build(_write(tmp_path, "v2.json", V2), out)


@pytest.fixture(scope="module")
def stripe_regenerated(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, Any], dict[str, Any], Path]:
    """Stripe 2022-04 built, then Stripe 2023 over it: (old manifest, new manifest, output)."""
    from tests.conftest import shared_specs

    specs = shared_specs()
    out = tmp_path_factory.mktemp("stable") / "stripe"
    build(specs / "stripe-spec3-official-2022-04-12.json", out)
    old = manifest(out)
    build(specs / "stripe.json", out)
    return old, manifest(out), out


def test_stripe_2023_over_2022_renames_no_method(
    stripe_regenerated: tuple[dict[str, Any], dict[str, Any], Path],
) -> None:
    old, new, out = stripe_regenerated
    before = {op["operation_id"]: op["call"] for op in old["operations"]}
    after = {op["operation_id"]: op["call"] for op in new["operations"]}
    kept = before.keys() & after.keys()
    assert len(kept) > 350
    assert {k: after[k] for k in kept} == {k: before[k] for k in kept}
    # (stripe-python's names: `Customer.list_payment_methods`, `.retrieve_payment_method`)
    assert after["GetCustomersCustomerPaymentMethods"] == "customers.list_payment_methods"
    assert before["GetCustomersCustomerPaymentMethods"] == "customers.list_payment_methods"
    assert after["GetCustomersCustomerPaymentMethodsPaymentMethod"] == (
        "customers.payment_methods.retrieve"
    )
    calls = list(after.values())
    assert len(set(calls)) == len(calls)
    with on_path(out, new["package"]) as pkg:
        client = pkg.Client(api_key="sk_test")
        assert callable(resolve_call(client, "customers.list_payment_methods"))
        assert callable(resolve_call(client, "customers.payment_methods.retrieve"))
        client.close()
