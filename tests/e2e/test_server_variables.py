"""The root server's variables are keyword arguments of the client (`Client(region=...)`, as a
provider's own SDK takes a region): typed by their `enum`, checked before anything is sent, and
followed by operation servers relative to the root. They used to be fixed at their defaults:
a client of AWS's specs (`{region}` in 7 of the corpus' servers) could reach another region
only by spelling its whole base URL (hand-written spec, 2026-12-04)."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from apigen.naming import CLIENT_KEYWORDS
from tests.builds import build_into, manifest, on_path
from tests.conftest import FIXTURES, run_pyright

SPEC = FIXTURES / "server_variables.yaml"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("servervars") / "servervars"
    build_into(SPEC, out, name="servervars")
    return out


@pytest.fixture
def pkg(out: Path) -> Iterator[ModuleType]:
    with on_path(out, "servervars") as pkg:
        yield pkg


def _urls(pkg: ModuleType, **kwargs: Any) -> list[str]:
    """The URLs of getThing, getAdmin and upload, sent by a sync then an async client."""
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        assert request.headers["X-Key"] == "k"
        if request.url.path.endswith("/things/a"):
            return httpx.Response(200, json={"id": "a"})
        return httpx.Response(204)

    transport = httpx.MockTransport(answer)
    client = pkg.Client(api_key="k", http_client=httpx.Client(transport=transport), **kwargs)
    client.things.retrieve("a")
    client.admin.retrieve()
    client.uploads.create()
    aclient = pkg.AsyncClient(
        api_key="k", http_client=httpx.AsyncClient(transport=transport), **kwargs
    )

    async def calls() -> None:
        await aclient.things.retrieve("a")
        await aclient.admin.retrieve()
        await aclient.uploads.create()

    import asyncio

    asyncio.run(calls())
    assert seen[:3] == seen[3:]  # sync and async alike
    return seen[:3]


def test_the_defaults_make_the_spec_s_first_server(pkg: ModuleType) -> None:
    assert _urls(pkg) == [
        "https://eu-west-1.api.test/v1/things/a",  # :443 is https's own port
        "https://eu-west-1.api.test/admin/v9/admin",
        "https://uploads.api.test/uploads",
    ]


def test_values_given_fill_the_root_and_the_servers_relative_to_it(pkg: ModuleType) -> None:
    urls = _urls(pkg, region="us-east-1", port="8443", base_path="v2")
    assert urls == [
        "https://us-east-1.api.test:8443/v2/things/a",
        "https://us-east-1.api.test:8443/admin/v9/admin",  # a path server relative to the root
        "https://uploads.api.test/uploads",  # an absolute operation server keeps its own
    ]
    client = pkg.Client(api_key="k", region="us-east-1")
    assert client.base_url == "https://us-east-1.api.test:443/v1"
    # a copy keeps the values unless told otherwise
    assert client.with_options(timeout=3).base_url == "https://us-east-1.api.test:443/v1"
    assert client.with_options(region="eu-west-1").base_url == "https://eu-west-1.api.test:443/v1"


def test_a_scheme_variable_set_to_http_keeps_credentials_off_the_network(pkg: ModuleType) -> None:
    """`scheme="http"` to a host that is not this machine: the credential is refused before
    sending, as for any http base URL, unless the caller allows it."""
    with pytest.raises(pkg.InsecureTransportError):
        _urls(pkg, scheme="http")
    urls = _urls(pkg, scheme="http", port="80", allow_insecure_credentials=True)
    assert urls[:2] == [
        "http://eu-west-1.api.test/v1/things/a",
        "http://eu-west-1.api.test/admin/v9/admin",
    ]


def test_the_environment_fills_a_variable_the_call_does_not(
    pkg: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`SERVERVARS_REGION` as `SERVERVARS_API_KEY` and `SERVERVARS_BASE_URL` are read; a keyword
    wins; a bad value names the variable it came from."""
    monkeypatch.setenv("SERVERVARS_REGION", "us-east-1")
    monkeypatch.setenv("SERVERVARS_BASE_PATH", "v3")
    assert pkg.Client(api_key="k").base_url == "https://us-east-1.api.test:443/v3"
    assert pkg.Client(api_key="k", region="eu-west-1").base_url.startswith("https://eu-west-1.")
    monkeypatch.setenv("SERVERVARS_PORT", "443@evil.test")
    with pytest.raises(ValueError, match=r"SERVERVARS_PORT='443@evil\.test' cannot be used"):
        pkg.Client(api_key="k")


