"""Per-client customisation of the IR (from `apigen.toml` / `[tool.apigen]`, see docs/configuration.md).

`ApiOptions` carries what a configuration file says about one client; `build_api` applies it:
- `include` / `exclude` drop operations before anything is named (as if the spec lacked them);
- naming: config renames win over the spec's naming extensions (`x-speakeasy-name-override`,
  `x-speakeasy-group`, `x-fern-sdk-method-name`, `x-fern-sdk-group-name`), which win over the
  names `grouping` derives;
- client settings (fixed headers, idempotency and should-retry headers, the spec's URL) travel on
  the `Api` to the renderer.

Problems are diagnostics located in the configuration file (`apigen.toml: error:
clients.stripe.renames.methods.GetFoo: ...`), so they print like spec problems do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

from .. import naming
from ..diagnostics import Diagnostic, Report

if TYPE_CHECKING:
    from .nodes import JsonScalar, OperationDef, SecuritySchemeDef


@dataclass(frozen=True)
class Selection:
    """Operations chosen by tag, by path glob (optionally `METHOD /glob`) or by id."""

    tags: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    operations: tuple[str, ...] = ()  # operationIds or `METHOD /path`

    def __bool__(self) -> bool:
        return bool(self.tags or self.paths or self.operations)


@dataclass(frozen=True)
class ExtraScheme:
    """A security scheme the spec does not declare, applied to every operation."""

    name: str
    type: str  # "http" or "apiKey"
    scheme: str = "bearer"  # http: bearer or basic
    location: str = "header"  # apiKey: header, query or cookie
    parameter: str = ""  # apiKey: the header/query/cookie name
    env: tuple[tuple[str, str], ...] = ()  # client keyword -> environment variable
    keyword: str | None = None  # the client keyword (default from the type)
    required: bool = False
    description: str = ""


@dataclass
class ApiOptions:
    """What a configuration file asks of one client (the defaults change nothing)."""

    source: str = ""  # the configuration file's name, for diagnostics
    where: str = ""  # this client's table in it, e.g. `clients.stripe`
    include: Selection = field(default_factory=Selection)
    exclude: Selection = field(default_factory=Selection)
    rename_resources: dict[str, str] = field(default_factory=dict)  # dotted -> dotted
    rename_methods: dict[str, str] = field(default_factory=dict)  # op id / `GET /p` -> name
    rename_models: dict[str, str] = field(default_factory=dict)  # component -> class name
    security: tuple[ExtraScheme, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)  # sent on every request
    idempotency_header: str | None = None
    should_retry_header: str | None = None  # None: the runtime's default (x-should-retry)
    spec_url: str | None = None
    # operationId or `METHOD /path` -> {status_field, done, failed, poll} (ir/long_running.py)
    long_running: dict[str, dict[str, Any]] = field(default_factory=dict)
    # the client's response cache when the caller passes none: ttl, max_entries, max_bytes
    cache: dict[str, Any] | None = None
    # a rename or `long_running` entry naming what the spec does not have is skipped, not an
    # error: `apigen diff`'s NEW spec, which removed it (that removal is what it reports)
    missing_ok: bool = False

    def at(self, *keys: str) -> str:
        """A dotted location inside this client's table (`clients.x.renames.methods.GetFoo`)."""
        parts = [self.where] if self.where else []
        parts.extend(k if _BARE.match(k) else _quote(k) for k in keys)
        return ".".join(parts)

    def error(self, report: Report, location: str, message: str) -> None:
        report.add(Diagnostic(self.source or "config", location, message, "error", "config"))

    def warn(self, report: Report, location: str, message: str, action: str) -> None:
        report.warn(self.source or "config", location, message, kind="config", action=action)


_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _quote(key: str) -> str:
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def op_key(op: OperationDef) -> str:
    return f"{op.method.upper()} {op.path}"


def _names(op: OperationDef) -> set[str]:
    keys = {op_key(op)}
    if op.operation_id:
        keys.add(op.operation_id)
    return keys


def _path_match(op: OperationDef, pattern: str) -> bool:
    method, sep, glob = pattern.partition(" ")
    if sep and method.isalpha():
        return method.lower() == op.method and fnmatchcase(op.path, glob.strip())
    return fnmatchcase(op.path, pattern)


