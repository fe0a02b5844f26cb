"""Render the IR into the files of a client package (path -> text, nothing written yet)."""

from __future__ import annotations

import contextlib
import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from .. import GENERATOR, naming
from ..bundled import (
    RUNTIME_DEPENDENCIES,
    RUNTIME_EXTRAS,
    TYPING_EXTENSIONS,
    runtime_files,
    runtime_module,
    runtime_requirement,
)
from ..distribution import (
    Distribution,
    OptionError,
    default_dist_name,
    default_version,
    is_spdx,
)
from ..ir.nodes import Api, Definition, OperationDef
from ..ir.text import INVISIBLE, visible
from . import views
from .code import Imports, TypeRenderer, comment_text, docstring, literal
from .isort import export_key, member_key, module_order, sort_block
from .manifest import TypedManifest, dumps
from .readme import api_reference, first_paragraph, readme_view
from .resources import resource_modules, split_types_modules, webhooks_module

# The runtime's error classes a package re-exports, each with its runtime base class (the
# package's class subclasses its own copy of that base). Written out rather than read from
# the runtime: importing it (httpx, pydantic) costs a build ~0.1 s.
# tests/render/test_reserved_names.py checks this table against the runtime.
_ERRORS: dict[str, str] = {
    "APIConnectionError": "APIError",
    "APIError": "Exception",
    "APIResponseValidationError": "APIError",
    "APIStatusError": "APIError",
    "APIStreamError": "APIError",
    "APITimeoutError": "APIConnectionError",
    "AuthenticationError": "APIStatusError",
    "BadRequestError": "APIStatusError",
    "CircuitOpenError": "APIError",
    "ConflictError": "APIStatusError",
    "InsecureTransportError": "APIError",
    "InternalServerError": "APIStatusError",
    "LongRunningCancelledError": "APIError",
    "LongRunningTimeoutError": "APITimeoutError",
    "MissingCredentialsError": "APIError",
    "NotFoundError": "APIStatusError",
    "OAuthError": "APIError",
    "OperationFailedError": "APIError",
    "PaginationLoopError": "APIError",
    "PermissionDeniedError": "APIStatusError",
    "RateLimitBackendError": "APIError",
    "RateLimitError": "APIStatusError",
    "ResponseDecodingError": "APIError",
    "ResponseTooLargeError": "APIError",
    "UnprocessableEntityError": "APIStatusError",
}


# Runtime helpers re-exported so users need not import apigen_runtime themselves.
_HELPERS = (
    # the sentinels of an argument not given (`NOT_GIVEN`) and of a default dropped (`omit`),
    # for code passing optional arguments through, as openai-python exports them
    "NOT_GIVEN",
    "NotGiven",
    "Omit",
    "omit",
    "with_raw_response",
    "with_streaming_response",
)
# ... and those imported on first use (the package's `__getattr__`): opt-in features.
_LAZY_HELPERS = (
    "Cache",
    "MemoryCacheStore",
    "RedisCacheStore",
    # the types `Client(...)` takes for its resilience keywords (importable without reaching
    # into `<package>._runtime`)
    "CircuitBreaker",
    "Hooks",
    "RateLimit",
    "RedisRateLimit",  # (its errors then the package's `APIError`s: helper 229)
    "OAuth",  # `OAuth(client, scheme=...)` where the API has several sign-in schemes
    "AsyncOAuth",
    "RateWarning",
    "RetryPolicy",
    "RetryStrategy",  # (the README: `retry=` takes a custom one)
    # an httpx client with the client's own defaults, for `http_client=` (a proxy, a transport)
    "DefaultHttpxClient",
    "DefaultAsyncHttpxClient",
    # the types methods return and verifiers raise, for the caller's own annotations
    # (`page: SyncPage[Pet] = client.pets.list()`) without `<package>._runtime`
    "SyncPage",
    "AsyncPage",
    "AsyncPaginator",
    "Stream",
    "AsyncStream",
    "RawResponse",
    "WebhookVerificationError",
    # the signature checks a webhook receiver runs first (stripe-python's `construct_event`)
    "verify_hmac",
    "verify_standard_webhook",
    "verify_stripe",
)


#: Where the runtime sits in a generated package: a copy of it (vendored) or a shim module
#: re-exporting the shared `apigen_runtime` after checking its version (shared).
RUNTIME_MODULE = "_runtime"


