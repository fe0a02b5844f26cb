"""Validation (openapi-spec-validator's findings), turned into located, classified warnings.

Anything that makes generation impossible (not OpenAPI, unresolvable refs) was already raised by
`load`; what the validator finds here is reported as warnings saying what apigen does about it.
Validation runs on `LoadedSpec.original` (the document as written, Swagger 2.0 before the upgrade)
so pointers and lines match the user's file.

By default the errors come from validate_fast.py (jsonschema-rs for the meta-schema pass, the
library's semantic walk redone over plain dicts: github.json 0.25 s CPU instead of ~9.5 s);
`full=True` (`apigen check --full`) runs openapi-spec-validator itself (validate_full.py), the
oracle the fast path is tested against (tests/spec/test_validator_oracle.py). Both yield the
library's error objects, classified and located here the same way. Both are imported only when
validating (not on a cache hit). Results are cached per (content hash, validator version, rules
version, mode) and `validate_in_background` runs validation in a second process.

Kinds (all warnings; `action` says what apigen does): pattern ("pattern left out"), default
("default ignored"), example ("example ignored"), unknown-key ("key ignored"), boolean-string,
format, missing-field, invalid-value, duplicate-operation-id, duplicate-parameter,
path-parameter, required-property, duplicate-tag, schema-dialect, depth, validator, spec;
and duplicate-key, a key written twice in one object of a JSON file (duplicate_keys.py; YAML
files' are reported by the parser).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import re
import warnings
from collections.abc import Callable
from dataclasses import asdict
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, TypeAlias

from ..cache import cache_dir, write_entry
from ..diagnostics import Diagnostic, Report
from .load import LoadedSpec
from .pointer import index as pointer_index
from .pointer import join as join_pointer
from .pointer import split as split_pointer
from .refs import canonical_ref

__all__ = [
    "findings",
    "validate_in_background",
    "validate_spec",
    "validation_diagnostics",
]

RULES_VERSION = 10  # bump when classification changes: old cache entries stop matching
MAX_PER_KIND = 25
_MAX_MESSAGE = 240


def _dist_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


@cache
def validator_version() -> str:
    """What the cached verdicts depend on (computed on first use: metadata reads cost time)."""
    return (
        f"openapi-spec-validator {_dist_version('openapi-spec-validator')}; "
        f"jsonschema {_dist_version('jsonschema')}; "
        f"jsonschema-rs {_dist_version('jsonschema_rs')}; rules {RULES_VERSION}"
    )


# --------------------------------------------------------------------------- public API


def validate_spec(spec: LoadedSpec, *, report: Report, full: bool = False) -> None:
    """Validate (or reuse the cached verdict) and add every diagnostic to the report.

    `full`: run openapi-spec-validator itself (slow; the oracle) instead of the fast path."""
    for d in validation_diagnostics(spec, full=full):
        report.add(d)


def validation_diagnostics(spec: LoadedSpec, *, full: bool = False) -> list[Diagnostic]:
    """The classified, located diagnostics for a spec; cached on disk."""
    cached = _read_cache(spec, full)
    if cached is not None:
        return cached
    diags = _validate(spec, full=full)
    _write_cache(spec, diags, full)
    return diags


def validate_in_background(
    spec: LoadedSpec, *, full: bool = False
) -> Callable[[], list[Diagnostic]]:
    """Start validating in a second process; the returned function waits for the diagnostics.

    With the `fork` start method the child shares the already-loaded document (nothing is
    pickled); elsewhere the spec is pickled once. A cache hit starts no process at all.
    """
    cached = _read_cache(spec, full)
    if cached is not None:
        return lambda: cached
    methods = multiprocessing.get_all_start_methods()
    ctx: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(
        target=_worker, args=(spec, sender, full), name="apigen-validate", daemon=True
    )
    process.start()
    sender.close()
    result: list[list[Diagnostic]] = []

    def wait() -> list[Diagnostic]:
        if not result:
            try:
                outcome = receiver.recv()
            except EOFError:
                outcome = None
            finally:
                receiver.close()
                process.join()
            if isinstance(outcome, BaseException):
                raise outcome
            if outcome is None:
                outcome = [
                    Diagnostic(
                        spec.file,
                        "#",
                        f"validator process ended without a result (exit code {process.exitcode})",
                        "warning",
                        "validator",
                        None,
                        "spec not validated",
                    )
                ]
            result.append(outcome)
        return result[0]

    return wait


def _worker(spec: LoadedSpec, sender: Any, full: bool = False) -> None:
    """Child process body: ship the diagnostics, or the exception, back to the parent."""
    try:
        outcome: object = validation_diagnostics(spec, full=full)
    except Exception as exc:  # crossing a process boundary: re-raised in the parent by wait()
        outcome = exc
    sender.send(outcome)
    sender.close()


# --------------------------------------------------------------------------- cache


def _cache_file(spec: LoadedSpec, full: bool) -> Path:
    mode = "full" if full else "fast"
    key = hashlib.sha256(
        f"{spec.content_hash}\0{spec.original_version}\0{validator_version()}\0{mode}".encode()
    ).hexdigest()
    return cache_dir() / f"validate-{key[:40]}.json"


def _read_cache(spec: LoadedSpec, full: bool = False) -> list[Diagnostic] | None:
    """Cached diagnostics, or None when absent or unreadable (a corrupt entry is recomputed)."""
    try:
        raw = json.loads(_cache_file(spec, full).read_text(encoding="utf-8"))
        if raw.get("validator") != validator_version():
            return None
        out = []
        for item in raw["diagnostics"]:
            fields = dict(item)
            fields["file"] = fields["file"] or spec.file  # "" = the root, however it is spelled
            out.append(Diagnostic(**fields))
        return out
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _write_cache(spec: LoadedSpec, diags: list[Diagnostic], full: bool = False) -> None:
    """Write atomically (temp file + rename) so a concurrent reader never sees half a file."""
    items = []
    for d in diags:
        item = asdict(d)
        if d.file == spec.file:
            item["file"] = ""
        items.append(item)
    payload = json.dumps({"validator": validator_version(), "diagnostics": items})
    write_entry(_cache_file(spec, full), payload)


# --------------------------------------------------------------------------- running the validator


def _crash_site(
    doc: Any, segs: list[str], exc: BaseException, who: str = "openapi-spec-validator"
) -> tuple[list[str], str, str, str | None]:
    """(pointer segments, message, kind, action) for a validator crash at `segs`.

    A `KeyError` over a list (the library reads `parameter["name"]` and `["in"]` unchecked)
    is pinned to the first member that lacks the key."""
    node = _node_at(doc, segs)
    if isinstance(node, dict) and isinstance(node.get("parameters"), list):
        segs, node = [*segs, "parameters"], node["parameters"]  # an operation reading its own
    if isinstance(exc, KeyError) and isinstance(node, list) and exc.args:
        key = exc.args[0]
        for i, item in enumerate(node):
            item = _deref(doc, item)
            if not isinstance(item, dict):  # (`parameters: [{...}, 42]`: the library read 42)
                shown = json.dumps(item, default=str)[:60]
                return [*segs, str(i)], f"{shown} is not of type 'object'", "invalid-value", None
            if key not in item:
                if segs[-1:] == ["parameters"]:
                    why = f"parameter without {key!r}: it cannot be sent"
                    if item.get("in") == "querystring":
                        why = "`in: querystring` (OpenAPI 3.2) is not supported"
                    return (
                        [*segs, str(i)],
                        why,
                        "missing-field",
                        "parameter left out",
                    )
                return [*segs, str(i)], f"{key!r} is missing", "missing-field", None
    message = f"{who} failed here ({type(exc).__name__}: {exc})"
    return segs, message[:_MAX_MESSAGE], "validator", "the rest of this part not validated"


def _node_at(doc: Any, segs: list[str]) -> Any:
    node = doc
    for seg in segs:
        node = _deref(doc, node)
        if isinstance(node, dict):
            node = node.get(seg)
        elif isinstance(node, list) and (at := pointer_index(seg, len(node))) is not None:
            node = node[at]
        else:
            return None
    return _deref(doc, node)


def _deref(doc: Any, node: Any) -> Any:
    for _ in range(32):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            break
        found, canonical = canonical_ref(doc, node["$ref"])
        if not found:
            return None
        node = doc
        for seg in split_pointer(canonical):
            node = node[int(seg)] if isinstance(node, list) else node[seg]
    return node


def _leaves(err: Any) -> list[Any]:
    """The errors worth showing for one validator error: a `oneOf`/`anyOf` failure is replaced
    by the errors of the alternative that came closest (iteratively, through nested ones)."""
    out: list[Any] = []
    stack = [err]
    while stack:
        e = stack.pop()
        if e.validator not in ("oneOf", "anyOf") or not e.context:
            out.append(e)
            continue
        branches: dict[Any, list[Any]] = {}
        for c in e.context:
            branch = c.relative_schema_path[0] if c.relative_schema_path else 0
            branches.setdefault(branch, []).append(c)
        candidates = [b for b in branches.values() if not _is_reference_branch(b)]
        if not candidates:
            out.append(e)
            continue
        depth = len(e.absolute_path)
        best = min(candidates, key=lambda b: _branch_distance(b, depth))
        stack.extend(reversed(best))
    return out


def _is_reference_branch(errors: list[Any]) -> bool:
    """The "or a Reference Object" alternative: fails only because `$ref` is missing."""
    return all(c.validator == "required" and "'$ref'" in c.message for c in errors)


def _branch_distance(errors: list[Any], depth: int) -> tuple[bool, int, int]:
    """How far an alternative is from matching. A wrong value of a direct enum/const member
    (`in: path` against the body-parameter alternative) means "the other alternative was meant";
    then fewer errors, then deeper ones (the instance matched further) win."""
    wrong_kind = any(
        c.validator in ("enum", "const") and len(c.absolute_path) == depth + 1 for c in errors
    )
    return wrong_kind, len(errors), -max(len(c.absolute_path) for c in errors)


def _physical(doc: Any, parts: list[Any]) -> list[str]:
    """Turn a path that went through `$ref`s (how the validator walks) into a pointer to where
    the node is written."""
    node: Any = doc
    out: list[str] = []
    for part in parts:
        key = str(part)
        hops = 0
        while (
            isinstance(node, dict)
            and key not in node
            and isinstance(node.get("$ref"), str)
            and hops < 32
        ):
            found, canonical = canonical_ref(doc, node["$ref"])
            if not found:
                break
            out = split_pointer(canonical)
            node = doc
            for seg in out:
                node = node[int(seg)] if isinstance(node, list) else node[seg]
            hops += 1
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and (at := pointer_index(key, len(node))) is not None:
            node = node[at]
        else:
            node = None
        out.append(key)
    return out


_CLOSED = ("additionalProperties", "unevaluatedProperties")  # an object's unknown keys


def _unknown_keys(err: Any) -> list[str]:
    """The keys an `additionalProperties: false` error is about."""
    schema = err.schema if isinstance(err.schema, dict) else {}
    known = set(schema.get("properties") or ())
    patterns = [re.compile(p) for p in schema.get("patternProperties") or ()]
    instance = err.instance if isinstance(err.instance, dict) else {}
    # 3.1's meta-schema closes objects with `unevaluatedProperties`, extensions allowed by a
    # `$ref`'d schema this error does not carry
    extensions = err.validator == "unevaluatedProperties"
    return [
        str(k)
        for k in instance
        if k not in known
        and not any(p.search(str(k)) for p in patterns)
        and not (extensions and str(k).startswith("x-"))
    ]


def _short(err: Any, segs: list[str] | None = None) -> str:
    """The validator's message with big instance reprs cut down."""
    message = str(err.message).split("\n\nFailed validating", 1)[0]  # drop the schema dump
    if err.validator in _CLOSED:
        unknown = _unknown_keys(err)
        if unknown:
            listed = ", ".join(repr(k) for k in unknown[:5])
            if segs == ["paths"]:
                return f"path{'s' if len(unknown) > 1 else ''} {listed} must start with '/'"
            return f"unknown key{'s' if len(unknown) > 1 else ''} {listed}"
    text = repr(err.instance)
    if len(text) > 60 and message.startswith(text):
        if isinstance(err.instance, dict):
            keys = ", ".join(f"{k!r}: ..." for k in list(err.instance)[:3])
            text = "{" + keys + (", ..." if len(err.instance) > 3 else "") + "}"
        else:
            text = text[:57] + "..."
        message = text + message[len(repr(err.instance)) :]
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 3] + "..."