def test_base_url_replaces_the_server_and_its_variables(pkg: ModuleType) -> None:
    urls = _urls(pkg, region="us-east-1", base_url="http://127.0.0.1:4010/x")
    assert urls == [
        "http://127.0.0.1:4010/x/things/a",
        "http://127.0.0.1:4010/x/admin",
        "http://127.0.0.1:4010/x/uploads",
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"region": "mars-1"}, "region='mars-1' is not one of: eu-west-1, us-east-1"),
        ({"scheme": "ftp"}, "scheme='ftp' is not one of: https, http"),
        ({"port": "443@evil.test"}, "sits in a port number"),
        ({"port": "443/evil"}, "sits in a port number"),
        ({"port": ""}, "sits in a port number"),
        ({"port": "contract-port"}, "sits in a port number"),
        ({"port": "70000"}, "sits in a port number"),
        ({"base_path": "../admin"}, "sits in a URL path"),
        ({"base_path": "v1?debug=1"}, "sits in a URL path"),
        ({"base_path": "v1#x"}, "sits in a URL path"),
        ({"base_path": "v 1"}, "sits in a URL path"),
    ],
)
def test_a_value_that_would_move_the_request_raises_before_sending(
    pkg: ModuleType, kwargs: dict[str, str], message: str
) -> None:
    sent: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(204))
    for cls, http in ((pkg.Client, httpx.Client), (pkg.AsyncClient, httpx.AsyncClient)):
        with pytest.raises(ValueError, match=message.replace("?", r"\?")):
            cls(api_key="k", http_client=http(transport=transport), **kwargs)
    assert sent == []


def test_keywords_are_typed_and_documented(pkg: ModuleType, out: Path) -> None:
    params = inspect.signature(pkg.Client.__init__).parameters
    assert str(params["region"].annotation) == "Literal['eu-west-1', 'us-east-1'] | None"
    assert str(params["port"].annotation) == "str | None"
    assert "unused" not in params  # not in the URL: nothing to fill
    # every other keyword of the generated client is one a variable must not take
    others = set(params) - {"api_key", "scheme", "region", "port", "base_path"}
    copied = inspect.signature(pkg.Client.copy).parameters
    assert others | set(copied) - {"api_key", "scheme", "region", "port", "base_path"} == set(
        CLIENT_KEYWORDS
    )
    assert set(copied) == set(params) | {"set_default_headers", "set_default_query"}
    doc = " ".join(pkg.Client.__doc__.split())
    assert "`region`: `{region}`, default `eu-west-1`; one of `eu-west-1`, `us-east-1`" in doc
    assert "Where the account lives." in doc
    readme = (out / "README.md").read_text()
    assert (
        "| `region` | `SERVERVARS_REGION` | `{region}` | `eu-west-1` | `eu-west-1`, `us-east-1` |"
        in readme
    )
    assert 'client = Client(scheme="http")  # http://eu-west-1.api.test:443/v1' in readme
    assert manifest(out)["server_variables"]["base_path"] == {
        "name": "basePath",
        "default": "v1",
        "enum": [],
    }


def test_the_contract_run_tells_server_variables_from_credentials(out: Path) -> None:
    """`apigen contract` gives every credential keyword (an optional string) a dummy value
    against a mock; `port: str | None` is no credential (it filled `contract-port` in before)."""
    from apigen.contract.client import load_client

    client = load_client(out)
    assert client.credential_names() == ["api_key"]
    assert client.make_credentials(dummy=True) == {"api_key": "contract-api-key"}


USAGE = """\
import servervars

servervars.Client(region="us-east-1", port="8443")
servervars.Client(region="mars-1")  # E: not a region the spec lists
"""


def test_an_unlisted_value_is_a_type_error(out: Path, tmp_path: Path) -> None:
    usage = out / "usage.py"
    usage.write_text(USAGE)
    try:
        mypy = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "usage.py"],
            capture_output=True,
            text=True,
            check=False,
            cwd=out,
            timeout=600,
        )
        errors = [line for line in mypy.stdout.splitlines() if ": error:" in line]
        assert len(errors) == 1 and errors[0].startswith("usage.py:4:"), mypy.stdout[-3000:]
        assert '"region"' in errors[0]
        config = tmp_path / "pyrightconfig.json"
        settings = {"typeCheckingMode": "strict", "pythonVersion": "3.11", "extraPaths": [str(out)]}
        config.write_text(json.dumps(settings))
        result = run_pyright("--outputjson", "--project", str(config), str(usage), cwd=tmp_path)
        found = [
            d["range"]["start"]["line"] + 1
            for d in json.loads(result.stdout)["generalDiagnostics"]
            if d["severity"] == "error"
        ]
        assert found == [4], result.stdout[-3000:]
    finally:
        usage.unlink()


@pytest.mark.parametrize("name", ["a?b", "a#b", "a@b"])
def test_a_variable_name_holding_url_punctuation_is_still_a_variable(
    tmp_path: Path, name: str
) -> None:
    """Helper 208: in `https://{a?b}.example.com/{ver}` the `?` of the name was read as the
    URL's query: the base URL became `https://{a`, `Client()` sent to it, and `ver` was lost
    too (`@` was read as user info: no keywords)."""
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [
            {
                "url": "https://{" + name + "}.example.com/{ver}",
                "variables": {name: {"default": "eu"}, "ver": {"default": "v2"}},
            }
        ],
        "paths": {"/x": {"get": {"operationId": "g", "responses": {"204": {"description": "ok"}}}}},
    }
    spec = tmp_path / "sv.json"
    spec.write_text(json.dumps(doc))
    build_into(spec, tmp_path / "out", name="sv")
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(204)

    with on_path(tmp_path / "out", "sv") as pkg:
        http = httpx.Client(transport=httpx.MockTransport(answer))
        pkg.Client(http_client=http).x.retrieve()
        pkg.Client(a_b="us", ver="v3", http_client=http).x.retrieve()
    assert seen == ["https://eu.example.com/v2/x", "https://us.example.com/v3/x"]
