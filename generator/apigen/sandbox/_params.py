"""Wire text -> JSON values, the way a server reads OpenAPI parameters and form bodies.

Everything a client sends is text; before a value can be checked against its schema it is
deserialized by parameter style (`simple`, `label`, `matrix`, `form`, `spaceDelimited`,
`pipeDelimited`, `deepObject`, and Stripe's bracketed `a[b][0]=v` keys) and then coerced
guided by the schema: `"3"` becomes `3` only where the schema wants a number, and for
`anyOf`/`oneOf` the first branch the coerced value fits is kept (Stripe's
`created` is `{gt: int} | int`, so `created=5` and `created[gt]=5` are both read right).
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any
from urllib.parse import unquote

from ._fits import Checker, declared_types
from ._forms import IndexList, _insert, _listify, split_key
from ._refs import RefError, Resolver, listed
from ._schema import infer

_INT = re.compile(r"^[+-]?\d+\Z", re.ASCII)
_FLOAT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\Z", re.ASCII)
_DELIMITERS = {"form": ",", "simple": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


class Coercer:
    """Schema-guided string -> typed value conversion for one document."""

    def __init__(self, resolver: Resolver, checker: Checker) -> None:
        self.resolver = resolver
        self.checker = checker

    def coerce(self, value: Any, schema: Any, depth: int = 0) -> Any:
        if depth > 32:
            return value
        try:
            node, _ = self.resolver.resolve(schema)
        except RefError:
            return value
        if not isinstance(node, Mapping):
            return value
        if value == "null" and not self.checker.fits(value, node) and self.checker.fits(None, node):
            # the text `null` where only null fits (`enum: [null]`, opc's AnEnumWithOnlyNull
            # items): frameworks read it as null, and a client has no other spelling
            return None
        for key in ("oneOf", "anyOf"):
            options = node.get(key)
            if isinstance(options, list) and options:
                for option in options:
                    candidate = self.coerce(value, option, depth + 1)
                    if self.checker.fits(candidate, option):
                        return candidate
                value = self.coerce(value, options[0], depth + 1)
        for member in listed(node.get("allOf")):
            value = self.coerce(value, member, depth + 1)
        types, nullable = declared_types(node, self.checker.nullable_keyword)
        if not types and "type" not in node:
            if isinstance(value, str) and ("enum" in node or "const" in node):
                # `{enum: [1, "a"]}`, `{const: 5}` with no `type`: the member the text spells
                members = listed(node.get("enum")) if "enum" in node else [node.get("const")]
                return _spelled(value, members)
            if any(k in node for k in ("oneOf", "anyOf", "allOf")):
                return value
            inferred = infer(node) if len(node) > 0 else None
            types = [inferred] if inferred else []
        if isinstance(value, IndexList) and "object" in types and "array" not in types:
            value = {str(i): item for i, item in enumerate(value)}  # `metadata[0]=v`: key "0"
        if isinstance(value, str):
            return _scalar(value, types, nullable, node, self, depth)
        if isinstance(value, dict):
            if "array" in types and value and all(k.isascii() and k.isdigit() for k in value):
                ordered = [value[k] for k in sorted(value, key=int)]
                return [self.coerce(v, node.get("items"), depth + 1) for v in ordered]
            if "array" in types and "object" not in types:  # one JSON part: a 1-item array
                return [self.coerce(value, node.get("items"), depth + 1)]
            if "object" in types or not types:
                props = node.get("properties")
                props = props if isinstance(props, Mapping) else {}
                extra = node.get("additionalProperties")
                return {
                    k: self.coerce(
                        v,
                        props[k] if k in props else extra if isinstance(extra, Mapping) else {},
                        depth + 1,
                    )
                    for k, v in value.items()
                }
            return value
        if isinstance(value, list) and ("array" in types or not types):
            return [self.coerce(v, node.get("items"), depth + 1) for v in value]
        scalar_types = {"number", "integer", "boolean"}
        if isinstance(value, int | float) and "array" in types and not scalar_types & set(types):
            # one JSON part holding a number: a 1-item array (`nums=[1]` is one part `1`;
            # answered 400 "not of type 'array'", as a dict part was before)
            return [self.coerce(value, node.get("items"), depth + 1)]
        return value


def _spelled(text: str, members: list[Any]) -> Any:
    """The enum member `text` spells (a string first, then a number's or a boolean's text, as a
    client writes them in a query or path), else the text."""
    if text in members:
        return text
    for member in members:
        if isinstance(member, bool):
            if text == ("true" if member else "false"):
                return member
        elif isinstance(member, int | float) and _FLOAT.match(text) and float(text) == member:
            return member
    return text


def _scalar(
    value: str,
    types: list[str],
    nullable: bool,
    node: Mapping[str, Any],
    coercer: Coercer,
    depth: int,
) -> Any:
    if "string" in types or not types:
        return value
    if "integer" in types and _INT.match(value):
        return int(value)
    if "number" in types and _FLOAT.match(value):
        number = float(value)
        return int(number) if _INT.match(value) else number
    if "boolean" in types and value in ("true", "false"):
        return value == "true"
    if "array" in types:
        return [coercer.coerce(value, node.get("items"), depth + 1)]
    if nullable and value in ("", "null"):
        return None
    return value


def split_delimited(value: str, style: str) -> list[str]:
    return value.split(_DELIMITERS.get(style, ","))


def query_value(
    pairs: list[tuple[list[str], str]], style: str, explode: bool, is_array: bool, is_object: bool
) -> Any:
    """One query parameter's value from its (split key, value) pairs (all share the name)."""
    if any(len(parts) > 1 for parts, _ in pairs):  # bracketed: deepObject or Stripe arrays
        root: dict[str, Any] = {}
        for parts, value in pairs:
            _insert(root, parts, value)
        found: Any = _listify(root[pairs[0][0][0]]) if pairs[0][0][0] in root else None
        return found
    values = [value for _, value in pairs]
    if is_array:
        if explode and style == "form":
            return values
        return [item for value in values for item in split_delimited(value, style)]
    if is_object and not explode:
        items = split_delimited(values[-1], style)
        return dict(zip(items[0::2], items[1::2], strict=False))
    return values[-1]