_KIND_BY_CLASS: dict[str, tuple[str, str | None]] = {  # openapi-spec-validator's error classes
    "DuplicateOperationIDError": ("duplicate-operation-id", None),
    "ParameterDuplicateError": ("duplicate-parameter", None),
    "UnresolvableParameterError": ("path-parameter", None),
    "ExtraParametersError": ("required-property", None),
}


def _under(segs: list[str], word: str) -> bool:
    """`word` appears as a keyword (not as a response code or property named so)."""
    return any(
        s == word and (i == 0 or segs[i - 1] not in ("responses", "properties"))
        for i, s in enumerate(segs)
    )


def _false_positive(segs: list[str], err: Any, version: str) -> bool:
    """Errors the library reports for valid specs: Swagger 2.0 allows `type: file` as a
    response schema, but its schema checker is the OpenAPI 3.0 one."""
    return (
        version.startswith("2")
        and err.instance == "file"
        and segs[-1:] == ["type"]
        and "responses" in segs
    )


def classify(segs: list[str], err: Any) -> tuple[str, str | None]:
    """(kind, action) for one validator error at a physical pointer."""
    for cls in type(err).__mro__:  # by name: importing the library costs ~0.25 s
        verdict = _KIND_BY_CLASS.get(cls.__name__)
        if verdict is not None:
            return verdict
    validator = err.validator
    message = str(err.message)
    if _under(segs, "default"):
        return "default", "default ignored"
    if _under(segs, "example") or _under(segs, "examples"):
        return "example", "example ignored"
    if "is not a 'regex'" in message or (segs and segs[-1] == "pattern"):
        return "pattern", "pattern left out"
    if (
        validator == "type"
        and err.validator_value == "boolean"
        and str(err.instance).lower() in ("true", "false")
    ):
        return "boolean-string", None
    if validator in _CLOSED:
        if segs == ["paths"]:  # ir/operations.collect reads only keys starting with `/`
            return "unknown-key", "its operations left out"
        if len(segs) == 2 and segs[0] == "paths" and _unknown_keys(err) == ["query"]:
            # before 3.2 no method; read as one all the same (spec/methods.FIXED): "key
            # ignored" said the opposite of the `query()` method generated
            return "unknown-key", "read as OpenAPI 3.2's QUERY method"
        return "unknown-key", "key ignored"
    if validator == "format":
        return "format", None
    if validator == "required":
        return "missing-field", None
    if "Duplicate tag" in message:
        return "duplicate-tag", None
    if "Unknown JSON Schema dialect" in message:
        return "schema-dialect", None
    if validator in ("type", "enum", "pattern", "const", "minItems", "uniqueItems", "minLength"):
        return "invalid-value", None
    return "spec", None


