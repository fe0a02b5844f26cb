"""A deprecated operation's method carries PEP 702's `@deprecated` (as openai-python's do):
type checkers flag each use, and a call warns with `DeprecationWarning`. It used to say
"Deprecated." in its docstring only, which no tool reads (GitHub: 71 operations)."""

from __future__ import annotations

import asyncio
import inspect
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from tests.builds import build_into, on_path
from tests.conftest import FIXTURES, run_pyright

SPEC = FIXTURES / "deprecations.yaml"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deprecations") / "deprecations"
    build_into(SPEC, out, name="deprecations")
    return out


@pytest.fixture
def pkg(out: Path) -> Iterator[ModuleType]:
    with on_path(out, "deprecations") as pkg:
        yield pkg


def _answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200 if request.url.path != "/deprecated" else 204, json={"a": "x"})


def test_the_readme_shows_a_deprecated_call_only_where_nothing_else_is(out: Path) -> None:
    readme = (out / "README.md").read_text()
    use = readme.split("## Use", 1)[1].split("##", 1)[0]
    assert "client.deprecated.retrieve()" in use  # the one operation that is not deprecated
    old = readme.split("### `client.old`", 1)[1].split("###", 1)[0]
    assert "# deprecated by the API: the call warns with DeprecationWarning" in old
    # flagged where a reader picks a method (a helper's README review: only the call warned)
    assert "| `old.retrieve` (deprecated) | `GET /old` |" in old
    assert "| `deprecated.retrieve` |" in readme  # (not deprecated: no flag)
    reference = (out / "api.md").read_text()
    entry = reference.split("old.retrieve", 1)[1].split("\n- ", 1)[0]
    assert "`GET /old`" in entry and "**Deprecated** by the API." in entry


def test_a_call_warns_and_still_works(pkg: ModuleType) -> None:
    transport = httpx.MockTransport(_answer)
    client = pkg.Client(
        base_url="http://127.0.0.1:9", http_client=httpx.Client(transport=transport)
    )
    with pytest.warns(DeprecationWarning, match=r"old\.retrieve\(\) is deprecated by the API"):
        assert client.old.retrieve().a == "x"
    with pytest.warns(DeprecationWarning, match=r"gen\.create\(\)"):
        assert client.gen.create(p="q").a == "x"  # a stream switch: the implementation warns
    with pytest.warns(DeprecationWarning):
        assert client.old.with_raw_response.retrieve().parse().a == "x"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client.deprecated.retrieve()  # named `deprecated`, not deprecated: no warning

    async def call() -> str:
        aclient = pkg.AsyncClient(
            base_url="http://127.0.0.1:9", http_client=httpx.AsyncClient(transport=transport)
        )
        with pytest.warns(DeprecationWarning, match=r"old\.retrieve\(\)") as caught:
            result = await aclient.old.retrieve()
        assert caught[0].filename == __file__  # flagged where the caller awaits
        # an `async def` still (helper 184: Python 3.11's `typing_extensions.deprecated` made
        # it a plain function, and frameworks dispatching on it took it for sync)
        assert inspect.iscoroutinefunction(aclient.old.retrieve)
        assert inspect.iscoroutinefunction(type(aclient.old).retrieve)
        assert getattr(type(aclient.old).retrieve, "__deprecated__", "").startswith("old.")
        # Python 3.11's `deprecated` wraps the `async def` in a plain function: the raw and
        # streaming variants took it for a sync method (no request, a TypeError)
        with pytest.warns(DeprecationWarning):
            raw = await aclient.old.with_raw_response.retrieve()
        assert raw.status_code == 200 and raw.parse().a == "x"
        with pytest.warns(DeprecationWarning):
            async with aclient.old.with_streaming_response.retrieve() as streamed:
                assert (await streamed.parse()).a == "x"
        return str(result.a)

    assert asyncio.run(call()) == "x"


USAGE = """\
import deprecations

client = deprecations.Client()
client.deprecated.retrieve()
client.old.retrieve()
client.old.with_raw_response.retrieve()
client.jobs.create_and_wait()  # the wait of a deprecated operation is deprecated too


async def main() -> None:
    aclient = deprecations.AsyncClient()
    await aclient.old.retrieve()
    await aclient.deprecated.retrieve()
"""


@pytest.mark.slow
def test_type_checkers_flag_each_use_and_nothing_else(out: Path, tmp_path: Path) -> None:
    usage = tmp_path / "usage.py"
    usage.write_text(USAGE)
    config = tmp_path / "pyrightconfig.json"
    settings = {"typeCheckingMode": "strict", "pythonVersion": "3.11", "extraPaths": [str(out)]}
    config.write_text(json.dumps(settings))
    result = run_pyright(
        "--outputjson", "--project", str(config), str(usage), str(out), cwd=tmp_path
    )
    errors = [
        (Path(d["file"]).name, d["range"]["start"]["line"] + 1, d.get("rule"))
        for d in json.loads(result.stdout)["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    # each use, through `with_raw_response` too; the generated package itself is clean (its
    # wrappers of deprecated methods say so)
    assert errors == [("usage.py", line, "reportDeprecated") for line in (5, 6, 7, 12)], errors
