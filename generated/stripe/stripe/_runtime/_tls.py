"""The client's default TLS context: httpx's verification, with the CA bundle loaded on first use.

httpx builds its ``ssl.SSLContext`` when the pool is created, and loading the CA bundle is ~25 ms
of CPU: the largest single cost of a first call after the imports, paid even when no connection
ever uses TLS (a local ``http://`` server, a test double). This context verifies exactly as
httpx's default does (``SSL_CERT_FILE``, then ``SSL_CERT_DIR`` when the environment is trusted,
else certifi's bundle; ``SSLKEYLOGFILE``), but loads the certificates when the first TLS
connection wraps its socket, so only a call that uses TLS pays for them.
"""

from __future__ import annotations

import os
import ssl
import sys
import threading
from typing import Any

__all__ = ["default_tls_context"]


class _LazyCAContext(ssl.SSLContext):
    """``PROTOCOL_TLS_CLIENT`` (hostname check, certificates required) with deferred CAs."""

    _cafile: str | None = None
    _capath: str | None = None
    _ca_loaded: bool = False
    _ca_lock: threading.Lock

    def defer_ca(self, cafile: str | None, capath: str | None) -> None:
        """Where the certificates come from (certifi when both are None), loaded on first use."""
        self._ca_lock = threading.Lock()
        self._cafile, self._capath = cafile, capath

    def _load_ca(self) -> None:
        with self._ca_lock:
            if self._ca_loaded:
                return
            if self._cafile is None and self._capath is None:
                import certifi  # httpx's own dependency: the bundle httpx would load

                self._cafile = certifi.where()
            self.load_verify_locations(cafile=self._cafile, capath=self._capath)
            self._ca_loaded = True

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:  # sync httpcore
        if not self._ca_loaded:
            self._load_ca()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(
        self, *args: Any, **kwargs: Any
    ) -> ssl.SSLObject:  # anyio, asyncio, sync TLS-in-TLS
        if not self._ca_loaded:
            self._load_ca()
        return super().wrap_bio(*args, **kwargs)


def default_tls_context(trust_env: bool = True) -> ssl.SSLContext:
    """What ``httpx.create_ssl_context(verify=True, trust_env=...)`` returns, CAs loaded lazily."""
    ctx = _LazyCAContext(ssl.PROTOCOL_TLS_CLIENT)
    if sys.version_info >= (3, 13):  # what ssl.create_default_context adds since 3.13
        ctx.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN | ssl.VERIFY_X509_STRICT
    cafile: str | None = None
    capath: str | None = None
    if trust_env and os.environ.get("SSL_CERT_FILE"):
        cafile = os.environ["SSL_CERT_FILE"]
    elif trust_env and os.environ.get("SSL_CERT_DIR"):
        capath = os.environ["SSL_CERT_DIR"]
    ctx.defer_ca(cafile, capath)
    keylog = os.environ.get("SSLKEYLOGFILE")  # as ssl.create_default_context does
    if keylog and not sys.flags.ignore_environment:
        ctx.keylog_filename = keylog
    return ctx