def default_distribution(api: Api) -> Distribution:
    """The default identity (docs/decisions.md): `<package>-apigen-client`, the spec's
    version when PEP 440, vendored runtime, no licence."""
    return Distribution(default_dist_name(api.package), default_version(api.version))


def templates_dir() -> Path:
    """Templates ship inside the wheel as `apigen/templates`; in a checkout they are top-level."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "templates", here.parent.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("apigen templates not found")


def _environment(overlay: Path | None = None) -> jinja2.Environment:
    """`overlay`: a folder of templates that replace the built-in ones of the same name (which
    stay reachable as `builtin/<name>`, to include or extend)."""
    if overlay is None:
        return _builtin_environment()
    return _new_environment(overlay)


@cache
def _builtin_environment() -> jinja2.Environment:
    """One per process, so that builds after the first (`apigen generate` of several clients,
    the tests) reuse its compiled templates (~0.05 s); Jinja still reloads one edited since."""
    return _new_environment(None)


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept beside them, as Python keeps `__pycache__` (else in the user's
    cache folder): compiling the 11 templates was ~90 ms of every fresh process's build, on
    the main process's path. Jinja checks each entry against its template's source, so an
    edited template is compiled again; a folder that cannot be written only costs the time."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)


def _template_cache(folder: Path) -> _TemplateCache:
    # beside the templates folder, not in it: a wheel built from a checkout ships that folder
    beside = folder.parent / "__jinjacache__"
    if os.access(beside, os.W_OK) or (not beside.exists() and os.access(folder.parent, os.W_OK)):
        return _TemplateCache(str(beside))
    from ..cache import cache_dir

    return _TemplateCache(str(cache_dir() / "templates"))


def _new_environment(overlay: Path | None) -> jinja2.Environment:
    builtin = jinja2.FileSystemLoader(str(templates_dir()))
    return jinja2.Environment(
        bytecode_cache=_template_cache(templates_dir()),
        loader=jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(str(overlay)),
                builtin,
                jinja2.PrefixLoader({"builtin": builtin}),
            ]
        )
        if overlay is not None
        else builtin,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
    )


def render_api(
    api: Api,
    templates: Path | None = None,
    *,
    dist: Distribution | None = None,
    on_file: Callable[[str, str], None] | None = None,
) -> dict[str, str]:
    """Every file of the output directory, keyed by path relative to it.

    `templates`: an overlay folder (configuration key `templates`); its files replace the
    built-in templates of the same name, the others stay.
    `dist`: distribution name, version, licence and runtime mode (`default_distribution`).
    `on_file`: called with each file (path, text) as soon as it is rendered (the build compiles
    them meanwhile, syntax_check.py)."""
    files: dict[str, str] = {}
    try:
        for rel, text in _render_files(
            api, _environment(templates), dist or default_distribution(api)
        ):
            if not rel.endswith(".py") and INVISIBLE.search(text) is not None:
                # README, api.md, pyproject: no control or bidirectional character a spec's
                # value held (a token URL, a server variable's default) reaches them; prose lost
                # them in the IR already, and code writes values as escaped literals
                text = visible(text)
            files[rel] = text
            if on_file is not None:
                on_file(rel, text)
    except Exception as exc:  # Jinja's errors, or a call an overlay template makes failing
        where = None if templates is None else _overlay_place(exc, templates)
        if where is None:
            raise  # met outside the overlay: apigen's own bug
        raise OptionError(f"template {where}: {type(exc).__name__}: {exc}") from None
    return files


def _overlay_place(exc: Exception, overlay: Path) -> str | None:
    """`FILE:LINE` of the overlay template a Jinja error was met in (its syntax error's, else
    the deepest overlay frame of the traceback Jinja rewrites to template lines), or None when
    it was met in no overlay template."""
    root = str(overlay.resolve())
    named = getattr(exc, "filename", None)
    if isinstance(named, str) and str(Path(named).resolve()).startswith(root):
        return f"{named}:{getattr(exc, 'lineno', '?')}"
    found = None
    tb = exc.__traceback__
    while tb is not None:
        file = tb.tb_frame.f_code.co_filename
        if file.startswith(root) or str(Path(file).resolve()).startswith(root):
            found = f"{file}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def _render_files(
    api: Api, env: jinja2.Environment, dist: Distribution
) -> Iterator[tuple[str, str]]:
    """`render_api`'s files, one at a time, each as soon as it is rendered."""
    pkg = api.package
    header = f"# File generated by {GENERATOR} from {comment_text(api.spec_file)}. Do not edit."

    by_module: dict[str, list[Definition]] = defaultdict(list)
    for d in api.definitions.values():
        by_module[d.module].append(d)
    model_template = env.get_template("models_module.py.jinja")
    for module, defs in sorted(by_module.items()):
        view = views.model_module(api, module, defs, api.lazy_models)
        yield (
            f"{pkg}/{module.replace('.', '/')}.py",
            model_template.render(header=header, view=view),
        )

    lazy = env.get_template("lazy_init.py.jinja")
    for sub, doc in (
        ("models", f"Models of the component schemas of {api.title}."),
        ("types", "Models of inline schemas of operations (parameters, bodies, responses)."),
    ):
        entries = sorted(
            (d.module.split(".", 1)[1], name)
            for d in api.definitions.values()
            if d.module.startswith(sub + ".")
            for name in (d.name, d.param_name)
            if name is not None
        )
        index = json.dumps({name: module for module, name in entries}, indent=0, sort_keys=True)
        yield f"{pkg}/{sub}/_index.json", index + "\n"
        yield (
            f"{pkg}/{sub}/__init__.py",
            lazy.render(
                header=header,
                view={
                    "doc": docstring(doc),
                    "modules": module_order({module for module, _ in entries}),
                },
            ),
        )

    for module, text in split_types_modules(api, header):
        yield f"{pkg}/{module.replace('.', '/')}.py", text

    resource_template = env.get_template("resource_module.py.jinja")
    for module, resource_view in resource_modules(api):
        yield (
            f"{pkg}/{module.replace('.', '/')}.py",
            resource_template.render(header=header, view=resource_view),
        )
    webhooks = webhooks_module(api)
    if webhooks is not None:
        yield (
            f"{pkg}/webhooks.py",
            env.get_template("webhooks.py.jinja").render(header=header, view=webhooks),
        )
    yield (
        f"{pkg}/resources/__init__.py",
        f'{header}\n"""Resource classes, one module per top-level resource; imported on first use."""\n',
    )

    yield (
        f"{pkg}/_client.py",
        env.get_template("client.py.jinja").render(header=header, view=_client_view(api, dist)),
    )
    if api.resources:
        yield (
            f"{pkg}/_client_wrappers.py",
            env.get_template("client_wrappers.py.jinja").render(
                header=header, view=_client_wrappers_view(api)
            ),
        )
    yield (
        f"{pkg}/_exceptions.py",
        env.get_template("exceptions.py.jinja").render(
            header=header,
            view={
                "package": pkg,
                "classes": _error_classes(),
                "runtime": "apigen_runtime" if dist.runtime == "shared" else f"{pkg}._runtime",
                "shared": dist.runtime == "shared",
            },
        ),
    )
    yield (
        f"{pkg}/__init__.py",
        env.get_template("package_init.py.jinja").render(
            header=header,
            view={
                "doc": docstring(
                    f"Python client for {api.title}.\n\n{first_paragraph(api.description)}"
                ),
                "errors": sorted(_ERRORS),
                # (ruff's order: constants, classes, the rest: `NOT_GIVEN` first)
                "helpers": sorted(_HELPERS, key=export_key),
                "exports": sorted(
                    ["AsyncClient", "Client", *_ERRORS, *_HELPERS, *_LAZY_HELPERS], key=export_key
                ),
                "lazy": sorted(_LAZY_HELPERS),
            },
        ),
    )
    yield f"{pkg}/py.typed", ""
    yield from _runtime_files(api, dist, env.get_template("runtime_shim.py.jinja"), header).items()
    yield "README.md", env.get_template("README.md.jinja").render(view=readme_view(api, dist))
    yield "api.md", api_reference(api)
    yield (
        "pyproject.toml",
        env.get_template("pyproject.toml.jinja").render(view=_pyproject_view(api, dist)),
    )
    yield "apigen.json", manifest_text(api)


