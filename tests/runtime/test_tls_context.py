"""The pool's TLS context verifies as httpx's default does, loading CAs on the first TLS use."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pytest

from apigen_runtime._tls import default_tls_context


def _ca_count(ctx: ssl.SSLContext) -> int:
    return int(ctx.cert_store_stats()["x509_ca"])


def test_context_requires_verified_certificates_and_hostnames() -> None:
    ctx = default_tls_context()
    assert ctx.verify_mode == ssl.CERT_REQUIRED
    assert ctx.check_hostname is True


def test_context_settings_equal_httpx_default() -> None:
    """Everything but the (deferred) certificates is what httpx's default context holds."""
    ours, theirs = default_tls_context(), httpx.create_ssl_context()
    for attr in (
        "protocol",
        "verify_mode",
        "check_hostname",
        "verify_flags",
        "options",
        "minimum_version",
        "maximum_version",
        "post_handshake_auth",
        "security_level",
        "hostname_checks_common_name",
    ):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    assert ours.get_ciphers() == theirs.get_ciphers()


def test_ca_bundle_is_loaded_on_first_wrap_only() -> None:
    ctx = default_tls_context()
    assert _ca_count(ctx) == 0  # nothing loaded while no connection uses TLS
    ctx.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="example.com")
    loaded = _ca_count(ctx)
    assert loaded > 10  # certifi's bundle, as httpx's default context holds
    ctx.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="example.com")
    assert _ca_count(ctx) == loaded  # loaded once


def test_client_pool_uses_the_lazy_context() -> None:
    from apigen_runtime._client import SyncAPIClient

    client = SyncAPIClient(base_url="http://127.0.0.1:9")
    pool = client._client()._transport._pool  # type: ignore[attr-defined]
    assert _ca_count(pool._ssl_context) == 0
    client.close()


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not available")
    d = tmp_path_factory.mktemp("tls")
    key, cert = d / "key.pem", d / "cert.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture()
def tls_server(self_signed: tuple[Path, Path]) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sctx.load_cert_chain(*self_signed)
    server.socket = sctx.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://localhost:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_untrusted_certificate_is_rejected(
    tls_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with (
        httpx.Client(verify=default_tls_context()) as client,
        pytest.raises(httpx.ConnectError) as exc,
    ):
        client.get(tls_server)
    assert "CERTIFICATE_VERIFY_FAILED" in str(exc.value)


def test_ssl_cert_file_is_trusted_as_httpx_does(
    tls_server: str, self_signed: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(self_signed[0]))
    with httpx.Client(verify=default_tls_context()) as client:
        assert client.get(tls_server).text == "ok"
    monkeypatch.setenv("SSL_CERT_FILE", str(self_signed[0]))
    with (
        httpx.Client(verify=default_tls_context(trust_env=False)) as client,
        pytest.raises(httpx.ConnectError),
    ):
        client.get(tls_server)
