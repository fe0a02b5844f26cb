"""Issue 7 items 1 and 8: the contract runner drives the generated clients (sync and async)
through petstore fully and through fixed lists of risky Stripe and GitHub operations plus a
small slice rotating by date; no client failure may be new against baseline.json."""

from __future__ import annotations

import datetime
import json
import os
import random
from pathlib import Path

import pytest

from apigen.contract import ContractConfig, RunReport, run_contract
from apigen.contract.client import load_client
from tests.conftest import ROOT, shared_specs

BASELINE = Path(__file__).with_name("baseline.json")

# Form bodies with nested objects, deepObject queries, path params, file upload servers,
# anyOf/"" fields, search and cursor pagination, polymorphic event payloads.
STRIPE_RISKY = [
    "PostCustomers",
    "PostPaymentIntents",
    "PostPaymentIntentsIntent",
    "GetCustomers",
    "GetCharges",
    "PostFiles",
    "GetFilesFile",
    "DeleteCustomersCustomerSourcesId",
    "GetCustomersCustomerSourcesId",
    "PostCheckoutSessions",
    "PostSubscriptions",
    "PostInvoices",
    "GetInvoicesUpcoming",
    "PostProducts",
    "PostPrices",
    "GetBalanceTransactions",
    "PostAccounts",
    "GetSubscriptions",
    "PostCustomersCustomerTaxIds",
    "GetEvents",
    "GetCustomersSearch",
]
# Nullable $refs (Issue.assignee, FullRepository.license), oneOf responses without a matching
# discriminator (users.get_by_username, repos.get_content), the uploads server, path params that
# hold slashes (git refs, branches), link pagination, binary/redirect downloads, JSON bodies.
GITHUB_RISKY = [
    "issues/get",
    "issues/list-for-repo",
    "issues/create",
    "repos/get",
    "repos/upload-release-asset",
    "repos/get-content",
    "users/get-by-username",
    "repos/list-for-org",
    "search/issues-and-pull-requests",
    "git/get-ref",
    "repos/get-branch",
    "actions/list-workflow-runs-for-repo",
    "pulls/create",
    "pulls/list",
    "repos/create-or-update-file-contents",
    "activity/list-public-events",
    "orgs/get",
    "repos/list-commits",
    "checks/create",
    "gists/create",
    "repos/download-tarball-archive",
]
ROTATING = 5  # extra operations per API per day


def rotation_seed() -> int:
    """Deterministic within a day (override with APIGEN_CONTRACT_SEED)."""
    raw = os.environ.get("APIGEN_CONTRACT_SEED")
    return int(raw) if raw else int(datetime.date.today().strftime("%Y%m%d"))


def rotating_slice(
    client_dir: Path, fixed: list[str], seed: int, size: int = ROTATING
) -> list[str]:
    others = sorted(
        op.operation_id for op in load_client(client_dir).operations if op.operation_id not in fixed
    )
    return random.Random(seed).sample(others, min(size, len(others)))


def _client_failures(report: RunReport) -> str:
    new = report.new_failures("client")
    return "\n".join(
        f"{f.operation_id} [{f.check}] {f.message}\n  {f.python}\n  {f.http}" for f in new[:20]
    )


def test_petstore_every_operation_sync_and_async() -> None:
    report = run_contract(
        ContractConfig(
            ROOT / "generated/petstore",
            spec=ROOT / "specs/petstore.yaml",
            max_examples=10,
            baseline=BASELINE,
        )
    )
    print(report.text())
    manifest = json.loads((ROOT / "generated/petstore/apigen.json").read_text())
    assert {op.operation_id for op in report.operations} == {
        o["operation_id"] for o in manifest["operations"]
    }
    assert all(not op.skipped and op.cases >= 2 for op in report.operations)
    assert report.calls() == 2 * report.cases()  # every case through sync and async
    # the edge cases ran: owners.get has a string path parameter
    owner = next(op for op in report.operations if op.operation_id == "getOwner")
    assert owner.cases >= 10 + 3
    assert not report.new_failures("client"), _client_failures(report)


@pytest.mark.parametrize(
    ("name", "fixed"),
    [("stripe", STRIPE_RISKY), ("github", GITHUB_RISKY)],
    ids=["stripe", "github"],
)
def test_risky_operations_and_a_rotating_slice(name: str, fixed: list[str]) -> None:
    client_dir = ROOT / "generated" / name
    seed = rotation_seed()
    extra = rotating_slice(client_dir, fixed, seed)
    print(f"{name}: rotating slice seed {seed} (APIGEN_CONTRACT_SEED={seed} replays it): {extra}")
    report = run_contract(
        ContractConfig(
            client_dir,
            spec=shared_specs() / f"{name}.json",
            operations=[*fixed, *extra],
            max_examples=3,
            seed=seed,
            time_budget=150,
            baseline=BASELINE,
        )
    )
    print(report.text())
    assert {op.operation_id for op in report.operations} == set(fixed) | set(extra)
    ran = [op for op in report.operations if not op.skipped]
    assert len(ran) >= len(fixed), "time budget hit before the fixed list was done"
    assert not report.new_failures("client"), _client_failures(report)
