"""The contract run: for every selected operation, draw cases, send each one THROUGH the generated
client (sync and async) and check the request on the wire, the strict parse of the response and
schemathesis' response checks; classify every failure client / sandbox / spec."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import fnmatch
import importlib
import inspect
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import httpx

from .cases import MISSING, CaseInput, CaseSource, EdgeValues, simple_value
from .checks import (
    INVALID_HEADER_SCHEMA,
    ResponseProblem,
    fallback_warnings,
    schemathesis_checks,
    strict_parse,
)
from .client import ClientError, GeneratedClient, ManifestOperation, load_client, resolve_call
from .mapping import Call, MappingError, to_call
from .report import Baseline, Failure, Klass, OperationResult, RunReport
from .sandbox import (
    ERROR_HEADER,
    SPEC_PROBLEM_HEADER,
    TWIN_KEYS,
    RunningSandbox,
    default_status,
    start_sandbox,
)

if TYPE_CHECKING:
    from apigen_runtime import Operation
from ..path_keys import placeholders, split_key
from ..spec.header_params import AWS_SIGNATURE, HTTP_TOKEN, aws_signed
from ..spec.methods import FIXED
from ..spec.param_media import is_json_media
from ..spec.streams import is_event_stream, is_json_lines
from .spec import UNUSABLE, SpecView
from .stream_check import stream_body
from .wire import (
    EMPTY_REQUIRED,
    FORM_EMPTY_REQUIRED,
    SCHEMA_PROBLEM,
    UNCHECKABLE_SCHEMA,
    UNCOMPUTABLE_SECURITY,
    UNMEETABLE_SECURITY,
    UNSPELLABLE_KEY,
    UNSPELLABLE_VALUE,
    check_request,
)

__all__ = ["ContractConfig", "ContractError", "run_contract", "select_operations"]

VARIANTS = ("sync", "async")


class ContractError(Exception):
    """A bad argument or unusable input: the message is for the user (no traceback)."""


@dataclass
class ContractConfig:
    client_dir: Path
    spec: Path | None = None
    base_url: str | None = None
    operations: Sequence[str] = ()
    tags: Sequence[str] = ()
    max_examples: int = 10
    seed: int = 0
    time_budget: float | None = None
    baseline: Path | None = None
    variants: Sequence[str] = VARIANTS
    edge_cases: bool = True
    progress: Callable[[str], None] | None = None
    spec_search: Sequence[Path] = field(default_factory=list)
    sandbox_url: str | None = None  # an already running sandbox of ours (not stopped here)
    sandbox_port: int = 0  # the in-process sandbox's port on 127.0.0.1 (0: any free one)
    mock: bool = False  # base_url is a mock server (Prism): dummy credentials, its faults "sandbox"
    fail_on: tuple[Klass, ...] = ("client",)  # the classes whose new failures fail the run
    check_servers: bool = True  # with the spec's own base URL, each operation goes to its server
    ref_root: Path | None = None  # relative `$ref`s may read files under it (`--ref-root`)


class _Recorder(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Transport wrapper keeping every (request, response) the client exchanged; bodies read."""

    def __init__(self) -> None:
        self.exchanges: list[tuple[httpx.Request, httpx.Response | None]] = []
        self._sync = httpx.HTTPTransport()
        self._async = httpx.AsyncHTTPTransport()
        # OAuth2 token endpoints of the spec: never checked as an operation's request (nor
        # kept: a token response holds a secret); against a sandbox answered here with a
        # dummy token (`fake_tokens`: the run must not reach the real API's token server)
        self.token_urls: frozenset[str] = frozenset()
        self.fake_tokens = True

    def _is_token(self, request: httpx.Request) -> bool:
        url = str(request.url.copy_with(query=None))
        return request.method == "POST" and any(
            url == t or (t.startswith("/") and url.endswith(t)) for t in self.token_urls
        )

    def token_reply(self, request: httpx.Request, offline: bool = False) -> httpx.Response | None:
        """A dummy token for a request to a token endpoint, when the run fakes them (or the
        request never leaves: `offline`)."""
        if not (self.fake_tokens or offline) or not self._is_token(request):
            return None
        token = {"access_token": "contract-token", "token_type": "Bearer", "expires_in": 3600}
        return httpx.Response(200, json=token, request=request)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        if (token := self.token_reply(request)) is not None:
            return token
        if self._is_token(request):  # a real server's token endpoint: sent, not recorded
            response = self._sync.handle_request(request)
            response.read()
            return response
        try:
            response = self._sync.handle_request(request)
            if (cut := _StreamCut.of(response)) is not None:
                for chunk in response.iter_bytes():
                    if cut.full(chunk):
                        break
                response.close()
                response = cut.response(response)
            else:
                response.read()
        except httpx.HTTPError:
            self.exchanges.append((request, None))
            raise
        response.request = request
        self.exchanges.append((request, response))
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        if (token := self.token_reply(request)) is not None:
            return token
        if self._is_token(request):  # a real server's token endpoint: sent, not recorded
            response = await self._async.handle_async_request(request)
            await response.aread()
            return response
        try:
            response = await self._async.handle_async_request(request)
            if (cut := _StreamCut.of(response)) is not None:
                async for chunk in response.aiter_bytes():
                    if cut.full(chunk):
                        break
                await response.aclose()
                response = cut.response(response)
            else:
                await response.aread()
        except httpx.HTTPError:
            self.exchanges.append((request, None))
            raise
        response.request = request
        self.exchanges.append((request, response))
        return response

    def take(self) -> list[tuple[httpx.Request, httpx.Response | None]]:
        taken, self.exchanges = self.exchanges, []
        return taken

    def close(self) -> None:
        self._sync.close()

    async def aclose(self) -> None:
        await self._async.aclose()


class _StreamCut:
    """A streamed response (events, JSON lines) read at most `MAX_BYTES` or `MAX_SECONDS`: a
    live feed never ends, and the run must. What was read is cut after its last whole record
    (a blank line ends an event, a line end a JSON line), so the client and the record check
    see the same complete records."""

    MAX_BYTES = 1 << 20
    MAX_SECONDS = 5.0

    def __init__(self, ends: tuple[bytes, ...]) -> None:
        self.ends = ends
        self.chunks: list[bytes] = []
        self.size = 0
        self.started = time.monotonic()
        self.cut = False

    @classmethod
    def of(cls, response: httpx.Response) -> _StreamCut | None:
        media = response.headers.get("content-type", "")
        if not 200 <= response.status_code < 300:
            return None
        if is_event_stream(media):
            return cls((b"\n\n", b"\r\n\r\n", b"\r\r"))
        return cls((b"\n", b"\r")) if is_json_lines(media) else None

    def full(self, chunk: bytes) -> bool:
        """Keep `chunk`; whether to stop reading."""
        self.chunks.append(chunk)
        self.size += len(chunk)
        self.cut = self.size >= self.MAX_BYTES or time.monotonic() - self.started > self.MAX_SECONDS
        return self.cut

    def response(self, streamed: httpx.Response) -> httpx.Response:
        """The response as read (decoded), cut after its last whole record if it was cut."""
        body = b"".join(self.chunks)
        if self.cut:
            body = body[
                : max(body.rfind(end) + len(end) if end in body else 0 for end in self.ends)
            ]
        headers = [
            (k, v)
            for k, v in streamed.headers.multi_items()
            if k.lower() not in ("content-length", "content-encoding", "transfer-encoding")
        ]
        return httpx.Response(
            streamed.status_code, headers=headers, content=body, extensions=streamed.extensions
        )


def _spec_search(config: ContractConfig) -> list[Path]:
    return spec_folders(config.client_dir, config.spec_search)


def spec_folders(client_dir: Path, first: Iterable[Path] = ()) -> list[Path]:
    """Where a client's spec is looked for (by name and SHA-256): `first`, the client's folder
    and its parent, the working folder and its `specs/`, `$APIGEN_SHARED_SPECS`; the command
    and the pytest plugin alike."""
    folders = [*first, client_dir, client_dir.parent, Path.cwd(), Path.cwd() / "specs"]
    shared = os.environ.get("APIGEN_SHARED_SPECS")
    if shared:
        folders.append(Path(shared))
    return folders


def load_document(path: Path, ref_root: Path | None = None) -> dict[str, Any]:
    from ..diagnostics import Report, SpecError
    from ..spec import load_spec

    try:
        return dict(load_spec(path, report=Report(), ref_root=ref_root).document)
    except SpecError as err:
        first = err.diagnostics[0].format() if err.diagnostics else str(err)
        raise ContractError(f"cannot load spec {path}: {first}") from None


_LOADED: dict[tuple[str, float, str | None], tuple[dict[str, Any], CaseSource]] = {}


def _loaded(spec: Path, ref_root: Path | None = None) -> tuple[dict[str, Any], CaseSource]:
    """The document and its schemathesis schema, loaded once per process (per file version).
    `ref_root`: the folder relative `$ref`s may read files under (`--ref-root`)."""
    root = str(ref_root.resolve()) if ref_root is not None else None
    key = (str(spec.resolve()), spec.stat().st_mtime, root)
    found = _LOADED.get(key)
    if found is None:
        document = load_document(spec, ref_root)
        from schemathesis.core.errors import SchemathesisError

        try:
            source = CaseSource(document)
        except (ValueError, SchemathesisError) as err:
            # e.g. a server URL schemathesis cannot split (`https://[x]`), a document it refuses
            raise ContractError(
                f"schemathesis cannot read {spec}: {err} (fix the spec; `apigen check` lists "
                "its problems)"
            ) from None
        except RecursionError:
            # its bundler inlines `$ref`s recursively: a chain of 400 `allOf`s is too deep
            raise ContractError(
                f"schemathesis cannot read {spec}: its schemas nest (through $refs) deeper than "
                "schemathesis can follow"
            ) from None
        found = _LOADED[key] = (document, source)
    return found


def select_operations(
    client: GeneratedClient, document: Mapping[str, Any], names: Sequence[str], tags: Sequence[str]
) -> list[ManifestOperation]:
    """Operations whose operation_id or call is one of `names`, or matches it as a glob (an id
    holding `[...]`, `tags[list]`, is named as it is), and that carry one of `tags`."""
    view = SpecView(document)
    chosen: list[ManifestOperation] = []
    for op in client.operations:
        if names and not any(
            n in (op.operation_id, op.call)
            or fnmatch.fnmatchcase(op.operation_id, n)
            or fnmatch.fnmatchcase(op.call, n)
            for n in names
        ):
            continue
        if tags:
            # (a path item that is a `$ref` to another place of the document, as the tags' own)
            item = view.deref(document.get("paths", {}).get(op.path, {}))
            spec_op = view.deref(item.get(op.method, {})) if isinstance(item, Mapping) else {}
            op_tags = spec_op.get("tags", []) if isinstance(spec_op, Mapping) else []
            if not any(fnmatch.fnmatchcase(str(t), pattern) for t in op_tags for pattern in tags):
                continue
        chosen.append(op)
    return chosen


