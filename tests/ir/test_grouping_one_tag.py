"""A tag every operation carries groups nothing the paths do not group better, and in an API
of POST actions a path's last segment is the method.

Plaid tags all 329 operations `plaid`: the client was `client.plaid.transfer_ledger_withdraw
(...)`, one resource of 329 methods split over 29 part modules. By its paths it is
`client.transfer.ledger.withdraw(...)`, `client.sandbox.item.fire_webhook(...)`, the shape the
best SDKs give such APIs (a review of the corpus2 provider clients, 2026-12-05).
"""

from __future__ import annotations

from typing import Any

from tests.builds import calls_of

_calls = calls_of


_PLAID = [
    ("post", "/transactions/get", "transactionsGet"),
    ("post", "/transactions/refresh", "transactionsRefresh"),
    ("post", "/transfer/ledger/withdraw", "transferLedgerWithdraw"),
    ("post", "/transfer/ledger/get", "transferLedgerGet"),
    ("post", "/sandbox/item/fire_webhook", "sandboxItemFireWebhook"),
    ("post", "/item/import", "itemImport"),
    ("post", "/asset_report/create", "assetReportCreate"),
    ("post", "/asset_report/audit_copy/remove", "assetReportAuditCopyRemove"),
    ("post", "/accounts/balance/get", "accountsBalanceGet"),
    ("get", "/fdx/consents/{consentId}", "getConsent"),
]


def test_one_tag_on_every_operation_leaves_the_grouping_to_the_paths() -> None:
    calls = _calls([(m, p, i, "plaid") for m, p, i in _PLAID])
    assert calls == {
        "transactionsGet": "transactions.get",
        "transactionsRefresh": "transactions.refresh",  # no verb `_path_name` knew: still the
        "transferLedgerWithdraw": "transfer.ledger.withdraw",  # method in an API of actions
        "transferLedgerGet": "transfer.ledger.get",
        "sandboxItemFireWebhook": "sandbox.item.fire_webhook",
        "itemImport": "item.import_",
        "assetReportCreate": "asset_report.create",
        "assetReportAuditCopyRemove": "asset_report.audit_copy.remove",
        "accountsBalanceGet": "accounts.balance.get",
        "getConsent": "fdx.consents.retrieve",
    }


def test_the_same_api_untagged_is_named_alike() -> None:
    tagged = _calls([(m, p, i, "plaid") for m, p, i in _PLAID])
    assert _calls([(m, p, i, None) for m, p, i in _PLAID]) == tagged


def test_one_tag_stays_where_paths_would_say_less() -> None:
    # paths of one segment (Adyen's `/checkBalance`, Qualpay's `/sale`): a resource a method
    one_segment = [
        ("post", "/checkBalance", "post-checkBalance", "General"),
        ("post", "/changeStatus", "post-changeStatus", "General"),
    ]
    assert _calls(one_segment) == {
        "post-checkBalance": "general.post_check_balance",
        "post-changeStatus": "general.post_change_status",
    }
    # every path under one first segment: the tag is as good as the path
    one_folder = [
        ("get", "/accounts/{id}/reports", "listReports", "accounts"),
        ("get", "/accounts/{id}/users", "listUsers", "accounts"),
    ]
    assert _calls(one_folder) == {
        "listReports": "accounts.list_reports",
        "listUsers": "accounts.list_users",
    }
    # two tags: each groups its own
    two_tags = [
        ("post", "/transactions/get", "transactionsGet", "transactions"),
        ("post", "/transfer/get", "transferGet", "transfer"),
    ]
    assert _calls(two_tags) == {
        "transactionsGet": "transactions.get",
        "transferGet": "transfer.get",
    }


def test_a_path_s_last_segment_is_an_action_only_in_an_api_of_actions() -> None:
    # a REST API (GETs beside its POSTs): `/reports/summary` stays a resource
    rest = [
        ("get", "/reports/summary", "getSummary", None),
        ("post", "/reports/summary", "createSummary", None),
        ("get", "/users", "listUsers", None),
    ]
    assert _calls(rest)["getSummary"] == "reports.summary.retrieve"


def test_an_api_of_posts_to_nouns_keeps_create() -> None:
    nouns = [
        ("post", "/chat/completions", "createChatCompletion", None),
        ("post", "/images/generations", "createImage", None),
        ("post", "/audio/speech", "createSpeech", None),
    ]
    assert _calls(nouns) == {
        "createChatCompletion": "chat.completions.create",
        "createImage": "images.generations.create",
        "createSpeech": "audio.speech.create",
    }


def test_a_method_never_keeps_a_name_a_sub_resource_has() -> None:
    """A helper's hostile spec: operation `photos` under tag `pets`, and tags `pets.photos`,
    `pets.get_photos`, `pets.get_get_photos`, `pets.get_get_get_photos`: each round of renames
    met the next child, and after three the method kept a child's name (ruff F811, mypy's
    internal error, AttributeError on the sub-resource). The last resort qualifies it by path."""
    from tests.builds import api_of

    def listing(op_id: str, tag: str) -> dict[str, Any]:
        return {
            "get": {
                "operationId": op_id,
                "tags": [tag],
                "responses": {"204": {"description": "ok"}},
            }
        }

    paths = {"/pets/photos": listing("photos", "pets")}
    for i, tag in enumerate(["photos", "get_photos", "get_get_photos", "get_get_get_photos"]):
        paths[f"/x{i}"] = listing(f"list{i}", f"pets.{tag}")
    api = api_of({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths})
    children = {op.resource[1] for op in api.operations if len(op.resource) > 1}
    (method,) = [op for op in api.operations if op.resource == ("pets",)]
    assert method.name not in children and method.name == "get_pets_photos"
