"""The configuration file: `apigen.toml`, or `[tool.apigen]` in pyproject.toml (docs/configuration.md).

One JSON Schema (`schema.json`, also usable by editors for completion) validates both spellings;
every problem is reported with the file and the key's dotted location
(`apigen.toml: clients.stripe.renames.methods: expected a table`), unknown keys included (with a
did-you-mean). Paths are relative to the configuration file and may use `~`, `${VAR}` and
`${VAR:-default}`.
"""

from __future__ import annotations

import datetime
import json
import keyword
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema  # type: ignore[import-untyped, unused-ignore]

from .. import naming
from ..ir.options import ApiOptions, ExtraScheme, Selection
from ..spec.header_params import HTTP_TOKEN

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from ..distribution import RuntimeMode
    from ..pipeline import BuildResult

__all__ = [
    "ClientConfig",
    "Config",
    "ConfigError",
    "discover",
    "load_config",
]

CONFIG_FILE = "apigen.toml"
PYPROJECT = "pyproject.toml"


class ConfigError(Exception):
    """A configuration problem; each line names the file and the key's location."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class ClientConfig:
    """One client of the configuration file, paths resolved."""

    name: str
    where: str  # its table, e.g. `clients.stripe` or `tool.apigen.clients.stripe`
    file: Path  # the configuration file
    spec: Path | str  # a file, or the URL to fetch it from
    output: Path
    package: str | None = None
    dist_name: str | None = None
    version: str | None = None
    runtime: RuntimeMode | None = None
    ref_root: Path | None = None
    strict: bool = False
    templates: Path | None = None
    post_generate: tuple[tuple[str, ...], ...] = ()
    options: ApiOptions = field(default_factory=ApiOptions)
    # its paths' `${VAR}`s that are not set (a client built on other machines): this client's
    # problem when it is generated, not the file's (`apigen generate other` runs without them)
    unset: tuple[str, ...] = ()

    def build(
        self,
        out_dir: Path | None = None,
        progress: Callable[[str], None] | None = None,
        *,
        fresh_names: bool = False,
        on_diagnostic: Callable[[Diagnostic], None] | None = None,
        cache: bool = False,
        force: bool = False,
    ) -> BuildResult:
        """Build this client (into `out_dir` instead of `output` when given), as configured."""
        from ..distribution import DEFAULT_RUNTIME
        from ..pipeline import build

        return build(
            self.spec,
            out_dir or self.output,
            name=self.package,
            strict=self.strict,
            progress=progress,
            ref_root=self.ref_root,
            options=self.options,
            templates=self.templates,
            runtime=self.runtime or DEFAULT_RUNTIME,
            dist_name=self.dist_name,
            version=self.version,
            fresh_names=fresh_names,
            on_diagnostic=on_diagnostic,
            cache=cache,
            force=force,
        )

    def problems(self) -> list[str]:
        """Paths that do not exist or are unusable (checked only for the clients generated)."""
        if self.unset:  # the paths are not known
            return list(self.unset)
        out: list[str] = []
        here = f"{self.file}: {self.where}"
        if isinstance(self.spec, Path) and not self.spec.is_file():
            out.append(f"{here}.spec: {self.spec} is not a file")
        if self.ref_root is not None and not self.ref_root.is_dir():
            out.append(f"{here}.ref_root: {self.ref_root} is not a folder")
        if self.templates is not None:
            if not self.templates.is_dir():
                out.append(f"{here}.templates: {self.templates} is not a folder")
            else:
                out.extend(f"{here}.templates: {p}" for p in _overlay_problems(self.templates))
        return out


@dataclass(frozen=True)
class Config:
    file: Path
    clients: list[ClientConfig]

    def select(self, names: Iterable[str]) -> list[ClientConfig]:
        """The named clients (all of them when `names` is empty), in file order."""
        wanted = list(dict.fromkeys(names))
        known = [c.name for c in self.clients]
        unknown = [n for n in wanted if n not in known]
        if unknown:
            raise ConfigError(
                [
                    f"{self.file}: no client named {n!r}{_hint(n, known)}; "
                    f"configured: {', '.join(known)}"
                    for n in unknown
                ]
            )
        return [c for c in self.clients if not wanted or c.name in wanted]


# --- discovery and loading ---------------------------------------------------------------------


def discover(cwd: Path) -> Path:
    """`apigen.toml` in `cwd`, else its pyproject.toml when that has `[tool.apigen]`."""
    own = cwd / CONFIG_FILE
    if own.is_file():
        return own
    pyproject = cwd / PYPROJECT
    if pyproject.is_file():
        data = _parse(pyproject)
        if isinstance(data.get("tool"), Mapping) and "apigen" in data["tool"]:
            return pyproject
    raise ConfigError(
        [
            f"no configuration in {cwd}: add {CONFIG_FILE} or [tool.apigen] to {PYPROJECT}, "
            "or pass --config FILE (see docs/configuration.md)"
        ]
    )


def load_config(path: Path) -> Config:
    """Parse and validate `path` (an apigen.toml, or a pyproject.toml with [tool.apigen])."""
    data = _parse(path)
    prefix: tuple[str, ...] = ()
    if path.name == PYPROJECT or ("tool" in data and "clients" not in data):
        tool = data.get("tool")
        if not isinstance(tool, Mapping) or "apigen" not in tool:
            raise ConfigError([f"{path}: no [tool.apigen] table"])
        data, prefix = tool["apigen"], ("tool", "apigen")
        if not isinstance(data, Mapping):
            raise ConfigError([f"{path}: tool.apigen: expected a table"])
    problems = [
        f"{path}: {_dotted([*prefix, *loc]) or '(top level)'}: {msg}"
        for loc, msg in _validate(data)
    ]
    if problems:
        raise ConfigError(problems)
    base = path.resolve().parent
    clients: list[ClientConfig] = []
    for name, table in data["clients"].items():
        where = _dotted([*prefix, "clients", name])
        clients.append(_client(path, base, name, where, table, problems))
    known = [c for c in clients if not c.unset]  # (an output with an unset `${VAR}`: unknown)
    for i, client in enumerate(known):
        for other in known[:i]:
            one, two = client.output, other.output
            if one == two or two in one.parents or one in two.parents:
                problems.append(
                    f"{path}: clients {other.name} and {client.name} write to "
                    f"{other.output} and {client.output}: one build would replace or hold "
                    "the other's files; give each its own folder"
                )
    if problems:
        raise ConfigError(problems)
    return Config(path, clients)


def _parse(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except OSError as err:
        raise ConfigError([f"{path}: cannot read: {err.strerror or err}"]) from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError([f"{path}: not valid TOML: {err}"]) from None
    except UnicodeDecodeError as err:  # TOML is UTF-8 (a UTF-16 file, Latin-1 bytes)
        raise ConfigError(
            [f"{path}: not valid TOML: not UTF-8 text (byte {err.start}: {err.reason})"]
        ) from None


# --- validation --------------------------------------------------------------------------------


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads((Path(__file__).parent / "schema.json").read_text(encoding="utf-8"))
    base = jsonschema.validators.validator_for(schema)
    base.check_schema(schema)
    cls = jsonschema.validators.extend(base, {"pattern": _pattern})
    validator: jsonschema.protocols.Validator = cls(schema)
    return validator


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: Mapping[str, Any]
) -> Iterator[jsonschema.ValidationError]:
    """`pattern` as JSON Schema (ECMA-262) reads it: a final `$` is the end of the text. Python's
    `$` also matches before a final line break, so `"Idempotency-Key\n"` passed a header-name
    pattern and reached the generated client."""
    if not isinstance(instance, str):
        return
    anchored = pattern.endswith("$") and not pattern.endswith("\\$")
    if re.search(pattern[:-1] + r"\Z" if anchored else pattern, instance) is None:
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


_TYPES = {
    "object": "a table",
    "array": "an array",
    "string": "a string",
    "boolean": "true or false",
    "integer": "an integer",
}


def _validate(data: Any) -> list[tuple[list[str | int], str]]:
    """(location, message) of every schema violation, in document order."""
    found: list[tuple[list[str | int], str]] = []
    for err in _validator().iter_errors(data):
        found.extend(_explain(err))
    unique = {(tuple(str(p) for p in loc), msg): (loc, msg) for loc, msg in found}
    return sorted(unique.values(), key=lambda item: [str(p) for p in item[0]])


def _explain(err: jsonschema.ValidationError) -> list[tuple[list[str | int], str]]:
    loc: list[str | int] = list(err.absolute_path)
    schema = err.schema if isinstance(err.schema, Mapping) else {}
    custom = schema.get("x-message")
    if "propertyNames" in err.relative_schema_path:
        return [([*loc, str(err.instance)], str(custom or err.message))]
    match err.validator:
        case "additionalProperties":
            known = sorted(schema.get("properties", {}))
            extra = sorted(k for k in err.instance if k not in known)
            return [([*loc, k], f"unknown key {k!r}{_hint(k, known)}") for k in extra]
        case "required":
            missing = [k for k in schema.get("required", []) if k not in err.instance]
            return [(loc, f"missing required key {k!r}") for k in missing]
        case "type":
            return [(loc, _type_message(err.validator_value, err.instance))]
        case "enum":
            options = ", ".join(repr(v) for v in err.validator_value)
            return [(loc, f"expected one of {options}, not {err.instance!r}")]
        case "minProperties" | "minItems" | "minLength":
            return [(loc, "must not be empty")]
        case "anyOf" if all("required" in branch for branch in err.validator_value):
            return [(loc, str(custom or err.message))]  # one of several keys is required
        case "anyOf" | "pattern":
            return [(loc, f"{custom or err.message} (got {err.instance!r})")]
    return [(loc, str(custom or err.message))]


def _type_message(expected: Any, instance: Any) -> str:
    wanted = [expected] if isinstance(expected, str) else list(expected)
    text = "expected " + " or ".join(_TYPES.get(t, t) for t in wanted)
    if isinstance(instance, datetime.date | datetime.time):  # `version = 2023-10-16` unquoted
        text += f' (TOML read a date: quote it, "{instance.isoformat()}")'
    return text


def _hint(word: str, known: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for a near miss, else nothing."""
    close = get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _dotted(parts: Sequence[str | int]) -> str:
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            key = p if _BARE.match(p) else json.dumps(p)
            out += ("." if out else "") + key
    return out