_MESSAGE_KEYS = frozenset(
    {"message", "detail", "error_description", "error_message", "description", "msg", "reason"}
)


def _rejection(response: httpx.Response) -> str:
    """The refusal's own reason: the longest message-like string of a JSON error body (Stripe's
    `{"error": {"message": ...}}`, GitHub's `{"message": ...}`), up to 1000 characters so the
    key or path it names is not cut off; the sandbox's header when the error schema has no place
    for it (an array); otherwise the start of the body."""
    if ERROR_HEADER in response.headers:
        return response.headers[ERROR_HEADER][:1000]
    text = response.text
    try:
        data = json.loads(text)
    except ValueError:
        return text[:200]
    found = ""
    queue: list[tuple[Any, int]] = [(data, 0)]
    while queue:
        node, depth = queue.pop()
        if not isinstance(node, dict) or depth > 3:
            continue
        for key, item in node.items():
            if (
                isinstance(item, str)
                and str(key).lower() in _MESSAGE_KEYS
                and len(item) > len(found)
            ):
                found = item
            queue.append((item, depth + 1))
    if not found:
        return text[:200]
    return found if len(found) <= 1000 else found[:997] + "..."


def _http(request: httpx.Request, secrets: frozenset[str] = frozenset()) -> str:
    body = request.content
    shown = ""
    if body:
        text = repr(body[:300])[2:-1] + ("..." if len(body) > 300 else "")
        shown = f" body({request.headers.get('content-type', '?')}): {text}"
    return f"{request.method} {shown_url(request.url, secrets)}{shown}"


REDACTED = "REDACTED"


def shown_url(url: httpx.URL | str, secrets: frozenset[str] = frozenset()) -> str:
    """`url` fit for a report: no `user:password@`, and the values of the query parameters
    named in `secrets` (API keys the spec sends in the query) replaced (a helper's review:
    reports, JUnit files and CI logs printed them)."""
    url = httpx.URL(url) if isinstance(url, str) else url
    if url.userinfo:
        url = url.copy_with(username=REDACTED, password=None)
    if secrets and not secrets.isdisjoint(url.params.keys()):
        pairs = [(k, REDACTED if k in secrets else v) for k, v in url.params.multi_items()]
        url = url.copy_with(params=pairs)
    return str(url)


def _query_secrets(document: Mapping[str, Any]) -> frozenset[str]:
    """The names of the spec's API keys sent in the query."""
    schemes = document.get("components", {}).get("securitySchemes", {})
    return frozenset(
        str(s.get("name"))
        for s in (schemes.values() if isinstance(schemes, Mapping) else ())
        if isinstance(s, Mapping) and s.get("type") == "apiKey" and s.get("in") == "query"
    )


def _skipped(op: ManifestOperation, why: str) -> OperationResult:
    """`op` in a report, not checked, and why."""
    return OperationResult(op.operation_id or op.call, op.call, op.method, op.path, skipped=why)


