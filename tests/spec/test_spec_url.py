"""Issue 12: specs from a URL (`apigen build https://...`, the `url` configuration key), fetched
from a server on 127.0.0.1 that counts what it serves: relative `$ref`s resolved against the URL,
another origin refused, size and errors reported with the URL, the URL and sha256 recorded."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from apigen.diagnostics import Report, SpecError
from apigen.pipeline import build, check
from apigen.spec import fetch_spec

ROOT_SPEC = """
openapi: 3.0.3
info: {title: Remote Pets, version: "1.0"}
servers: [{url: "https://pets.example.com"}]
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "schemas/pet.yaml#/Pet"}
        default:
          description: error
          content:
            application/json:
              schema: {$ref: "../common/error.yaml"}
"""
PET = """
Pet:
  type: object
  required: [id]
  properties:
    id: {type: string}
    owner: {$ref: "owner.yaml"}
"""
OWNER = "type: object\nproperties:\n  name: {type: string}\n"
ERROR = "type: object\nproperties:\n  message: {type: string}\n"


class _Counting(SimpleHTTPRequestHandler):
    served: list[str]

    def do_GET(self) -> None:
        self.served.append(self.path)
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, list[str], Path]]:
    root = tmp_path / "www"
    (root / "api" / "v1" / "schemas").mkdir(parents=True)
    (root / "api" / "common").mkdir(parents=True)
    (root / "api" / "v1" / "openapi.yaml").write_text(ROOT_SPEC)
    (root / "api" / "v1" / "schemas" / "pet.yaml").write_text(PET)
    (root / "api" / "v1" / "schemas" / "owner.yaml").write_text(OWNER)
    (root / "api" / "common" / "error.yaml").write_text(ERROR)
    served: list[str] = []
    handler = type("Handler", (_Counting,), {"served": served})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", served, root
    finally:
        server.shutdown()
        server.server_close()


def test_build_from_a_url_with_relative_refs(
    site: tuple[str, list[str], Path], tmp_path: Path
) -> None:
    base, served, root = site
    url = f"{base}/api/v1/openapi.yaml"
    build(url, tmp_path / "out" / "remote_pets")
    assert sorted(served) == [
        "/api/common/error.yaml",
        "/api/v1/openapi.yaml",
        "/api/v1/schemas/owner.yaml",
        "/api/v1/schemas/pet.yaml",
    ]
    manifest = json.loads((tmp_path / "out" / "remote_pets" / "apigen.json").read_text())
    assert manifest["spec_url"] == url
    sha = hashlib.sha256((root / "api" / "v1" / "openapi.yaml").read_bytes()).hexdigest()
    assert manifest["spec_sha256"] == sha
    models = (tmp_path / "out" / "remote_pets" / "remote_pets" / "models").iterdir()
    assert any("owner" in p.name for p in models)


def test_another_origin_is_refused(site: tuple[str, list[str], Path]) -> None:
    base, served, root = site
    (root / "api" / "v1" / "schemas" / "owner.yaml").write_text(
        'type: object\nproperties:\n  x: {$ref: "http://127.0.0.2:9/evil.yaml"}\n'
    )
    with pytest.raises(SpecError) as caught:
        fetch_spec(f"{base}/api/v1/openapi.yaml")
    d = caught.value.diagnostics[0]
    assert d.file == f"{base}/api/v1/schemas/owner.yaml"
    assert "another origin" in d.message and d.pointer == "#/properties/x"
    assert not any("evil" in p for p in served)


def test_refs_cannot_read_local_files(site: tuple[str, list[str], Path]) -> None:
    base, _, root = site
    (root / "api" / "v1" / "schemas" / "owner.yaml").write_text(
        'type: object\nproperties:\n  x: {$ref: "file:///etc/passwd"}\n'
    )
    with pytest.raises(SpecError, match="reads URLs only"):
        fetch_spec(f"{base}/api/v1/openapi.yaml")


def test_a_ref_with_a_query_is_a_located_error(site: tuple[str, list[str], Path]) -> None:
    """A helper's hostile-input review: `$ref: owner.yaml?v=1` was fetched, then the loader
    looked for a file named `owner.yaml?v=1` in the mirror and typed the schema `Any` with a
    "No such file" warning. The mirror keeps files by path: a located error, nothing fetched."""
    base, served, root = site
    (root / "api" / "v1" / "schemas" / "pet.yaml").write_text(
        PET.replace("owner.yaml", "owner.yaml?v=1")
    )
    with pytest.raises(SpecError, match="query string") as caught:
        fetch_spec(f"{base}/api/v1/openapi.yaml")
    d = caught.value.diagnostics[0]
    assert d.file == f"{base}/api/v1/schemas/pet.yaml" and d.pointer == "#/Pet/properties/owner"
    assert not any("owner" in p for p in served)


def test_size_limit_and_http_errors_name_the_url(site: tuple[str, list[str], Path]) -> None:
    base, _, _ = site
    with pytest.raises(SpecError, match="larger than 100 bytes"):
        fetch_spec(f"{base}/api/v1/openapi.yaml", max_bytes=100)
    with pytest.raises(SpecError, match=r"HTTP 404") as caught:
        fetch_spec(f"{base}/api/v1/missing.yaml")
    assert caught.value.diagnostics[0].file == f"{base}/api/v1/missing.yaml"


def test_spec_problems_are_located_by_url(site: tuple[str, list[str], Path]) -> None:
    base, _, root = site
    (root / "api" / "v1" / "schemas" / "pet.yaml").write_text(
        PET.replace("owner.yaml", "nope.yaml")
    )
    with pytest.raises(SpecError) as caught:
        check(f"{base}/api/v1/openapi.yaml")
    files = {d.file for d in caught.value.diagnostics}
    assert all(f.startswith("http://127.0.0.1") for f in files), files


def test_offline_is_a_clear_cli_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "apigen",
            "build",
            "http://127.0.0.1:9/openapi.yaml",
            "-o",
            str(tmp_path / "x"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "cannot fetch http://127.0.0.1:9/openapi.yaml" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "x").exists()


def test_config_url_key_fetches(site: tuple[str, list[str], Path], tmp_path: Path) -> None:
    base, served, _ = site
    config = tmp_path / "apigen.toml"
    config.write_text(
        f'[clients.remote]\nurl = "{base}/api/v1/openapi.yaml"\noutput = "out/remote"\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "apigen", "generate", "--config", str(config), "--quiet"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "/api/v1/openapi.yaml" in served
    manifest = json.loads((tmp_path / "out" / "remote" / "apigen.json").read_text())
    assert manifest["spec_url"] == f"{base}/api/v1/openapi.yaml"


def test_check_report_is_clean_for_the_good_tree(site: tuple[str, list[str], Path]) -> None:
    base, _, _ = site
    report: Report = check(f"{base}/api/v1/openapi.yaml")
    assert not [d for d in report.items if d.severity == "error"]


class _Scripted(SimpleHTTPRequestHandler):
    """Answers from `routes` (path -> status, headers, body, seconds between its bytes)."""

    routes: dict[str, tuple[int, dict[str, str], bytes, float]]
    served: list[str]

    def do_GET(self) -> None:
        import time

        self.served.append(self.path)
        status, headers, body, pause = self.routes.get(self.path, (404, {}, b"", 0.0))
        self.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        for i in range(0, len(body), 8 if pause else len(body) or 1):
            self.wfile.write(body[i : i + (8 if pause else len(body))])
            self.wfile.flush()
            time.sleep(pause)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def scripted() -> Iterator[
    tuple[dict[str, tuple[int, dict[str, str], bytes, float]], list[str], list[str], str, str]
]:
    servers: list[ThreadingHTTPServer] = []
    logs: list[list[str]] = [[], []]
    routes: dict[str, tuple[int, dict[str, str], bytes, float]] = {}
    for log in logs:
        handler = type("Handler", (_Scripted,), {"routes": routes, "served": log})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    bases = [f"http://127.0.0.1:{s.server_address[1]}" for s in servers]
    try:
        yield routes, logs[0], logs[1], bases[0], bases[1]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def test_a_redirect_to_another_origin_is_refused_before_it_is_followed(scripted: Any) -> None:
    """A helper's review: urllib followed the redirect (to any host: the cloud metadata
    address, an intranet service, even `ftp://`), and only then was the final URL refused."""
    routes, _, elsewhere, base, other = scripted
    routes["/openapi.yaml"] = (302, {"Location": f"{other}/steal"}, b"", 0.0)
    with pytest.raises(SpecError, match="redirected to another origin") as caught:
        fetch_spec(f"{base}/openapi.yaml")
    assert f"{other}/steal" in caught.value.diagnostics[0].message
    assert elsewhere == []  # never asked
    routes["/openapi.yaml"] = (302, {"Location": "ftp://127.0.0.1:9/x"}, b"", 0.0)
    with pytest.raises(SpecError, match="redirected to another origin"):
        fetch_spec(f"{base}/openapi.yaml")


def test_a_spec_moved_on_its_origin_reads_its_refs_where_it_is(scripted: Any) -> None:
    """The same review: `/latest/root.yaml` redirected to `/v2/root.yaml`, whose `$ref:
    schemas/pet.yaml` was fetched from `/latest/schemas/pet.yaml` (a 404, the build failed);
    RFC 3986 §5.1.3: the base is the URL the document came from."""
    routes, served, _, base, _ = scripted
    routes["/latest/root.yaml"] = (302, {"Location": "/v2/root.yaml"}, b"", 0.0)
    routes["/v2/root.yaml"] = (
        200,
        {},
        ROOT_SPEC.replace("../common/error.yaml", "schemas/owner.yaml").encode(),
        0.0,
    )
    routes["/v2/schemas/pet.yaml"] = (200, {}, PET.encode(), 0.0)
    routes["/v2/schemas/owner.yaml"] = (200, {}, OWNER.encode(), 0.0)
    fetched = fetch_spec(f"{base}/latest/root.yaml")
    assert sorted(served) == [
        "/latest/root.yaml",
        "/v2/root.yaml",
        "/v2/schemas/owner.yaml",
        "/v2/schemas/pet.yaml",
    ]
    assert fetched.root.read_text().startswith("\nopenapi: 3.0.3")


def test_the_timeout_bounds_a_whole_file(scripted: Any) -> None:
    """The same review: the timeout bounded each socket read, so a server trickling a byte
    at a time held a build as long as it liked ("30 s per file", the docs say)."""
    routes, _, _, base, _ = scripted
    routes["/slow.yaml"] = (200, {}, b"openapi: 3.0.3\n" * 40, 0.05)  # 8 bytes each 0.05 s
    started = time.monotonic()
    with pytest.raises(SpecError, match=r"not read in 0\.5 s"):
        fetch_spec(f"{base}/slow.yaml", timeout=0.5)
    # a whole body takes 3.75 s; refused near the half second (a review of the first fix:
    # `read(64 KiB)` waited for all of it before the deadline was looked at)
    assert time.monotonic() - started < 2.5


def test_a_body_cut_short_is_an_error_not_a_smaller_spec(scripted: Any) -> None:
    """Helper 225: a server declaring `Content-Length: 100000` that closed after 137 bytes
    built a client of 0 operations, exit 0 (RFC 9112 8: an incomplete message); a chunked
    body without its last chunk likewise."""
    routes, _, _, base, _ = scripted
    cut = ROOT_SPEC.encode()[:137]
    routes["/cut.yaml"] = (200, {"Content-Length": "100000"}, cut, 0.0)
    with pytest.raises(SpecError, match=r"closed after 137 of 100000 bytes"):
        fetch_spec(f"{base}/cut.yaml")
    routes["/chunked.yaml"] = (200, {"Transfer-Encoding": "chunked"}, b"5\r\nopena\r\n", 0.0)
    with pytest.raises(SpecError, match=r"ended early or was malformed \(IncompleteRead"):
        fetch_spec(f"{base}/chunked.yaml")


def test_a_url_that_is_a_file_and_a_folder_is_a_located_error(scripted: Any) -> None:
    """The same review: a root `/api/openapi` whose `$ref` is `openapi/pet.yaml` (a file and a
    folder of one name in the mirror) ended in "internal error ... FileExistsError"."""
    routes, _, _, base, _ = scripted
    root = ROOT_SPEC.replace("schemas/pet.yaml#/Pet", "openapi/pet.yaml#/Pet").replace(
        "../common/error.yaml", "openapi/pet.yaml#/Pet"
    )
    routes["/api/openapi"] = (200, {}, root.encode(), 0.0)
    routes["/api/openapi/pet.yaml"] = (200, {}, PET.replace("owner.yaml", "#/Pet").encode(), 0.0)
    with pytest.raises(SpecError, match="a file and a folder") as caught:
        fetch_spec(f"{base}/api/openapi")
    assert caught.value.diagnostics[0].file == f"{base}/api/openapi"


def test_an_absolute_path_ref_is_refused_before_it_is_fetched(scripted: Any) -> None:
    """The same review: `$ref: /schemas/pet.yaml` was fetched, then refused by the loader as an
    absolute local path, with advice about `--ref-root` (which no URL takes)."""
    routes, served, _, base, _ = scripted
    root = ROOT_SPEC.replace("schemas/pet.yaml#/Pet", "/schemas/pet.yaml#/Pet")
    routes["/api/openapi.yaml"] = (200, {}, root.encode(), 0.0)
    with pytest.raises(SpecError, match="write same-origin refs as relative paths") as caught:
        fetch_spec(f"{base}/api/openapi.yaml")
    assert caught.value.diagnostics[0].file == f"{base}/api/openapi.yaml"
    assert served == ["/api/openapi.yaml"]


def test_a_redirect_from_http_to_https_on_the_host_is_followed() -> None:
    """The review of the first fix: `http://host/spec` upgraded to `https://host/spec` was
    refused as another origin; the runtime's own redirects allow the upgrade."""
    from apigen.spec.fetch import _same_or_upgraded

    assert _same_or_upgraded("http://api.test/a.yaml", "https://api.test/b.yaml")
    assert _same_or_upgraded("http://api.test:80/a", "https://api.test:443/a")
    assert _same_or_upgraded("https://api.test/a", "https://API.test/b")
    assert not _same_or_upgraded("https://api.test/a", "http://api.test/a")  # a downgrade
    assert not _same_or_upgraded("http://api.test/a", "https://other.test/a")
    assert not _same_or_upgraded("http://api.test:8080/a", "https://api.test/a")
    assert not _same_or_upgraded("http://api.test/a", "ftp://api.test/a")


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("a%00.yaml#/S", "names a file with a NUL character"),
        ("http://[::1/pet.yaml", "is no valid URL"),
        ("http://127.0.0.1:99999/pet.yaml", "is no valid URL"),
    ],
)
def test_a_ref_no_url_or_file_can_be_is_a_located_error(
    scripted: Any, ref: str, message: str
) -> None:
    """A helper's fuzzing: `$ref: a%00.yaml` ended in "internal error (ValueError: embedded
    null byte)" (`apigen check`: a traceback), and an unclosed `[` in a $ref crashed
    `urlsplit`. Both are the referring file's error now, nothing fetched."""
    routes, served, _, base, _ = scripted
    routes["/api/openapi.yaml"] = (
        200,
        {},
        ROOT_SPEC.replace("schemas/pet.yaml#/Pet", ref).encode(),
        0.0,
    )
    with pytest.raises(SpecError, match=message) as caught:
        fetch_spec(f"{base}/api/openapi.yaml")
    found = caught.value.diagnostics[0]
    assert found.file == f"{base}/api/openapi.yaml" and found.pointer.endswith(
        "/application~1json/schema"
    )
    assert served == ["/api/openapi.yaml"]
    with pytest.raises(SpecError, match="not a valid URL"):
        fetch_spec("http://[::1/openapi.yaml")


def test_a_ref_with_a_space_beside_a_fetched_spec_is_fetched(
    site: tuple[str, list[str], Path], tmp_path: Path
) -> None:
    """Helper 213: `./my schemas.yaml` beside a spec builds from disk; fetched, the request
    raised http.client's `InvalidURL` (a traceback from `check`, "internal error" from
    `build`). It goes percent-encoded."""
    base, served, root = site
    (root / "api" / "v1" / "schemas" / "my pet.yaml").write_text(PET)
    (root / "api" / "v1" / "spaced.yaml").write_text(
        ROOT_SPEC.replace("schemas/pet.yaml#/Pet", "./schemas/my pet.yaml#/Pet")
    )
    build(f"{base}/api/v1/spaced.yaml", tmp_path / "out" / "spaced")
    assert "/api/v1/schemas/my%20pet.yaml" in served


@pytest.mark.parametrize("url", ["http://a..b/x.yaml", "http://127.0.0.1:9/a\nb.yaml"])
def test_a_url_no_request_can_carry_is_a_clear_error(url: str) -> None:
    with pytest.raises(SpecError) as caught:
        check(url)
    (d,) = caught.value.diagnostics
    assert "cannot fetch" in d.message
