"""Cases per operation: schemathesis draws them from the spec (positive data only), and the values
that matter to clients but that random data rarely hits are added on top."""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote

from .. import all_of
from ..path_keys import split_key
from .spec import Param, SpecView

__all__ = ["MISSING", "CaseInput", "CaseSource", "EdgeValues"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

# Path values whose expected outcome is a ValueError raised by the client before sending.
REFUSED_PATH_VALUES = (".", "..", "")
# Path values that must arrive as exactly one, percent-encoded segment.
TRICKY_PATH_VALUES = ("/", "?", "#", "%", "a b", "%2F", "é/ü", "日本")


@dataclass
class CaseInput:
    """One call's inputs by wire name and location, before mapping onto method arguments."""

    label: str  # "drawn #3", "edge: petId='..'", ...
    path: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, Any] = field(default_factory=dict)
    cookies: dict[str, Any] = field(default_factory=dict)
    body: Any = MISSING
    media_type: str | None = None
    expect_value_error: bool = False
    raw_values: frozenset[str] = frozenset()  # python names passed as is (no type conversion)
    st_case: Any = None  # the schemathesis Case, for its response checks


def _plain(value: Any) -> Any:
    """schemathesis' Binary -> bytes, recursively."""
    data = getattr(value, "data", None)
    if isinstance(data, bytes) and type(value).__name__ == "Binary":
        return data
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def from_schemathesis(case: Any, label: str) -> CaseInput:
    from schemathesis.core import NOT_SET

    path = {k: _from_token(v) for k, v in case.path_parameters.items()}
    return CaseInput(
        label,
        path=path,
        query=dict(case.query or {}),
        headers=dict(case.headers or {}),
        cookies=dict(case.cookies or {}),
        body=MISSING if case.body is NOT_SET else _plain(case.body),
        media_type=case.media_type,
        st_case=case,
    )


def _serializer(operation: Any, location: Any) -> Any:
    """schemathesis' hook: JSON text for headers' and cookies' non-string values, a token for
    a path's objects (`_as_token`), else none."""
    where = str(getattr(location, "value", location)).lower()
    if where == "path":
        return _as_tokens
    return _as_text if where in ("header", "cookie") else None


# schemathesis refuses a path value whose `str()` holds `{` or `}`: every object. An object (or
# an array holding one) goes through it as this prefix and its JSON text in URL-safe base64.
_TOKEN = "apigen~object~"


def _as_tokens(values: Any) -> Any:
    if not isinstance(values, Mapping):
        return values
    return {
        k: _TOKEN + base64.urlsafe_b64encode(json.dumps(v).encode()).decode()
        if isinstance(v, Mapping) or (isinstance(v, list) and _nested_value(v))
        else v
        for k, v in values.items()
    }


def _nested_value(items: list[Any]) -> bool:
    return any(isinstance(item, Mapping | list) for item in items)


def _from_token(value: Any) -> Any:
    """A drawn path value as data: percent-decoded text, or the object `_as_tokens` hid."""
    if not isinstance(value, str):
        return value
    value = unquote(value)
    if value.startswith(_TOKEN):
        with contextlib.suppress(ValueError):
            return json.loads(base64.urlsafe_b64decode(value.removeprefix(_TOKEN)))
    return value


def _as_text(values: Any) -> Any:
    if not isinstance(values, Mapping):
        return values
    # ensure_ascii=False: a value a header cannot carry (not Latin-1) is still filtered out
    return {
        k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, separators=(",", ":"))
        for k, v in values.items()
    }


def _typed_headers(case: CaseInput, params: list[Param]) -> CaseInput | None:
    """Header and cookie values back from their JSON text (`_as_text`) where the parameter's
    schema takes no string: `X-Dangerous: true` is the boolean the method takes, and a
    `content: application/json` header's object is the object it takes. None when an
    array's or object's items, joined as the client sends them, make no valid header value
    (schemathesis checked only the JSON text): a case no HTTP request can carry."""
    from schemathesis.openapi.generation.filters import is_valid_header

    headers, cookies = dict(case.headers), dict(case.cookies)
    for p in params:
        values = {"header": headers, "cookie": cookies}.get(p.location)
        if values is None or _admits_string(p.schema):
            continue
        if p.content_type and "json" not in p.content_type.lower():
            continue  # the caller's text in that media type: a string, as drawn
        key = next((k for k in values if k.lower() == p.name.lower()), None)
        if key is None or not isinstance(values[key], str):
            continue
        try:
            value = json.loads(values[key])
        except ValueError:
            continue  # not JSON text: left as drawn
        if isinstance(value, list | dict) and not p.content_type:  # (JSON content: as is)
            items = (
                [x for pair in value.items() for x in pair] if isinstance(value, dict) else value
            )
            text = ",".join(x if isinstance(x, str) else json.dumps(x) for x in items)
            if text != text.strip() or not is_valid_header({key: text}):
                return None
        values[key] = value
    return replace(case, headers=headers, cookies=cookies)


