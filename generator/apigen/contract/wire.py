"""Check (a): the request the client put on the wire is valid for the operation in the spec and
carries exactly the values it was given: the path has the template's segments with each value in
one percent-encoded segment, every parameter is spelled in its declared style, no parameter the
spec does not declare is sent, credentials are present and the body has a declared media type, is
encoded as it says and (JSON) validates against the body schema."""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx

from ..form_fields import REPEATED_KEYS, repeats_keys, text_parts
from ..ir.operations import IDEMPOTENCY_NAME
from ..ir.security import computed_http, transport_key, usable
from ..path_keys import split_key
from ..sandbox._params import decoded_items, path_value
from ..spec.param_media import is_json_media
from .spec import UNUSABLE, Param, SpecView

__all__ = [
    "EMPTY_REQUIRED",
    "FORM_EMPTY_REQUIRED",
    "SCHEMA_PROBLEM",
    "UNCHECKABLE_SCHEMA",
    "UNCOMPUTABLE_SECURITY",
    "UNMEETABLE_SECURITY",
    "UNSPELLABLE_KEY",
    "UNSPELLABLE_VALUE",
    "check_request",
    "same",
]

SCHEMA_PROBLEM = "JSON body does not match the schema"
# A body schema no JSON Schema validator can use (`type: file` inside an OpenAPI 3 JSON body,
# a dangling `$ref`, a pattern no regex engine compiles) judges no body: the spec's fault.
UNCHECKABLE_SCHEMA = "the spec's request body schema cannot be checked"
# OpenAPI 3.0: `allowEmptyValue` defaults to false, so `q=` spells no value. A required query
# parameter whose schema admits "" cannot carry it: the spec's defect, not the client's.
EMPTY_REQUIRED = "required query parameter has an empty value, which the spec reads as absent"
# A form or multipart body spells no null, no empty array and no empty object (`a=` is "" or
# `[""]`): a required field holding one is not sent, and the server reads it as missing. A spec
# whose required field admits such a value (Twilio's nullable `UseCaseCategories` array) asks
# for what the encoding cannot carry.
FORM_EMPTY_REQUIRED = "a required form field whose value (null, [] or {}) a form cannot spell"
# Bracketed form keys (Stripe, deepObject) cannot spell every free-form key: `a[]=v` is an array
# item, not the key "", and a key holding `]` has no spelling (brackets are read after
# percent-decoding by Rack, PHP and the sandbox alike). The client sends the only spelling there
# is; a schema admitting such keys asks for what the encoding cannot carry.
UNSPELLABLE_KEY = "a key the bracketed form encoding cannot spell"
# A non-exploded array or object (`a=x,y`, `a=x|y`, `a=x%20y`) joins its items with the style's
# delimiter, and OpenAPI defines no escape for a delimiter inside an item: `["a,b"]` and
# `["a", "b"]` have the same spelling. Nor does any style but deepObject spell an array or object
# inside one (AWS query parameters, `Filter.1.Name=...` on the real API). The client sends its
# spelling (JSON for a nested item); no reader can get the value back.
UNSPELLABLE_VALUE = "a value its style cannot spell (a delimiter inside an item, or nesting)"
# A security requirement that ANDs two schemes which both take the Authorization header (basic +
# an OAuth2 bearer token): one request carries one such header, so no request can meet it.
UNMEETABLE_SECURITY = "no request can meet the security requirement"
# An HTTP scheme computed per request from a challenge or the request itself (`oauth`: an OAuth
# 1.0 signature, here.com; `digest`): the generator leaves it out, no fixed credential meets it.
UNCOMPUTABLE_SECURITY = "an HTTP authentication scheme computed per request, not sent:"
_AUTHORIZATION_KINDS = frozenset({"http", "oauth2", "openIdConnect"})


def _all_empty(value: Any) -> bool:
    """The empty string, or a non-empty array of them: a query spells only empty values."""
    return value == "" or (isinstance(value, list) and bool(value) and all(v == "" for v in value))


def _nested(value: Any) -> bool:
    """An array or object holding an array or object (AWS's `Filter: [{Name, Values}]`)."""
    items = (
        value.values() if isinstance(value, Mapping) else value if isinstance(value, list) else ()
    )
    return any(isinstance(item, Mapping | list) for item in items)


def _holds(items: Iterable[Any], delimiter: str) -> bool:
    """Whether an item's text holds `delimiter` (then the joined spelling is ambiguous)."""
    return any(delimiter in _scalar_text(item) for item in items)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def same(wire: Any, intended: Any) -> bool:
    """Whether the decoded wire text `wire` spells the JSON-shaped `intended` value."""
    if isinstance(intended, bytes):
        intended = intended.decode("utf-8", "replace")  # bytes go as their UTF-8 text
        if isinstance(wire, str):  # a form's octets, read back with surrogateescape
            wire = wire.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    wire = normal(wire, intended)
    if isinstance(intended, Mapping):
        # An empty key (`a[]=v`) reads as an array item in a deepObject: not compared.
        keys = {k for k, v in intended.items() if v is not None and k != ""}
        if isinstance(wire, list) and not keys:
            return True
        if not isinstance(wire, dict):
            return False
        wire = {k: v for k, v in wire.items() if k != ""}
        if not keys <= set(wire) or not set(wire) <= set(intended):
            return False
        return all(same(wire[k], intended[k]) for k in keys)
    if isinstance(intended, list):
        if isinstance(wire, str) and not intended:
            return wire == ""
        return (
            isinstance(wire, list)
            and len(wire) == len(intended)
            and all(same(w, i) for w, i in zip(wire, intended, strict=True))
        )
    if not isinstance(wire, str):
        return False
    if wire == _scalar_text(intended):
        return True
    if isinstance(intended, int | float) and not isinstance(intended, bool):
        try:
            return float(wire) == float(intended)
        except ValueError:
            return False
    return False


def prune(value: Any) -> Any:
    """`value` without what a form or deepObject cannot spell: nulls and empty containers."""
    if isinstance(value, Mapping):
        out = {k: prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None and v != {} and v != []}
    if isinstance(value, list):
        items = [prune(v) for v in value]
        return [v for v in items if v is not None and v != {} and v != []]
    return value