# --- one client --------------------------------------------------------------------------------

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def expand(value: str, at: str, problems: list[str]) -> str:
    """`${VAR}` / `${VAR:-default}` (the default when VAR is unset or empty), then `~`."""

    def one(m: re.Match[str]) -> str:
        name, default = m.group(1), m.group(2)
        got = os.environ.get(name)
        if got:
            return got
        if default is not None:
            return default
        problems.append(f"{at}: environment variable {name} is not set (write ${{{name}:-...}})")
        return ""

    return os.path.expanduser(_VAR.sub(one, value))


def _client(
    file: Path, base: Path, name: str, where: str, t: Mapping[str, Any], problems: list[str]
) -> ClientConfig:
    here = f"{file}: {where}"
    unset: list[str] = []

    def path(key: str) -> Path | None:
        if key not in t:
            return None
        return (base / expand(t[key], f"{here}.{key}", unset)).resolve()

    from ..distribution import OptionError, check_dist_name, check_version
    from ..pipeline import checked_package_name

    for key, check in (
        ("package", checked_package_name),
        ("dist_name", check_dist_name),
        ("version", check_version),
    ):
        try:
            if key in t:
                check(t[key])
        except OptionError as err:
            problems.append(f"{here}.{key}: {err}")
    package = t.get("package")
    renames = t.get("renames", {})
    models = renames.get("models", {})
    for cls, names in _duplicates(models).items():
        problems.append(f"{here}.renames.models: {', '.join(names)} all become {cls!r}")
    for schema_name, cls in models.items():
        if keyword.iskeyword(cls):  # `class Pet` -> `class class(...)`
            problems.append(
                f"{here}.renames.models.{schema_name}: {cls!r} is a Python keyword, no class name"
            )
    options = ApiOptions(
        source=str(file),
        where=where,
        include=_selection(t.get("include", {})),
        exclude=_selection(t.get("exclude", {})),
        rename_resources=dict(renames.get("resources", {})),
        rename_methods=dict(renames.get("methods", {})),
        rename_models=dict(models),
        security=tuple(
            _scheme(s, f"{here}.security[{i}]", problems)
            for i, s in enumerate(t.get("security", []))
        ),
        headers=dict(t.get("headers", {})),
        idempotency_header=t.get("idempotency_header"),
        should_retry_header=t.get("should_retry_header"),
        spec_url=t.get("url"),
        long_running={k: dict(v) for k, v in t.get("long_running", {}).items()},
        cache=dict(t["cache"]) if "cache" in t else None,
    )
    output = path("output")
    assert output is not None  # required by the schema
    # `spec` (a file) is read; without it the spec is fetched from `url` (spec/fetch.py)
    spec: Path | str | None = path("spec") or t.get("url")
    assert spec is not None  # the schema requires one of them
    return ClientConfig(
        name=name,
        where=where,
        file=file,
        spec=spec,
        output=output,
        package=package,
        dist_name=t.get("dist_name"),
        version=t.get("version"),
        runtime=t.get("runtime"),
        ref_root=path("ref_root"),
        strict=bool(t.get("strict", False)),
        templates=path("templates"),
        post_generate=tuple(tuple(cmd) for cmd in t.get("post_generate", [])),
        options=options,
        unset=tuple(unset),
    )