def _admits_string(schema: Mapping[str, Any]) -> bool:
    kind = schema.get("type")
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else None
    return kinds is None or "string" in kinds


def keyed_case(path: str, case: CaseInput) -> CaseInput:
    """A drawn case as a client sends it for a path key with a query (decisions.md 27):
    `?name={param}` carries `param`'s value as the query's `name` (schemathesis draws it
    where the spec declares it); `?name=value` adds the constant."""
    key = split_key(path)
    if not key.bound and not key.constants:
        return case
    where = {"path": case.path, "query": case.query, "headers": case.headers}
    query = dict(case.query)
    moved = {**case.path}
    for name, target in key.bound:
        for values in where.values():
            if target in values:
                value = values[target]
                if values is case.path:
                    moved.pop(target, None)
                elif values is case.query:
                    query.pop(target, None)
                query[name] = value
                break
    for name, value in key.constants:
        query.setdefault(name, value)
    return replace(case, path=moved, query=query)


@contextlib.contextmanager
def _spec_constants_only() -> Iterator[None]:
    """Draws that depend on the spec and the seed alone: hypothesis (6.13x+) mixes in string
    and number literals of every non-site-packages module loaded so far (apigen's own, the
    runtime, the client's modules as operations import them), so one seed drew other cases
    per apigen version and per the operations run before (helper 230: 1 failing case of an
    operation in a full run, 10 with `--operation`). Its private hook is emptied while drawing;
    an hypothesis without it draws as before."""
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover (a future layout)
        yield
        return
    original = getattr(providers, "_get_local_constants", None)
    constants = getattr(providers, "Constants", None)
    if original is None or constants is None:  # pragma: no cover
        yield
        return
    empty = constants()
    providers._get_local_constants = lambda: empty  # pyright: ignore[reportPrivateUsage]
    try:
        yield
    finally:
        providers._get_local_constants = original  # pyright: ignore[reportPrivateUsage]