def _unspellable(value: Any, where: str) -> str | None:
    """The first nested key of `value` that `a[key]=v` cannot spell ("" or holding `]`)."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            if k == "" or "]" in str(k):
                return f"{where}[{k}]"
            found = _unspellable(v, f"{where}[{k}]")
            if found:
                return found
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found = _unspellable(v, f"{where}[{i}]")
            if found:
                return found
    return None


def _shape(p: Param, intended: Any) -> str:
    if intended is not None:
        return (
            "array"
            if isinstance(intended, list)
            else "object"
            if isinstance(intended, Mapping)
            else "scalar"
        )
    kind = p.schema.get("type")
    return kind if kind in ("array", "object") else "scalar"


def _deep(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """`a[b][]=1&a[c]=2` -> {"a": {"b": {"": ["1"]}, "c": "2"}} (`normal` turns the `""`-only
    and index-keyed objects into lists); repeated plain keys collect under `""` too."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        head, _, rest = key.partition("[")
        parts = [head] + ([p for p in rest[:-1].split("][")] if rest.endswith("]") else [])
        if rest and not rest.endswith("]"):
            parts = [key]
        node: Any = out
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if not isinstance(node, dict):
                break
            if part == "":
                items = node.setdefault("", [])
                if not isinstance(items, list):
                    break
                if last:
                    items.append(value)
                else:
                    items.append({})
                    node = items[-1]
                continue
            if last:
                if part in node:
                    old = node[part]
                    node[part] = {
                        "": (old[""] if isinstance(old, dict) and "" in old else [old]) + [value]
                    }
                else:
                    node[part] = value
            else:
                child = node.setdefault(part, {})
                if isinstance(child, str):
                    child = node[part] = {"": [child]}
                node = child
    return out


def normal(wire: Any, intended: Any) -> Any:
    """`wire` (one level) in the shape of `intended`: a `""`-only object (from `a[]=v`) is a list;
    an index-keyed object (`a[0][k]=v`) is a list only where a list is meant. An object is
    meant elsewhere (Stripe `metadata[6]=v` is the key "6"). Indexes may have gaps: the client
    numbers items before dropping the nulls and empty containers a form cannot spell."""
    if not isinstance(wire, dict):
        return wire
    if set(wire) == {""} and isinstance(wire[""], list):
        return wire[""]
    if isinstance(intended, list) and wire and all(k.isascii() and k.isdigit() for k in wire):
        return [wire[k] for k in sorted(wire, key=int)]
    return wire


class _Problems(list[str]):
    pass


def check_request(
    view: SpecView,
    method: str,
    template: str,
    base_url: str,
    request: httpx.Request,
    intended: Mapping[tuple[str, str], Any],
    intended_body: Any,
    body_given: bool,
    check_security: bool = True,
) -> list[str]:
    """Problems with `request` (empty when it is valid and spells `intended` exactly)."""
    problems = _Problems()
    if request.method.upper() != method.upper():
        problems.append(f"method {request.method} instead of {method.upper()}")
    base = urlsplit(base_url)
    url = request.url
    # the origin as httpx spells what it sends (host in lower case, no default port, no
    # user:password): `--base-url http://LocalHost:8000` filed every call as the client's
    meant = httpx.URL(base_url)
    if (url.scheme, url.host, url.port) != (meant.scheme, meant.host, meant.port):
        problems.append(
            f"sent to {url.scheme}://{url.host}{f':{url.port}' if url.port else ''} instead of"
            f" {meant.scheme}://{meant.host}{f':{meant.port}' if meant.port else ''}"
        )
    params = view.parameters(template, method)
    sent_path = url.raw_path.split(b"?")[0].decode("ascii")
    wire = split_key(template).wire  # a key's `?query` or `#fragment` is not part of the path
    _check_path(problems, sent_path, base.path, wire, params, intended)
    credentials = _credential_query(view, template, method)
    _check_query(problems, url.query.decode("ascii"), params, intended, credentials)
    _check_headers(problems, request, params, intended, view)
    _check_cookies(problems, request, params, intended, _credentials_in(view, template, method))
    if check_security:
        _check_security(problems, view, template, method, request)
    _check_body(problems, view, template, method, request, intended_body, body_given)
    return list(problems)


def _spells_content(text: str, value: Any, media_type: str) -> bool:
    """Whether `text` is a `content` parameter's `value`: its JSON text for a JSON media type;
    for any other (XML, `application/json-seq`...) the client takes the caller's encoded text
    and sends it as is, and a scalar as its text."""
    base = media_type.split(";")[0].strip().lower()
    if is_json_media(media_type) or base.endswith("/json"):  # as the runtime reads it
        try:
            return bool(json.loads(text) == value)
        except ValueError:
            return False
    if isinstance(value, str):
        return text == value
    return not isinstance(value, list | Mapping) and same(text, value)


def _read_simple(text: str, intended: Any, *, explode: bool) -> Any:
    """Read a `simple`-style value (path, header, cookie) back into the shape of ``intended``:
    arrays are comma-separated, objects `k=v,...` when exploded, else `k,v,...`."""
    if isinstance(intended, list):
        return text.split(",") if text else []
    if isinstance(intended, Mapping):
        items = text.split(",")
        if explode:
            return dict(i.split("=", 1) for i in items if "=" in i)
        return dict(zip(items[::2], items[1::2], strict=False))
    return text


def _check_path(
    problems: list[str],
    raw: str,
    prefix: str,
    template: str,
    params: list[Param],
    intended: Mapping[tuple[str, str], Any],
) -> None:
    # The base path is compared decoded, segment by segment: a base URL may spell it raw
    # (`/v2 beta`) or encoded, and the request carries it encoded (`/v2%20beta`).
    base = [unquote(s) for s in prefix.strip("/").split("/")] if prefix.strip("/") else []
    parts = raw.split("/")
    if (
        parts[0] != ""
        or len(parts) <= len(base) + 1
        or any(unquote(parts[i + 1]) != s for i, s in enumerate(base))
    ):
        problems.append(f"path {raw!r} is not under the base path {prefix.rstrip('/')!r}")
        return
    sent = ["", *parts[len(base) + 1 :]]
    expected = template.split("/")
    by_name = {p.name: p for p in params if p.location == "path"}
    sent = _spanned(sent, expected, by_name)
    if len(sent) != len(expected):
        problems.append(
            f"path {raw!r} has {len(sent) - 1} segments, {template!r} has {len(expected) - 1}"
        )
        return
    for segment, pattern in zip(sent, expected, strict=True):
        if "{" not in pattern:
            # both decoded: a path key may spell its literal encoded (`/files%20v2/{id}`)
            if unquote(segment) != unquote(pattern):
                problems.append(f"path segment {segment!r} instead of {pattern!r}")
            continue
        name = pattern[pattern.find("{") + 1 : pattern.find("}")]
        spanning = by_name.get(name)
        if spanning is not None and spanning.multi_segment and pattern == "{" + name + "}":
            # `/` kept, each segment its own
            if any(piece in (".", "..", "") for piece in segment.split("/")):
                problems.append(f"path segment {segment!r} for {pattern} changes the URL")
            value = intended.get(("path", name))
            if isinstance(value, str) and unquote(segment) != value:
                problems.append(f"path parameter {name}: sent {segment!r}, not {value!r}")
            continue
        if segment in (".", "..", ""):
            problems.append(f"path segment {segment!r} for {pattern} changes the URL")
        if pattern != "{" + name + "}":
            continue  # a partial segment (`{id}.json`): count checked above
        value = intended.get(("path", name))
        p = by_name.get(name)
        if p is None or value is None:
            continue
        if p.content_type:  # `content:`: the value as JSON text, or the caller's text
            if not _spells_content(unquote(segment), value, p.content_type):
                problems.append(
                    f"path parameter {name}: sent {segment!r}, not {p.content_type} {value!r}"
                )
            continue
        why = _path_unspellable(p, value)
        if why:
            problems.append(f"{UNSPELLABLE_VALUE}: path {name}={value!r} ({why})")
            continue
        # split as sent, then decoded (RFC 6570 encodes a delimiter inside an item), as the
        # sandbox reads it
        shape = isinstance(value, list), isinstance(value, Mapping)
        decoded = decoded_items(path_value(segment, p.style, bool(p.explode), *shape))
        if not same(decoded, value):
            problems.append(
                f"path parameter {name}: sent {segment!r}, which reads as {decoded!r}, not {value!r}"
            )


def _spanned(sent: list[str], expected: list[str], by_name: Mapping[str, Param]) -> list[str]:
    """`sent` with the segments a spanning value (`x-multi-segment`) filled joined into one, as
    the template has it."""
    spans = [
        i
        for i, pattern in enumerate(expected)
        if pattern.startswith("{")
        and pattern.endswith("}")
        and (p := by_name.get(pattern[1:-1])) is not None
        and p.multi_segment
    ]
    if len(spans) != 1 or len(sent) == len(expected):
        return sent
    (span,) = spans
    extra = len(sent) - len(expected)
    if extra < 0:
        return sent
    end = span + extra + 1
    return [*sent[:span], "/".join(sent[span:end]), *sent[end:]]


def _path_unspellable(p: Param, value: Any) -> str | None:
    """Why no `simple`, `label` or `matrix` segment spells the array or object `value`, or None.
    The client percent-encodes every delimiter inside an item but `.`, which is unreserved:
    an exploded `label` value (`.a.b`) cannot hold one."""
    if not isinstance(value, list | Mapping):
        return None
    if isinstance(value, list) and None in value:
        return "a null item"
    if _nested(value):
        return "nested"
    items = (
        [*map(str, value), *map(_scalar_text, value.values())]
        if isinstance(value, Mapping)
        else [_scalar_text(v) for v in value]
    )
    if p.style == "label" and p.explode and any("." in item for item in items):
        return "an item holding '.', the exploded label delimiter"
    if items and not "".join(items):
        return "only empty items"
    return None


def _check_query(
    problems: list[str],
    query: str,
    params: list[Param],
    intended: Mapping[tuple[str, str], Any],
    credentials: set[str],
) -> None:
    pairs = parse_qsl(query, keep_blank_values=True)
    claimed = [False] * len(pairs)
    # The members of exploded objects are spelled as top-level keys (`InstanceId=...`): one that
    # shares a name with another parameter (AWS `ModifyInstanceAttribute`: `Value` and
    # `EbsOptimized.Value`) makes the query ambiguous, whoever sends it.
    members = {
        str(k)
        for p in params
        if p.location == "query" and p.explode and p.style == "form" and not p.content_type
        for v in [intended.get(("query", p.name))]
        if isinstance(v, Mapping)
        for k in v
    }
    for p in (p for p in params if p.location == "query"):
        value = intended.get(("query", p.name))
        if p.style == "deepObject" and isinstance(value, list | Mapping):
            value = prune(value)  # nulls and empty containers have no deepObject spelling
            bad = _unspellable(value, p.name)
            if bad is not None:
                problems.append(f"{UNSPELLABLE_KEY}: query {bad!r}")
                for i, (k, _) in enumerate(pairs):  # still this parameter's pairs
                    if k == p.name or k.startswith(p.name + "["):
                        claimed[i] = True
                continue
        given = ("query", p.name) in intended and value is not None
        shape = _shape(p, value)
        mine = [i for i, (k, _) in enumerate(pairs) if k == p.name]
        null_item = isinstance(value, list) and None in value
        if (
            given
            and not p.content_type
            and (null_item or (p.style != "deepObject" and _nested(value)))
        ):
            # form/pipe/space styles spell scalars and one level of array or object only, and
            # no style spells a null item
            why = "a null item" if null_item else "nested"
            problems.append(f"{UNSPELLABLE_VALUE}: query {p.name}={value!r} ({why})")
            for i, (k, _) in enumerate(pairs):  # still this parameter's pairs
                if k == p.name or (isinstance(value, Mapping) and k in value):
                    claimed[i] = True
            continue
        if p.content_type:
            pass  # one JSON-encoded value under the parameter's own name
        elif p.style == "deepObject":
            mine = [
                i for i, (k, _) in enumerate(pairs) if k == p.name or k.startswith(p.name + "[")
            ]
        elif shape == "object" and p.explode and isinstance(value, Mapping):
            mine = [i for i, (k, _) in enumerate(pairs) if k in value]
        for i in mine:
            claimed[i] = True
        if (
            given
            and p.required
            and not p.allow_empty
            and not p.content_type
            and _all_empty(value)
            and mine
            and all(pairs[i] == (p.name, "") for i in mine)
        ):
            # "" or an array of "" (`tags=`, `tags=&tags=`): only empty-valued pairs
            problems.append(f"{EMPTY_REQUIRED}: {p.name}=")
            continue
        if not given:
            if mine:
                if p.name not in members:
                    problems.append(f"query parameter {p.name} sent though not given")
            elif p.required and ("query", p.name) in intended:
                # a null the schema allows: a query has no spelling for it
                problems.append(f"{UNSPELLABLE_VALUE}: query {p.name}=None (null)")
            elif p.required:
                problems.append(f"required query parameter {p.name} missing")
            continue
        if not mine:
            if not (isinstance(value, list | dict) and not value):
                problems.append(f"query parameter {p.name}={value!r} not sent")
            elif p.required and p.explode and shape == "object":
                # an exploded object's pairs are its members: `{}` spells nothing at all
                problems.append(f"{EMPTY_REQUIRED}: {p.name}={value!r} has no pair to send")
            continue
        texts = [pairs[i][1] for i in mine]
        decoded: Any
        if p.content_type and not is_json_media(p.content_type):
            if not _spells_content(texts[0], value, p.content_type):
                problems.append(f"query parameter {p.name}: sent {texts[0]!r}, not {value!r}")
            continue
        if p.content_type:
            try:
                decoded = json.loads(texts[0])
            except ValueError:
                problems.append(
                    f"query parameter {p.name} ({p.content_type}) is not JSON: {texts[0]!r}"
                )
                continue
            if decoded != value:
                problems.append(f"query parameter {p.name}: sent {decoded!r}, not {value!r}")
            continue
        if p.style == "deepObject" and isinstance(value, list | Mapping):
            decoded = _deep([pairs[i] for i in mine]).get(p.name, {})
        elif shape == "array":
            sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(p.style, ",")
            joined = not p.explode  # exploded, every style repeats the key: `a=1&a=2`
            if joined and isinstance(value, list) and _holds(value, sep):
                problems.append(f"{UNSPELLABLE_VALUE}: query {p.name}={value!r}")
                continue
            decoded = texts if not joined else texts[0].split(sep)
            if decoded == [""] and value == []:
                decoded = []  # `name=`: the empty list, not omitted
        elif shape == "object":
            if p.explode:
                others = {q.name for q in params if q.location == "query" and q is not p}
                # another exploded object's members land on the same keys too
                beside = {
                    k
                    for q in params
                    if q.location == "query" and q is not p and q.explode
                    for k in _mapping_keys(intended.get(("query", q.name)))
                }
                clash = sorted(
                    k
                    for k in (value if isinstance(value, Mapping) else ())
                    if (k in others and ("query", k) in intended) or k in beside
                )
                if clash:
                    problems.append(
                        f"{UNSPELLABLE_VALUE}: query {p.name}'s member {clash[0]!r} is also a "
                        "parameter"
                    )
                    continue
                decoded = {pairs[i][0]: pairs[i][1] for i in mine}
            else:  # `R,100,G,200`; pipe- and space-delimited objects join with their own
                sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(p.style, ",")
                if isinstance(value, Mapping) and _holds([*value, *value.values()], sep):
                    problems.append(f"{UNSPELLABLE_VALUE}: query {p.name}={value!r}")
                    continue
                items = texts[0].split(sep)
                decoded = dict(zip(items[::2], items[1::2], strict=False))
        else:
            if len(texts) != 1:
                if p.name in members:
                    problems.append(
                        f"{UNSPELLABLE_VALUE}: query {p.name} is also an exploded object's member"
                    )
                else:
                    problems.append(f"query parameter {p.name} sent {len(texts)} times")
                continue
            decoded = texts[0]
        if not same(decoded, value):
            problems.append(
                f"query parameter {p.name}: sent {texts!r}, which reads as {decoded!r}, not {value!r}"
            )
    for i, (key, _) in enumerate(pairs):
        if not claimed[i] and key.lower() not in credentials:
            problems.append(f"query parameter {key!r} is not declared by the operation")


def _credential_query(view: SpecView, template: str, method: str) -> set[str]:
    """The query names (lowercased) of the operation's `apiKey` schemes `in: query`: the client
    sends them beside the declared parameters."""
    return {name.lower() for name in _credentials_in(view, template, method, "query")}


def _credentials_in(view: SpecView, template: str, method: str, where: str = "cookie") -> set[str]:
    """The names of the operation's `apiKey` schemes `in: where`."""
    return {
        str(scheme.get("name", ""))
        for alt in view.security(template, method)
        for scheme in alt.values()
        if isinstance(scheme, Mapping)
        and scheme.get("type") == "apiKey"
        and scheme.get("in") == where
    }


def _check_headers(
    problems: list[str],
    request: httpx.Request,
    params: list[Param],
    intended: Mapping[tuple[str, str], Any],
    view: SpecView,
) -> None:
    for p in params:
        if p.location != "header":
            continue
        value = intended.get(("header", p.name))
        given = ("header", p.name) in intended and value is not None
        sent = request.headers.get(p.name)
        if not given:
            if sent is not None and IDEMPOTENCY_NAME(p.name) and not p.content_type:
                # a key the client made up for the call must be one the spec admits
                for error in view.errors(p.schema, sent):
                    problems.append(f"header {p.name}={sent!r} (made by the client): {error}")
            if p.required and sent is None and ("header", p.name) in intended:
                problems.append(f"{UNSPELLABLE_VALUE}: header {p.name}=None (null)")
            elif p.required and sent is None:
                problems.append(f"required header {p.name} missing")
            continue
        if sent is None:
            problems.append(f"header {p.name}={value!r} not sent")
            continue
        if p.name.lower() == "cookie" and isinstance(value, str) and sent.startswith(value):
            # a `Cookie` header parameter beside cookie parameters: the runtime sends one
            # Cookie field (RFC 6265 5.4), the caller's value then `; name=value` pairs
            rest = sent[len(value) :]
            if not rest or rest.startswith("; "):
                continue
        if p.content_type:
            if not _spells_content(sent, value, p.content_type):
                problems.append(f"header {p.name}: sent {sent!r}, not {p.content_type} {value!r}")
            continue
        if _unspellable_simple(value, explode=bool(p.explode)):
            problems.append(f"{UNSPELLABLE_VALUE}: header {p.name}={value!r}")
            continue
        decoded = _read_simple(sent, value, explode=bool(p.explode))
        if not same(decoded, value):
            problems.append(f"header {p.name}: sent {sent!r}, not {value!r}")


def _check_cookies(
    problems: list[str],
    request: httpx.Request,
    params: list[Param],
    intended: Mapping[tuple[str, str], Any],
    credentials: set[str],
) -> None:
    """Form-style cookies as the runtime and the sandbox spell them (decisions.md 56): `n=v`;
    `n=a,b` and `n=k,v` unexploded; exploded, one cookie per array item (`n=a; n=b`) and per
    object member (`k=v`). Values are percent-encoded and split on the literal `,` before they
    are decoded, so an item may hold a `,`."""
    pairs: list[tuple[str, str]] = []
    for header in request.headers.get_list("cookie"):
        for part in header.split(";"):
            name, sep, text = part.strip().partition("=")
            if sep and name:
                pairs.append((unquote(name), text))
    mine_all = [p for p in params if p.location == "cookie"]
    for p in mine_all:
        value = intended.get(("cookie", p.name))
        given = ("cookie", p.name) in intended and value is not None
        members = bool(p.explode) and not p.content_type and _shape(p, value) == "object"
        sent = [text for name, text in pairs if name == p.name]
        if not given:
            if p.required and ("cookie", p.name) in intended:
                problems.append(f"{UNSPELLABLE_VALUE}: cookie {p.name}=None (null)")
            elif p.required and not sent and not members:
                problems.append(f"required cookie {p.name} missing")
            continue
        if p.content_type:
            if len(sent) != 1 or not _spells_content(unquote(sent[0]), value, p.content_type):
                problems.append(f"cookie {p.name}: sent {sent!r}, not {p.content_type} {value!r}")
            continue
        why = _cookie_unspellable(p, value, {q.name for q in mine_all if q is not p} | credentials)
        if why:
            problems.append(f"{UNSPELLABLE_VALUE}: cookie {p.name}={value!r} ({why})")
            continue
        # (OpenAPI 3.2's `cookie` style: values go as given, never percent-encoded)
        decode: Callable[[str], str] = (lambda t: t) if p.style == "cookie" else unquote
        decoded: Any
        if members and isinstance(value, Mapping):
            decoded = {n: decode(t) for n, t in pairs if n in value}
        elif p.explode and isinstance(value, list):
            decoded = [decode(t) for t in sent]
        elif not sent:
            problems.append(f"cookie {p.name}={value!r} not sent")
            continue
        elif len(sent) > 1:
            problems.append(f"cookie {p.name} sent {len(sent)} times")
            continue
        elif isinstance(value, list | Mapping):  # unexploded: `n=a,b`, `n=k,v`
            items = [decode(t) for t in sent[0].split(",")] if sent[0] else []
            decoded = items
            if isinstance(value, Mapping):
                decoded = dict(zip(items[::2], items[1::2], strict=False))
        else:
            decoded = decode(sent[0])
        if not same(decoded, value):
            problems.append(f"cookie {p.name}: sent {sent or pairs!r}, not {value!r}")


def _cookie_unspellable(p: Param, value: Any, taken: set[str]) -> str | None:
    """Why no form-style cookie spells `value`, or None."""
    if isinstance(value, list) and None in value:
        return "a null item"
    if _nested(value):
        return "nested"
    if not p.explode and isinstance(value, list) and value and all(v == "" for v in value):
        return "only empty items: spelled as []"
    if p.explode and isinstance(value, Mapping):
        keys = [str(k) for k, v in value.items() if v is not None]
        if not keys and p.required:
            return "an exploded object's cookies are its members: it has none to send"
        if "" in keys:
            return "a member without a name"
        clash = sorted(k for k in keys if k in taken)
        if clash:
            return f"its member {clash[0]!r} is also a cookie"
    return None


def _unspellable_simple(value: Any, *, explode: bool = False) -> bool:
    """Whether a `simple`-style array or object has no spelling of its own: an item holding
    the `,` delimiter (or, exploded, a member name holding `=`), nesting or a null item, or
    only empty items (`[""]` is `` like `[]`)."""
    if isinstance(value, Mapping):
        items = [str(x) for pair in value.items() for x in pair]
        if explode and any("=" in str(k) for k in value):
            return True
    elif isinstance(value, list):
        if None in value:
            return True
        items = [str(x) for x in value]
    else:
        return False
    return _nested(value) or any("," in x for x in items) or (bool(items) and not "".join(items))


def _check_security(
    problems: list[str], view: SpecView, template: str, method: str, request: httpx.Request
) -> None:
    alternatives = view.security(template, method)
    if not alternatives or any(not alt for alt in alternatives):
        return
    # A requirement naming a scheme that `securitySchemes` does not define cannot be met; the
    # generator warns and sends the operation without credentials when none is left.
    alternatives = [alt for alt in alternatives if all(alt.values())]
    # Nor one naming a scheme the client cannot carry (computed per request): the generator
    # drops such a requirement too. A `mutualTLS` scheme is the connection's (nothing to see in
    # HTTP): the requirement's other schemes are sent.
    carried = [
        alt
        for alt in alternatives
        if all(usable(n, s) or s.get("type") == "mutualTLS" for n, s in alt.items())
    ]
    if not carried:
        names = " or ".join("+".join(alt) for alt in alternatives)
        if any(any(computed_http(s) for s in alt.values()) for alt in alternatives):
            problems.append(f"{UNCOMPUTABLE_SECURITY} {names}")
        elif any(any(transport_key(s) for s in alt.values()) for alt in alternatives):
            # (the generator leaves such a key out: a client failure it was, and exit 1)
            problems.append(
                f"{UNMEETABLE_SECURITY} {names}: an API key in a header the transport writes"
                " (Host, Content-Length...) cannot be sent"
            )
        return
    alternatives = carried
    meetable = [alt for alt in alternatives if _meetable(alt)]
    if not meetable:
        names = " or ".join("+".join(alt) for alt in alternatives)
        problems.append(
            f"{UNMEETABLE_SECURITY} {names}: its schemes all want the one Authorization header"
        )
        return
    alternatives = meetable
    query = {k for k, _ in parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True)}
    cookie = request.headers.get("cookie", "")
    for alt in alternatives:
        if all(_has_credential(s, request, query, cookie) for s in alt.values()):
            return
    names = " or ".join("+".join(alt) for alt in alternatives)
    problems.append(f"no credentials sent (the operation needs {names})")