def _matches(op: OperationDef, sel: Selection, hits: dict[tuple[str, str], int]) -> bool:
    found = False
    for tag in sel.tags:
        if tag in op.tags:
            hits[("tags", tag)] += 1
            found = True
    for pattern in sel.paths:
        if _path_match(op, pattern):
            hits[("paths", pattern)] += 1
            found = True
    for name in sel.operations:
        if name in _names(op):
            hits[("operations", name)] += 1
            found = True
    return found


def select(ops: list[OperationDef], options: ApiOptions, report: Report) -> list[OperationDef]:
    """The operations `include` keeps and `exclude` does not drop; an unused pattern warns."""
    if not options.include and not options.exclude:
        return ops
    kept: list[OperationDef] = []
    hits: dict[str, dict[tuple[str, str], int]] = {"include": {}, "exclude": {}}
    for which, sel in (("include", options.include), ("exclude", options.exclude)):
        for kind in ("tags", "paths", "operations"):
            for value in getattr(sel, kind):
                hits[which][(kind, value)] = 0
    for op in ops:
        if options.include and not _matches(op, options.include, hits["include"]):
            continue
        if _matches(op, options.exclude, hits["exclude"]):
            continue
        kept.append(op)
    for which, counts in hits.items():
        for (kind, value), n in counts.items():
            if n == 0:
                options.warn(
                    report,
                    options.at(which, kind),
                    f"{value!r} matches no operation",
                    "check the spelling; it has no effect",
                )
    if ops and not kept:  # a typo in `include` (`tags = ["pet"]` for `pets`): an empty client
        what = "include and exclude leave" if options.exclude else "include selects"
        options.error(
            report,
            options.at("include" if options.include else "exclude"),
            f"{what} none of the spec's {len(ops)} operations: the client would be empty",
        )
    return kept


# --- naming -----------------------------------------------------------------------------------

Explicit = tuple[tuple[str, ...] | None, str | None]  # (resource path, method name), None: derived


def _dotted(text: str) -> tuple[str, ...]:
    return tuple(naming.snake(part) for part in text.split(".") if naming.snake(part))


def extension_names(
    node: Mapping[str, Any], op: OperationDef, report: Report, file: str
) -> Explicit:
    """The names an operation's naming extensions ask for (Speakeasy's, then Fern's)."""
    resource: tuple[str, ...] | None = None
    name: str | None = None
    for key in ("x-speakeasy-name-override", "x-fern-sdk-method-name"):
        value = node.get(key)
        if value is None or name is not None:
            continue
        if isinstance(value, str) and naming.snake(value):
            name = naming.snake(value)
        else:
            _ignored(report, file, op, key, "expected a non-empty string")
    for key in ("x-speakeasy-group", "x-fern-sdk-group-name"):
        value = node.get(key)
        if value is None or resource is not None:
            continue
        parts: tuple[str, ...] = ()
        if isinstance(value, str):
            parts = _dotted(value)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            parts = tuple(naming.snake(v) for v in value if naming.snake(v))
        if parts:
            resource = parts
        else:
            _ignored(report, file, op, key, "expected a non-empty string or list of strings")
    return resource, name


def check_extension_names(
    ops: list[OperationDef],
    asked: Mapping[int, str],
    document: Mapping[str, Any],
    report: Report,
    file: str,
) -> None:
    """A naming extension's method name that collision handling had to change is warned (two
    operations asking for `fetch` were both renamed silently): the spec's, so not an error."""
    from .operations import operation_node

    for op in ops:
        name = asked.get(id(op))
        if name is None or op.name == name:
            continue
        node = operation_node(document, op)
        key = next(  # the one that gave the name (`extension_names`: a string that names)
            k
            for k in ("x-speakeasy-name-override", "x-fern-sdk-method-name")
            if isinstance(node.get(k), str) and naming.snake(node[k])
        )
        report.warn(
            file,
            f"{op.pointer}/{key}",
            f"{key}: {name!r} is another method's or a reserved name",
            kind="naming",
            action=f"named {'.'.join([*op.resource, op.name])!r}",
        )