def _duplicates(mapping: Mapping[str, str]) -> dict[str, list[str]]:
    by_value: dict[str, list[str]] = {}
    for key, value in mapping.items():
        by_value.setdefault(value, []).append(key)
    return {v: keys for v, keys in by_value.items() if len(keys) > 1}


def _selection(t: Mapping[str, Any]) -> Selection:
    return Selection(
        tags=tuple(t.get("tags", ())),
        paths=tuple(t.get("paths", ())),
        operations=tuple(t.get("operations", ())),
    )


def _scheme(t: Mapping[str, Any], here: str, problems: list[str]) -> ExtraScheme:
    kind = t["type"]
    http = t.get("scheme", "bearer")
    if kind == "apiKey" and "parameter" not in t:
        problems.append(f"{here}: an apiKey scheme needs `parameter` (the header or query name)")
    parameter = t.get("parameter", "")
    if t.get("in", "header") == "header" and parameter and not HTTP_TOKEN.fullmatch(parameter):
        problems.append(f"{here}.parameter: expected an HTTP header name (got {parameter!r})")
    elif not parameter.isprintable():
        problems.append(f"{here}.parameter: a line break or control character (got {parameter!r})")
    if kind == "http" and http == "basic":
        if "keyword" in t:
            problems.append(f"{here}.keyword: a basic scheme takes `username` and `password`")
        keywords = ["username", "password"]
    else:
        keywords = [t.get("keyword", "api_key")]
        if keywords[0] in naming.CLIENT_KEYWORDS or keyword.iskeyword(keywords[0]):
            problems.append(f"{here}.keyword: {keywords[0]!r} is taken by the client itself")
    env_value = t.get("env", {})
    env = {keywords[0]: env_value} if isinstance(env_value, str) else dict(env_value)
    for kw in env:
        if kw not in keywords:
            problems.append(
                f"{here}.env.{kw}: not a keyword of this scheme ({', '.join(keywords)})"
            )
    return ExtraScheme(
        name=t["name"],
        type=kind,
        scheme=http,
        location=t.get("in", "header"),
        parameter=t.get("parameter", ""),
        env=tuple(sorted(env.items())),
        keyword=keywords[0] if len(keywords) == 1 else None,
        required=bool(t.get("required", False)),
        description=t.get("description", ""),
    )


def _overlay_problems(folder: Path) -> list[str]:
    """An overlay file must replace a built-in template (helpers it includes start with `_`)."""
    from ..bundled import templates_dir

    builtin = sorted(p.name for p in templates_dir().iterdir() if p.is_file())
    out: list[str] = []
    for p in sorted(folder.iterdir()):
        if p.is_file() and not p.name.startswith((".", "_")) and p.name not in builtin:
            out.append(
                f"{p.name} replaces no built-in template{_hint(p.name, builtin)} "
                f"(built-in: {', '.join(builtin)}; helper templates start with `_`)"
            )
    return out
