"""Issue 8: every ```python block of a generated README runs as written, in order, in one
namespace (a user's session), against the sandbox of its API (`<PREFIX>_BASE_URL`, credentials
from `<PREFIX>_API_KEY`), for petstore, Stripe and GitHub; and `api.md` lists every resource,
method and type."""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from apigen.sandbox import Sandbox
from tests.builds import manifest, on_path
from tests.conftest import ROOT, shared_specs

_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _spec(name: str) -> dict[str, Any]:
    if name == "petstore":
        loaded: dict[str, Any] = yaml.safe_load((ROOT / "specs" / "petstore.yaml").read_text())
        return loaded
    data: dict[str, Any] = json.loads((shared_specs() / f"{name}.json").read_text())
    return data


def python_blocks(readme: str) -> list[str]:
    return _BLOCK.findall(readme)


@pytest.fixture(scope="module", params=["petstore", "stripe", "github"])
def session(
    request: pytest.FixtureRequest, built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path, Sandbox]]:
    name: str = request.param
    with Sandbox(_spec(name)) as sandbox:
        yield name, built[name], sandbox


def test_every_readme_example_runs(
    session: tuple[str, Path, Sandbox], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    name, out, sandbox = session
    readme = (out / "README.md").read_text()
    blocks = python_blocks(readme)
    # the sections a user looks for, each with code where the API has the feature
    for section in (
        "## Use",
        "## Async",
        "## Authentication",
        "## Handling errors",
        "## Retries",
        "## Timeouts",
        "## Raw responses",
        "## Logging",
        "## Undocumented endpoints",
        "## Testing",
    ):
        assert section in readme, section
    if name != "petstore":
        assert "## Pagination" in readme
    if name == "petstore":
        assert "## File uploads" in readme
    prefix = name.upper()
    monkeypatch.setenv(f"{prefix}_BASE_URL", sandbox.url)
    monkeypatch.setenv(f"{prefix}_API_KEY", "sk_test_readme")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "__readme__"}
    printed = io.StringIO()
    with on_path(out, name), contextlib.redirect_stdout(printed):
        for number, block in enumerate(blocks, 1):
            code = compile(block, f"{name}/README.md block {number}", "exec")
            try:
                exec(code, namespace)
            except Exception as error:  # the failing block, in the report
                raise AssertionError(f"README block {number} failed:\n{block}") from error
        namespace["client"].close()
    assert len(blocks) >= 8
    assert printed.getvalue()  # the examples print what they got
    sent = sandbox.requests
    assert sent and all(r.path.startswith("/") for r in sent)


def test_readme_blocks_are_complete_programs(built: dict[str, Path]) -> None:
    """The first block imports what it uses (`datetime`, `uuid`, `os`); no block uses a
    module no earlier block imported (the GitHub `datetime` example of issue 8)."""
    for name, out in built.items():
        blocks = python_blocks((out / "README.md").read_text())
        imported: set[str] = set()
        for block in blocks:
            imported |= set(re.findall(r"^import (\w+)", block, re.MULTILINE))
            for module in ("datetime", "uuid", "os", "httpx", "asyncio"):
                if re.search(rf"\b{module}\.", block):
                    assert module in imported, f"{name}: uses {module} before importing it"


def test_api_md_lists_every_method_and_model(built: dict[str, Path]) -> None:
    for out in built.values():
        text = (out / "api.md").read_text()
        data = manifest(out)
        for op in data["operations"]:
            assert f"client.{op['call']}(" in text, op["call"]
            # what the call returns, as the manifest says: a paginated one its first page
            # (`SyncPage[Pet]`; api.md said the page's model), a stream its `Stream`
            line = next(x for x in text.splitlines() if f"`client.{op['call']}(" in x)
            assert line.endswith(f"-> {op['returns']}`  "), (line[-120:], op["returns"])
        for dotted in data["models"].values():
            assert dotted.rsplit(".", 1)[1] in text
        # parameters are shown as the signatures take them: an enum strict, not open
        # (`Literal['a', 'b'] | str` only where a response is parsed)
        for line in text.splitlines():
            if line.startswith("- `client."):
                args = line[: line.rindex(") -> ")]
                assert not re.search(r"Literal\[[^\]]*\] \| str\b", args), line[:200]