class _Run:
    def __init__(self, config: ContractConfig) -> None:
        self.config = config
        try:
            self.client = load_client(config.client_dir)
        except ClientError as exc:
            raise ContractError(str(exc)) from None
        spec = config.spec or self.client.find_spec(_spec_search(config), config.ref_root)
        if spec is None:
            stale = self.client.stale_specs
            changed = (
                f"; {stale[0]} has that name but changed since the client was built "
                "(regenerate the client, or pass --spec to test it anyway)"
                if stale
                else ""
            )
            raise ContractError(
                f"cannot find the spec of {config.client_dir} "
                f"(built from {self.client.spec_name or 'an unknown file'}): pass --spec{changed}"
            )
        if not spec.is_file():
            raise ContractError(f"spec {spec} does not exist")
        self.spec = spec
        self.document, self.source = _loaded(spec, config.ref_root)
        self.view = self.source.view
        paths = self.view.document.get("paths")
        # the paths without templating: a drawn value may spell one (`_shadowing_path`)
        self._literal = frozenset(
            str(k) for k in (paths if isinstance(paths, Mapping) else {}) if "{" not in str(k)
        )
        # templated paths that differ only in their placeholders' names (`/v1/{jobName}`,
        # `/v1/{name}`): OpenAPI forbids them, and a server routes both one way
        shapes: dict[str, list[str]] = {}
        for key in paths if isinstance(paths, Mapping) else {}:
            shapes.setdefault(_TEMPLATE.sub("{}", split_key(str(key)).wire), []).append(str(key))
        self._twins = frozenset(k for keys in shapes.values() if len(keys) > 1 for k in keys)
        self.baseline = Baseline.load(config.baseline)
        self.sandbox: RunningSandbox | None = None
        self.ours = False  # the server is our sandbox (`run`)
        self.recorder = _Recorder()
        self.started = time.perf_counter()
        self.budget_cut = False  # an operation's cases were cut short by `time_budget`
        self.secrets: frozenset[str] = frozenset()  # query API keys a report redacts

    def _in_spec(self, op: ManifestOperation) -> bool:
        """Whether the spec under test has the client's operation `op` (3.2's
        `additionalOperations` included: helper 226)."""
        if op.method in FIXED:
            return self.source.holds(op.method, op.path)
        paths = self.document.get("paths")
        item = paths.get(op.path) if isinstance(paths, Mapping) else None
        extra = item.get("additionalOperations") if isinstance(item, Mapping) else None
        return isinstance(extra, Mapping) and any(
            str(method).lower() == op.method.lower() for method in extra
        )

    def say(self, message: str) -> None:
        if self.config.progress:
            self.config.progress(message)

    def out_of_time(self) -> bool:
        budget = self.config.time_budget
        return budget is not None and time.perf_counter() - self.started > budget

    # -- the run ------------------------------------------------------------------------------

    def run(self) -> RunReport:
        ops = select_operations(
            self.client, self.document, self.config.operations, self.config.tags
        )
        if not ops:
            if not self.client.operations:
                raise ContractError(_nothing_to_call(self.document))
            raise ContractError("no operation matches the --operation/--tag filters")
        held = [op for op in ops if self._in_spec(op)]
        if not held:
            # a client checked against another spec: every operation was filed as the spec's
            # (`LookupError: not in the spec`), 0 calls, exit 0 (helper 219)
            raise ContractError(
                f"none of the {len(ops)} operation(s) of the client in {self.config.client_dir}"
                f" is in {self.spec}: was the client built from another spec? (give the spec it"
                " was built from, or rebuild the client from this one)"
            )
        own = self.config.sandbox_url is not None
        if self.config.sandbox_url is not None:
            base_url = self.config.sandbox_url
        elif self.config.base_url is None:
            try:
                self.sandbox = start_sandbox(
                    self.document, seed=self.config.seed, port=self.config.sandbox_port
                )
            except OSError as exc:  # `--sandbox-port` in use, or not ours to bind
                raise ContractError(
                    f"cannot start the sandbox on 127.0.0.1:{self.config.sandbox_port}:"
                    f" {exc.strerror or exc}"
                ) from None
            base_url = self.sandbox.url
            own = True
        else:
            base_url = self.config.base_url
            own = self.config.mock
        self.own = own
        # our sandbox (started here, or `sandbox_url`'s): it routes twin and `?`/`#` keys right
        self.ours = self.sandbox is not None or self.config.sandbox_url is not None
        self.base_url = base_url
        token_urls = _token_urls(self.document)
        self.recorder.fake_tokens = own  # a real server's token endpoint gets real requests
        self.secrets = _query_secrets(self.document) | self.client.query_secrets()
        report = RunReport(
            client=str(self.config.client_dir),
            spec=str(self.spec),
            base_url=shown_url(base_url),
            seed=self.config.seed,
            max_examples=self.config.max_examples,
            variants=list(self.config.variants),
            fail_on=self.config.fail_on,
        )
        sync_cls, async_cls = self.client.client_classes()
        credentials: dict[str, Any] = dict(self.client.make_credentials(dummy=own))
        if own and "allow_insecure_credentials" in inspect.signature(sync_cls).parameters:
            # the token server is answered by the recorder: a spec's plain-http tokenUrl
            # (features/3.0/security.yaml) carries only the dummy secret
            credentials["allow_insecure_credentials"] = True
        sync_client = sync_cls(
            base_url=base_url,
            max_retries=0,
            http_client=httpx.Client(transport=self.recorder, timeout=30),
            **credentials,
        )
        runner = asyncio.Runner()
        async_client = runner.run(self._make_async(async_cls, base_url, credentials))
        try:
            self._each(ops, report, sync_client, async_client, runner, token_urls)
        finally:
            sync_client.close()
            runner.run(async_client.close())
            runner.close()
            self.recorder.close()
            if self.sandbox is not None:
                self.sandbox.stop()
        report.seconds = time.perf_counter() - self.started
        self.baseline.apply(report)
        return report

    def _each(
        self,
        ops: list[ManifestOperation],
        report: RunReport,
        sync_client: Any,
        async_client: Any,
        runner: asyncio.Runner,
        token_urls: frozenset[str],
    ) -> None:
        """Check `ops` in order into `report`. Ctrl-C stops the run with what it found so far:
        the operation it was in and those after it are skipped, and the report says so (a
        long run lost its whole report, and exited as though only a failure had stopped it)."""
        for at, op in enumerate(ops):
            try:
                if self.out_of_time():
                    report.budget_exhausted = True
                    report.operations.append(_skipped(op, "time budget exhausted"))
                    continue
                # the token endpoint's own operation is sent, not answered by the recorder
                own_token = _is_token_operation(op.method, op.path, token_urls)
                self.recorder.token_urls = frozenset() if own_token else token_urls
                result = self._operation(op, sync_client, async_client, runner)
            except KeyboardInterrupt:
                report.interrupted = True
                report.operations += [_skipped(rest, "interrupted") for rest in ops[at:]]
                return
            report.operations.append(result)
            report.budget_exhausted = report.budget_exhausted or self.budget_cut
            self.say(f"{op.operation_id}: {result.cases} cases, {len(result.failures)} failures")

    async def _make_async(self, cls: type[Any], base_url: str, credentials: dict[str, Any]) -> Any:
        return cls(
            base_url=base_url,
            max_retries=0,
            http_client=httpx.AsyncClient(transport=self.recorder, timeout=30),
            **credentials,
        )

    def _operation(
        self, op: ManifestOperation, sync_client: Any, async_client: Any, runner: asyncio.Runner
    ) -> OperationResult:
        # (an operation without an `operationId` is named by its call: reports and JUnit showed
        # an empty name)
        result = OperationResult(op.operation_id or op.call, op.call, op.method, op.path)
        started = time.perf_counter()
        constant = self.client.operation(op)
        fail = _failer(result)
        if constant is None:
            fail(
                "manifest",
                "client",
                f"no _rt.Operation constant for {op.method.upper()} {op.path} in the package",
            )
            return result
        if op.method not in FIXED:
            # schemathesis reads the fixed methods only, not 3.2's `additionalOperations`
            result.skipped = (
                f"no case drawn for {op.method.upper()} (OpenAPI 3.2's additionalOperations)"
            )
            return result
        if not self.source.holds(op.method, op.path):
            result.skipped = (
                f"{op.method.upper()} {op.path} is not in the spec (the client was built from"
                " another version of it?)"
            )
            result.seconds = time.perf_counter() - started
            return result
        try:
            cases = self.source.draw(
                op.method,
                op.path,
                self.config.max_examples,
                self.config.seed,
                constant.body.media_type if constant.body is not None else None,
            )
        except Exception as exc:
            why = f"schemathesis cannot draw cases: {type(exc).__name__}: {str(exc)[:300]}"
            if type(exc).__name__ in _TOOL_LIMITS:
                # a media type it cannot serialise (`multipart/related`, `application/json-seq`)
                # or a keyword it does not support: the spec is not at fault, nothing was
                # checked (a helper's sweep found these filed as the spec's)
                result.skipped = why
            elif type(exc).__name__ == "UnsatisfiableSchema" and (
                held := self._required_read_only(op, constant)
            ):
                # schemathesis leaves readOnly properties out of a request and keeps them
                # required: no body (PagerDuty's `TeamReference`, `allOf` of a readOnly `id`
                # and `required: [id]`); OpenAPI 3.0 reads that `required` as the response's
                # only, so the spec is valid
                result.skipped = (
                    f"schemathesis draws no request body: it leaves the readOnly property {held}"
                    " out but keeps it required (OpenAPI 3.0: required in responses only)"
                )
            else:  # unsatisfiable, or no valid OpenAPI: the spec's
                fail("generation", "spec", why)
            result.seconds = time.perf_counter() - started
            return result
        for message in self._unmapped_parameters(op, constant):
            fail("parameter_mapping", "client", message)
        if cases and self.config.edge_cases:
            # built on a drawn case the method can send: a body that is no object, for one
            # flattened into arguments, is filed before sending, and so were every edge case
            # built on it (path refusals included: 15 cases, 0 calls)
            fit = [c for c in cases if not self._unfit_base(op, constant, c)]
            # one whose query values are not empty first: an empty `q=` the edge cases inherit
            # made the API refuse every one of them (helper 193: 5,014 `empty_query_value`
            # filings in one sweep, and those operations' edge values never answered 2xx)
            base = next((c for c in fit if not _empty_query(c)), fit[0] if fit else None)
            base = base or self._object_body(op, cases[0])
            cases += EdgeValues(self.view, op.method, op.path).cases(base)
        if cases and self.config.check_servers:
            self._server(result, op, constant, cases[0])
        sync_method = resolve_call(sync_client, op.call)
        async_method = resolve_call(async_client, op.call)
        for case in cases:
            if self.out_of_time():
                # a helper's sweep: an operation cut here read "ok, 0 cases" (a pass in JUnit)
                # and the run "budget not exhausted" when it was the last one
                self.budget_cut = True
                if not result.cases:
                    result.skipped = "time budget exhausted"
                break
            result.cases += 1
            # (a value the client must refuse sends nothing: its refusal is checked below,
            # whatever path the value would spell; filed as the spec's, a client sending
            # `/things/` for `id=''` passed where that is another endpoint)
            other = None if case.expect_value_error else self._shadowing_path(op.path, case)
            if other is not None:
                fail(
                    "path_shadowed",
                    "spec",
                    f"{SHADOWED_PATH}: the drawn path values spell {other!r}",
                    case=case.label,
                )
                continue
            if self._untyped_fields(op, constant, case):
                fail(
                    "untyped_schema",
                    "spec",
                    f"body {_short_repr(case.body)} is valid for the spec (its schema has "
                    "`properties` but no `type: object`) but the method takes the body's "
                    "properties as arguments",
                    case=case.label,
                )
                continue
            if self._foreign_body(op, constant, case):
                media = constant.body.media_type if constant.body else "?"
                fail(
                    "foreign_body",
                    "spec",
                    f"{FOREIGN_BODY} ({media}): the case drew {_short_repr(case.body)}",
                    case=case.label,
                )
                continue
            if self._null_fields(op, constant, case):
                fail(
                    "nullable_body",
                    "spec",
                    f"{NULL_BODY}: a null body is valid for the spec but the method takes the "
                    "body's properties as arguments",
                    case=case.label,
                )
                continue
            try:
                call = to_call(case, constant, sync_method)
            except MappingError as exc:
                if self._untyped_body(op, constant, exc, case) or self._untyped_field(
                    op, constant, exc, case
                ):
                    # `properties` without `type: object`: JSON Schema admits any value there,
                    # the generated model (rightly) wants an object.
                    fail("untyped_schema", "spec", str(exc), case=case.label)
                elif self._foreign_parameter(op, constant, exc):
                    fail(
                        "foreign_parameter", "spec", f"{FOREIGN_PARAMETER}: {exc}", case=case.label
                    )
                elif self._empty_but_typed(op, constant, exc):
                    fail("empty_value_typed", "spec", f"{EMPTY_TYPED}: {exc}", case=case.label)
                else:
                    fail("argument_type", "client", str(exc), case=case.label)
                continue
            unmapped = self._unmapped_fields(op, constant, call)
            if unmapped:
                fail(
                    "parameter_mapping",
                    "client",
                    f"body properties {unmapped} are declared by the spec but no argument of "
                    "the method sends them (they could only go through `extra_body`)",
                    case=case.label,
                )
                continue
            for variant in self.config.variants:
                method = sync_method if variant == "sync" else async_method
                result.calls += 1
                self._one(result, op, constant, case, call, variant, method, runner)
        result.seconds = time.perf_counter() - started
        return result

    def _one(
        self,
        result: OperationResult,
        op: ManifestOperation,
        constant: Operation[Any],
        case: CaseInput,
        call: Call,
        variant: str,
        method: Callable[..., Any],
        runner: asyncio.Runner,
    ) -> None:
        python = call.python(op.call, asynchronous=variant == "async")
        fail = _failer(result, variant=variant, case=case.label, python=python)
        self.recorder.take()
        error: BaseException | None = None
        yielded: int | None = None  # the records a streamed result yielded
        rt = self.client.runtime  # the client's runtime: its classes, not the generator's
        with fallback_warnings(rt.__name__) as fallbacks:
            try:
                if variant == "sync":
                    yielded = _drain(method(**call.kwargs))
                else:
                    value = runner.run(_await(method(**call.kwargs)))
                    yielded = runner.run(_adrain(value))
            except Exception as exc:
                error = exc
        exchanges = self.recorder.take()
        if isinstance(error, rt.MissingCredentialsError):
            raise ContractError(f"{error} (credentials come from the environment)")
        if case.expect_value_error:
            if isinstance(error, ValueError) and not exchanges:
                return
            sent = _http(exchanges[0][0], self.secrets) if exchanges else ""
            fail(
                "path_refusal",
                "client",
                f"path value {_refused(case)} was not refused with ValueError before sending"
                + (f" ({type(error).__name__}: {error})" if error and not exchanges else ""),
                http=sent,
            )
            return
        if not exchanges:
            if isinstance(error, TypeError) and BINARY_IN_JSON in str(error):
                fail("binary_in_json", "spec", f"{BINARY_IN_JSON_SPEC}: {str(error)[:200]}")
                return
            if isinstance(error, TypeError) and FOREIGN_PART in str(error):
                fail("foreign_part", "spec", f"{FOREIGN_PART_SPEC}: {str(error)[:200]}")
                return
            if isinstance(error, TypeError) and self._form_not_object(op, constant, error):
                fail("form_not_object", "spec", f"{FORM_NOT_OBJECT}: {str(error)[:200]}")
                return
            if isinstance(error, ValueError) and _unsendable_header(case):
                fail("unsendable_header", "spec", f"{UNSENDABLE_HEADER}: {str(error)[:200]}")
                return
            if isinstance(error, ValueError) and (
                _untoken_header(case, str(error)) or "API key header name" in str(error)
            ):  # a header parameter's name, or an API key scheme's (the runtime's message)
                fail("header_name", "spec", f"{ILLEGAL_HEADER_NAME}: {str(error)[:200]}")
                return
            if isinstance(error, ValueError) and _untoken_cookie(case, str(error)):
                fail("cookie_name", "spec", f"{ILLEGAL_COOKIE_NAME}: {str(error)[:200]}")
                return
            if isinstance(error, ValueError) and COOKIE_AS_GIVEN in str(error):
                fail("cookie_value", "spec", f"{UNESCAPED_COOKIE}: {str(error)[:200]}")
                return
            if isinstance(error, ValueError) and SEPARATOR_ITEM in str(error):
                fail("separator_item", "spec", f"{DELIMITED_ITEM}: {str(error)[:200]}")
                return
            if isinstance(error, ValueError) and _empty_path_container(case, str(error)):
                fail("empty_path_value", "spec", f"{EMPTY_PATH_VALUE}: {str(error)[:200]}")
                return
            fail(
                "exception",
                "client",
                f"raised {type(error).__name__} before sending: {str(error)[:300]}",
            )
            return
        request, response = exchanges[0]
        redirect: httpx.Response | None = None  # the 3xx the client followed, if it did
        if response is not None and response.has_redirect_location and len(exchanges) > 1:
            # the client followed it: the answer it parsed is the last one (a helper's review:
            # the 3xx was checked, and the target's broken body filed as the client's parse)
            redirect, response = response, exchanges[-1][1]
        http = _http(request, self.secrets)
        intended, body, given = self._intended(constant, call, case)
        problems = check_request(
            self.view, op.method, op.path, self.base_url, request, intended, body, given
        )
        spec_request = False  # the request is invalid through the spec's fault
        unroutable = False  # ... and routes to no operation (its answer is no operation's)
        client_request = False  # ... through the client's
        for problem in problems:
            if problem.startswith(SCHEMA_PROBLEM) and (
                _sent_as_drawn(request, case) or NULL_BESIDE_ONEOF in problem
            ):
                # The client sent schemathesis' value unchanged and the OpenAPI validator refuses
                # it: the two read the schema differently (e.g. `nullable` beside `oneOf`).
                fail("request_schema", "spec", f"validators disagree: {problem}", http=http)
                spec_request = True
            elif problem.startswith(UNCHECKABLE_SCHEMA):
                fail("request_schema", "spec", problem, http=http)
            elif problem.startswith(EMPTY_REQUIRED):
                fail("empty_query_value", "spec", problem, http=http)
                spec_request = True
            elif problem.startswith(FORM_EMPTY_REQUIRED):
                fail("form_empty_required", "spec", problem, http=http)
                spec_request = True
            elif problem.startswith(UNSPELLABLE_KEY):
                fail("form_key", "spec", problem, http=http)
                spec_request = True
            elif problem.startswith(UNSPELLABLE_VALUE):
                fail("unspellable_value", "spec", problem, http=http)
                spec_request = True
            elif problem.startswith(UNMEETABLE_SECURITY) or problem.startswith(
                UNCOMPUTABLE_SECURITY
            ):
                fail("security_requirement", "spec", problem, http=http)
                spec_request = True
            else:
                fail("request", "client", problem, http=http)
                client_request = True
        illegal = _illegal_header(error) if response is None else None
        if illegal is not None:
            fail("header_name", "spec", f"{ILLEGAL_HEADER_NAME}: {illegal}", http=http)
            return
        if response is None:
            fail(
                "connection",
                "sandbox" if self.own else "spec",
                f"no response: {type(error).__name__}: {error}",
                http=http,
            )
            return
        unexpected = not isinstance(error, rt.APIStatusError | rt.APIConnectionError)
        if error is not None and unexpected and not _is_response_validation(error):
            fail(
                "exception",
                "client",
                f"raised {type(error).__name__} on a {response.status_code} response: "
                f"{str(error)[:300]}",
                http=http,
            )
        responder: Klass = "sandbox" if self.own else "spec"
        if (
            self.own
            and 400 <= response.status_code < 500
            and problems
            and not self.ours
            and (op.path in self._twins or not split_key(op.path).plain)
        ):
            # a request that routes nowhere answers no operation, whatever else the spec got
            # wrong in it (weatherbit's `?` keys beside an empty `key=`: Prism's 404 body was
            # filed as Prism's, 134 times, where the same 404 alone was the spec's)
            unroutable = True
        if self.own and 400 <= response.status_code < 500 and not problems:
            if self._only_errors_declared(op, response.status_code):
                fail(
                    "no_success_response",
                    "spec",
                    f"{response.status_code}: {NO_SUCCESS}",
                    http=http,
                )
            elif op.path in self._twins and not self.ours:
                fail(
                    "path_twins",
                    "spec",
                    f"{response.status_code}: {TWIN_TEMPLATES}",
                    http=http,
                )
                spec_request = unroutable = True  # (not filed again as the server's)
            elif not split_key(op.path).plain and not self.ours:
                # a key holding `?` or `#` (iot's `/principal-policies/{policyName}#x-amzn-...`)
                # routes nowhere on a server that reads keys as OpenAPI says (Prism's 404)
                fail("path_key", "spec", f"{response.status_code}: {KEY_BEYOND_PATH}", http=http)
                spec_request = unroutable = True
            elif (outside := self._drawn_outside_schema(op, case, request)) is not None:
                # schemathesis drew a text its own schema refuses (a pattern it reads otherwise,
                # `{[0-9a-f]{4}...}`): the sandbox was right to refuse it
                fail("drawn_invalid", "spec", f"{DRAWN_INVALID}: {outside}", http=http)
                spec_request = True
            else:
                fail(
                    "sandbox_rejected",
                    "sandbox",
                    f"{response.status_code} for a valid request: {_rejection(response)}",
                    http=http,
                )
        try:
            response.elapsed  # noqa: B018  (httpx sets it when the client closes the response)
        except RuntimeError:
            response.elapsed = datetime.timedelta(0)
        st_case = case.st_case or self.source.make_case(op.method, op.path, case)
        st_problems = schemathesis_checks(st_case, response) if st_case is not None else []
        if redirect is not None and st_case is not None:
            # a 3xx the operation documents is its status: the target's (Discourse's 301 to a
            # topic's JSON, Twilio's 307 to storage, our sandbox's empty 200) is no status the
            # operation can document (a sweep: every 3xx-only operation failed, filed as the
            # sandbox's). An undocumented redirect is the transport's: the target's status is
            # judged. The target's body is judged either way, and the client's parse of it.
            try:
                redirect.elapsed  # noqa: B018
            except RuntimeError:
                redirect.elapsed = datetime.timedelta(0)
            documented = not any(
                p.check == "status_code_conformance" for p in schemathesis_checks(st_case, redirect)
            )
            if documented:
                st_problems = [p for p in st_problems if p.check != "status_code_conformance"]
        bodiless = response.status_code in _BODILESS and not response.content
        nonconforming = False  # the body breaks the spec (other than by NULL_BESIDE_MEMBERS)
        streamed = stream_body(self.view, op.path, op.method, response)
        for p in st_problems:
            if streamed is not None and (
                p.check == "response_schema_conformance" or "JSON deserialization" in p.message
            ):
                continue  # a stream is checked record by record below, not as one document
            # A refusal of a request the spec made invalid (above) that the operation does not
            # document (no 4xx declared) follows from the same spec fault.
            # Of a request that routed nowhere, the answer's media type and body too: no
            # operation's (weatherbit's `?` keys: Prism's 404 `application/problem+json`)
            follows = unroutable or (spec_request and p.check == "status_code_conformance")
            if bodiless and _about_the_body(p.check, p.message):
                fail(p.check, "spec", f"{NO_BODY_ALLOWED}: {p.message}", http=http)
                continue
            if p.check == "status_code_conformance" and self._no_responses(op):
                fail(p.check, "spec", f"{NO_RESPONSES}: {p.message}", http=http)
                continue
            if p.check == "schemathesis" and p.message.startswith("InvalidSchema:"):
                header = p.message.startswith(INVALID_HEADER_SCHEMA)
                misread = None if header else self._misread_schema(op, response)
                if misread is None:
                    fail(p.check, "spec", f"{INVALID_RESPONSE_SCHEMA}: {p.message}", http=http)
                    # no valid schema judges the body: a client refusing it is no client fault
                    nonconforming = nonconforming or not header
                elif misread:  # the body breaks the valid schema schemathesis could not read
                    nonconforming = True
                    fail("response_schema_conformance", responder, misread, http=http)
                continue
            admits_none = response.headers.get(SPEC_PROBLEM_HEADER) if self.own else None
            if (
                admits_none
                and admits_none.startswith(TWIN_KEYS)
                and _about_the_body(p.check, p.message)
            ):
                fail(p.check, "spec", f"{admits_none}: {p.message}", http=http)
                nonconforming = True  # the body is another key's: the client may refuse it
                continue
            if admits_none and p.check == "response_schema_conformance":
                # the sandbox said why no body is valid (an overlapping oneOf, a schema that
                # requires itself without end): the drawn body cannot conform
                fail(p.check, "spec", f"{NO_VALID_BODY}: {admits_none}: {p.message}", http=http)
                nonconforming = True  # so the client may refuse it
                continue
            unnamed = self._unnamed_discriminator(op, response, p)
            if unnamed:
                fail(
                    p.check, "spec", f"{UNNAMED_DISCRIMINATOR} ({unnamed}): {p.message}", http=http
                )
                continue
            if p.check == "response_schema_conformance" and self._own_example(op, response):
                fail(p.check, "spec", f"{OWN_EXAMPLE}: {p.message}", http=http)
                nonconforming = True  # so the client may refuse it
                continue
            if (
                p.check == "response_schema_conformance"
                and not _UNKNOWN_DISCRIMINATOR.match(p.message)  # (another problem than null)
                and self._null_reading_only(op, response)
            ):
                fail(p.check, "spec", f"{NULL_BESIDE_MEMBERS}: {p.message}", http=http)
                continue
            # a body of an undocumented media type, or not JSON, conforms to no schema either
            nonconforming = nonconforming or _about_the_body(p.check, p.message)
            refused = p.check == "status_code_conformance" and 400 <= response.status_code < 500
            if client_request and refused:
                # the refusal of a request the client got wrong (its failure, filed above): it
                # was filed as the sandbox's too, which had been right to refuse it
                continue
            klass: Klass = "spec" if follows and 400 <= response.status_code < 500 else responder
            fail(p.check, klass, p.message, http=http)
        if streamed is not None:
            for problem in streamed.problems(self.view)[:3]:
                nonconforming = True
                fail("response_schema_conformance", responder, problem, http=http)
            if not nonconforming and error is None and yielded != streamed.expected:
                fail(
                    "stream_records",
                    "client",
                    f"the stream yielded {yielded} records of the {streamed.expected} its "
                    f"{streamed.media} body holds",
                    http=http,
                )
        strict = strict_parse(constant, response)
        if (
            strict is not None
            and not nonconforming
            and self._untyped_response(op, response, strict)
        ):
            # JSON Schema admits any value where `items`/`properties` stand without a `type`;
            # the generated type reads them as the list or object they mean (decisions §39)
            fail(strict.check, "spec", f"{UNTYPED_RESPONSE}: {strict.message}", http=http)
        elif strict is not None and not nonconforming:
            # schemathesis reads no mapped discriminator: a body whose tag names one member and
            # whose fields are another's (Prism `-d`) passed it, and the client refusing it was
            # filed as the client's; the OpenAPI validator, which reads the tag, judges again
            read = self._schema_and_body(op, response)
            judged = (
                [e for e in self.view.errors(*read) if not e.startswith(UNUSABLE)] if read else []
            )
            if judged:
                fail(
                    "response_schema_conformance",
                    responder,
                    f"{judged[0]} (the OpenAPI validator, reading the discriminator; "
                    f"schemathesis let it pass): {strict.message}",
                    http=http,
                )
            else:
                fail(
                    strict.check,
                    "client",
                    strict.message + " though the body conforms to the spec",
                    http=http,
                )
        elif strict is None and fallbacks:
            fail(
                "strict_parse",
                "client",
                f"the runtime fell back to an unvalidated result: {fallbacks[0][:300]}",
                http=http,
            )

    def _unmapped_parameters(self, op: ManifestOperation, constant: Operation[Any]) -> list[str]:
        """The spec's path, query, header and cookie parameters the method has no argument for
        (by wire name; a header's in any case). The case mapping reads values by the client's
        own wire names, so a misspelt one would otherwise only leave its drawn value unsent,
        unnoticed. The ones no method takes by design are left out: headers OpenAPI ignores
        or the transport writes (`spec.parameters` skips them), the idempotency-key header the
        `idempotency_key=` option sends, and a path parameter whose placeholder the path lacks
        (reported by the build)."""
        have = {
            (p.location, p.wire_name.lower() if p.location == "header" else p.wire_name)
            for p in constant.params
        }
        holes = set(placeholders(op.path))
        keyed = (constant.idempotency_header or "").lower()
        signed = self._aws_signed(op)
        out: list[str] = []
        for p in self.view.parameters(op.path, op.method.lower()):
            if p.location not in ("path", "query", "header", "cookie"):
                continue
            if (p.location == "path" and p.name not in holes) or (
                p.location == "header"
                and (p.name.lower() == keyed or (signed and p.name.lower() in AWS_SIGNATURE))
            ):
                continue
            if (p.location, p.name.lower() if p.location == "header" else p.name) not in have:
                out.append(
                    f"the spec's {p.location} parameter {p.name!r} has no argument (no "
                    f"`Param` of wire name {p.name!r}): the method cannot send it"
                )
        return out

    def _aws_signed(self, op: ManifestOperation) -> bool:
        """Whether the operation may be signed with AWS Signature Version 4 (its security, or
        the document's, names such a scheme): the signer writes the `X-Amz-*` headers."""
        security = self.view.operation(op.path, op.method.lower()).get("security")
        if not isinstance(security, list):
            security = self.document.get("security")
        components = self.document.get("components")
        schemes = components.get("securitySchemes") if isinstance(components, Mapping) else None
        if not isinstance(schemes, Mapping):
            return False
        return any(
            aws_signed(self.view.deref(schemes.get(name)))
            for requirement in (security if isinstance(security, list) else [])
            if isinstance(requirement, Mapping)
            for name in requirement
        )

    def _unmapped_fields(
        self, op: ManifestOperation, constant: Operation[Any], call: Call
    ) -> list[str]:
        """Drawn body properties the request schema declares (and may be sent: not readOnly)
        that went to `extra_body` because no argument of a flattened body carries them: the
        argument for each is missing or sends another name."""
        if not call.dropped or constant.body is None:
            return []
        if not any(p.location == "field" for p in constant.params):
            return []
        content = (self.view.request_body(op.path, op.method) or {}).get("content")
        media = self.view.deref(
            content.get(constant.body.media_type) if isinstance(content, Mapping) else None
        )
        schema = media.get("schema") if isinstance(media, Mapping) else None
        declared = self._declared_properties(schema, set())
        return [k for k in call.dropped if k in declared]

    def _declared_properties(self, schema: Any, seen: set[int]) -> set[str]:
        """The property names an object schema declares, through `allOf` (a branch of
        `oneOf`/`anyOf` may not apply), readOnly ones (beside a `$ref`, on its target or on an
        `allOf` member: never sent) left out."""
        node = self.view.deref(schema)
        if not isinstance(node, Mapping) or id(node) in seen:
            return set()
        seen.add(id(node))
        props = node.get("properties")
        names = {
            str(k)
            for k, v in (props.items() if isinstance(props, Mapping) else ())
            if not self.view.flagged(v, "readOnly")  # (the generator's rule: schema_rules)
        }
        members = node.get("allOf")
        for part in members if isinstance(members, list) else ():
            names |= self._declared_properties(part, seen)
        return names

    def _shadowing_path(self, template: str, case: CaseInput) -> str | None:
        """Another path the spec declares without templating that `template` filled with the
        case's path values spells (rubrik's `/exclusion_pattern/{id}` with `id='bulk'` is its
        `/exclusion_pattern/bulk`): a server routes it there (concrete paths win), so what
        comes back is no answer of this operation."""
        literal = self._literal
        if not literal or not case.path:
            return None
        filled = template
        for name, value in case.path.items():
            filled = filled.replace("{" + str(name) + "}", str(value))
        return filled if filled != template and filled in literal else None

    def _object_body(self, op: ManifestOperation, case: CaseInput) -> CaseInput:
        """`case` with a plain object body its schema admits (`simple_value`), for the edge
        cases when every drawn body was null or a scalar (untyped `properties`); `case` as it
        is when there is none to make."""
        body = self.view.request_body(op.path, op.method) or {}
        content = body.get("content") if isinstance(body, Mapping) else None
        media = self.view.deref((content or {}).get(case.media_type or "", {}))
        schema = self.view.deref(media.get("schema", {})) if isinstance(media, Mapping) else {}
        made = simple_value(self.view, schema)
        if not isinstance(made, dict) or (
            isinstance(schema, Mapping) and self.view.errors(schema, made)
        ):
            return case  # (a body the schema refuses was filed as the client's refusal)
        return replace(case, body=made)

    def _unfit_base(self, op: ManifestOperation, constant: Operation[Any], case: CaseInput) -> bool:
        """A drawn body that is not an object where the schema is an untyped object (its
        `properties` without `type: object`): flattened into arguments, or the one model
        argument (GitHub's custom-pattern update: a null body refused by the method's type,
        and the 13 edge cases built on it filed before sending)."""
        return self._untyped_fields(op, constant, case) or (
            case.body is not MISSING
            and not isinstance(case.body, Mapping)
            and constant.body is not None
            and self._untyped(op, case)
        )

    def _untyped_fields(
        self, op: ManifestOperation, constant: Operation[Any], case: CaseInput
    ) -> bool:
        """A drawn body that is not an object, for a body flattened into arguments: its schema
        admits any JSON value (`properties`, or `allOf`, without `type: object`)."""
        if case.body is MISSING or isinstance(case.body, Mapping):
            return False
        if not any(p.location == "field" for p in constant.params):
            return False
        return self._untyped(op, case)

    def _form_not_object(
        self, op: ManifestOperation, constant: Operation[Any], error: TypeError
    ) -> bool:
        """The runtime refused a form or multipart body that is not an object because the
        spec's schema for it is none (Codat: `multipart/form-data: {type: string, binary}`)."""
        if constant.body is None or "body must be an object" not in str(error):
            return False
        body = self.view.request_body(op.path, op.method) or {}
        media = self.view.deref((body.get("content") or {}).get(constant.body.media_type, {}))
        schema = self.view.deref(media.get("schema", {})) if isinstance(media, Mapping) else {}
        kind = schema.get("type") if isinstance(schema, Mapping) else None
        return kind is not None and kind != "object"

    def _foreign_body(
        self, op: ManifestOperation, constant: Operation[Any], case: CaseInput
    ) -> bool:
        """A whole body in a media type that is neither JSON nor a form (`text/plain`, XML,
        YAML...) drawn as an object, an array or null: the method takes that body encoded (text
        or bytes), and the spec defines no text of such data (the client sent its JSON, which
        Prism refuses as text). A number or a boolean has its text; a string is the text."""
        body = constant.body
        if body is None or not any(p.location == "body" for p in constant.params):
            return False
        media = body.media_type.split(";")[0].strip().lower()
        if is_json_media(media) or "*" in media or media.startswith("multipart/"):
            return False
        if media in ("application/x-www-form-urlencoded", "application/octet-stream"):
            return False  # (octets: the client sends what it is given; a drawn value's JSON)
        if not (case.body is None or isinstance(case.body, Mapping | list)):
            return False
        # only a schema that asks for data: `schema: {}` admits text too, and the case still
        # exercises the operation's parameters (the regression sweep: vercel's uploads lost
        # every call)
        request = self.view.request_body(op.path, op.method) or {}
        content = request.get("content") if isinstance(request, Mapping) else None
        entry = self.view.deref((content or {}).get(body.media_type, {})) if content else {}
        schema = self.view.deref(entry.get("schema")) if isinstance(entry, Mapping) else None
        if not isinstance(schema, Mapping):
            return False
        return schema.get("type") in ("object", "array") or any(
            k in schema for k in ("properties", "items", "allOf", "additionalProperties")
        )

    def _required_read_only(self, op: ManifestOperation, constant: Operation[Any]) -> str:
        """A property the request body's schema (or one it holds) both requires and makes
        readOnly, as `Schema/name` ('' when none): properties and `required` read across
        `allOf`, nested objects, items and `oneOf`/`anyOf` members followed (bounded)."""
        body = self.view.request_body(op.path, op.method) or {}
        content = body.get("content") if isinstance(body, Mapping) else None
        media = constant.body.media_type if constant.body is not None else ""
        entry = self.view.deref((content or {}).get(media, {})) if content else {}
        stack: list[tuple[Any, str, int]] = [
            (entry.get("schema") if isinstance(entry, Mapping) else None, "body", 0)
        ]
        seen: set[int] = set()
        while stack:
            raw, where, depth = stack.pop()
            ref = raw.get("$ref") if isinstance(raw, Mapping) else None
            schema = self.view.deref(raw)
            if not isinstance(schema, Mapping) or id(schema) in seen or depth > 12:
                continue
            seen.add(id(schema))
            where = str(ref).rpartition("/")[2] if isinstance(ref, str) else where
            # `allOf` members of `allOf` members too (PagerDuty's `ServiceReference` is
            # `allOf[Reference, ...]`, `Reference` an `allOf` holding the readOnly `id`)
            parts: list[Any] = [schema]
            for part in parts:  # (grows as it goes; bounded)
                if isinstance(part, Mapping) and len(parts) < 64:
                    parts += [self.view.deref(m) for m in part.get("allOf") or []]
            props: dict[str, Any] = {}
            required: set[str] = set()
            for part in parts:
                if isinstance(part, Mapping):
                    props.update(part.get("properties") or {})
                    required.update(
                        str(n) for n in part.get("required") or [] if isinstance(n, str)
                    )
            for name in sorted(required & set(props)):
                if (self.view.deref(props[name]) or {}).get("readOnly") is True:
                    return f"{where}/{name}"
            for part in parts:
                if isinstance(part, Mapping):
                    nested = [*(part.get("properties") or {}).values(), part.get("items")]
                    nested += [*(part.get("oneOf") or []), *(part.get("anyOf") or [])]
                    stack += [(n, where, depth + 1) for n in nested if isinstance(n, Mapping)]
        return ""

    def _null_fields(
        self, op: ManifestOperation, constant: Operation[Any], case: CaseInput
    ) -> bool:
        """A drawn null for a `nullable: true` object body flattened into arguments (Stream's
        `CreateBlockListRequest`): no call spells it, required properties are required."""
        if case.body is not None or not any(p.location == "field" for p in constant.params):
            return False
        body = self.view.request_body(op.path, op.method) or {}
        media = self.view.deref((body.get("content") or {}).get(case.media_type or "", {}))
        schema = self.view.deref(media.get("schema", {})) if isinstance(media, Mapping) else {}
        return isinstance(schema, Mapping) and schema.get("nullable") is True

    def _untyped(self, op: ManifestOperation, case: CaseInput) -> bool:
        body = self.view.request_body(op.path, op.method) or {}
        media = self.view.deref((body.get("content") or {}).get(case.media_type or "", {}))
        schema = self.view.deref(media.get("schema", {})) if isinstance(media, Mapping) else {}
        return (
            isinstance(schema, Mapping)
            and "type" not in schema
            and ("properties" in schema or "allOf" in schema)
        )

    def _empty_but_typed(
        self, op: ManifestOperation, constant: Operation[Any], exc: MappingError
    ) -> bool:
        """`name=` drawn for an `allowEmptyValue` parameter whose type has no empty value (a
        boolean, a number, a string schema refusing "")."""
        param = next((p for p in constant.params if p.py_name == exc.name), None)
        if param is None or exc.value != "" or param.location != "query":
            return False
        declared = next(
            (
                p
                for p in self.view.parameters(op.path, op.method)
                if p.location == "query" and p.name == param.wire_name
            ),
            None,
        )
        if declared is None or not declared.allow_empty:
            return False
        kind = declared.schema.get("type")
        if kind == "string":  # an enum without "" (Zoom's `option`), a minLength, a format
            return bool(self.view.errors(declared.schema, ""))
        return kind is not None

    def _untyped_body(
        self, op: ManifestOperation, constant: Operation[Any], exc: MappingError, case: CaseInput
    ) -> bool:
        param = next((p for p in constant.params if p.py_name == exc.name), None)
        if param is None or param.location != "body" or isinstance(exc.value, Mapping):
            return False
        return self._untyped(op, case)

    def _foreign_parameter(
        self, op: ManifestOperation, constant: Operation[Any], exc: MappingError
    ) -> bool:
        """A drawn value that is not text, for a parameter whose `content` is a media type
        other than JSON (XML, `application/json-seq`): the client takes the caller's encoded
        text there (the runtime encodes parameters as JSON or text only), the case drew data."""
        param = next((p for p in constant.params if p.py_name == exc.name), None)
        if param is None or param.location not in ("path", "query", "header", "cookie"):
            return False
        declared = next(
            (
                p
                for p in self.view.parameters(op.path, op.method)
                if p.location == param.location and p.name == param.wire_name
            ),
            None,
        )
        media = declared.content_type if declared is not None else None
        return (
            bool(media)
            and not is_json_media(media or "")
            and not exc.loc
            and not isinstance(exc.value, str)
        )

    def _untyped_field(
        self, op: ManifestOperation, constant: Operation[Any], exc: MappingError, case: CaseInput
    ) -> bool:
        """A parameter or a body property, or a property or item inside it or inside the whole
        body (where the argument's type refused the value), with `items`, `properties` or
        `additionalProperties` but no `type`: JSON Schema admits any value there (null
        included), the generated type (rightly) wants a list or object (Anchore's
        `ImportSource.target: {additionalProperties: true}`)."""
        param = next((p for p in constant.params if p.py_name == exc.name), None)
        if param is None:
            return False
        node: Mapping[str, Any] | None
        if param.location in ("path", "query", "header", "cookie"):
            # a parameter's schema (or its `content` media type's): dcg's `plmn-id`, a JSON
            # query parameter whose `Pet` has properties but no type
            declared = next(
                (
                    p
                    for p in self.view.parameters(op.path, op.method)
                    if p.location == param.location and p.name == param.wire_name
                ),
                None,
            )
            node = declared.schema if declared is not None else None
        elif param.location not in ("field", "body"):
            return False
        else:
            body = self.view.request_body(op.path, op.method) or {}
            media = self.view.deref((body.get("content") or {}).get(case.media_type or "", {}))
            schema = self.view.deref(media.get("schema", {})) if isinstance(media, Mapping) else {}
            if param.location == "body":  # the whole body: CORE's array of `SearchRequest`s
                node = schema if isinstance(schema, Mapping) else None
            else:
                node = self._step(schema, param.wire_name)
        for key in exc.loc:
            if node is None or self._untyped_container(node):
                break
            node = self._step(node, key)
        return node is not None and self._untyped_container(node)

    def _untyped_response(
        self, op: ManifestOperation, response: httpx.Response, strict: ResponseProblem
    ) -> bool:
        """Whether every place a conforming body broke the declared type is (inside) an array
        or object schema without `type` (apacta's `{maxItems: 1, properties: ...}` items, which
        `[]` meets)."""
        schema = self.view.response_schema(
            op.path, op.method, response.status_code, response.headers.get("content-type", "")
        )
        if not isinstance(schema, Mapping) or not strict.locations:
            return False
        for loc in strict.locations:
            node: Mapping[str, Any] | None = self.view.deref(schema)
            for key in loc:
                if node is None or self._untyped_container(node):
                    break
                node = self._step(node, key)
            if node is None or not self._untyped_container(node):
                return False
        return True

    def _untyped_container(self, schema: Mapping[str, Any], depth: int = 0) -> bool:
        """Keywords of an array or object without `type` (or such an `anyOf`/`oneOf` member,
        the union's `source` of tests/fixtures/contract-edges-31.yaml; or an `allOf` none of
        whose members has a `type`, Zoom's `allOf: [{properties}, {properties}]`): JSON Schema
        admits any value there, `null` too."""
        if "type" in schema or depth > 8:
            return False
        if any(k in schema for k in ("items", "properties", "additionalProperties")):
            return True
        members = [*(schema.get("anyOf") or ()), *(schema.get("oneOf") or ())]
        if any(
            isinstance(m := self.view.deref(member), Mapping)
            and self._untyped_container(m, depth + 1)
            for member in members
        ):
            return True
        parts = [self.view.deref(member) for member in schema.get("allOf") or ()]
        return (
            bool(parts)
            and all(isinstance(m, Mapping) and "type" not in m for m in parts)
            and any(self._untyped_container(m, depth + 1) for m in parts if isinstance(m, Mapping))
        )

    def _step(self, schema: Any, key: str | int, depth: int = 0) -> Mapping[str, Any] | None:
        """The schema of `key` (a property, or an item for an int) inside `schema`, or inside
        one of its `allOf` members (Zoom's bodies are `allOf: [{properties}]`)."""
        schema = self.view.deref(schema)
        if not isinstance(schema, Mapping) or depth > 8:
            return None
        if isinstance(key, int):
            found = schema.get("items")
        else:
            props = schema.get("properties")
            found = props.get(key) if isinstance(props, Mapping) else None
            if found is None:
                found = schema.get("additionalProperties")
        found = self.view.deref(found)
        if isinstance(found, Mapping):
            return found
        for member in schema.get("allOf") or ():
            if (inner := self._step(member, key, depth + 1)) is not None:
                return inner
        return None

    def _server(
        self,
        result: OperationResult,
        op: ManifestOperation,
        constant: Operation[Any],
        case: CaseInput,
    ) -> None:
        """Without a base URL of the caller's, the request goes to the operation's server (or
        its path's, or the spec's): checked offline, through a transport that answers itself."""
        expected = self.view.server(op.path, op.method)
        if expected is None or os.environ.get(f"{self.client.env_prefix()}_BASE_URL"):
            return
        seen: list[httpx.Request] = []

        def answer(request: httpx.Request) -> httpx.Response:
            # an OAuth2 client-credentials token comes first (Paylocity): not the operation's
            if (token := self.recorder.token_reply(request, offline=True)) is not None:
                return token
            seen.append(request)
            return httpx.Response(599)

        sync_cls, _ = self.client.client_classes()
        client = sync_cls(
            max_retries=0,
            http_client=httpx.Client(transport=httpx.MockTransport(answer)),
            **self.client.make_credentials(dummy=True),
        )
        try:
            call = to_call(case, constant, resolve_call(client, op.call))
            with contextlib.suppress(Exception), fallback_warnings(self.client.runtime.__name__):
                resolve_call(client, op.call)(**call.kwargs)
        except MappingError:
            return
        finally:
            client.close()
        if not seen:
            return
        url = str(seen[0].url)
        # httpx drops a default port (`https://h:443/v2` is sent as `https://h/v2`)
        expected = str(httpx.URL(expected)).rstrip("/")
        if not url.startswith(expected + "/"):
            result.failures.append(
                Failure(
                    op.operation_id,
                    op.call,
                    "server",
                    "client",
                    f"sent to {url.split('?')[0]}, the spec's server for it is {expected}",
                    python=call.python(op.call),
                    http=_http(seen[0], self.secrets),
                )
            )

    def _null_reading_only(self, op: ManifestOperation, response: httpx.Response) -> bool:
        """The body is valid as apigen reads null beside composition keywords and invalid as
        JSON Schema alone reads them: the schema admits no value (see NULL_BESIDE_MEMBERS)."""
        read = self._schema_and_body(op, response)
        return read is not None and self.view.null_reading_only(*read)

    def _own_example(self, op: ManifestOperation, response: httpx.Response) -> bool:
        """Whether the JSON body is one of the examples the spec gives for this response (its
        Media Type Object's `example` or `examples`, or its schema's `example`)."""
        found = self.view.response_media(
            op.path, op.method, response.status_code, response.headers.get("content-type", "")
        )
        if found is None:
            return False
        media = found[1]
        given: list[Any] = []
        if "example" in media:
            given.append(media["example"])
        examples = self.view.deref(media.get("examples"))
        for example in examples.values() if isinstance(examples, Mapping) else ():
            example = self.view.deref(example)
            if isinstance(example, Mapping) and "value" in example:
                given.append(example["value"])
        schema = self.view.deref(media.get("schema"))
        if isinstance(schema, Mapping) and "example" in schema:
            given.append(schema["example"])
        if not given:
            return False
        try:
            body = json.loads(response.content)
        except ValueError:
            return False
        return any(_same_json(body, example) for example in given)

    def _unnamed_discriminator(
        self, op: ManifestOperation, response: httpx.Response, problem: ResponseProblem
    ) -> str | None:
        """For schemathesis' "Unknown discriminator value", where the response schema proves
        that no body can meet it (see UNNAMED_DISCRIMINATOR); None otherwise."""
        found = _UNKNOWN_DISCRIMINATOR.match(problem.message)
        if found is None:
            return None
        read = self._schema_and_body(op, response)
        if read is None:
            return None
        return self.view.unnamed_discriminator(*read, found["prop"], found["value"])

    def _misread_schema(self, op: ManifestOperation, response: httpx.Response) -> str | None:
        """For schemathesis' `InvalidSchema` on a response: None when the response's schema is
        indeed invalid (or the body is not JSON); otherwise the schema is valid and schemathesis
        misread it (its converter turns a 3.1 `prefixItems` into draft 4's `items: [...]`, then
        meta-validates the result as 2020-12), so the body is checked here: "" when it conforms,
        else the problem."""
        read = self._schema_and_body(op, response)
        if read is None or not self.view.valid_schema(read[0]):
            return None
        errors = self.view.errors(*read)
        if any(e.startswith(UNUSABLE) for e in errors):
            return None
        return (
            f"Response violates schema (checked by jsonschema: {SCHEMA_MISREAD}): {errors[0]}"
            if errors
            else ""
        )

    def _schema_and_body(
        self, op: ManifestOperation, response: httpx.Response
    ) -> tuple[Any, Any] | None:
        """The response's declared schema and its parsed JSON body; None without either."""
        schema = self.view.response_schema(
            op.path, op.method, response.status_code, response.headers.get("content-type", "")
        )
        if schema is None:
            return None
        try:
            return schema, json.loads(response.content)
        except ValueError:
            return None

    def _no_responses(self, op: ManifestOperation) -> bool:
        """Whether the operation documents no final response: none at all (OpenAPI 3.1 makes
        `responses` optional), only 1xx (interim, never the answer), or only under keys that
        name no status (opc's `bad-status-code`: `"abcdef"`); so whatever status answers it is
        undocumented."""
        responses = self.view.deref(self.view.operation(op.path, op.method).get("responses"))
        # the sandbox's answer (`default_status`) is never a 1xx or a key that names no status
        return not isinstance(responses, Mapping) or default_status(responses) is None

    def _drawn_outside_schema(
        self, op: ManifestOperation, case: CaseInput, request: httpx.Request
    ) -> str | None:
        """The first text parameter of `case` its string schema refuses (as `name=value: why`),
        else None. A declared `Content-Length` header is checked against the body sent: the
        method takes no argument for it (the length is the body's), so a drawn body longer than
        its `maximum` breaks the spec's own bound (here.com's tracking shadows)."""
        containers = {
            "path": case.path,
            "query": case.query,
            "header": case.headers,
            "cookie": case.cookies,
        }
        length = self._declared_length(op)
        sent = request.headers.get("content-length")
        if length is not None and sent is not None and sent.isascii() and sent.isdigit():
            errors = self.view.errors(length, int(sent))
            if errors and not errors[0].startswith(UNUSABLE):
                why = errors[0].partition(": ")[2]
                return f"header content-length={sent} (the body sent): {why}"
        for p in self.view.parameters(op.path, op.method.lower()):
            value = containers.get(p.location, {}).get(p.name)
            if not isinstance(value, str) or p.content_type or p.schema.get("type") != "string":
                continue
            errors = self.view.errors(p.schema, value)
            if errors and not errors[0].startswith(UNUSABLE):
                return f"{p.location} {p.name}={value!r}: {errors[0].partition(': ')[2]}"
        return None

    def _declared_length(self, op: ManifestOperation) -> Mapping[str, Any] | None:
        """The schema of a `Content-Length` header parameter the operation (or its path)
        declares, else None (`SpecView.parameters` leaves such transport headers out)."""
        item = self.view.deref(self.view.document.get("paths", {}).get(op.path, {}))
        raw = [
            *(item.get("parameters", []) if isinstance(item, Mapping) else []),
            *self.view.operation(op.path, op.method.lower()).get("parameters", []),
        ]
        for declared in reversed(raw):  # the operation's wins
            p = self.view.deref(declared)
            if (
                isinstance(p, Mapping)
                and p.get("in") == "header"
                and str(p.get("name", "")).lower() == "content-length"
            ):
                schema = self.view.deref(p.get("schema", {}))
                numeric = isinstance(schema, Mapping) and schema.get("type") in (
                    "integer",
                    "number",
                )
                return schema if numeric else None  # (a string-typed one: no bound to read)
        return None

    def _only_errors_declared(self, op: ManifestOperation, status: int) -> bool:
        """Whether `status` is the sandbox's answer to a valid request because the operation
        declares no 2xx, `2XX` or `default` response (the lowest declared code is all there is)."""
        responses = self.view.deref(self.view.operation(op.path, op.method).get("responses", {}))
        if not isinstance(responses, Mapping) or not responses:
            return False
        return default_status(responses) == status and not 200 <= status < 300

    def _intended(
        self, constant: Operation[Any], call: Call, case: CaseInput
    ) -> tuple[dict[tuple[str, str], Any], Any, bool]:
        intended: dict[tuple[str, str], Any] = {}
        fields: dict[str, Any] = {}
        whole: Any = MISSING
        jsonable = importlib.import_module(f"{self.client.runtime.__name__}._params").jsonable
        for p in constant.params:
            if p.py_name not in call.kwargs:
                continue
            value = jsonable(call.kwargs[p.py_name])
            if p.location == "field":
                fields[p.wire_name] = value
            elif p.location == "body":
                whole = value
            else:
                intended[(p.location, p.wire_name)] = value
        extra = call.kwargs.get("extra_body")
        if isinstance(extra, Mapping):
            fields.update({k: jsonable(v) for k, v in extra.items()})
        if "json" in (case.media_type or ""):  # the runtime sends UTF-8 bytes as JSON text
            fields = _utf8_text(fields)
            whole = _utf8_text(whole)
        if whole is not MISSING:
            body = {**whole, **fields} if fields and isinstance(whole, Mapping) else whole
            return intended, body, True
        if fields:
            return intended, fields, True
        required = constant.body is not None and constant.body.required
        return intended, {}, required


