"""A boolean `stream` argument switches a call from a document to a stream (OpenAI's
`stream: true`): the method is overloaded on it, as openai-python's `create` is.

Before, an operation offering both `application/json` and `text/event-stream` always returned a
`Stream`, sent `Accept: text/event-stream`, and a real server (which answers JSON unless the body
says `stream: true`) gave a stream of no event: `chat.completions.create(...)` silently
yielded nothing. OpenAI's spec has six such operations (chat completions, responses, images,
transcriptions).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.builds import api_of, build_into, manifest, on_path
from tests.conftest import FIXTURES, run_pyright
from tests.servers import serving

SPEC = FIXTURES / "completions.yaml"
SEEN: list[dict[str, Any]] = []


class _Handler(BaseHTTPRequestHandler):
    """Answers as the real API does: by the `stream` flag (body or query), not by `Accept`."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
        streams = body.get("stream") is True or "stream=true" in self.path
        if self.path.startswith("/v1/pull"):  # streams by default
            streams = body.get("stream") is not False
        SEEN.append({"accept": self.headers.get("Accept"), "body": body, "path": self.path})
        if streams:
            chunks = [{"id": "c1", "delta": "Hel"}, {"id": "c1", "delta": "lo"}]
            if self.path.startswith(("/v1/generate", "/v1/pull")):
                payload, ctype = (
                    "".join(json.dumps(c) + "\n" for c in chunks),
                    "application/x-ndjson",
                )
            else:
                payload = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
                ctype = "text/event-stream"
        else:
            done = {"id": "c1", "choices": [{"message": {"content": "Hello"}}]}
            payload, ctype = json.dumps(done), "application/json"
        raw = payload.encode()
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(_Handler) as url:
        yield url + "/v1"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("completions") / "completions"
    build_into(SPEC, out, name="completions")
    return out


@pytest.fixture(scope="module")
def pkg(out: Path) -> Iterator[ModuleType]:
    with on_path(out, "completions") as module:
        yield module


MESSAGES = [{"role": "user", "content": "hi"}]


def test_the_document_by_default_and_the_stream_with_stream_true(
    pkg: ModuleType, server: str
) -> None:
    from completions.models import Chunk, Completion

    SEEN.clear()
    with pkg.Client(base_url=server) as client:
        done = client.chat.completions.create(model="m", messages=MESSAGES)
        assert isinstance(done, Completion) and done.id == "c1"
        also = client.chat.completions.create(model="m", messages=MESSAGES, stream=False)
        assert isinstance(also, Completion)
        chunks = list(client.chat.completions.create(model="m", messages=MESSAGES, stream=True))
        assert all(isinstance(c, Chunk) for c in chunks)
        assert "".join(c.delta or "" for c in chunks) == "Hello"  # `[DONE]` ends it
        lines = client.generate.create(prompt="x", stream=True)  # a query flag, JSON lines
        assert [c.delta for c in lines] == ["Hel", "lo"]
        pulled = client.pull.create(name="m")  # `stream: {default: true}`: a stream
        assert [c.delta for c in pulled] == ["Hel", "lo"]
        assert client.pull.create(name="m", stream=False).id == "c1"
        raw = pkg.with_raw_response(client.chat.completions.create)(
            model="m", messages=MESSAGES, stream=True
        )
        assert raw.status_code == 200 and len(list(raw.parse())) == 2
    accepts = [s["accept"] for s in SEEN]
    assert accepts[:3] == ["application/json", "application/json", "text/event-stream"]
    assert [s["body"].get("stream") for s in SEEN[:3]] == [None, False, True]


async def test_the_async_client_switches_alike(pkg: ModuleType, server: str) -> None:
    from completions.models import Completion

    async with pkg.AsyncClient(base_url=server) as client:
        done = await client.chat.completions.create(model="m", messages=MESSAGES)
        assert isinstance(done, Completion)
        stream = await client.chat.completions.create(model="m", messages=MESSAGES, stream=True)
        assert [c.delta async for c in stream] == ["Hel", "lo"]


def test_the_manifest_and_the_docstring_say_what_stream_true_returns(
    out: Path, pkg: ModuleType
) -> None:
    ops = manifest(out)["operations"]
    op = next(o for o in ops if o["operation_id"] == "createChatCompletion")
    assert op["returns"] == "Completion"
    assert op["streams"] == {"param": "stream", "returns": "Stream[Chunk]"}
    doc = pkg.Client().chat.completions.create.__doc__
    assert "With `stream=True`, returns a stream" in doc
    assert "Unless `stream=False`, returns a stream" in pkg.Client().pull.create.__doc__
    readme = (out / "README.md").read_text()
    streaming = readme[readme.index("## Streaming") :]
    assert "with client.chat.completions.create(" in streaming
    assert "stream=True\n) as stream:" in streaming