class CaseSource:
    """Loads the spec into schemathesis once; `draw` gives the cases of one operation."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        import schemathesis

        self.view = SpecView(document)
        self.schema = schemathesis.openapi.from_dict(copy.deepcopy(dict(document)))
        # Keep parameter values as data: the client does the styling (`form`, `deepObject`, ...)
        # and the mapping needs the values, not schemathesis' serialised strings. Headers and
        # cookies are the exception: schemathesis keeps only string values there, so a boolean,
        # number or array header goes as its JSON text and is read back (`_typed_headers`).
        self.schema.get_parameter_serializer = _serializer  # type: ignore[method-assign]
        self._operations: dict[tuple[str, str], Any] = {}
        self.load_errors: dict[tuple[str, str], str] = {}
        from schemathesis.core.result import Err

        if not document.get("paths"):
            return  # nothing to draw (schemathesis refuses a 3.0 document without `paths`)
        for result in self.schema.get_all_operations():
            if isinstance(result, Err):  # an operation schemathesis cannot use
                err = result.err()
                key = (str(getattr(err, "method", "") or "").lower(), str(getattr(err, "path", "")))
                self.load_errors[key] = str(err)[:300]
                continue
            op = result.ok()
            self._operations[(op.method.lower(), op.path)] = op

    def operation(self, method: str, path: str) -> Any:
        return self._operations.get((method.lower(), path))

    def holds(self, method: str, path: str) -> bool:
        """Whether the spec has this operation (usable by schemathesis or not)."""
        key = (method.lower(), path)
        return key in self._operations or key in self.load_errors

    def draw(
        self, method: str, path: str, max_examples: int, seed: int, media_type: str | None = None
    ) -> list[CaseInput]:
        """Up to `max_examples` distinct positive cases, deterministic for `seed`; only bodies
        of `media_type` (the one the client sends) when schemathesis can draw them."""
        from hypothesis.errors import Unsatisfiable

        body = self.view.request_body(path, method) or {}
        if media_type is not None and len(body.get("content") or {}) > 1:
            with contextlib.suppress(Unsatisfiable):
                if cases := self._draw(method, path, max_examples, seed, media_type):
                    return cases
        return self._draw(method, path, max_examples, seed, None)

    def _draw(
        self, method: str, path: str, max_examples: int, seed: int, media_type: str | None
    ) -> list[CaseInput]:
        from hypothesis import HealthCheck, Phase, given, settings
        from hypothesis import seed as hseed
        from schemathesis.generation import GenerationMode

        op = self.operation(method, path)
        if op is None:
            raise LookupError(self.load_errors.get((method.lower(), path), "not in the spec"))
        drawn: list[Any] = []
        strategy = op.as_strategy(generation_mode=GenerationMode.POSITIVE)
        if media_type is not None:
            # A body drawn for another declared media type is shaped for it (an array body
            # for a form becomes key/value pairs) and is not what the client sends.
            wanted = media_type.split(";")[0].strip().lower()
            strategy = strategy.filter(
                lambda case: (case.media_type or wanted).split(";")[0].strip().lower() == wanted
            )

        @hseed(seed ^ zlib.crc32(f"{method} {path}".encode()))
        @settings(
            max_examples=max_examples,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
            deadline=None,
            derandomize=False,
        )
        @given(strategy)
        def collect(case: Any) -> None:
            if len(drawn) < max_examples:
                drawn.append(case)

        with _spec_constants_only():
            collect()
        params = self.view.parameters(path, method)
        typed = [
            _typed_headers(from_schemathesis(c, f"drawn #{i + 1}"), params)
            for i, c in enumerate(drawn)
        ]
        return [keyed_case(path, case) for case in typed if case is not None]

    def make_case(self, method: str, path: str, base: CaseInput) -> Any:
        """A schemathesis Case carrying `base`'s values (for its response checks)."""
        from schemathesis.core import NOT_SET

        op = self.operation(method, path)
        if op is None:
            return None
        path_values, query = dict(base.path), dict(base.query)
        for name, target in split_key(path).bound:  # back where the spec declares them
            if name in query and target not in path_values:
                path_values[target] = query.pop(name)
        return op.Case(
            path_parameters=path_values,
            query=query,
            headers=dict(base.headers),
            cookies=dict(base.cookies),
            body=NOT_SET if base.body is MISSING else base.body,
            media_type=base.media_type,
        )