def vendored_runtime(package: str) -> dict[str, str]:
    """`<package>/_runtime/*`, a verbatim copy of the runtime: the files known before the IR is
    built (the build compiles them meanwhile)."""
    return {f"{package}/{RUNTIME_MODULE}/{n}": t for n, t in runtime_files().items()}


def _runtime_files(
    api: Api, dist: Distribution, shim: jinja2.Template, header: str
) -> dict[str, str]:
    """`<pkg>/_runtime/*.py` (a verbatim copy of the runtime), or the `<pkg>/_runtime.py` shim."""
    if dist.runtime == "vendored":
        return vendored_runtime(api.package)
    requirement, low, high = runtime_requirement()
    rt = runtime_module()
    lazy = set(getattr(rt, "_LAZY", {}))  # imported on first use, as by the runtime itself
    text = shim.render(
        header=header,
        view={
            "package": api.package,
            "requirement": literal(requirement),
            "low": repr(low),
            "high": repr(high),
            # (in ruff's isort order: a plain `sorted` put `ANY_URL` after `APIError`, I001)
            "names": sorted((n for n in rt.__all__ if n not in lazy), key=member_key),
            "lazy": sorted((n for n in rt.__all__ if n in lazy), key=member_key),
            "all": list(rt.__all__),  # the runtime's own (ruff-sorted) order
        },
    )
    return {f"{api.package}/{RUNTIME_MODULE}.py": text}