USAGE = """\
from typing import assert_type

import completions
from completions._runtime import AsyncStream, RawResponse, Stream
from completions.models import Chunk, Completion
from completions.types import ChatCompletionsCreateParamsMessagesItem

client = completions.Client()
messages: list[ChatCompletionsCreateParamsMessagesItem] = []
assert_type(client.chat.completions.create(model="m", messages=messages), Completion)
assert_type(client.chat.completions.create(model="m", messages=messages, stream=True), Stream[Chunk])
flag = bool(len(messages))
assert_type(
    client.chat.completions.create(model="m", messages=messages, stream=flag),
    Completion | Stream[Chunk],
)
assert_type(client.generate.create(prompt="x", stream=True), Stream[Chunk])
assert_type(client.pull.create(name="m"), Stream[Chunk])
assert_type(client.pull.create(name="m", stream=False), Chunk)


async def main() -> None:
    aclient = completions.AsyncClient()
    s = await aclient.chat.completions.create(model="m", messages=messages, stream=True)
    assert_type(s, AsyncStream[Chunk])
    # through the wrappers (mypy typed them `function`: an overloaded async method with an
    # `Any` in its parameters, through `with_raw_response`'s own overloads)
    raw = await aclient.chat.completions.with_raw_response.create(
        model="m", messages=messages, metadata={"k": 1}
    )
    assert_type(raw, RawResponse[Completion])
    raw_stream = await aclient.chat.completions.with_raw_response.create(
        model="m", messages=messages, stream=True
    )
    assert_type(raw_stream, RawResponse[AsyncStream[Chunk]])
    async with aclient.chat.completions.with_streaming_response.create(
        model="m", messages=messages
    ) as streamed:
        assert_type(await streamed.parse(), Completion)
    sync_raw = client.chat.completions.with_raw_response.create(model="m", messages=messages)
    assert_type(sync_raw, RawResponse[Completion])
"""


def test_the_overloads_type_each_call(out: Path, tmp_path: Path) -> None:
    usage = out / "usage.py"
    usage.write_text(USAGE)
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "usage.py", "completions"],
        capture_output=True,
        text=True,
        check=False,
        cwd=out,
        timeout=600,
    )
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    config = tmp_path / "pyrightconfig.json"
    settings = {"typeCheckingMode": "strict", "pythonVersion": "3.11", "extraPaths": [str(out)]}
    config.write_text(json.dumps(settings))
    result = run_pyright("--outputjson", "--project", str(config), str(out), cwd=tmp_path)
    errors = [
        d for d in json.loads(result.stdout)["generalDiagnostics"] if d["severity"] == "error"
    ]
    assert errors == [], errors[:5]
    usage.unlink()


def _streaming(content: dict[str, Any], flag: dict[str, Any] | None) -> Any:
    properties = {"prompt": {"type": "string"}, **({"stream": flag} if flag else {})}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/gen": {
                "post": {
                    "operationId": "gen",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"type": "object", "properties": properties}
                            }
                        }
                    },
                    "responses": {"200": {"description": "ok", "content": content}},
                }
            }
        },
    }
    (op,) = api_of(doc).operations
    return op


OBJ = {"schema": {"type": "object", "properties": {"a": {"type": "integer"}}}}


def test_without_a_boolean_stream_argument_the_stream_is_what_the_call_returns() -> None:
    both = {"application/json": OBJ, "text/event-stream": OBJ}
    assert _streaming(both, {"type": "boolean"}).streaming is not None
    for flag in (None, {"type": "string"}, {"type": "integer"}):
        op = _streaming(both, flag)
        assert op.streaming is None and [r.kind for r in op.responses] == ["sse"]
    alone = _streaming({"text/event-stream": OBJ}, {"type": "boolean"})  # nothing to switch to
    assert alone.streaming is None and [r.kind for r in alone.responses] == ["sse"]
    by_default = _streaming(both, {"type": "boolean", "default": True}).streaming
    assert by_default is not None and by_default.default


def test_a_union_of_stream_records_is_named() -> None:
    """OpenAI's response events: what `stream=True` yields is an alias, not a 16-line union
    spelled in every overload."""
    members = [{"type": "object", "properties": {"k": {"const": k}}} for k in ("a", "b", "c")]
    events = {"schema": {"oneOf": members}}
    op = _streaming({"application/json": OBJ, "text/event-stream": events}, {"type": "boolean"})
    assert op.streaming is not None
    assert getattr(op.streaming.returns, "key", "").endswith("/x-apigen-stream-returns")
    assert [r.type for r in op.streaming.responses] == [op.streaming.returns]
