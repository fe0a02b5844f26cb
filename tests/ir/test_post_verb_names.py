"""A POST of an untagged spec is not `create` when its id or its last segment says otherwise.

RPC-style POSTs were named by the HTTP verb alone: AWS IoT's `ListAuditFindings` on
`POST /audit/findings` was `audit.findings.create`, `GetEffectivePolicies` was
`effective_policies.create`, and a trailing verb segment without its parent path
(`POST /audit/suppressions/delete`) became a resource of its own:
`audit.suppressions.delete.create()`; Stripe's `POST /v1/tax/transactions/create_reversal` was
`tax.transactions.create_reversal.create` (a review of method names across the shared specs,
2026-12-05; 29 renames there, none in GitHub or petstore; the committed Stripe client was
regenerated with them)."""

from __future__ import annotations

from typing import Any

from tests.builds import api_of


def _calls(paths: dict[str, dict[str, str]]) -> dict[str, str]:
    """`{path: {method: operationId}}` -> `{operationId: resource.method}`."""
    ok = {"200": {"description": "ok"}}
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            path: {
                method: {
                    "operationId": op_id,
                    "responses": ok,
                    "parameters": [
                        {
                            "name": p.strip("{}"),
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                        for p in path.split("/")
                        if p.startswith("{")
                    ],
                }
                for method, op_id in methods.items()
            }
            for path, methods in paths.items()
        },
    }
    api = api_of(document)
    return {op.operation_id: ".".join([*op.resource, op.name]) for op in api.operations}


def test_a_post_whose_id_says_it_reads_is_named_by_its_verb() -> None:
    calls = _calls(
        {
            "/audit/findings": {"post": "ListAuditFindings"},
            "/effective-policies": {"post": "GetEffectivePolicies"},
            "/policy-targets/{name}": {"post": "ListTargetsForPolicy"},
            "/things": {"post": "createThing", "get": "listThings"},
            "/messages": {"post": "sendMessage"},  # sending creates a message: still `create`
        }
    )
    assert calls == {
        "ListAuditFindings": "audit.findings.list",  # the rest only repeats the resource
        "GetEffectivePolicies": "effective_policies.get",
        "ListTargetsForPolicy": "policy_targets.list_targets_for_policy",  # says more: kept
        "createThing": "things.create",
        "listThings": "things.list",
        "sendMessage": "messages.create",
    }


def test_a_trailing_verb_segment_is_the_method_even_without_its_parent_path() -> None:
    calls = _calls(
        {
            "/audit/suppressions/delete": {"post": "DeleteAuditSuppression"},
            "/audit/suppressions/describe": {"post": "DescribeAuditSuppression"},
            "/render/sync": {"post": "renderSync"},
            "/pets/photos": {"post": "addPhoto"},  # a noun: still a resource
            # GETs beside the POSTs: no API of actions, where every last segment is the
            # method (tests/ir/test_grouping_one_tag.py)
            "/users": {"get": "listUsers"},
            "/users/{id}": {"get": "getUser"},
        }
    )
    assert calls == {
        "DeleteAuditSuppression": "audit.suppressions.delete",
        "DescribeAuditSuppression": "audit.suppressions.describe",
        "renderSync": "render.sync",
        "addPhoto": "pets.photos.create",
        "listUsers": "users.list",
        "getUser": "users.retrieve",
    }


def test_an_action_path_s_noun_takes_the_operation_id_s_verb() -> None:
    """`PUT /things/{id}/status` (`setStatus`) was `things.status(id, status=...)`, a name
    that reads as a getter: a noun segment takes the id's leading verb. A verb segment, an id
    without a known verb and a path without an id keep the segment (2026-12-05)."""
    calls = _calls(
        {
            "/things": {"get": "listThings"},
            "/things/{id}/status": {"put": "setStatus"},
            "/things/{id}/default": {"put": "setThingDefault"},
            "/users/{u}/followers": {"get": "listFollowers"},
            "/orders/{id}/payment": {"post": "createPayment"},
            "/orders/{id}/cancel": {"post": "cancelOrder"},  # a verb: the segment
            "/reports/{id}/render": {"get": "renderReport"},  # an unknown verb: the segment
            "/reports/{id}/summary": {"get": "getReportSummary"},
            "/users/{u}/status": {"get": "userStatus"},  # no verb in the id
        }
    )
    assert calls == {
        "listThings": "things.list",
        "setStatus": "things.set_status",
        "setThingDefault": "things.set_default",
        "listFollowers": "users.list_followers",
        "createPayment": "orders.create_payment",
        "cancelOrder": "orders.cancel",
        "renderReport": "reports.render",
        "getReportSummary": "reports.get_summary",
        "userStatus": "users.status",
    }