def _meetable(requirement: Mapping[str, Mapping[str, Any]]) -> bool:
    """At most one of the ANDed schemes takes the Authorization header, or all of those that do
    take a bearer token (OAuth2, OpenID Connect, HTTP bearer): one token meets them all."""
    takers = [s for s in requirement.values() if s.get("type") in _AUTHORIZATION_KINDS]
    return len(takers) <= 1 or all(_bearer(s) for s in takers)


def _bearer(scheme: Mapping[str, Any]) -> bool:
    if scheme.get("type") == "http":
        return str(scheme.get("scheme", "")).lower() == "bearer"
    return True  # oauth2, openIdConnect


def _has_credential(
    scheme: Mapping[str, Any], request: httpx.Request, query: set[str], cookie: str
) -> bool:
    kind = scheme.get("type")
    if kind == "mutualTLS":  # a client certificate, carried by TLS: nothing to see in HTTP
        return True
    if kind == "apiKey":
        name = str(scheme.get("name", ""))
        where = scheme.get("in")
        if where == "query":
            return name in query
        if where == "cookie":
            return f"{name}=" in cookie
        return name in request.headers
    auth = str(request.headers.get("authorization", ""))
    if kind == "http":
        return auth.lower().startswith(str(scheme.get("scheme", "")).lower() + " ")
    return auth.lower().startswith("bearer ")