def _utf8_text(value: Any) -> Any:
    """`value` with UTF-8 bytes as the text a JSON body carries them as (the runtime's rule)."""
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value
    if isinstance(value, dict):
        return {k: _utf8_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_utf8_text(v) for v in value]
    return value


def _token_urls(document: Mapping[str, Any]) -> frozenset[str]:
    """Every OAuth2 `tokenUrl` and `refreshUrl` of the spec's security schemes; one on the API's
    own origin also as its path, where the client sends it against another `base_url`
    (`ir.security.on_the_server`)."""
    from ..ir.security import on_the_server
    from ..ir.servers import root_index

    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    servers = document.get("servers")
    first = servers[root_index(document)] if isinstance(servers, list) and servers else None
    server = str(first.get("url", "")) if isinstance(first, Mapping) else ""
    found: set[str] = set()
    for scheme in schemes.values() if isinstance(schemes, Mapping) else ():
        flows = scheme.get("flows") if isinstance(scheme, Mapping) else None
        for flow in flows.values() if isinstance(flows, Mapping) else ():
            for key in ("tokenUrl", "refreshUrl"):
                url = flow.get(key) if isinstance(flow, Mapping) else None
                if isinstance(url, str) and url:
                    found.add(str(httpx.URL(url).copy_with(query=None)))
                    path = on_the_server(url, server)
                    if path is not None:
                        found.add(path.partition("?")[0])
    return frozenset(found)