def _ignored(report: Report, file: str, op: OperationDef, key: str, why: str) -> None:
    report.warn(
        file, f"{op.pointer}/{key}", f"{key}: {why}", kind="naming", action="extension ignored"
    )


def config_names(
    ops: list[OperationDef], options: ApiOptions, report: Report
) -> dict[int, Explicit]:
    """`renames.methods`: operation (id or `METHOD /path`) -> method name or dotted call path."""
    out: dict[int, Explicit] = {}
    for key, target in options.rename_methods.items():
        matched = [op for op in ops if key in _names(op)]
        if not matched and options.missing_ok:
            continue
        if not matched:
            options.error(
                report,
                options.at("renames", "methods", key),
                "names no operation"
                + (
                    naming_hint(key, sorted({k for op in ops for k in _names(op)}))
                    or " (use an operationId or `METHOD /path`, e.g. `GET /pets`)"
                ),
            )
            continue
        *resource, name = target.split(".")
        for op in matched:
            out[id(op)] = (tuple(resource) or None, name)
    return out


def rename_resources(ops: list[OperationDef], options: ApiOptions, report: Report) -> None:
    """`renames.resources`: a resource path (dotted, as generated) -> a new dotted path."""
    for old, new in options.rename_resources.items():
        prefix = tuple(old.split("."))
        moved = [op for op in ops if op.resource[: len(prefix)] == prefix]
        target = tuple(new.split("."))
        if not moved and any(op.resource[: len(target)] == target for op in ops):
            continue  # renamed by an earlier build whose apigen.json locked the names
        if not moved and options.missing_ok:
            continue
        if not moved:
            known = sorted({".".join(op.resource[:i]) for op in ops for i in (1, 2)})
            hint = naming_hint(old, known)
            options.error(
                report, options.at("renames", "resources", old), "names no resource" + hint
            )
            continue
        for op in moved:
            op.resource = (*new.split("."), *op.resource[len(prefix) :])