def _media_matches(sent: str, declared: str) -> bool:
    sent, declared = sent.lower(), declared.split(";")[0].strip().lower()
    if declared in ("*/*", sent):
        return True
    major, _, minor = declared.partition("/")
    return minor == "*" and sent.startswith(major + "/")


def _without_generated_key(data: Any, intended: Any, method: str) -> Any:
    """`data` less an idempotency key the client put in the body itself (a fresh one per call
    where the operation declares a body property for it and the case gave none)."""
    if method.lower() in ("get", "head", "options", "trace", "query"):
        return data
    if not isinstance(data, dict) or not isinstance(intended, Mapping):
        return data
    body = cast("dict[str, Any]", data)
    added = [k for k in body if k not in intended and IDEMPOTENCY_NAME(k)]
    return {k: v for k, v in body.items() if k not in added} if added else data


def _check_body(
    problems: list[str],
    view: SpecView,
    template: str,
    method: str,
    request: httpx.Request,
    intended: Any,
    given: bool,
) -> None:
    body = view.request_body(template, method)
    content = request.content
    ctype = request.headers.get("content-type", "")
    media = ctype.split(";")[0].strip().lower()
    if body is None:
        if content:
            problems.append(f"a {media or 'untyped'} body is sent but the operation declares none")
        return
    if not content:
        # An empty form (`Content-Type` set, no bytes) spells an object of empty values.
        if body.get("required") and given and not media:
            problems.append("the required request body is not sent")
        elif given and media:
            problems.extend(_empty_required(view, body, media, intended))
        return
    declared = list((body.get("content") or {}).keys())
    match = next((d for d in declared if _media_matches(media, d)), None)
    if match is None:
        problems.append(
            f"body sent as {media or 'no content type'}, the operation declares {declared}"
        )
        return
    media_object = view.deref(body["content"][match])
    schema = view.deref(media_object.get("schema", {})) if isinstance(media_object, Mapping) else {}
    base = match.split(";")[0].strip().lower()  # `application/json;charset=utf-8` too
    if base.endswith("json") or "+json" in base:
        try:
            data = json.loads(content)
        except ValueError:
            problems.append(f"body declared {match} is not JSON")
            return
        if isinstance(schema, Mapping):
            for error in view.errors(schema, data):
                if error.startswith(UNUSABLE):  # no verdict: the spec's schema is at fault
                    problems.append(f"{UNCHECKABLE_SCHEMA}: {error}")
                else:
                    problems.append(f"{SCHEMA_PROBLEM}: {error}")
        if given and _without_generated_key(data, intended, method) != intended:
            problems.append(f"JSON body {_short(data)} is not the given {_short(intended)}")
        return
    if not given or not isinstance(intended, Mapping):
        return
    encoding = media_object.get("encoding", {}) if isinstance(media_object, Mapping) else {}
    if media == "application/x-www-form-urlencoded":
        encoding = _with_implied(encoding, schema, view)
        # a form carries any octets (`format: binary`): read them back as they were sent
        text = content.decode("ascii", "replace")
        fields = _deep(parse_qsl(text, keep_blank_values=True, errors="surrogateescape"))
    elif media.startswith("multipart/"):
        fields = _multipart(ctype, content, problems)
    else:
        return
    # strings whose part is their document as written (`contentMediaType`): text, not JSON
    texts = text_parts(schema, view.deref) if media.startswith("multipart/") else set()
    form = media == "application/x-www-form-urlencoded"
    problems.extend(_empty_required(view, body, media, intended))
    unspelled: set[str] = set()  # roots of names read back as other keys
    for name, value in intended.items():
        if _deep([(name, "")]) != {name: ""}:
            # an undeclared property (sent through extra_body) whose name reads back as an
            # array item or a nested key (or as `a`: `a[`), in a form and in multipart part
            # names alike, as the reader here reads them; one it reads back whole (`a]b`,
            # `[Dh`) is checked as sent (helper 227: filed as the spec's, its value unchecked)
            problems.append(f"{UNSPELLABLE_KEY}: body {name!r}")
            unspelled.add(name.partition("[")[0])
            continue
        enc_style = encoding.get(name, {}).get("style") if isinstance(encoding, Mapping) else None
        enc = view.deref(encoding.get(name, {})) if isinstance(encoding, Mapping) else {}
        # Swagger 2.0's csv/ssv/pipes array in multipart: one part, the items joined
        joined = not form and isinstance(enc, Mapping) and "x-collectionFormat" in enc
        if not form and enc_style != "deepObject" and not joined:
            # `style` is for urlencoded forms (OpenAPI 3.0); in multipart only Stripe's
            # bracketed deepObject parts are read so (decisions.md "Multipart")
            enc_style = None
        json_field = isinstance(enc, Mapping) and "json" in str(enc.get("contentType", ""))
        json_field = json_field and name not in texts
        if (form or enc_style == "deepObject") and not json_field:  # JSON spells any value
            value = prune(value)
            bad = _unspellable(value, name)
            if bad is not None:
                problems.append(f"{UNSPELLABLE_KEY}: body {bad!r}")
                continue
        if media.startswith("multipart/") and enc_style is None and isinstance(value, list):
            value = [v for v in value if v is not None]  # a null item has no part to be
        sent = fields.get(name)
        if value is None or (
            (form or enc_style == "deepObject") and not json_field and value in ({}, [])
        ):
            continue
        if sent is None:
            if not (isinstance(value, list | dict) and not value):
                problems.append(f"body field {name}={_short(value)} not sent")
            continue
        if isinstance(value, list) and value and all(isinstance(v, bytes) for v in value):
            files = normal(sent, value)  # one file part per item, under the field's name
            files = [_octets(f) for f in (files if isinstance(files, list) else [files])]
            if files != value:
                problems.append(f"file field {name}: sent {_short(files)}, not {_short(value)}")
            continue
        implicit_json = media.startswith("multipart/") and enc_style is None
        if implicit_json and not json_field and isinstance(value, list):
            # OpenAPI 3.0: an array's parts take the default of its item type, one part per
            # item (an object item is a JSON part); not the whole array as one JSON part
            items = normal(sent, value)
            items = items if isinstance(items, list) else [items]
            if len(items) != len(value) or not all(
                _part_is(p, v) for p, v in zip(items, value, strict=True)
            ):
                problems.append(f"body field {name}: sent {_short(items)}, not {_short(value)}")
            continue
        if json_field and media.startswith("multipart/") and isinstance(value, list):
            # an array is one part per item in multipart, each the JSON of its item (the
            # runtime's and the sandbox's reading; the whole array as one part was expected)
            items = normal(sent, value)
            items = items if isinstance(items, list) else [items]
            try:
                ok = [json.loads(p) for p in items] == value
            except (TypeError, ValueError):
                ok = False
            if not ok:
                problems.append(
                    f"body field {name}: sent {_short(items)}, not JSON {_short(value)}"
                )
            continue
        if (json_field or (implicit_json and isinstance(value, dict | list))) and isinstance(
            sent, str | bytes
        ):
            try:
                ok = json.loads(sent) == value
            except ValueError:
                ok = False
            if not ok:
                problems.append(f"body field {name}: sent {_short(sent)}, not JSON {_short(value)}")
            continue
        if isinstance(value, bytes):
            sent = _octets(sent)
            if sent != value:
                problems.append(
                    f"file field {name}: {len(sent)} bytes sent, not the {len(value)} given"
                )
            continue
        if isinstance(sent, bytes):
            sent = sent.decode("utf-8", "replace")
        if (form or joined) and isinstance(value, list) and isinstance(sent, str):
            # an array field joined by its style (Swagger 2.0's default csv, explode: false)
            sep = _joined_by(enc)
            if sep is not None:
                if _holds(value, sep):
                    problems.append(f"{UNSPELLABLE_VALUE}: body {name}={_short(value)}")
                    continue
                sent = sent.split(sep) if sent else []
            elif not _bracketed(enc):
                sent = [sent]  # exploded: one pair per item, and this array has one
        elif (form or joined) and isinstance(value, dict) and isinstance(sent, str):
            # an object field not exploded: `name=k1,v1,k2,v2` (OpenAPI's form style), read
            # back by pairs (it was compared whole with the object: a client failure)
            sep = _joined_by(enc)
            if sep is not None:
                flat = [x for pair in value.items() if pair[1] is not None for x in pair]
                if _holds(flat, sep) or any(isinstance(x, dict | list) for x in flat):
                    problems.append(f"{UNSPELLABLE_VALUE}: body {name}={_short(value)}")
                    continue
                items = sent.split(sep) if sent else []
                sent = dict(zip(items[::2], items[1::2], strict=False))
        if not same(sent, value):
            problems.append(f"body field {name}: sent {_short(sent)}, not {_short(value)}")
    for name in fields:
        if name not in intended and name not in unspelled:
            problems.append(f"body field {name!r} sent though not given")