def _is_token_operation(method: str, path: str, token_urls: frozenset[str]) -> bool:
    """Whether the operation `method path` is one of the spec's OAuth2 token endpoints (an API
    documenting its own `/oauth/token`): its calls must reach the server like any other's."""
    if method.lower() != "post" or "{" in path:
        return False
    wire = split_key(path).wire.rstrip("/")
    return bool(wire) and any(httpx.URL(url).path.rstrip("/").endswith(wire) for url in token_urls)


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


async def _await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def _drain(value: Any) -> int | None:
    """Read a stream to its end, each record parsed as it comes, and count them (a streamed
    response is only closed); None for any other result."""
    kind = type(value).__name__
    if kind == "Stream":
        return sum(1 for _ in value)
    if kind == "StreamedResponse":
        value.close()
    return None


async def _adrain(value: Any) -> int | None:
    """`_drain` for the async client's results."""
    kind = type(value).__name__
    if kind == "AsyncStream":
        return sum([1 async for _ in value])
    if kind == "AsyncStreamedResponse":
        await value.close()
    return None


# OpenAPI 3.0 validators refuse null for `nullable: true` inside a `oneOf`/`anyOf` branch without
# a `type` (the keyword only widens `type`); schemathesis and pydantic accept it: a spec
# ambiguity, not a client bug. (Beside the combiner, our validators admit it: decisions §31.)
NULL_BESIDE_ONEOF = "None is not valid under any of the given schemas"


