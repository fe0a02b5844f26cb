"""Paging conventions found by a hand-written spec (2026-12-04) that had no pagination, or the
wrong one: HAL's `_embedded` items and `_links.next.href`; OData's `value` and
`@odata.nextLink` (a wire name holding a dot, which the runtime split into two keys); a Relay
`pageInfo.endCursor`, which lost to "the last item's id" once `hasNextPage` and `after` were
there; Azure's `x-ms-pageable` (67 operations of the corpus' Azure specs had no pagination);
Twilio's relative `next_page_uri` (60 operations of its 2010 API); PagerDuty's `more` flag
(38 operations), without which a full last page cost one more request. Each is paged to its end
through a generated client, sync and async."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.builds import build_into, on_path
from tests.conftest import FIXTURES

SPEC = FIXTURES / "page_styles.yaml"
BASE = "https://api.pages.test/v1"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pagestyles") / "pagestyles"
    build_into(SPEC, out, name="pagestyles")
    return out


@pytest.fixture
def pkg(out: Path) -> Iterator[ModuleType]:
    with on_path(out, "pagestyles") as pkg:
        yield pkg


def _things(*ids: int) -> list[dict[str, int]]:
    return [{"id": i} for i in ids]


def _hal(request: httpx.Request) -> dict[str, Any]:
    page = int(request.url.params.get("page", "1"))
    links = {"next": {"href": f"{BASE}/hal?page={page + 1}"}} if page < 3 else {}
    return {"_embedded": {"things": _things(page)}, "_links": links}


def _odata(request: httpx.Request) -> dict[str, Any]:
    skip = int(request.url.params.get("$skiptoken", "0"))
    body: dict[str, Any] = {"value": _things(skip + 1)}
    if skip < 2:
        body["@odata.nextLink"] = f"{BASE}/odata?$top=1&$skiptoken={skip + 1}"
    return body


def _relay(request: httpx.Request) -> dict[str, Any]:
    after = request.url.params.get("after")
    page = {None: 1, "c1": 2, "c2": 3}[after]
    # the cursor is no item id: following the id instead asks for `after=1`, a KeyError here
    info = {"endCursor": f"c{page}", "hasNextPage": page < 3}
    return {"nodes": _things(page), "pageInfo": info}


def _azure(request: httpx.Request) -> dict[str, Any]:
    assert request.url.params["api-version"] == "2024-01-01"  # kept in every next link
    token = request.url.params.get("token")
    page = 1 if token is None else int(token)
    following = f"{BASE}/azure?api-version=2024-01-01&token={page + 1}" if page < 3 else None
    return {"things": _things(page), "continuation": following, "tags": ["x"]}


def _twilio(request: httpx.Request) -> dict[str, Any]:
    page = int(request.url.params.get("Page", "0"))
    following = f"/v1/twilio?PageSize=1&Page={page + 1}&PageToken=PA{page}" if page < 2 else None
    return {"calls": _things(page + 1), "next_page_uri": following, "page": page}


def _pagerduty(request: httpx.Request) -> dict[str, Any]:
    offset = int(request.url.params.get("offset", "0"))
    things = _things(offset + 1) if offset < 3 else []  # a client blind to `more` asks again
    return {"incidents": things, "offset": offset, "limit": 1, "more": offset < 2}


ROUTES: dict[str, Callable[[httpx.Request], dict[str, Any]]] = {
    "/v1/hal": _hal,
    "/v1/odata": _odata,
    "/v1/relay": _relay,
    "/v1/azure": _azure,
    "/v1/twilio": _twilio,
    "/v1/pagerduty": _pagerduty,
}


SENT: list[str] = []


def _answer(request: httpx.Request) -> httpx.Response:
    SENT.append(request.url.path)
    return httpx.Response(200, json=ROUTES[request.url.path](request))


@pytest.mark.parametrize(
    ("resource", "kwargs"),
    [
        ("hal", {}),
        ("odata", {"top": 1}),
        ("relay", {"first": 1}),
        ("azure", {"api_version": "2024-01-01"}),
        ("twilio", {"page_size": 1}),
        ("pagerduty", {"limit": 1}),
    ],
)
def test_every_page_is_followed_to_the_end(
    pkg: ModuleType, resource: str, kwargs: dict[str, Any]
) -> None:
    transport = httpx.MockTransport(_answer)
    client = pkg.Client(http_client=httpx.Client(transport=transport))
    SENT.clear()
    ids = [thing.id for thing in getattr(client, resource).list(**kwargs)]
    assert ids == [1, 2, 3]
    assert len(SENT) == 3  # no request past the last page

    async def collect() -> list[int]:
        aclient = pkg.AsyncClient(http_client=httpx.AsyncClient(transport=transport))
        return [thing.id async for thing in getattr(aclient, resource).list(**kwargs)]

    assert asyncio.run(collect()) == [1, 2, 3]


def test_x_ms_pageable_without_a_next_link_is_one_page(pkg: ModuleType) -> None:
    from pagestyles.resources import azure_one_page  # type: ignore[import-not-found]

    assert azure_one_page._AZURE_ONE_PAGE_LIST.pagination is None