Finding = tuple[list[str], str, str, str | None]
"""(pointer segments, message, kind, action) of one validator finding, before locating."""


def _validate(spec: LoadedSpec, *, full: bool = False) -> list[Diagnostic]:
    found, depth_error = findings(spec, full=full)
    return spec.repeated_json_keys() + _finish(spec, found, depth_error)


def findings(spec: LoadedSpec, *, full: bool = False) -> tuple[list[Finding], bool]:
    """Every classified finding (uncapped, not deduplicated) and whether validation stopped
    early for depth: what the oracle test compares between the fast path and `full`."""
    doc = spec.original
    ver = spec.original_version
    who = "openapi-spec-validator" if full else "validation"
    found: list[Finding] = []
    pinned: list[Finding] = []
    depth_error = False
    with warnings.catch_warnings():
        # e.g. FutureWarning "Possible nested set" from compiling a spec's regex: noise here
        warnings.simplefilter("ignore")
        try:
            if full:
                from .validate_full import library_errors as errors_of
            else:
                from .validate_fast import fast_errors as errors_of
            errors = errors_of(doc, ver)
            for err in errors:
                for leaf in _leaves(err):
                    parts = [*getattr(err, "apigen_parts", ()), *leaf.absolute_path]
                    segs = _physical(doc, parts)
                    crash = getattr(leaf, "apigen_exception", None)
                    if crash is not None:
                        pinned.append(_crash_site(doc, segs, crash, who))
                        continue
                    if _false_positive(segs, leaf, ver):
                        continue
                    kind, action = classify(segs, leaf)
                    found.append((segs, _short(leaf, segs), kind, action))
        except RecursionError:
            # the validator recurses once per nesting level; keep what it found so far
            depth_error = True
        except Exception as exc:  # a crash outside any keyword check: keep what was found
            if isinstance(exc, ValueError) and "Recursion limit" in str(exc):
                depth_error = True  # jsonschema-rs' own depth limit: located as nesting is
            else:
                pinned.append(_crash_site(doc, [], exc, who))
    # a crash pinned to a member says what is wrong there better than the schema check did
    # (a bare crash there says less: `paths: 5` "failed here (KeyError)" hid "5 is not of
    # type 'object'", and the build went on to replace a client with an empty one)
    places = {tuple(segs) for segs, _, kind, _ in pinned if segs and kind != "validator"}
    found = [f for f in found if tuple(f[0]) not in places] + pinned
    return found, depth_error