def _joined_by(enc: Any) -> str | None:
    """The delimiter a form field's encoding joins its items (or pairs) by when it does not
    explode them (`form` explodes by default), else None."""
    style = enc.get("style") if isinstance(enc, Mapping) else None
    style = style if isinstance(style, str) else "form"
    explode = enc.get("explode") if isinstance(enc, Mapping) else None
    if explode if isinstance(explode, bool) else style == "form":
        return None
    return {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")


def _empty_required(
    view: SpecView, body: Mapping[str, Any], media: str, intended: Any
) -> list[str]:
    """FORM_EMPTY_REQUIRED problems: the required fields of a form or multipart body given
    null, [] or {} (which such a body has no spelling for)."""
    if not isinstance(intended, Mapping) or not (
        media == "application/x-www-form-urlencoded" or media.startswith("multipart/")
    ):
        return []
    content = body.get("content") or {}
    match = next((d for d in content if _media_matches(media, d)), None)
    media_object = view.deref(content[match]) if match is not None else None
    if not isinstance(media_object, Mapping):
        return []
    required = _required(view, media_object.get("schema"))
    encoding = media_object.get("encoding")
    encoding = encoding if isinstance(encoding, Mapping) else {}
    problems = [
        f"{FORM_EMPTY_REQUIRED}: body {name}={_short(value)}"
        for name, value in intended.items()
        if name in required and _sends_nothing(value, media, encoding.get(name))
    ]
    if media == "application/x-www-form-urlencoded" and not problems:
        # bracketed fields nest: Stripe's `shipping_details[address]`, required, drawn as {}
        props = _object_shape(view, media_object.get("schema"), 0)[1]
        for name, value in intended.items():
            if _bracketed(encoding.get(name)) and isinstance(value, Mapping | list):
                problems += [
                    f"{FORM_EMPTY_REQUIRED}: body {where}={_short(inner)}"
                    for where, inner in _nested_unspelled(view, props.get(name), value, name, 0)
                ]
    return problems


def _nested_unspelled(
    view: SpecView, schema: Any, value: Any, where: str, depth: int
) -> list[tuple[str, Any]]:
    """(bracketed key, value) of the properties inside a bracketed form field that a schema
    (or any variant of it) requires and whose value spells nothing: the pair is not sent, so
    the object arrives without it."""
    found: list[tuple[str, Any]] = []
    if depth > 8:
        return found
    if isinstance(value, Mapping):
        required, props = _object_shape(view, schema, 0)
        for key, inner in value.items():
            at = f"{where}[{key}]"
            if key in required and _spells_nothing(inner):
                found.append((at, inner))
            elif isinstance(inner, Mapping | list):
                found += _nested_unspelled(view, props.get(key), inner, at, depth + 1)
    elif isinstance(value, list):
        node = view.deref(schema)
        items = node.get("items") if isinstance(node, Mapping) else None
        for index, inner in enumerate(value):
            found += _nested_unspelled(view, items, inner, f"{where}[{index}]", depth + 1)
    return found


def _object_shape(
    view: SpecView,
    schema: Any,
    depth: int,
    members: tuple[str, ...] = ("allOf", "anyOf", "oneOf"),
) -> tuple[set[str], dict[str, Any]]:
    """The names an object schema requires and its properties, over its `members` (by default
    `allOf` members and `anyOf`/`oneOf` variants alike: a name any variant requires counts)."""
    node = view.deref(schema)
    required: set[str] = set()
    props: dict[str, Any] = {}
    if not isinstance(node, Mapping) or depth > 16:
        return required, props
    own = node.get("required")
    required |= {str(n) for n in own} if isinstance(own, list) else set()
    declared = node.get("properties")
    if isinstance(declared, Mapping):
        props.update(declared)
    for keyword in members:
        for member in node.get(keyword) or ():
            more, more_props = _object_shape(view, member, depth + 1, members)
            required |= more
            for name, sub in more_props.items():
                props.setdefault(name, sub)
    return required, props


def _sends_nothing(value: Any, media: str, encoding: Any) -> bool:
    """Whether a form or multipart field holding `value` sends no pair or part at all, as the
    runtime writes it. A bracketed (deepObject) field spells nothing for null, nor for
    containers with nothing but such values inside (Box's required-but-undeclared
    `grant_type`, drawn as `[[]]`). Any other multipart field is one part per array item, null
    items skipped (openapi-generator's `fileType`, drawn as `[None]`), and any other value a
    part. A urlencoded field with a style of its own: null, [] and {}; one sent as JSON
    (`contentType: application/json`): nothing, JSON spells every value."""
    deep = isinstance(encoding, Mapping) and encoding.get("style") == "deepObject"
    if deep or (media == "application/x-www-form-urlencoded" and _bracketed(encoding)):
        return _spells_nothing(value)
    if media != "application/x-www-form-urlencoded":
        return value is None or (isinstance(value, list) and all(v is None for v in value))
    content_type = encoding.get("contentType") if isinstance(encoding, Mapping) else None
    if isinstance(content_type, str) and "json" in content_type.lower():
        return False  # JSON text, `null` and `{}` too
    return value is None or (isinstance(value, list | dict) and not value)


def _with_implied(encoding: Any, schema: Any, view: SpecView) -> dict[str, Any]:
    """A urlencoded body's `encoding`, plus the entry apigen implies for a field without one
    (`form_fields.repeats_keys`: an array of scalars is repeated keys)."""
    implied = dict(encoding) if isinstance(encoding, Mapping) else {}
    parts = [schema, *(schema.get("allOf") or [] if isinstance(schema, Mapping) else [])]
    for part in parts:  # the IR reads the properties of an `allOf` body merged
        part = view.deref(part)
        props = part.get("properties") if isinstance(part, Mapping) else None
        for name, prop in props.items() if isinstance(props, Mapping) else ():
            own = view.deref(implied.get(name))
            own = own if isinstance(own, Mapping) else {}
            # an entry of `contentType` only (a `style: null` is none either: the IR's reading)
            styled = isinstance(own.get("style"), str) or isinstance(own.get("explode"), bool)
            if not styled and repeats_keys(view.deref(prop), view.deref):
                implied[name] = {
                    **own,
                    **dict(zip(("style", "explode"), REPEATED_KEYS, strict=True)),
                }
    return implied


def _bracketed(encoding: Any) -> bool:
    """Whether a urlencoded field with this `encoding` entry is written as the runtime writes
    one without any: bracketed keys (deepObject), not a style's delimiters or JSON."""
    if not isinstance(encoding, Mapping):
        return True
    content_type = encoding.get("contentType")
    if isinstance(content_type, str) and "json" in content_type.lower():
        return False
    if encoding.get("style") is None and encoding.get("explode") is None:
        return True
    return encoding.get("style") == "deepObject"


def _spells_nothing(value: Any) -> bool:
    if isinstance(value, list):
        return all(_spells_nothing(v) for v in value)
    if isinstance(value, dict):
        return all(_spells_nothing(v) for v in value.values())
    return value is None


def _required(view: SpecView, schema: Any) -> set[str]:
    """The property names an object schema requires (its own and its `allOf` members')."""
    return _object_shape(view, schema, 0, ("allOf",))[0]


def _mapping_keys(value: object) -> list[str]:
    """The keys of an object parameter's value (nothing for any other value)."""
    return [str(k) for k in value] if isinstance(value, Mapping) else []


def _octets(sent: Any) -> Any:
    """A form field's text as the octets it spelled (multipart parts already are bytes)."""
    return sent.encode("utf-8", "surrogateescape") if isinstance(sent, str) else sent


def _part_is(part: Any, item: Any) -> bool:
    """Whether one multipart part spells one array item (JSON for an object or array)."""
    if isinstance(part, bytes):
        part = part.decode("utf-8", "replace")
    if isinstance(item, dict | list):
        try:
            return bool(json.loads(part) == item)
        except (TypeError, ValueError):
            return False
    return same(part, item)


def _multipart(ctype: str, content: bytes, problems: list[str]) -> dict[str, Any]:
    if "boundary=" not in ctype:
        problems.append("multipart body without a boundary")
        return {}
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + content
    )
    pairs: list[tuple[str, Any]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str):
            problems.append("multipart part without a name")
            continue
        data = payload if isinstance(payload, bytes) else b""
        name = _html5_name(name)
        if part.get_filename() is None and part.get_content_type() in (
            "text/plain",
            "application/json",
        ):
            pairs.append((name, data.decode("utf-8", "replace")))
        else:
            pairs.append((name, data))
    return _deep(pairs)  # deepObject-encoded fields: `expand[]`, `file_link_data[create]`


_HTML5_ESCAPE = re.compile("%(22|0[0-9A-F]|1[0-9ACDEF])")


def _html5_name(name: str) -> str:
    """A part name as HTML5 form encoding spells it (the runtime, httpx and browsers): `"` and
    control characters as `%XX`, any other `%` as is (Apacta's drawn key `J%73`...: reading
    every `%XX` made it `Js`...)."""
    return _HTML5_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), name)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