def decoded_items(value: Any) -> Any:
    """A styled value read from the text as sent, its items (and member names) decoded."""
    if isinstance(value, dict):
        return {unquote(str(k)): unquote(str(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [unquote(str(v)) for v in value]
    return unquote(value) if isinstance(value, str) else value


def path_value(raw: str, style: str, explode: bool, is_array: bool, is_object: bool) -> Any:
    """A path (or header) parameter's value for `simple`, `label` and `matrix` styles:

    label `.v`, `.a,b` / `.a.b` (exploded), `.k,v` / `.k=v.k2=v2`; matrix `;n=v`,
    `;n=a,b` / `;n=a;n=b` (exploded), `;n=k,v` / `;k=v;k2=v2`; simple `v`, `a,b`, `k,v` /
    `k=v,k2=v2`. The name in a matrix pair is not checked."""
    if style == "matrix":
        pairs = [p.partition("=") for p in raw.removeprefix(";").split(";")] if raw else []
        # (a name with no `=`, the style table's `;n`, is an empty array or object)
        if is_object and explode:
            return {k: v for k, sep, v in pairs if k and sep}
        if is_array and explode:
            return [v for _, sep, v in pairs if sep]
        text = pairs[0][2] if pairs else ""
        separator = ","
    elif style == "label":
        text = raw.removeprefix(".")
        separator = "." if explode else ","
    else:
        text, separator = raw, ","
    if is_array:
        return text.split(separator) if text else []
    if is_object:
        items = text.split(separator) if text else []
        if explode:
            return dict(item.partition("=")[::2] for item in items)
        return dict(zip(items[0::2], items[1::2], strict=False))
    return text


def cookie_pairs(header: str | None) -> list[tuple[str, str]]:
    """The Cookie header's pairs in order: names percent-decoded, values as sent (without a
    DQUOTE pair), for `cookie_value` to split on the literal `,` before decoding."""
    out: list[tuple[str, str]] = []
    for part in (header or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            out.append((unquote(name), value.strip().strip('"')))
    return out


def cookie_value(
    pairs: list[tuple[str, str]],
    name: str,
    explode: bool,
    is_array: bool,
    is_object: bool,
    members: Collection[str],
    *,
    as_given: bool = False,
) -> Any:
    """A `form`-style cookie parameter's value, or None when absent (decisions.md 56): `n=v`;
    unexploded `n=a,b` and `n=k,v`; exploded, one cookie per array item (`n=a; n=b`) and per
    object member (`k=v`, the cookies named in `members`). `as_given`: OpenAPI 3.2's `cookie`
    style, the same spellings with values not percent-decoded (they are sent as given)."""
    decode: Callable[[str], str] = (lambda text: text) if as_given else unquote
    if is_object and explode:
        return {n: decode(v) for n, v in pairs if n in members} or None
    mine = [v for n, v in pairs if n == name]
    if not mine:
        return None
    if is_array and explode:
        return [decode(v) for v in mine]
    if is_array or is_object:
        items = [decode(item) for item in mine[-1].split(",")] if mine[-1] else []
        return items if is_array else dict(zip(items[0::2], items[1::2], strict=False))
    return decode(mine[-1])


def request_json(data: str | bytes) -> Any:
    """A request's JSON as RFC 8259 has it: `NaN`/`Infinity` are no JSON (Python's reader
    takes them), and a document nested past the interpreter's recursion limit is refused as
    the bad input it is (a 400), not a `RecursionError` (a 500)."""
    try:
        return json.loads(data, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (RFC 8259)")


def _document(media: str) -> bool:
    """A media type holding structured text other than JSON (`application/xml`, `text/csv`)."""
    return any(word in media for word in ("xml", "yaml", "csv", "html"))


def parse_multipart(
    body: bytes,
    content_type: str,
    documents: set[str] | None = None,
    texts: Collection[str] = (),
) -> dict[str, Any]:
    """A multipart/form-data body as nested data; file parts become their text (or "").

    `documents` collects the names of parts sent as an XML, YAML, CSV... document: their text
    holds data the sandbox does not parse, so their schema is not checked against it."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    boundary = message.get_boundary()
    if boundary and body.strip() == f"--{boundary}--".encode():
        return {}  # no part at all: an empty form (a required body whose fields are optional)
    if not message.is_multipart():
        raise ValueError("not a multipart body (no boundary, or no parts)")
    root: dict[str, Any] = {}
    repeated: dict[str, list[Any]] = {}  # plain names: one part per array item (JSON or not)
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            raise ValueError("a multipart part has no name")
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        value: Any
        if part.get_filename() is not None or part.get_content_type() == "application/octet-stream":
            value = data.decode("latin-1")
        elif part.get_content_type().endswith("json") and name not in texts:
            # (`texts`: strings whose `contentMediaType` makes the part their document as
            # written: the JSON text is the string's value, checked as a string)
            value = request_json(data or b"null")
        else:
            value = data.decode("utf-8", "replace")
            if documents is not None and _document(part.get_content_type()):
                documents.add(name)
        keys = split_key(name)
        if len(keys) == 1:
            repeated.setdefault(name, []).append(value)
        else:  # bracketed names (`file_link_data[create]`, Stripe's deepObject parts)
            _insert(root, keys, value)
    out = {key: _listify(value) for key, value in root.items()}
    for key, values in repeated.items():
        out[key] = values[0] if len(values) == 1 else values
    return out
