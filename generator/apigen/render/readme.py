"""The generated README and `api.md`: what a user reads first, with examples that run as written.

Every ```python block of the README runs, in order, in one namespace (a user's session: the first
block creates `client`), against the API or a sandbox of it (`<PREFIX>_BASE_URL`); the test suite
does exactly that for petstore, Stripe and GitHub. `api.md` lists every resource, method and type.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from typing import Any

from .. import GENERATOR, naming
from ..bundled import runtime_requirement
from ..distribution import Distribution
from ..ir.nodes import (
    Api,
    DictOf,
    ListOf,
    LiteralOf,
    ModelDef,
    Nullable,
    OperationDef,
    ParamDef,
    Prim,
    Ref,
    ResourceDef,
    TypeExpr,
    UnionOf,
)
from . import views
from .code import comment_text, literal
from .examples import call_example, call_expression, example_path, imports_of
from .views import _positional as positional

_FILE = Prim("file")


def readme_view(api: Api, dist: Distribution) -> dict[str, Any]:
    env = naming.env_prefix(api.package)
    credentials = [
        (kw, s.env.get(kw) or f"{env}_{kw.upper()}")
        for s in api.security_schemes
        for kw in s.credentials.values()
    ]
    resources = []
    for r in all_resources(api.resources):
        if not r.operations:
            continue
        path = ".".join(r.path)
        shown = _simplest(r.operations) or r.operations[0]
        # (an operation declaring only error answers: its call would raise as written)
        example = call_example(api, shown) if _succeeds(shown) else ""
        # (a deprecated operation is flagged where a reader picks a method, not only when called)
        calls = [
            (f"{path}.{op.name}", f"{op.method.upper()} {op.path}", op.deprecated)
            for op in r.operations
        ]
        resources.append({"path": path, "example": example, "calls": calls})
    featured = _featured(api)
    creds = credential_example(api, featured)
    paginated = _simplest([op for op in api.operations if op.pagination is not None])
    upload = _simplest([op for op in api.operations if _uploads(op)])
    implicit = next((s for s in api.security_schemes if s.implicit), None)
    view: dict[str, Any] = {
        "generator": GENERATOR,
        "package": api.package,
        "env": env,
        "dist_name": dist.name,
        "package_version": dist.version,
        "shared": dist.runtime == "shared",
        "runtime_requirement": runtime_requirement()[0],
        "spec_file": comment_text(api.spec_file),
        "spec_comment": _in_html_comment(api.spec_file),
        # as a shell word in the commands shown (`apigen sandbox 'my spec.yaml'`)
        "spec_arg": shlex.quote(comment_text(api.spec_file)),
        "title": comment_text(api.title),
        "version": comment_text(api.version),
        "description": first_paragraph(api.description),
        "credential_args": _client_args(api, creds),
        # the client parameters a caller must give, for the async example's `AsyncClient(...)`
        "required_client_args": ", ".join(
            f"{c.keyword}={literal(c.example if c.example is not None else '...')}"
            for c in api.client_params
            if c.default is None
        ),
        "credentials": list(dict.fromkeys(credentials)),
        "implicit_auth": implicit.doc if implicit else "",
        # (service, ) of an AWS Signature Version 4 scheme: the README says requests are signed
        "aws_signing": next(
            (
                (_one_line(str(s.options.get("service") or "")),)
                for s in api.security_schemes
                if s.kind == "AWSSigV4"
            ),
            None,
        ),
        # the client-credentials token endpoint: the README says where the secret goes
        "token_url": next(
            (
                _one_line(str(s.options.get("token_url") or ""))
                for s in api.security_schemes
                if s.kind == "OAuth2ClientCredentials" and s.options.get("token_url")
            ),
            "",
        ),
        # an authorization-code scheme: the README shows `client.oauth`'s sign-in (helper 229)
        "authorization_code": sum(
            s.kind == "OAuth2AuthorizationCode" for s in api.security_schemes
        ),
        "oauth_scheme": next(
            (s.name for s in api.security_schemes if s.kind == "OAuth2AuthorizationCode"), ""
        ),
        "fixed_headers": sorted(api.options.headers.items()),
        # the provider's retry hint (`apigen.toml` checks it is a header name: no escaping)
        "should_retry_name": (
            "x-should-retry"
            if api.options.should_retry_header is None
            else api.options.should_retry_header
        ),
        "resources": resources,
        "example": "",
        "async_example": "",
        "call": "",
        "raw_call": "",
        "cache_call": "",
        "cache_raw_call": "",
        "get_path": "",
        "get_query": "",  # the raw GET's required query parameters: `query={...}`, or ""
        "pagination": call_expression(api, paginated) if paginated else "",
        "upload": call_example(api, upload, _file_params(upload)) if upload else "",
        "upload_call": call_expression(api, upload) if upload else "",
        "long_running": _wait_call(api),
        "streaming": _stream_call(api),
        # (function, spec name) of the first webhooks (`<package>.webhooks`), for the README
        "webhooks": [(h.py_name, comment_text(h.key)) for h in api.webhooks[:5]],
        "webhook_count": len(api.webhooks),
        "servers": _servers(api),
        "relative_server": _relative_server(api),
        # (model, its TypedDict twin): an argument a model types takes a plain dict too
        "twin": next(
            (
                (d.name, d.param_name, d.module.split(".", 1)[0])
                for d in sorted(api.definitions.values(), key=lambda d: (d.module, d.name))
                if isinstance(d, ModelDef) and d.param_name is not None
            ),
            None,
        ),
        "client_params": [
            (
                c.keyword,
                _one_line(c.wire_name),
                c.location,
                f"`{_one_line(str(c.default))}`" if c.default is not None else "none (pass it)",
            )
            for c in api.client_params
        ],
        "client_params_example": "Client("
        + ", ".join(
            f"{c.keyword}={literal(c.default if c.default is not None else '...')}"
            for c in api.client_params
            if c.default is None
        )
        + ")",
    }
    # what a section's block imports before its call (its placeholders' `datetime`, `uuid`)
    view["imports"] = {
        key: imports_of(view[key]) for key in ("pagination", "streaming", "long_running")
    }
    if featured is not None:
        call = call_expression(api, featured)
        view["example"] = call_example(api, featured)
        view["call"] = call
        view["async_call"] = "await " + call
        # the async blocks are whole programs: their own imports (a placeholder's `uuid`)
        needed = imports_of(call).strip().splitlines()
        view["async_imports"] = "\n".join(sorted({"import asyncio", *needed}))
        # (a call returning None printed its `None`, and mypy refuses `result = <None call>`)
        view["async_returns"] = featured.returns != Prim("None")
        receiver = ".".join(["client", *featured.resource])
        view["raw_call"] = call.replace(receiver + ".", receiver + ".with_raw_response.", 1)
        view["with_options_call"] = call.replace("client.", "client.with_options(timeout=5.0).", 1)
    cached = _cached_get(api, featured)
    if cached is not None:  # the Caching example: a GET (the cache serves GET and HEAD only)
        call = call_expression(api, cached)
        receiver = ".".join(["cached", *cached.resource])
        view["cache_call"] = call.replace("client.", "cached.", 1)
        view["cache_raw_call"] = view["cache_call"].replace(
            receiver + ".", receiver + ".with_raw_response.", 1
        )
    raw = _raw_get(api, featured)
    if raw is not None:
        view["get_path"] = example_path(api, raw)
        view["get_query"] = _raw_query(api, raw)
    return view


def _cached_get(api: Api, featured: OperationDef | None) -> OperationDef | None:
    """The GET the Caching example calls twice: the featured one, else the first other that
    answers one JSON document (a POST-only API's example printed `None`, no cache status)."""
    ops = [featured] if featured is not None else []
    ops += [op for op in api.operations if op is not featured and not op.deprecated]
    for op in ops:
        kinds = {r.kind for r in op.responses if r.status.startswith("2")}
        if op.method == "get" and kinds == {"json"} and op.streaming is None:
            return op
    return None


def _raw_get(api: Api, featured: OperationDef | None) -> OperationDef | None:
    """The GET the "Undocumented endpoints" example sends raw: the featured one, else another
    returning a model, whose request a raw `client.get` can make as the API wants it (its
    query spelled, no header or cookie needed, the credentials raw requests send: the spec's
    default security) and that the spec says succeeds."""
    ops = [featured] if featured is not None else []
    ops += [op for op in api.operations if op is not featured and not op.deprecated]
    for op in ops:
        if op.method != "get" or not _returns_model(api, op) or not _succeeds(op):
            continue
        if not any(r.status.startswith("2") and r.kind == "json" for r in op.responses):
            continue  # (events or JSON lines: `cast_to=dict` reads one JSON document)
        security = op.security if op.security is not None else api.default_security
        if security and () not in security and security != api.default_security:
            continue
        if _raw_query(api, op) is not None:
            return op
    return None


def _raw_query(api: Api, op: OperationDef) -> str | None:
    """The `query={...}` literal a raw `client.get` of `op` needs (its required query
    parameters, Azure's `api-version` among them), "" when none; None when the request needs
    a header or cookie too, or a value this cannot spell."""
    defaults = {c.wire_name: c.default for c in api.client_params if c.location == "query"}
    entries: list[str] = []
    for p in op.params:
        # (a parameter the client fills, Azure's `api-version`, is one a raw request needs)
        if not (p.required or p.client) or p.location in ("path", "field", "body"):
            continue
        if p.location != "query":
            return None
        value = p.const if p.has_const else p.example
        if value is None:
            value = defaults.get(p.wire_name)
        if value is None and p.type in (Prim("str"), Prim("int")):
            value = "string" if p.type == Prim("str") else 1
        if value is None:
            return None
        entries.append(f"{literal(p.wire_name)}: {literal(value)}")
    return "{" + ", ".join(entries) + "}" if entries else ""


def _wait_call(api: Api) -> str:
    """`client.jobs.create_and_wait(...)` for the first long-running operation, if any."""
    op = next((op for op in api.operations if op.long_running is not None), None)
    if op is None:
        return ""
    call = call_expression(api, op)
    head, _, rest = call.partition("(")
    return f"{head}_and_wait({rest}"


def _stream_call(api: Api) -> str:
    """A call returning a stream, if any: of the first operation a `stream` argument switches
    (with `stream=True`), else of the first answering only a stream."""
    switched = next((op for op in api.operations if op.streaming is not None), None)
    if switched is not None and switched.streaming is not None:
        head, _, _ = call_expression(api, switched).rpartition(")")
        return f"{head}{'' if head.endswith('(') else ', '}{switched.streaming.param}=True)"
    for op in api.operations:
        if {r.kind for r in op.responses if r.status.startswith("2")} & {"sse", "jsonl"}:
            return call_expression(api, op)
    return ""


def _relative_server(api: Api) -> dict[str, str] | None:
    """The paragraph for a spec whose server names no host: where `Client()` alone sends, and
    a `base_url=` with the server's path (a `base_url` replaces the whole server URL)."""
    url = api.server.relative
    if url is None:
        return None
    path = "/" + url.strip().strip("/") if url.strip().strip("/") else ""
    return {
        "url": _one_line(url),
        "default": _one_line(api.base_url),
        "example": _one_line(f"https://api.example.com{path}"),
    }


def _servers(api: Api) -> dict[str, Any] | None:
    """The "Servers" section: the root server's variables as keyword arguments, and a client
    made with another value of the first."""
    variables = api.server.variables
    if not variables:
        return None
    first = variables[0]
    value = next((e for e in first.enum if e != first.default), first.default)
    filled = api.server.template
    for v in variables:
        filled = filled.replace("{" + v.name + "}", value if v is first else v.default)
    return {
        "base_url": _one_line(api.base_url),
        "rows": [
            (
                v.keyword,
                _one_line(v.name),
                _one_line(v.default),
                ", ".join(f"`{_one_line(e)}`" for e in v.enum[:8])
                + (f", ... ({len(v.enum)} in all)" if len(v.enum) > 8 else "")
                or "any",
            )
            for v in variables
        ],
        "example": f"Client({first.keyword}={literal(value)})",
        "example_url": comment_text(filled),
    }


def first_paragraph(text: str) -> str:
    """The spec's first paragraph, cut before any code fence: a ```python block in
    `info.description` became a README example (run by README tooling: a spec's code ran), an
    unclosed one swallowed the Install section, and the 1,000-character cut could leave one
    open."""
    kept: list[str] = []
    fenced = False
    for line in text.strip().split("\n") if text else ():
        if line.lstrip().startswith(("```", "~~~")):
            if kept:  # prose, then a fence: that prose
                break
            fenced = not fenced  # a description opening with code: the prose after it
            continue
        if fenced:
            continue
        if not line.strip():
            if kept:  # the first paragraph's end
                break
            continue
        kept.append(line)
    return "\n".join(kept).strip()[:1000]


def credential_example(api: Api, shown: OperationDef | None = None) -> str:
    """The first alternative of the security of the operation the README shows (`shown`; its
    own, else the default) as `kw=os.environ.get(VAR)` lines (what the client does anyway,
    spelled out as the best SDKs' READMEs do). A spec declaring security per operation only
    had no default: the example built the client without any, and its first call raised."""
    schemes = {s.name: s for s in api.security_schemes}
    env = naming.env_prefix(api.package)
    own = shown.security if shown is not None else None
    for alternative in own if own is not None else api.default_security:
        if alternative and all(name in schemes for name in alternative):
            lines = [
                f"    {kw}=os.environ.get({literal(schemes[name].env.get(kw) or f'{env}_{kw.upper()}')}),"
                for name in alternative
                for kw in schemes[name].credentials.values()
            ]
            return "\n" + "\n".join(lines) + "  # the default: can be omitted\n"
    return ""


def _client_args(api: Api, creds: str) -> str:
    """`credential_example`'s lines, then the client parameters a caller must give (those
    without a default: Azure's `subscription_id`), with the spec's example value."""
    extra = [
        f"    {c.keyword}={literal(c.example if c.example is not None else '...')},"
        for c in api.client_params
        if c.default is None
    ]
    if not extra:
        return creds
    return (creds or "\n") + "\n".join(extra) + "\n"


def _uploads(op: OperationDef) -> bool:
    return bool(_file_params(op))


def _file_params(op: OperationDef) -> list[ParamDef]:
    return [p for p in op.params if p.type in (_FILE, ListOf(_FILE))]


def _simplest(ops: list[OperationDef]) -> OperationDef | None:
    """The operation with the fewest required arguments, not deprecated where there is a choice
    (spec order breaks ties): what the README shows, which should not be a call that warns."""
    if not ops:
        return None
    return min(
        ops,
        key=lambda op: (op.deprecated, not _succeeds(op), sum(p.required for p in op.params)),
    )


def _succeeds(op: OperationDef) -> bool:
    """Whether the spec declares a success for `op` (a 2xx, or only `default`), so that its
    example runs as written against the API's sandbox."""
    statuses = [r.status for r in op.responses]
    return any(s.startswith("2") for s in statuses) or statuses in ([], ["default"])


def _featured(api: Api) -> OperationDef | None:
    """The operation the README shows first: a GET returning a model, else any GET returning
    something, else any; the simplest of them, and not a deprecated one while there are
    others."""
    ops = [op for op in api.operations if not op.deprecated] or list(api.operations)
    # (a stream as the first example printed `<Stream object>` and left the connection open,
    # right before "Methods return Pydantic models"; the Streaming section shows one)
    plain = [op for op in ops if not _answers_stream(op)]
    ops = plain or ops
    gets = [
        op
        for op in ops
        if op.method == "get" and op.returns != Prim("None") and op.pagination is None
    ]
    models = [op for op in gets if _returns_model(api, op)]
    return _simplest(models) or _simplest(gets) or _simplest(ops)


def _answers_stream(op: OperationDef) -> bool:
    """Whether a success of `op` is a stream of events or JSON lines (or may be)."""
    kinds = {r.kind for r in op.responses if r.status.startswith("2")}
    return op.streaming is not None or bool(kinds & {"sse", "jsonl"})


def _returns_model(api: Api, op: OperationDef) -> bool:
    return isinstance(op.returns, Ref) and isinstance(api.definitions[op.returns.key], ModelDef)


def all_resources(roots: Mapping[str, ResourceDef]) -> list[ResourceDef]:
    out: list[ResourceDef] = []
    for root in roots.values():
        out.extend(views.walk(root))
    return out


def type_text(api: Api, t: TypeExpr, *, sent: bool = False) -> str:
    """A type as a reader sees it in api.md (class names, no module prefixes). `sent`: a
    parameter's type, whose enums are strict (`Literal[...]`) as in the method's signature;
    parsed types keep their open spelling (`Literal[...] | str`)."""
    match t:
        case Prim(name="file"):
            return "FileInput"
        case Prim(name=name):
            return name
        case Ref(key=key):
            return api.definitions[key].name
        case ListOf(item=item):
            return f"list[{type_text(api, item, sent=sent)}]"
        case DictOf(value=value):
            return f"dict[str, {type_text(api, value, sent=sent)}]"
        case LiteralOf(values=values, open_base=base):
            shown = f"Literal[{', '.join(literal(v) for v in values)}]"
            return f"{shown} | {base.name}" if base is not None and not sent else shown
        case Nullable(inner=inner):
            return f"{type_text(api, inner, sent=sent)} | None"
        case UnionOf(items=items):
            return " | ".join(type_text(api, i, sent=sent) for i in items)
    return "Any"


def _in_html_comment(text: str) -> str:
    """Text for inside `<!-- -->`: no `--` (a spec named `a-->b.yaml` closed the comment and
    put the rest of its name in the page: helper 174)."""
    return re.sub(r"-(?=-)", "- ", comment_text(text))  # (`--->` too: the review)


def api_reference(api: Api) -> str:
    """`api.md`: every resource with its methods (signature, HTTP, return type), the webhook
    parsers, then every model and type alias with the module it is imported from."""
    out = [
        f"<!-- Generated by {GENERATOR} from {_in_html_comment(api.spec_file)}. Do not edit. -->",
        f"# {comment_text(api.title)}: API reference",
        "",
        f"`from {api.package} import Client, AsyncClient`; every method exists on both "
        "(awaited on `AsyncClient`) and also takes the per-call options of the README "
        "(`extra_headers`, `extra_query`, `extra_body`, `timeout`, `max_retries`...).",
    ]
    for r in all_resources(api.resources):
        if not r.operations:
            continue
        out += ["", f"## `client.{'.'.join(r.path)}`", ""]
        for op in r.operations:
            out.append(f"- `{_signature(api, op)}`  ")
            summary = op.summary.strip().splitlines()[0] if op.summary.strip() else ""
            http = f"`{op.method.upper()} {op.path}`"
            flag = " **Deprecated** by the API." if op.deprecated else ""
            out.append(f"  {http}" + (f": {_one_line(summary)}" if summary else "") + flag)
            if op.long_running is not None:
                # (the polling keywords the method adds: a helper's README run missed them)
                polling = "poll_timeout: float | None = 600.0, poll_interval: float = 1.0"
                result = type_text(api, op.long_running.result)
                waits = _signature(api, op, "_and_wait", result, polling)
                out.append(f"- `{waits}`  ")
                out.append(f"  {http}, then polls until the operation ends")
    if api.webhooks:
        out += ["", f"## `{api.package}.webhooks`", ""]
        for hook in api.webhooks:
            returns = type_text(api, hook.payload)
            out.append(f"- `webhooks.{hook.py_name}(payload) -> {returns}`  ")
            what = f"webhook `{comment_text(hook.key)}`" if "`" not in hook.key else "webhook"
            summary = hook.summary.strip().splitlines()[0] if hook.summary.strip() else ""
            out.append(f"  {what}" + (f": {_one_line(summary)}" if summary else ""))
    models = sorted(api.definitions.values(), key=lambda d: (d.module, d.name))
    if models:
        out += ["", "## Types", "", "| type | import from |", "| --- | --- |"]
        out += [f"| `{d.name}` | `{api.package}.{_public(d.module)}` |" for d in models]
    return "\n".join(out) + "\n"


def _public(module: str) -> str:
    """Where a definition is imported from: its module, or the package re-exporting it when
    the module is private (a split part, `types._droplets_droplets`: `types` re-exports every
    name, lazily)."""
    parts = module.split(".")
    private = next((i for i, part in enumerate(parts) if part.startswith("_")), len(parts))
    return ".".join(parts[: max(private, 1)])


def _signature(
    api: Api, op: OperationDef, suffix: str = "", returns: str | None = None, extra: str = ""
) -> str:
    """The method as called, returning what the call gives: a paginated one its first page
    (`SyncPage[Item]`, `AsyncPage` awaited), an event or JSON-lines stream its `Stream`."""
    if returns is None:
        returns = type_text(api, op.returns)
        if op.pagination is not None:
            returns = f"SyncPage[{type_text(api, op.pagination.item)}]"
        elif any(r.kind in ("sse", "jsonl") for r in op.responses if r.status.startswith("2")):
            returns = f"Stream[{returns}]"
    path = positional(op)
    args = [f"{p.py_name}: {type_text(api, p.type, sent=True)}" for p in path]
    rest = [p for p in op.params if p not in path]
    if rest:
        args.append("*")
        for p in sorted(rest, key=lambda p: p.has_const or not p.required):
            # a constant has its one value as default (the method's, decisions.md 27)
            shown = literal(p.const).replace("`", "'") if p.has_const else ""
            default = f" = {shown}" if p.has_const else "" if p.required else " = ..."
            args.append(f"{p.py_name}: {type_text(api, p.type, sent=True)}{default}")
    if extra:
        args += ([] if rest else ["*"]) + [extra]
    call = ".".join(["client", *op.resource, op.name + suffix])
    return f"{call}({', '.join(args)}) -> {returns}"


def _one_line(text: str) -> str:
    return text.replace("`", "'").replace("|", "\\|")[:200]