def _finish(spec: LoadedSpec, found: list[Finding], depth_error: bool) -> list[Diagnostic]:
    """Deduplicate (one root cause is often reported many times), locate, cap per kind (the
    first ones in the file: the same whichever order the validator found them in)."""
    seen: set[tuple[str, str]] = set()
    per_kind: dict[str, int] = {}
    located: list[Diagnostic] = []
    for segs, message, kind, action in found:
        pointer = join_pointer(segs)
        if (pointer, kind) in seen:
            continue
        seen.add((pointer, kind))
        file, inner, line = spec.place(pointer)
        located.append(Diagnostic(file, inner, message, "warning", kind, line, action))
    located.sort(key=lambda d: (d.file != spec.file, d.file, d.line or 0, d.pointer))
    diags: list[Diagnostic] = []
    for d in located:
        per_kind[d.kind] = per_kind.get(d.kind, 0) + 1
        if per_kind[d.kind] <= MAX_PER_KIND:
            diags.append(d)
    for kind, count in per_kind.items():
        if count > MAX_PER_KIND:
            diags.append(
                Diagnostic(
                    spec.file,
                    "#",
                    f"{count - MAX_PER_KIND} more {kind!r} problems not shown",
                    "warning",
                    kind,
                )
            )
    if depth_error:
        diags.append(_depth_diagnostic(spec))
    return diags