class EdgeValues:
    """The extra cases for one operation, each one value away from a base case."""

    def __init__(self, view: SpecView, method: str, path: str, limit: int = 24) -> None:
        self.view = view
        self.method = method
        self.path = path
        self.limit = limit

    def cases(self, base: CaseInput) -> list[CaseInput]:
        params = self.view.parameters(self.path, self.method)
        out: list[CaseInput] = []
        required_only = replace(
            base,
            label="edge: optionals omitted",
            query={
                p.name: base.query[p.name]
                for p in params
                if p.location == "query" and p.required and p.name in base.query
            },
            headers={
                p.name: base.headers[p.name]
                for p in params
                if p.location == "header" and p.required and p.name in base.headers
            },
            cookies={
                p.name: base.cookies[p.name]
                for p in params
                if p.location == "cookie" and p.required and p.name in base.cookies
            },
            body=self._required_body(base),
            st_case=None,
        )
        out.append(required_only)
        for p in params:
            if p.location == "path":
                out += self._path_cases(base, p)
            elif p.location in ("query", "header", "cookie"):
                out += self._value_cases(base, p)
        out += self._body_cases(base)
        return out[: self.limit]

    # -- path ---------------------------------------------------------------------------------

    def _stringy(self, schema: Mapping[str, Any]) -> bool:
        types = schema.get("type")
        return (
            types in (None, "string") or (isinstance(types, list) and "string" in types)
        ) and "enum" not in schema

    def _shares_segment(self, name: str) -> bool:
        """Whether `{name}` shares its path segment with literal text or another parameter."""
        placeholder = "{" + name + "}"
        for segment in split_key(self.path).wire.split("/"):
            if placeholder in segment:
                return segment != placeholder
        return False

    def _path_cases(self, base: CaseInput, p: Param) -> list[CaseInput]:
        if not self._stringy(p.schema):
            return []
        out: list[CaseInput] = []
        # a `content: application/json` parameter goes as JSON text (`"."`): no dot segment
        refused: tuple[str, ...] = (
            () if p.content_type and "json" in p.content_type else REFUSED_PATH_VALUES
        )
        tricky: tuple[str, ...] = TRICKY_PATH_VALUES
        if self._shares_segment(p.name):
            # `{query}.{ext}`: a dot is the value's, sent percent-encoded (`%2E.json`); only an
            # empty value is refused (it would leave the separator alone)
            refused, tricky = ("",), (*TRICKY_PATH_VALUES, ".", "..", "a.b", "-")
        elif p.multi_segment:
            # `/` kept between segments (`docs/README.md`): an empty or dot segment is refused
            refused = ("", ".", "..", "/", "a//b", "/a", "a/", "a/../b")
            tricky = (*(v for v in TRICKY_PATH_VALUES if v != "/"), "docs/README.md", "a b/c%d")
        for value in refused:
            if self.view.errors(p.schema, value):
                continue  # not a value of the parameter (`format: uuid`, `minLength: 1`, ...)
            out.append(
                replace(
                    base,
                    label=f"edge: {p.name}={value!r} is refused",
                    path={**base.path, p.name: value},
                    expect_value_error=True,
                    st_case=None,
                )
            )
        for value in tricky:
            if not self.view.errors(p.schema, value):
                out.append(
                    replace(
                        base,
                        label=f"edge: {p.name}={value!r}",
                        path={**base.path, p.name: value},
                        st_case=None,
                    )
                )
        return out

    # -- query / header / cookie ----------------------------------------------------------------

    def _container(self, base: CaseInput, location: str) -> dict[str, Any]:
        return {"query": base.query, "header": base.headers, "cookie": base.cookies}[location]

    def _with(self, base: CaseInput, p: Param, value: Any, label: str) -> CaseInput:
        values = {**self._container(base, p.location), p.name: value}
        if p.location == "query":
            return replace(base, label=label, st_case=None, query=values)
        if p.location == "header":
            return replace(base, label=label, st_case=None, headers=values)
        return replace(base, label=label, st_case=None, cookies=values)

    def _value_cases(self, base: CaseInput, p: Param) -> list[CaseInput]:
        out: list[CaseInput] = []
        for value, why in [*boundary_values(p.schema), *branch_values(self.view, p.schema)]:
            if p.location == "header" and (not isinstance(value, str | int | float) or value == ""):
                continue
            if not self.view.errors(p.schema, value):
                out.append(
                    self._with(
                        base, p, value, f"edge: {p.location} {p.name}={_short(value)} ({why})"
                    )
                )
        return out

    # -- body ---------------------------------------------------------------------------------

    def _body_schema(self, base: CaseInput) -> Mapping[str, Any] | None:
        body = self.view.request_body(self.path, self.method)
        if body is None or base.media_type is None:
            return None
        media = self.view.deref(body.get("content", {}).get(base.media_type, {}))
        schema = self.view.deref(media.get("schema", {})) if isinstance(media, Mapping) else {}
        return (
            schema
            if isinstance(schema, Mapping) and isinstance(schema.get("properties"), Mapping)
            else None
        )

    def _required_body(self, base: CaseInput) -> Any:
        schema = self._body_schema(base)
        if schema is None or not isinstance(base.body, Mapping):
            return base.body
        required = set(schema.get("required", []))
        for key in ("oneOf", "anyOf"):  # keep what the branches require (one of them must hold)
            for branch in schema.get(key, []) or []:
                branch = self.view.deref(branch)
                if isinstance(branch, Mapping):
                    required |= set(branch.get("required", []))
        reduced = {k: v for k, v in base.body.items() if k in required}
        return base.body if self.view.errors(schema, reduced) else reduced

    def _body_cases(self, base: CaseInput) -> list[CaseInput]:
        schema = self._body_schema(base)
        if schema is None or not isinstance(base.body, Mapping):
            return []
        out: list[CaseInput] = []
        json_body = "json" in (base.media_type or "")
        for name, raw in schema["properties"].items():
            prop = self.view.deref(raw)
            if not isinstance(prop, Mapping) or self.view.flagged(raw, "readOnly"):
                continue  # a read-only property is never sent (the IR leaves it out)
            for value, why in [
                *boundary_values(prop, nulls=json_body),
                *branch_values(self.view, prop),
            ]:
                if not self.view.errors(schema, {**base.body, name: value}):
                    out.append(
                        replace(
                            base,
                            label=f"edge: body {name}={_short(value)} ({why})",
                            body={**base.body, name: value},
                            st_case=None,
                        )
                    )
        return out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def boundary_values(schema: Mapping[str, Any], *, nulls: bool = True) -> list[tuple[Any, str]]:
    """Values at the edges of `schema`: null where nullable, min/max numbers and lengths."""
    out: list[tuple[Any, str]] = []
    types = schema.get("type")
    if nulls and (schema.get("nullable") is True or (isinstance(types, list) and "null" in types)):
        out.append((None, "null where nullable"))
    if types in ("integer", "number"):
        for key, why in (("minimum", "minimum"), ("maximum", "maximum")):
            if isinstance(schema.get(key), int | float) and not isinstance(schema.get(key), bool):
                bound = schema[key]
                out.append((int(bound) if types == "integer" else bound, why))
    if (
        types == "string"
        and "enum" not in schema
        and "format" not in schema
        and "pattern" not in schema
    ):
        low = schema.get("minLength")
        high = schema.get("maxLength")
        if isinstance(low, int) and low <= 1024:
            out.append(("a" * low, "minLength"))
        if isinstance(high, int) and high <= 5000:
            out.append(("ü" * high, "maxLength, non-ASCII"))
    return out