def naming_hint(word: str, known: list[str]) -> str:
    from difflib import get_close_matches

    close = get_close_matches(word, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_renamed(
    ops: list[OperationDef], wanted: dict[int, Explicit], options: ApiOptions, report: Report
) -> None:
    """A configured method name that collision handling had to change is an error."""
    by_id = {id(op): op for op in ops}
    for key, target in options.rename_methods.items():
        for op_id, (resource, name) in wanted.items():
            op = by_id[op_id]
            if key not in _names(op) or name is None:
                continue
            if op.name != name or (resource is not None and op.resource != resource):
                options.error(
                    report,
                    options.at("renames", "methods", key),
                    f"{target!r} cannot be used: another method or a reserved name has it "
                    f"(it would become {'.'.join([*op.resource, op.name])!r})",
                )


def check_resources(
    options: ApiOptions, report: Report, reserved_client: set[str], reserved_resource: set[str]
) -> None:
    """A configured resource name the client or a resource has already (`close`, `with_options`,
    a keyword) is an error, as it is for a method: collision handling made it `close_api`."""
    import keyword

    for old, new in options.rename_resources.items():
        for i, segment in enumerate(new.split(".")):
            taken = reserved_client if i == 0 else reserved_resource
            if segment in taken or keyword.iskeyword(segment):
                options.error(
                    report,
                    options.at("renames", "resources", old),
                    f"{new!r} cannot be used: {segment!r} is a reserved name (it would become "
                    f"{segment + '_api'!r})",
                )
                break


def check_models(component_names: list[str], options: ApiOptions, report: Report) -> None:
    """Each `renames.models` entry names a component schema, and takes a class name no other
    schema has: the other one was moved aside silently (`NewItem` became `NewItemSchema`)."""
    taken: dict[str, str] = {}  # class name -> the schema renamed to it
    for name, cls in options.rename_models.items():
        if name not in component_names:
            if options.missing_ok:
                continue
            options.error(
                report,
                options.at("renames", "models", name),
                "names no component schema" + naming_hint(name, component_names),
            )
        elif cls in taken:
            options.error(
                report,
                options.at("renames", "models", name),
                f"{cls!r} cannot be used: {taken[cls]!r} is renamed to it too",
            )
        else:
            taken[cls] = name
    for other in component_names:
        cls = naming.class_name(other)
        if other not in options.rename_models and cls in taken:
            options.error(
                report,
                options.at("renames", "models", taken[cls]),
                f"{cls!r} cannot be used: the schema {other!r} has that class name",
            )


# --- security ---------------------------------------------------------------------------------

Alternatives = tuple[tuple[str, ...], ...]


def scheme_def(extra: ExtraScheme) -> SecuritySchemeDef:
    """The IR scheme of a configured one (see `apply_security`)."""
    from .nodes import SecuritySchemeDef

    keyword = extra.keyword or "api_key"
    if extra.type == "apiKey":
        kind, creds = "ApiKey", {"credential": keyword}
        opts: dict[str, JsonScalar | tuple[str, ...]] = {
            "name": extra.parameter,
            "location": extra.location,
        }
    elif extra.scheme == "basic":
        kind, creds, opts = "HTTPBasic", {"username": "username", "password": "password"}, {}
    else:
        kind, creds, opts = "HTTPBearer", {"credential": keyword}, {}
    return SecuritySchemeDef(
        extra.name, kind, creds, opts, extra.description.strip(), env=dict(extra.env)
    )


def apply_security(
    schemes: list[SecuritySchemeDef],
    default: Alternatives,
    ops: list[OperationDef],
    options: ApiOptions,
    report: Report,
) -> tuple[list[SecuritySchemeDef], Alternatives]:
    """Add the configured schemes as one more alternative of every operation.

    They replace the implicit optional bearer token of a spec without security. An operation
    that needs no credentials (no requirement, or an empty one) keeps working without them
    unless a configured scheme says `required = true`."""
    if not options.security:
        return schemes, default
    kept = [s for s in schemes if not s.implicit]
    implicit = {s.name for s in schemes if s.implicit}
    names = {s.name for s in kept}
    # each keyword feeds one scheme: `api_key=` shared by the spec's bearer scheme and a
    # configured header key sent that key as `Authorization: Bearer ...` to both
    owner = {kw: s.name for s in kept for kw in s.credentials.values()}
    added: list[ExtraScheme] = []
    for i, extra in enumerate(options.security):
        if extra.name in names:
            options.error(
                report,
                options.at("security") + f"[{i}].name",
                f"the spec already has a security scheme named {extra.name!r}",
            )
            continue
        scheme = scheme_def(extra)
        taken = [kw for kw in scheme.credentials.values() if kw in owner]
        if taken:
            options.error(
                report,
                options.at("security") + f"[{i}].keyword",
                f"{taken[0]!r} is already the keyword of the scheme {owner[taken[0]]!r}: one"
                " client argument cannot feed two schemes (set a `keyword` of its own)",
            )
            continue
        names.add(extra.name)
        owner.update((kw, extra.name) for kw in scheme.credentials.values())
        kept.append(scheme)
        added.append(extra)
    required = any(x.required for x in added)

    def widen(alternatives: Alternatives) -> Alternatives:
        own = [a for a in alternatives if a and not set(a) & implicit]
        anonymous = not own or () in alternatives
        out = [*own, *((x.name,) for x in added if (x.name,) not in own)]
        return (*out, *([()] if anonymous and not required else []))

    for op in ops:
        if op.security is not None:
            op.security = widen(op.security)
    return kept, widen(default)


def long_running_for(op: OperationDef, options: ApiOptions) -> dict[str, Any] | None:
    """The configured long-running settings of `op` (by operationId, else `METHOD /path`)."""
    for key in (op.operation_id, f"{op.method.upper()} {op.path}"):
        if key and key in options.long_running:
            return options.long_running[key]
    return None


def check_long_running(ops: list[OperationDef], options: ApiOptions, report: Report) -> None:
    """A `long_running` key that names no operation is an error located in the config."""
    keys = {k for op in ops for k in (op.operation_id, f"{op.method.upper()} {op.path}")}
    for key in options.long_running:
        if key not in keys and not options.missing_ok:
            options.error(report, options.at("long_running", key), "names no operation")