_SHOWN_DEPTH = 12  # the segments of a deep value's pointer a message shows


_Link: TypeAlias = "tuple[str, _Link | None]"  # a path as a linked list: no copy per level


def _deepest(doc: Any) -> tuple[list[str], int]:
    """The path to (one of) the most deeply nested values of `doc`, and its depth; without
    recursion (the document is deeper than the interpreter's stack)."""
    best: tuple[_Link | None, int] = (None, 0)
    stack: list[tuple[Any, int, _Link | None]] = [(doc, 0, None)]
    while stack:
        node, depth, link = stack.pop()
        if depth > best[1]:
            best = (link, depth)
        if isinstance(node, dict):
            stack.extend((v, depth + 1, (str(k), link)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, depth + 1, (str(i), link)) for i, v in enumerate(node))
    path: list[str] = []
    at = best[0]
    while at is not None:
        path.append(at[0])
        at = at[1]
    return path[::-1], best[1]


def _depth_diagnostic(spec: LoadedSpec) -> Diagnostic:
    """The validator recursed too deep: name the schema that contains itself, if one does."""
    from .cycles import composition_cycle

    cycle = composition_cycle(spec.original)
    if cycle is None:
        # the deepest value, located by where it begins (helper 225: a `maximum` nested 5,000
        # levels was "#: validation failed here (ValueError: Recursion limit reached)")
        path, depth = _deepest(spec.original)
        shown = path[:_SHOWN_DEPTH]
        pointer = join_pointer(shown)
        file, inner, line = spec.place(pointer)
        return Diagnostic(
            file,
            inner,
            f"a value nested {depth} levels deep"
            + (f" (shown to {len(shown)} levels)" if len(path) > len(shown) else "")
            + ": too deep to validate",
            "warning",
            "depth",
            line,
            "validation stopped early",
        )
    file, inner, line = spec.place(cycle[0])
    chain = " -> ".join(cycle)
    return Diagnostic(
        file,
        inner,
        f"schema contains itself through allOf/anyOf/oneOf/items/not ({chain}): "
        "openapi-spec-validator cannot check a schema that does",
        "warning",
        "depth",
        line,
        "validation stopped early",
    )