def branch_values(view: SpecView, schema: Mapping[str, Any]) -> list[tuple[Any, str]]:
    """One plain value per `anyOf`/`oneOf` branch (each type of a union must be accepted)."""
    out: list[tuple[Any, str]] = []
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list):
            for i, branch in enumerate(branches):
                value = simple_value(view, view.deref(branch))
                if value is not MISSING:
                    out.append((value, f"{key} branch {i + 1}"))
    return out


_FORMATS = {
    "date-time": "2020-01-02T03:04:05Z",
    "date": "2020-01-02",
    "email": "contract@example.com",
    "uri": "https://example.com/x",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
}


def simple_value(view: SpecView, schema: Any, depth: int = 0) -> Any:
    """A plain valid-looking value for `schema` (MISSING when there is none to make)."""
    if not isinstance(schema, Mapping) or depth > 6:
        return MISSING
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        members = schema.get(key)
        if isinstance(members, list) and members:
            # the members (every one of `allOf`, the first of the others) merged with the
            # schema's own keywords beside them (a helper's Prism sweep: Azure's `allOf:
            # [Resource]` beside `required: [location, sku, properties]` made `{location}`, and
            # 23 edge cases blamed the client for refusing it; GitHub's `anyOf: [{required:
            # [pattern]}, ...]` beside `properties` made nothing)
            own = {k: v for k, v in schema.items() if k != key}
            picks = members if key == "allOf" else members[:1]
            resolved = [view.deref(m) for m in picks]
            parts = [own, *(m for m in resolved if isinstance(m, Mapping))]
            return simple_value(view, all_of.merge(parts), depth + 1)
    kind = schema.get("type")
    if kind == "string":
        fmt = schema.get("format")
        if fmt in _FORMATS:
            return _FORMATS[fmt]
        if "pattern" in schema:
            return MISSING
        return "a" * max(int(schema.get("minLength", 1) or 1), 1)
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1.5))
    if kind == "boolean":
        return True
    if kind == "array":
        item = simple_value(view, view.deref(schema.get("items", {})), depth + 1)
        return [] if item is MISSING else [item]
    if kind == "object" or "properties" in schema:
        out: dict[str, Any] = {}
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            prop = view.deref(props.get(name, {}))
            if isinstance(prop, Mapping) and prop.get("readOnly") is True:
                continue  # required of responses only (the sandbox refuses it in a request)
            value = simple_value(view, prop, depth + 1)
            if value is MISSING:
                return MISSING
            out[name] = value
        return out
    return MISSING