_TOML_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _toml(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped, the rest as
    written. (`json.dumps` wrote an emoji in `info.title` as the surrogate pair
    `"\\ud83d\\udc36"`, which TOML refuses: pip, tomllib and ruff could not read the
    pyproject.toml: helper 174.) A lone surrogate, which no UTF-8 file holds, is U+FFFD."""
    out: list[str] = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _pyproject_view(api: Api, dist: Distribution) -> dict[str, Any]:
    if dist.runtime == "shared":
        requirement = runtime_requirement()[0]
        runtime: tuple[str, ...] = (requirement,)
        extras = {k: (requirement.replace("runtime", f"runtime[{k}]", 1),) for k in RUNTIME_EXTRAS}
    else:
        runtime, extras = RUNTIME_DEPENDENCIES, RUNTIME_EXTRAS
    dependencies = sorted({*runtime, *RUNTIME_DEPENDENCIES, TYPING_EXTENSIONS})
    license_line = ""
    if dist.license is not None:
        license_line = "license = " + (
            _toml(dist.license)
            if is_spdx(dist.license)
            else "{ text = " + _toml(dist.license) + " }"
        )
    return {
        "generator": GENERATOR,
        "spec_file": comment_text(api.spec_file),
        "dist_name": _toml(dist.name),
        "version": _toml(dist.version),
        "description": _toml(f"Python client for {comment_text(api.title)}"),
        "package": _toml(api.package),
        "license": license_line,
        "dependencies": ", ".join(_toml(d) for d in dependencies),
        "extras": [(k, ", ".join(_toml(d) for d in v)) for k, v in extras.items()],
        "vendored_runtime": (
            _toml(f"{api.package}/{RUNTIME_MODULE}") if dist.runtime == "vendored" else ""
        ),
    }


def _error_classes() -> list[tuple[str, str | None]]:
    """(name, parent in the package) of each runtime error class, parents first."""
    out: list[tuple[str, str | None]] = []
    done: set[str] = set()

    def add(name: str) -> None:
        if name in done:
            return
        base = _ERRORS[name]
        parent = base if base in _ERRORS else None
        if parent:
            add(parent)
        done.add(name)
        out.append((name, parent))

    for name in sorted(_ERRORS):
        add(name)
    return out


_WRAPPER_KINDS = ("RawResponse", "StreamingResponse")


def _client_wrappers_view(api: Api) -> dict[str, Any]:
    """`client.with_raw_response.<resource>` (openai-python's spelling): a class per client
    and kind whose attributes are the resources' own wrappers. Their own module, imported when
    first used: a property per resource cost Stripe's `_client` import half a millisecond."""
    imports = []
    for r in api.resources.values():
        names = [f"{c}With{k}" for c in (r.async_class_name, r.class_name) for k in _WRAPPER_KINDS]
        imports.append(f"from .{r.module} import {', '.join(sorted(names, key=member_key))}")
    imports.append("from ._client import AsyncClient, Client")
    return {
        "type_imports": sort_block(imports),
        "resources": [
            (attr, r.class_name, r.async_class_name) for attr, r in api.resources.items()
        ],
    }


def _client_view(api: Api, dist: Distribution) -> dict[str, Any]:
    credentials: list[str] = []
    schemes: list[tuple[str, str]] = []
    credential_env = {kw: var for s in api.security_schemes for kw, var in s.env.items()}
    for s in api.security_schemes:
        args = [f"{arg}={literal(kw)}" for arg, kw in s.credentials.items()]
        for key, value in s.options.items():
            if isinstance(value, tuple):
                args.append(f"{key}=(" + "".join(f"{literal(v)}, " for v in value) + ")")
            else:
                args.append(f"{key}={literal(value)}")
        schemes.append((literal(s.name), f"_rt.{s.kind}({', '.join(args)})"))
        credentials.extend(kw for kw in s.credentials.values() if kw not in credentials)
        if s.kind == "OAuth2ClientCredentials" and "token_url" not in credentials:
            credentials.append("token_url")  # overrides the spec's token endpoint
    type_imports: list[str] = []
    resources: list[tuple[str, str, str, str]] = []
    for attr, r in api.resources.items():
        module = "." + r.module
        type_imports.append(f"from {module} import {r.async_class_name}, {r.class_name}")
        resources.append((attr, module, r.class_name, r.async_class_name))
    if resources:  # `client.with_raw_response` & co, in their own module (imported on use)
        wrappers = [f"{c}With{k}" for c in ("AsyncClient", "Client") for k in _WRAPPER_KINDS]
        type_imports.append(f"from ._client_wrappers import {', '.join(wrappers)}")
    alts = ", ".join(
        "(" + "".join(f"{literal(n)}, " for n in alt) + ")" for alt in api.default_security
    )
    title = api.title
    servers = sorted({op.server for op in api.operations if op.server})
    prefix = naming.env_prefix(api.package)
    # what a keyword left out is read from, where users look (openai-python's `__init__` says
    # so); the README's Configuration section has every option
    about = (
        f"\n\nA keyword left out is read from the environment: `base_url` from `{prefix}_BASE_URL`"
        + "".join(
            f", `{kw}` from `{credential_env.get(kw) or f'{prefix}_{kw.upper()}'}`"
            for kw in credentials
            if kw != "token_url"
        )
        + ". `timeout`, `max_retries` and the other options are described in the README."
    )
    if servers:  # the rule lives in the runtime (`base_url_for`); say it where users look
        shown = "".join(f"\n- {url}" for url in servers[:5]) + ("\n- ..." * (len(servers) > 5))
        about += (
            "\n\nSome operations have their own server, used while `base_url` is the spec's"
            "\n(a `base_url` you pass replaces every server):" + shown
        )
    variables = [
        (
            literal(v.name),
            v.keyword,
            f"_rt.ServerVariable({literal(v.keyword)}, default={literal(v.default)}"
            + (f", enum={_tuple([literal(e) for e in v.enum])}" if v.enum else "")
            + f", part={literal(v.part)})",
            f"Literal[{', '.join(literal(e) for e in v.enum)}]" if v.enum else "str",
        )
        for v in api.server.variables
    ]
    if api.server.variables:  # what the keywords fill, where users look
        about += (
            "\n\nServer variables (keyword arguments, else"
            f" `{naming.env_prefix(api.package)}_<KEYWORD>` from the environment) fill the"
            " spec's server URL "
        ) + (
            f"`{api.server.template}`:"
            + "".join(
                f"\n- `{v.keyword}`: `{{{v.name}}}`, default `{v.default}`"
                + (f"; one of {', '.join(f'`{e}`' for e in v.enum)}" if v.enum else "")
                + (f". {v.description}" if v.description else "")
                for v in api.server.variables
            )
        )
    client_params, client_imports = _client_params(api)
    type_imports.extend(client_imports)
    if api.client_params:  # say it where users look
        about += (
            "\n\nClient parameters (keyword arguments, sent with every operation that takes"
            " them; a call may pass its own):"
            + "".join(
                f"\n- `{c.keyword}` (`{c.wire_name}`)"
                + (f", default `{c.default}`" if c.default is not None else "")
                + (f". {_first_sentence(c.doc)}" if c.doc else "")
                for c in api.client_params
            )
        )
    typing_names = ["TYPE_CHECKING"] if type_imports else []
    literals = [v[3] for v in variables] + [c[1] for c in client_params]
    if any(a.startswith("Literal[") or "Literal[" in a for a in literals):
        typing_names.append("Literal")
    typing_names.append("Self")  # copy()'s return (ruff's order: constants, then classes)
    configured = _configured(api)
    keywords = {
        mode: _keywords(credentials, variables, client_params, configured, mode)
        for mode in ("sync", "async")
    }
    return {
        "base_url": literal(api.base_url),
        "keywords": keywords,
        "typing_names": ", ".join(typing_names),
        "client_params": client_params,
        "server_url": literal(api.server.template),
        "server_variables": variables,
        "dist_name": literal(dist.name),
        "version": literal(dist.version),
        "schemes": schemes,
        "default_security": f"({alts}{',' if len(api.default_security) == 1 else ''})",
        "credentials": credentials,
        "credential_env": "{"
        + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in sorted(credential_env.items()))
        + "}",
        "env_prefix": literal(naming.env_prefix(api.package)),
        **configured,
        "type_imports": sort_block(type_imports),
        "resources": resources,
        "sync_doc": docstring(f"Synchronous client for {title}.{about}", indent="    "),
        "async_doc": docstring(f"Asynchronous client for {title}.{about}", indent="    "),
    }


def _client_params(api: Api) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(keyword, annotation, default) of each client parameter, and the imports (for type
    checkers) their annotations need."""
    imports = Imports()
    types = TypeRenderer(dict(api.definitions), "_client", imports, open_enums=False)
    params = [(c.keyword, types.expr(c.type), literal(c.default)) for c in api.client_params]
    imports.typing.discard("Literal")  # imported at the top (the server variables' too)
    lines = [
        line
        for block in imports.lines(1)
        for line in block.split("\n")
        if "import _runtime as _rt" not in line
    ]
    return params, lines


def _keywords(
    credentials: list[str],
    variables: list[tuple[str, str, str, str]],
    client_params: list[tuple[str, str, str]],
    configured: dict[str, str],
    mode: str,
) -> list[tuple[str, str, str, str, str]]:
    """The constructor's keywords: (keyword, its literal, annotation, default, the annotation
    in ``copy()``, where every keyword defaults to ``NOT_GIVEN``: keep this client's)."""
    http = "httpx.Client" if mode == "sync" else "httpx.AsyncClient"
    rows: list[tuple[str, str, str]] = [
        ("base_url", "str | None", "None"),
        *((kw, "str | None", "None") for kw in credentials),
        *((kw, f"{annotation} | None", "None") for _, kw, _, annotation in variables),
        *((kw, f"{annotation} | None", default) for kw, annotation, default in client_params),
        ("timeout", "float | httpx.Timeout | _rt.NotGiven | None", "_rt.NOT_GIVEN"),
        ("max_retries", "int", "2"),
        ("http_client", f"{http} | None", "None"),
        ("default_headers", "Mapping[str, str] | None", "None"),
        ("default_query", "Mapping[str, object] | None", "None"),
        ("retry", "_rt.RetryStrategy | None", "None"),
        ("deadline", "float | None", "None"),
        ("rate_limit", "_rt.RateLimit | None", "None"),
        ("circuit_breaker", "_rt.CircuitBreaker | None", "None"),
        ("hooks", "_rt.Hooks | None", "None"),
        ("rate_warning", "_rt.RateWarning | None", "None"),
        ("idempotency_header", "str | None", configured["idempotency_header"]),
        ("retry_count_header", "str | None", '"X-Retry-Count"'),
        ("max_response_bytes", "int | None", "_rt.DEFAULT_MAX_RESPONSE_BYTES"),
        ("max_stream_reconnects", "int", "0"),
        ("allow_insecure_credentials", "bool", "False"),
        ("strict_response_validation", "bool", "False"),
        ("cache", "_rt.Cache | _rt.NotGiven | None", "_rt.NOT_GIVEN"),
    ]
    return [
        (
            kw,
            literal(kw),
            annotation,
            default,
            annotation if "_rt.NotGiven" in annotation else f"{annotation} | _rt.NotGiven",
        )
        for kw, annotation, default in rows
    ]


def _first_sentence(text: str) -> str:
    first = text.strip().split("\n\n")[0]
    return first.split(". ")[0].rstrip(".") + "." if first else ""


def _tuple(items: list[str]) -> str:
    """A tuple display of the source texts `items` (no magic trailing comma for ruff)."""
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def _configured(api: Api) -> dict[str, str]:
    """Client defaults a configuration file sets (ir/options.py); empty strings: not set."""
    opts = api.options
    headers = ", ".join(f"{literal(k)}: {literal(v)}" for k, v in opts.headers.items())
    cache = "None"
    if opts.cache is not None:  # configured: a fresh cache per client unless the caller passes one
        store = ", ".join(
            f"{k}={literal(opts.cache[k])}" for k in ("max_entries", "max_bytes") if k in opts.cache
        )
        ttl = f"ttl={literal(float(opts.cache['ttl']))}, " if "ttl" in opts.cache else ""
        cache = f"_rt.Cache({ttl}store=_rt.MemoryCacheStore({store}))"
    return {
        "cache_default": cache,
        "fixed_headers": "{" + headers + "}" if opts.headers else "",
        "idempotency_header": literal(opts.idempotency_header),
        "should_retry_header": (
            literal(opts.should_retry_header or None)
            if opts.should_retry_header is not None
            else ""
        ),
    }


def manifest(api: Api) -> dict[str, Any]:
    """The `apigen.json` manifest: every operation's call path and every schema's class."""
    pkg = api.package
    typed = TypedManifest(api)
    return {
        "generator": GENERATOR,
        "spec_sha256": api.spec_sha256,
        # (a multi-file spec only: one file's manifest stays as it was)
        **({"spec_tree_sha256": api.spec_tree_sha256} if api.spec_tree_sha256 else {}),
        **({"spec_url": api.options.spec_url} if api.options.spec_url else {}),
        "package": pkg,
        "client": f"{pkg}.Client",
        "async_client": f"{pkg}.AsyncClient",
        "credentials": _manifest_credentials(api),
        # (only when the root server has variables: other manifests stay as they were)
        **({"server_variables": _manifest_server(api)} if api.server.variables else {}),
        "operations": [{**_manifest_op(op), **typed.operation(op)} for op in api.operations],
        # (only when the spec declares webhooks: other manifests stay as they were)
        **({"webhooks": typed.webhooks()} if api.webhooks else {}),
        "models": {
            name: f"{pkg}.models.{api.definitions[key].name}"
            for name, key in api.components.items()
            if key in api.definitions
        },
        **typed.definitions(),  # model fields and enum values, for `apigen diff`
        "literals": typed.literals(),  # long Literal[...] values, once (render/manifest.py)
    }


def _manifest_credentials(api: Api) -> dict[str, str]:
    """The client's credential keywords and the environment variable each falls back to, so
    `apigen diff` sees `Client(username=...)` become `Client(api_key=...)`."""
    prefix = naming.env_prefix(api.package)
    out: dict[str, str] = {}
    for s in api.security_schemes:
        for keyword in s.credentials.values():
            out.setdefault(keyword, s.env.get(keyword) or f"{prefix}_{keyword.upper()}")
    return dict(sorted(out.items()))


def _manifest_server(api: Api) -> dict[str, dict[str, Any]]:
    """Client keyword -> the server variable it fills (`apigen diff` compares them)."""
    return {
        v.keyword: {"name": v.name, "default": v.default, "enum": list(v.enum)}
        for v in api.server.variables
    }


def _manifest_op(op: OperationDef) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "method": op.method,
        "path": op.path,
        "operation_id": op.operation_id or None,
        "call": ".".join([*op.resource, op.name]),
    }
    if op.pagination is not None:
        entry["pagination"] = op.pagination.style
    if op.deprecated:  # (only when set: other manifests stay as they were)
        entry["deprecated"] = True
    if op.notes:
        entry["notes"] = list(op.notes)
    return entry


def manifest_text(api: Api) -> str:
    return dumps(manifest(api))


__all__ = [
    "RUNTIME_MODULE",
    "default_distribution",
    "manifest",
    "manifest_text",
    "render_api",
    "templates_dir",
    "vendored_runtime",
]
