"""Generated Stripe and GitHub clients walk every page, sync and async, against the sandbox.

The sandbox routes and records each request as usual; `PagingSandbox` then answers the list
operations page by page from the query (Stripe: `starting_after`; GitHub: `page`, with `Link`
headers naming the next page the way api.github.com does, under a different path).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from apigen.sandbox import Reply, Sandbox
from tests.builds import manifest, on_path

Pager = Callable[[str, str, dict[str, str]], Reply | None]


class PagingSandbox(Sandbox):
    """A sandbox whose list endpoints serve real pages (`pager` returns None for the rest);
    requests the sandbox refuses as invalid (400/401/422) keep their refusal. (GitHub's `Link`
    pages go to `/repositories/{id}/...`, a path the spec does not have: the pager serves it.)"""

    pager: Pager | None = None

    def handle(
        self, method: str, target: str, headers: Mapping[str, str] | None = None, body: bytes = b""
    ) -> Reply:
        reply = super().handle(method, target, headers, body)  # routes, validates, records
        if reply.status in (400, 401, 422):  # an invalid request to a known route stays refused
            return reply
        parts = urlsplit(target)
        pager = self.pager
        custom = pager(method, parts.path, dict(parse_qsl(parts.query))) if pager else None
        return custom or reply


def _json(payload: Any, headers: dict[str, str] | None = None) -> Reply:
    return Reply(
        200, {"Content-Type": "application/json", **(headers or {})}, json.dumps(payload).encode()
    )


def _document(specs_dir: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((specs_dir / f"{name}.json").read_text())
    return data


# --- Stripe: has_more + starting_after ---------------------------------------------------------

CUSTOMERS = [
    {
        "id": f"cus_{i}",
        "object": "customer",
        "created": 1700000000 + i,
        "livemode": False,
        "email": f"c{i}@example.com",
    }
    for i in range(1, 6)
]


def stripe_pager(method: str, path: str, query: dict[str, str]) -> Reply | None:
    if method == "GET" and path == "/v1/customers":
        limit = int(query.get("limit", "10"))
        start = 0
        if "starting_after" in query:
            start = 1 + [c["id"] for c in CUSTOMERS].index(query["starting_after"])
        chunk = CUSTOMERS[start : start + limit]
        more = start + limit < len(CUSTOMERS)
        return _json({"object": "list", "url": "/v1/customers", "data": chunk, "has_more": more})
    if method == "GET" and path == "/v1/customers/search":
        start = int(query.get("page") or "0")
        nxt = str(start + 2) if start + 2 < len(CUSTOMERS) else None
        return _json(
            {
                "object": "search_result",
                "url": "/v1/customers/search",
                "data": CUSTOMERS[start : start + 2],
                "has_more": nxt is not None,
                "next_page": nxt,
            }
        )
    return None


@pytest.fixture(scope="module")
def stripe(built: dict[str, Path]) -> Iterator[ModuleType]:
    with on_path(built["stripe"], "stripe") as pkg:
        yield pkg


@pytest.fixture(scope="module")
def stripe_sandbox(specs_dir: Path) -> Iterator[PagingSandbox]:
    with PagingSandbox(_document(specs_dir, "stripe")) as sandbox:
        sandbox.pager = stripe_pager
        yield sandbox


@pytest.fixture
def stripe_pages(stripe_sandbox: PagingSandbox) -> PagingSandbox:
    stripe_sandbox.reset()
    return stripe_sandbox


def _customer_queries(sandbox: Sandbox) -> list[list[tuple[str, str]]]:
    return [r.query for r in sandbox.requests if r.operation_id == "GetCustomers"]


EXPECTED_STRIPE_QUERIES = [
    [("limit", "2")],
    [("limit", "2"), ("starting_after", "cus_2")],
    [("limit", "2"), ("starting_after", "cus_4")],
]


def test_stripe_list_iterates_every_customer(stripe: ModuleType, stripe_pages: Sandbox) -> None:
    from stripe.models import Customer

    with stripe.Client(base_url=stripe_pages.url, api_key="sk_test") as client:
        page = client.customers.list(limit=2)
        assert [c.id for c in page.items] == ["cus_1", "cus_2"] and page.has_next_page()
        assert len(stripe_pages.requests) == 1  # later pages are fetched on demand
        customers = list(page)
    assert all(isinstance(c, Customer) for c in customers)
    assert [c.id for c in customers] == [c["id"] for c in CUSTOMERS]
    assert _customer_queries(stripe_pages) == EXPECTED_STRIPE_QUERIES
    assert all(r.headers["authorization"] == "Basic c2tfdGVzdDo=" for r in stripe_pages.requests)


def test_stripe_page_level_access(stripe: ModuleType, stripe_pages: Sandbox) -> None:
    with stripe.Client(base_url=stripe_pages.url, api_key="sk_test") as client:
        first = client.customers.list(limit=2)
        assert first.raw.object == "list" and first.raw.has_more is True
        pages = list(first.iter_pages())
        assert [[c.id for c in p.items] for p in pages] == [
            ["cus_1", "cus_2"],
            ["cus_3", "cus_4"],
            ["cus_5"],
        ]
        assert not pages[-1].has_next_page()
        assert [c.id for c in first.next_page().data] == ["cus_3", "cus_4"]


def test_stripe_search_uses_next_page_token(stripe: ModuleType, stripe_pages: Sandbox) -> None:
    with stripe.Client(base_url=stripe_pages.url, api_key="sk_test") as client:
        found = [c.id for c in client.customers.search(query="email~'example'")]
    assert found == [c["id"] for c in CUSTOMERS]
    pages = [dict(r.query).get("page") for r in stripe_pages.requests]
    assert pages == [None, "2", "4"]


async def test_stripe_list_async(stripe: ModuleType, stripe_pages: Sandbox) -> None:
    from stripe.models import Customer

    async with stripe.AsyncClient(base_url=stripe_pages.url, api_key="sk_test") as client:
        seen = [c.id async for c in client.customers.list(limit=2)]
        assert seen == [c["id"] for c in CUSTOMERS]
        assert _customer_queries(stripe_pages) == EXPECTED_STRIPE_QUERIES
        page = await client.customers.list(limit=2)
        assert all(isinstance(c, Customer) for c in page.items)
        again = [c.id async for c in page]
        assert again == seen


# --- GitHub: Link headers ----------------------------------------------------------------------


class IssueFactory:
    """Valid `issue` bodies: one synthesized by the sandbox from the spec, renumbered."""

    def __init__(self, sandbox: Sandbox) -> None:
        reply = sandbox.handle("GET", "/repos/octocat/hello-world/issues/1")
        assert reply.status == 200
        self.template: dict[str, Any] = reply.json()

    def make(self, n: int) -> dict[str, Any]:
        return {**self.template, "id": 1000 + n, "number": n, "title": f"issue {n}"}


def github_pager(sandbox: PagingSandbox, issues: list[dict[str, Any]]) -> Pager:
    def pager(method: str, path: str, query: dict[str, str]) -> Reply | None:
        if method != "GET" or not (
            path == "/repos/octocat/hello-world/issues" or path == "/repositories/42/issues"
        ):
            return None
        per_page = int(query.get("per_page", "30"))
        page = int(query.get("page", "1"))
        chunk = issues[(page - 1) * per_page : page * per_page]
        last = (len(issues) + per_page - 1) // per_page
        base = f"{sandbox.url}/repositories/42/issues?state=open&per_page={per_page}"
        links = []
        if page < last:
            links.append(f'<{base}&page={page + 1}>; rel="next"')
            links.append(f'<{base}&page={last}>; rel="last"')
        if page > 1:
            links.append(f'<{base}&page={page - 1}>; rel="prev", <{base}&page=1>; rel="first"')
        return _json(chunk, {"Link": ", ".join(links)} if links else None)

    return pager


@pytest.fixture(scope="module")
def github(built: dict[str, Path]) -> Iterator[ModuleType]:
    with on_path(built["github"], "github") as pkg:
        yield pkg


@pytest.fixture(scope="module")
def github_sandbox(specs_dir: Path) -> Iterator[tuple[PagingSandbox, list[dict[str, Any]]]]:
    with PagingSandbox(_document(specs_dir, "github")) as sandbox:
        factory = IssueFactory(sandbox)
        issues = [factory.make(n) for n in range(1, 6)]
        sandbox.pager = github_pager(sandbox, issues)
        yield sandbox, issues


@pytest.fixture
def github_pages(
    github_sandbox: tuple[PagingSandbox, list[dict[str, Any]]],
) -> tuple[PagingSandbox, list[dict[str, Any]]]:
    github_sandbox[0].reset()
    return github_sandbox


def _issue_urls(sandbox: Sandbox) -> list[str]:
    return [f"{r.path}?{r.query_string}" for r in sandbox.requests]


EXPECTED_GITHUB_URLS = [
    "/repos/octocat/hello-world/issues?state=open&per_page=2",
    "/repositories/42/issues?state=open&per_page=2&page=2",
    "/repositories/42/issues?state=open&per_page=2&page=3",
]


def test_github_link_pagination_iterates_every_issue(
    github: ModuleType, github_pages: tuple[PagingSandbox, list[dict[str, Any]]]
) -> None:
    from github.models import Issue

    sandbox, issues = github_pages
    with github.Client(base_url=sandbox.url) as client:
        page = client.issues.list_for_repo(
            owner="octocat", repo="hello-world", state="open", per_page=2
        )
        assert isinstance(page.raw, list) and len(page.items) == 2
        seen = list(page)
    assert all(isinstance(i, Issue) for i in seen)
    assert [i.number for i in seen] == [i["number"] for i in issues]
    assert _issue_urls(sandbox) == EXPECTED_GITHUB_URLS
    assert sandbox.requests[0].operation_id == "issues/list-for-repo"


def test_github_fan_out_by_page_number(
    github: ModuleType, github_pages: tuple[PagingSandbox, list[dict[str, Any]]]
) -> None:
    sandbox, issues = github_pages
    with github.Client(base_url=sandbox.url) as client:
        page = client.issues.list_for_repo(owner="octocat", repo="hello-world", per_page=2)
        numbers = [i.number for i in page.iter_all(concurrency=3)]
    assert numbers == [i["number"] for i in issues]
    # pages 2 and 3 were asked for by number on the original path, concurrently
    later = sorted(dict(r.query).get("page", "1") for r in sandbox.requests[1:])
    assert later[:2] == ["2", "3"]
    assert all(r.path == "/repos/octocat/hello-world/issues" for r in sandbox.requests)


async def test_github_link_pagination_async(
    github: ModuleType, github_pages: tuple[PagingSandbox, list[dict[str, Any]]]
) -> None:
    sandbox, issues = github_pages
    async with github.AsyncClient(base_url=sandbox.url) as client:
        listing = client.issues.list_for_repo(
            owner="octocat", repo="hello-world", state="open", per_page=2
        )
        seen = [i.number async for i in listing]
        assert seen == [i["number"] for i in issues]
        assert _issue_urls(sandbox) == EXPECTED_GITHUB_URLS
        page = await client.issues.list_for_repo(owner="octocat", repo="hello-world", per_page=2)
        pages = [len(p.items) async for p in page.iter_pages()]
        assert pages == [2, 2, 1]
        fanned = [i.number async for i in page.iter_all(concurrency=2)]
        assert fanned == seen


def test_manifest_and_signatures_name_the_item_type(built: dict[str, Path]) -> None:
    ops = {op["call"]: op for op in manifest(built["stripe"])["operations"]}
    assert ops["customers.list"]["pagination"] == "cursor"
    assert ops["customers.search"]["pagination"] == "body_cursor"
    assert "pagination" not in ops["customers.create"]
    source = (built["stripe"] / "stripe" / "resources" / "customers.py").read_text()
    assert "-> _rt.SyncPage[Customer]:" in source
    assert "-> _rt.AsyncPaginator[Customer]:" in source
    resources = built["github"] / "github" / "resources"
    gh = "".join(p.read_text() for p in sorted(resources.glob("*issues*.py")))  # split modules
    assert "-> _rt.SyncPage[Issue]:" in gh
    github_ops = {op["call"]: op for op in manifest(built["github"])["operations"]}
    assert github_ops["issues.list_for_repo"]["pagination"] == "link"