# OpenAPI 3.1 `{type: "null", oneOf: [members that are not null]}` (Vercel) or `allOf: [$ref,
# {type: "null"}]` (Codat): JSON Schema admits no value there (null fails the members, anything
# else the null type). apigen reads "or null" (schema_rules); a body valid that way is the spec's.
def _empty_query(case: CaseInput) -> bool:
    """Whether a query value of `case` is the empty string (alone or in a list)."""
    for value in case.query.values():
        values = value if isinstance(value, list) else [value]
        if any(v == "" for v in values):
            return True
    return False


def _same_json(a: Any, b: Any) -> bool:
    """`a == b` as JSON values: `true` is no `1` (Python's `True == 1` made a server's own body
    read as the spec's example)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_json(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


NULL_BESIDE_MEMBERS = (
    "the spec's schema sets a null type beside oneOf/anyOf/allOf members that admit no null, "
    "so no value is valid for it; the body is valid read as 'or null'"
)
# An operation declaring only error responses (Swagger 2.0 petstore's `405: Invalid input`):
# the sandbox can only answer one of them, so a valid request meets a 4xx the spec documents.
NO_SUCCESS = (
    "the operation declares no 2xx or default response, so its documented answer is an error"
)

# Our sandbox says (in a header) where a response schema admits no valid value: a `oneOf` whose
# every variant accepts all the values of another (IX-API's `ProductOffering`: three identical
# variants told apart only by a discriminator, which JSON Schema validation ignores).
NO_VALID_BODY = "a schema in the spec's response admits no valid value"
# A body that is the spec's own example of the response, which breaks its own schema: a mock
# (Prism) answers with it, here.com's error `id` that is no uuid, amadeus' `source` with two
# keys under `maxProperties: 1` (a sweep filed them as the mock's)
OWN_EXAMPLE = "the body is the spec's own example of this response, which breaks its schema"

# A `discriminator` without `mapping` (OpenAI's `{propertyName: type}` over `$ref`s to
# `CodeInterpreterToolCall`...): by OpenAPI its values are the variants' schema names, while each
# variant fixes that property to other values (`type: {enum: [code_interpreter_call]}`), so no
# body is valid for both; schemathesis reports the (valid) body's value as unknown.
UNNAMED_DISCRIMINATOR = (
    "the spec's discriminator has no mapping, so its values are the variants' schema names, "
    "which no variant's own value of the property admits"
)
_UNKNOWN_DISCRIMINATOR = re.compile(
    r"Unknown discriminator value: Response contains discriminator property "
    r"(?P<q1>[\x27\x22])(?P<prop>.*?)(?P=q1) with value (?P<q2>[\x27\x22])(?P<value>.*?)(?P=q2),"
)

# OpenAPI 3.1 makes an operation's `responses` optional: with none documented, every answer
# (the sandbox's 204, a real server's 200) fails schemathesis' status code check.
# A 1xx is interim (RFC 9110 section 15.2): one documenting only those has no answer either.
NO_RESPONSES = (
    "the operation documents no final response (none, only 1xx, or none under a status code, "
    "`NXX` or `default`), so any status is undocumented"
)


def _nothing_to_call(document: Mapping[str, Any]) -> str:
    """Why a client has no operation to call: a webhooks-only 3.1 spec says so plainly."""
    if document.get("webhooks") and not document.get("paths"):
        return (
            "the spec has no paths, only webhooks (requests the API sends, not calls a client "
            "makes): there is no operation to run"
        )
    return "the spec has no operation the client can call (no paths)"


# `format: binary` in a JSON body: schemathesis draws raw bytes, which JSON cannot carry (the
# runtime refuses octets that are not UTF-8 text before sending, with this message).
BINARY_IN_JSON = "bytes in a JSON body must be UTF-8 text"
BINARY_IN_JSON_SPEC = (
    "the spec declares `format: binary` inside a JSON body, which carries text, not octets"
)

# A multipart field holding objects whose part the spec declares as XML, YAML...: the client
# takes the encoded part (str or bytes; apigen serialises data only as JSON) and refuses the
# drawn data with this message (runtime `_body.FOREIGN_PART`).
FOREIGN_PART = "apigen encodes data only as JSON"
FOREIGN_PART_SPEC = (
    "the spec declares a multipart part holding data in a media type other than JSON; the "
    "client takes that part encoded, and the case drew it as data"
)

# A `content` parameter in a media type other than JSON (XML, `application/json-seq`): the
# client takes the caller's encoded text, as for such multipart parts, and the case drew data.
FOREIGN_PARAMETER = (
    "the spec declares a parameter holding data in a media type other than JSON; the client "
    "takes it encoded, and the case drew it as data"
)

# schemathesis (hypothesis' `from_regex`) reads a few patterns otherwise than JSON Schema does
# and then draws a value its schema refuses; the sandbox refuses it as any server would.
DRAWN_INVALID = "the case holds a value its own schema refuses (schemathesis drew it)"

# A header or cookie value with control (CR, LF, NUL...) or non-ASCII characters (Vercel's `x-vercel-digest`
# is any string): HTTP field values are ASCII in practice (RFC 9110 5.5: other octets are
# obsolete), and the runtime refuses them with a ValueError naming the header before sending.
UNSENDABLE_HEADER = (
    "the spec allows a header value HTTP clients cannot send (control characters or non-ASCII)"
)
_UNSENDABLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]|[^\x00-\x7f]")  # as the runtime's


def _unsendable_header(case: CaseInput) -> bool:
    """Whether a header or cookie value of `case` holds a character a header cannot carry."""

    def bad(value: object) -> bool:
        if isinstance(value, str):
            return _UNSENDABLE.search(value) is not None
        if isinstance(value, list | tuple):
            return any(bad(v) for v in value)
        if isinstance(value, Mapping):
            return any(bad(k) or bad(v) for k, v in value.items())
        return False

    return bad(case.headers) or bad(case.cookies)


# A `pipeDelimited`/`spaceDelimited` array whose item holds the separator (`["a|b"]`), or an
# exploded `label` one holding a `.`: the style has no escape for it (`a%7Cb%7Cc` reads as
# three items), and the runtime refuses it.
SEPARATOR_ITEM = "has an item holding its separator"  # (the runtime's message)
DELIMITED_ITEM = (
    "the spec allows a pipeDelimited, spaceDelimited or exploded label item holding the"
    " separator, which the style cannot spell"
)

# A path array or object with no item to spell (`{}`, `{"a": null}`, `[null]`) is an empty
# segment (`.` in `label` style), and `["."]` a dot segment: the request would reach another endpoint, and the client
# refuses it before sending. A schema admitting such a value (no `minProperties`/`minItems`)
# asks for what no URL carries.
EMPTY_PATH_VALUE = "the spec allows a path array or object that spells an empty or dot segment"


def _empty_path_container(case: CaseInput, error: str) -> bool:
    """Whether the client refused a path segment that an array or object of `case` spelled
    empty or as a dot segment: members all null, items joined (nulls dropped) as "", "." or
    ".." (`["."]`; a `label` value adds a leading `.`, so "" and "." are the cases there)."""
    if "changes the endpoint" not in error:
        return False
    for value in case.path.values():
        if isinstance(value, Mapping):
            if all(v is None for v in value.values()):
                return True
        elif isinstance(value, list):
            joined = ",".join(_text(v) for v in value if v is not None)
            if joined in ("", ".", ".."):
                return True
    return False


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


# A response schema that is no Schema Object (Codat's `definitions: {itemType: {type: {enum...}}}`
# where a schema belongs): schemathesis cannot check any response against it.
INVALID_RESPONSE_SCHEMA = "the spec's response schema is not a valid Schema Object"
UNTYPED_RESPONSE = (
    "an array or object schema without `type` admits this value; the client reads it as the"
    " list or object it means"
)
# schemathesis' InvalidSchema for a schema that is valid: it cannot read it, the body is checked
SCHEMA_MISREAD = "schemathesis cannot read this valid schema"

# A whole body in a media type other than JSON or a form (`text/plain`, XML, YAML) whose schema
# is an object or an array (or admits null): the client takes the encoded document, the spec
# defines no text of the data, and the case drew data.
FOREIGN_BODY = (
    "the spec declares a request body holding data in a media type other than JSON or a form; "
    "the client takes it encoded (text or bytes)"
)

# A whole request body of `nullable: true` (3.0) may be `null`; a method taking the object's
# properties as arguments has no spelling for it.
NULL_BODY = "the spec makes the whole request body nullable"

# A form or multipart body is an object of fields (encoding applies to its properties): a
# schema of another type (a binary string) names no field to send the value under.
FORM_NOT_OBJECT = "the spec's form or multipart body schema is not an object"

# `allowEmptyValue: true` lets `name=` be sent, but a boolean or number parameter has no empty
# value in its type: schemathesis draws "" for it, the typed argument (rightly) refuses it.
EMPTY_TYPED = "allowEmptyValue on a parameter whose type has no empty value"

# 204, 205 and 304 responses carry no content (RFC 9110 15.3.5, 15.3.6, 15.4.5): a spec that
# documents a body for one (Asana's `204: {content: application/json}`) cannot be met, by the
# sandbox or a real server; schemathesis then misses the body and its Content-Type.
_BODILESS = frozenset({204, 205, 304})
NO_BODY_ALLOWED = "the spec documents content for a status that cannot carry a body"


# A header parameter whose name is no HTTP token (opc's `header param`, with a space): no client
# can send it (httpx refuses it before connecting), and no server could read it.
ILLEGAL_HEADER_NAME = "the spec's header parameter name is not an HTTP field name (RFC 9110)"
SHADOWED_PATH = "a path value the spec's schema admits routes to another operation's path"

# OpenAPI: "Templated paths with the same hierarchy but different templated names MUST NOT
# exist" (`/v1/{jobName}` beside `/v1/{name}`); a server routes both to one of them.
TWIN_TEMPLATES = (
    "the spec declares another path that differs from this one only in its placeholders' "
    "names or in the query or fragment its key holds, which OpenAPI forbids: the server may "
    "have routed the request to the other"
)
KEY_BEYOND_PATH = (
    "the path key holds a query or a fragment (`?`, `#`), which OpenAPI's path templates do "
    "not: a server that routes by the spec's paths finds no operation for it"
)
_TEMPLATE = re.compile(r"\{[^{}/]*\}")


def _illegal_header(error: BaseException | None) -> str | None:
    """httpx's refusal of a header name, found along `error`'s causes, else None."""
    seen = 0
    while error is not None and seen < 8:
        if isinstance(error, httpx.LocalProtocolError) and "Illegal header name" in str(error):
            return str(error)
        error = error.__cause__ or error.__context__
        seen += 1
    return None


def _untoken_header(case: CaseInput, message: str) -> bool:
    """Whether the runtime refused, before sending, a header name of the case that is no
    token (its `ValueError` names it): the same spec fault as httpx's refusal, whichever
    check met it first."""
    return _refused_untoken(case.headers, message)


def _refused_untoken(names: Mapping[str, Any] | None, message: str) -> bool:
    """Whether `message` names one of `names` that is no HTTP token."""
    return any(
        isinstance(name, str) and not HTTP_TOKEN.fullmatch(name) and repr(name) in message
        for name in (names or {})
    )


ILLEGAL_COOKIE_NAME = "the spec's cookie parameter name is not a cookie name (RFC 6265)"
# the runtime's refusal of a `cookie`-style value no cookie can hold (`_params.AS_GIVEN`)
COOKIE_AS_GIVEN = "goes as given (OpenAPI 3.2's `cookie` style)"
UNESCAPED_COOKIE = (
    "the spec's schema admits a value its `cookie`-style parameter cannot carry: the style"
    " sends values as given (the caller escapes them; RFC 6265 allows no space, `;`, `,`, quote)"
)


def _untoken_cookie(case: CaseInput, message: str) -> bool:
    """Whether the runtime refused a cookie name of the case that is no token (`a;b` would
    be read as two cookies)."""
    return _refused_untoken(case.cookies, message)


def _about_the_body(check: str, message: str) -> bool:
    if check in ("response_schema_conformance", "content_type_conformance"):
        return True
    return "Content-Type" in message or "JSON deserialization" in message


def _sent_as_drawn(request: httpx.Request, case: CaseInput) -> bool:
    try:
        return bool(json.loads(request.content) == case.body)
    except ValueError:
        return False


def _is_response_validation(error: BaseException) -> bool:
    return type(error).__name__ == "APIResponseValidationError"


def _refused(case: CaseInput) -> str:
    return case.label.removeprefix("edge: ").removesuffix(" is refused")


def _failer(result: OperationResult, **defaults: str) -> Callable[..., None]:
    def fail(check: str, klass: Any, message: str, **extra: str) -> None:
        where = {**defaults, **extra}
        result.failures.append(
            Failure(
                result.operation_id,
                result.call,
                check,
                klass,
                message,
                variant=where.get("variant", ""),
                case=where.get("case", ""),
                python=where.get("python", ""),
                http=where.get("http", ""),
            )
        )

    return fail


# schemathesis's errors for what it cannot do with a valid spec (its class names: the classes
# live in modules that moved between its versions)
_TOOL_LIMITS: Final = frozenset({"SerializationNotPossible", "UnsupportedSchema"})


def schemathesis_requirement() -> str:
    """The schemathesis this apigen was built and tested with (its `contract` extra's pin)."""
    from importlib.metadata import PackageNotFoundError, requires

    try:
        wanted = requires("apigen") or []
    except PackageNotFoundError:  # run from a checkout that was never installed
        wanted = []
    for line in wanted:
        requirement = line.split(";", 1)[0].strip()
        if requirement.startswith("schemathesis") and "contract" in line:
            return requirement
    return "schemathesis"


def run_contract(config: ContractConfig) -> RunReport:
    """Run the contract checks; raises ContractError for bad arguments or inputs."""
    try:
        import schemathesis  # noqa: F401
    except ImportError:
        raise ContractError(
            f"contract testing needs schemathesis: pip install '{schemathesis_requirement()}'"
            " (what apigen's `contract` extra installs; `apigen` on the public index is"
            " another project)"
        ) from None
    if config.max_examples < 1:
        raise ContractError("--max-examples must be at least 1")
    unknown = set(config.variants) - set(VARIANTS)
    if unknown or not config.variants:
        raise ContractError(f"variants must be sync and/or async, not {sorted(unknown)}")
    if config.base_url is not None and not config.base_url.startswith(("http://", "https://")):
        raise ContractError(f"--base-url must be an http(s) URL, not {config.base_url!r}")
    return _Run(config).run()
