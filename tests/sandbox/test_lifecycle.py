"""Starting and stopping: the blocking `serve` entry point and connection cleanup."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import textwrap

import httpx
import pytest

from apigen.sandbox import Sandbox, encode_form, parse_form

from .test_server import MINI


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_serve_blocks_until_interrupted() -> None:
    code = textwrap.dedent(
        """
        import json, sys
        from apigen.sandbox import serve
        serve(json.loads(sys.argv[1]), port=0)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, json.dumps(MINI)],
        stderr=subprocess.PIPE,
        text=True,
        # a run started in the background (`make test &`) ignores SIGINT, and so would the
        # child (Python keeps an ignored SIGINT ignored): give it the default, as a terminal does
        preexec_fn=_default_sigint,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/api/v3", line)
        assert found, line
        assert httpx.get(found.group(0) + "/pets/1", timeout=5).status_code == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_stop_also_closes_kept_alive_connections() -> None:
    sandbox = Sandbox(MINI)
    url = sandbox.start()
    with httpx.Client(base_url=url, timeout=2) as client:
        assert client.get("/pets/1").status_code == 200
        sandbox.stop()
        with pytest.raises(httpx.TransportError):
            client.get("/pets/1")


def test_start_twice_is_an_error() -> None:
    with Sandbox(MINI) as sandbox, pytest.raises(RuntimeError):
        sandbox.start()


def test_parse_form_shapes() -> None:
    assert parse_form("a=1&a=2&b[]=x&c[d][e]=f&g[1]=y&g[0]=z&h=") == {
        "a": ["1", "2"],
        "b": ["x"],
        "c": {"d": {"e": "f"}},
        "g": ["z", "y"],
        "h": "",
    }
    assert parse_form(b"metadata[0]=kept&metadata[5]=as-dict") == {
        "metadata": {"0": "kept", "5": "as-dict"}
    }
    assert parse_form(b"weird]key=1&k%5Bx%5D=2") == {"weird]key": "1", "k": {"x": "2"}}
    nested = {"items": [{"price": "p", "qty": "2"}], "expand": ["a", "b"], "on": "true"}
    assert parse_form(encode_form(nested)) == nested


def test_a_failure_that_is_no_exception_is_still_answered(monkeypatch: pytest.MonkeyPatch) -> None:
    """A helper's fuzzing: a parameter schema `$ref: "#"` made the validator recurse until a
    Rust `__eq__` panicked (pyo3's PanicException, a BaseException): the handler's `except
    Exception` let it through and the connection closed unanswered (curl: status 000)."""

    class Panic(BaseException):  # as pyo3_runtime.PanicException
        pass

    def panics(*args: object, **kwargs: object) -> object:
        raise Panic("__eq__ failed!")

    with Sandbox(MINI) as sandbox:
        assert sandbox.url is not None
        url = sandbox.url
        monkeypatch.setattr(sandbox, "handle", panics)
        with httpx.Client(base_url=url, timeout=5) as client:
            answer = client.get("/pets/1")
            assert answer.status_code == 500
            assert answer.json()["error"] == "sandbox failure" and "Panic" in answer.text
