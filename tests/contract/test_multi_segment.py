"""GitHub's `x-multi-segment` path parameters (29 of them: file paths, branch names, refs) span
segments, as RFC 6570's `{+path}` and GitHub's own clients (githubkit, PyGithub, octokit) send
them: `/contents/docs/README.md`, `/branches/feature/x`. A wire review found `%2F` sent for every
`/`, and our sandbox answering 404 for the literal-slash URLs GitHub serves. An empty value is
still refused: `/branches/` is the list of branches (a review of the first fix)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
import yaml

from apigen.contract import ContractConfig, run_contract
from apigen.sandbox import Sandbox
from tests.builds import build_into, on_path
from tests.conftest import FIXTURES

SPEC = FIXTURES / "multi-segment.yaml"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("multi") / "out"
    build_into(SPEC, out, name="multi")
    return out


@pytest.fixture(scope="module")
def pkg(out: Path) -> Iterator[ModuleType]:
    with on_path(out, "multi") as module:
        yield module


def _sent(pkg: ModuleType) -> tuple[list[str], object]:
    urls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        return httpx.Response(200, json={})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return urls, pkg.Client(http_client=http)


def test_slashes_are_kept_and_each_segment_encoded(pkg: ModuleType) -> None:
    urls, client = _sent(pkg)
    client.repos.get_content("o", "docs/READ ME.md")  # type: ignore[attr-defined]
    client.repos.get_content("o", "a%2Fb/#x?")  # type: ignore[attr-defined]
    client.branches.get_protection("feature/x")  # type: ignore[attr-defined]
    base = "http://127.0.0.1:9/api"
    assert urls == [
        f"{base}/repos/o/contents/docs/READ%20ME.md",
        f"{base}/repos/o/contents/a%252Fb/%23x%3F",
        f"{base}/branches/feature/x/protection",
    ]


@pytest.mark.parametrize("value", ["a//b", "/a", "..", "a/./b", "a/../b", "docs/", ""])
def test_a_value_that_would_change_the_endpoint_is_refused(pkg: ModuleType, value: str) -> None:
    urls, client = _sent(pkg)
    with pytest.raises(ValueError, match=r"change[sd]? the endpoint"):
        client.branches.get_protection(value)  # type: ignore[attr-defined]
    assert urls == []


def test_the_sandbox_routes_literal_slashes_as_github_does() -> None:
    router = Sandbox(yaml.safe_load(SPEC.read_text()), seed=0).router
    cases = {
        "/api/repos/o/contents/docs/README.md": (
            "/repos/{owner}/contents/{path}",
            "docs/README.md",
        ),
        "/api/repos/o/contents/": ("/repos/{owner}/contents/{path}", ""),
        "/api/repos/o/contents/a%2Fb": ("/repos/{owner}/contents/{path}", "a/b"),
        "/api/branches/feature/x/protection": ("/branches/{branch}/protection", "feature/x"),
        "/api/branches/feature/x": ("/branches/{branch}", "feature/x"),
    }
    for path, (template, value) in cases.items():
        found = router.match("GET", path)
        assert found is not None and found.route.template == template, path
        assert value in found.params.values(), (path, found.params)


def test_the_contract_passes_with_spanning_values(out: Path) -> None:
    report = run_contract(ContractConfig(out, spec=SPEC, max_examples=10, seed=0))
    failures = [f for op in report.operations for f in op.failures]
    assert [op.cases > 0 for op in report.operations] == [True, True, True]
    assert not failures, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in failures)


def test_two_spanning_values_in_one_template_each_fill_one_segment(tmp_path: Path) -> None:
    """A regression sweep: `/diff/{base}/to/{head}` with both marked was sent with `/` kept in
    both (no reader can tell where one ends), and the contract failed its own client. One
    spanning value a template, filling its segment alone (`path_keys.spanning`); else none."""
    from tests.builds import contract_of

    marked = {"in": "path", "required": True, "x-multi-segment": True, "schema": {"type": "string"}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "two", "version": "1"},
        "paths": {
            "/diff/{base}/to/{head}": {
                "get": {
                    "operationId": "getDiff",
                    "parameters": [{"name": "base", **marked}, {"name": "head", **marked}],
                    "responses": {"204": {"description": "ok"}},
                }
            },
            "/files/{path}.json": {
                "get": {
                    "operationId": "getFileJson",
                    "parameters": [{"name": "path", **marked}],
                    "responses": {"204": {"description": "ok"}},
                }
            },
        },
    }
    report = contract_of(tmp_path, spec, "twospans")
    failures = [f for op in report.operations for f in op.failures]
    assert all(op.cases > 0 for op in report.operations)
    assert not failures, "\n".join(f"[{f.klass}/{f.check}] {f.message}" for f in failures)
    source = (tmp_path / "twospans" / "twospans" / "resources" / "diff.py").read_text()
    assert "multi_segment" not in source
