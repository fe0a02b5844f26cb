"""Operation -> HTTP response: status, headers and encoded body.

Picks the status a client expects on success (lowest 2xx, else `default` as 200, else the
lowest declared final code; never a 1xx, which is interim), the media type it most likely parses (the request's Accept if offered,
else JSON), and a body: static (the spec's own example, else the canonical synthesized value),
a named example, or dynamic (drawn from the schema with variety, see `ExampleGenerator`).

Error bodies (`error_reply`) take the shape of the operation's declared response for that
status (else its `NXX`, another 4xx, or `default`; else the error schema most used across the
document), with the message written into the most plausible string field (`message`,
`detail`, ...), so clients parse sandbox errors exactly like the real API's.
"""

from __future__ import annotations

import copy
import json
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard, cast
from xml.sax.saxutils import escape

from ..spec.streams import (
    events_are_text,
    frame_events,
    frame_json_lines,
    is_event_stream,
    is_json_lines,
    record_schema,
)
from ._examples import ExampleGenerator
from ._forms import encode_form
from ._refs import RefError, escape_token
from ._schema import is_missing, json_data

_NO_BODY = frozenset({204, 205, 304})
#: Error bodies are synthesized down to this depth (deeper objects: required parts only).
ERROR_DEPTH = 3
#: Sent with a body drawn where the schema admits no valid value (`ExampleGenerator.generate`'s
#: notes): the spec's fault, which `apigen contract` reports as such.
SPEC_PROBLEM_HEADER = "X-Sandbox-Spec-Problem"
#: ... and, starting its value, with a request that several keys sending one path accept alike
#: while they declare other responses (`Sandbox._accepting`): no body fits them all.
TWIN_KEYS = "keys that take the same requests declare different responses"
#: The refusal's reason, sent when the error schema has no place for it (an array, a string).
ERROR_HEADER = "X-Sandbox-Error"
_MESSAGE_KEYS = (
    "message",
    "detail",
    "error_description",
    "error_message",
    "description",
    "msg",
    "title",
    "reason",
    "error",
)
_PARAM_KEYS = ("param", "parameter", "field")
#: An error body's echo of the HTTP status (problem+json's `status`, RFC 9457 3.1.2).
_STATUS_KEYS = frozenset({"status", "status_code", "statuscode", "http_status", "httpstatus"})


def _dicts(value: Any, depth: int = 0) -> list[dict[str, Any]]:
    """`value` and the objects nested in it, three levels deep (where error envelopes sit)."""
    if not isinstance(value, dict) or depth > 3:
        return []
    found = [value]
    for item in value.values():
        found += _dicts(item, depth + 1)
    return found


_TYPE_VALUES = ("invalid_request_error", "invalid_request", "validation_error", "bad_request")
# Framing headers are the server's own; `Content-Encoding: gzip` (Notion's recorded headers)
# would make clients try to decompress a body the sandbox never compresses.
_SKIPPED_HEADERS = frozenset(
    {"content-type", "content-length", "content-encoding", "transfer-encoding", "connection"}
)


@dataclass(frozen=True)
class Reply:
    """A complete response; `headers` never holds Content-Length (the server adds it)."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body)


def status_key(responses: Mapping[str, Any], status: int | None = None) -> tuple[str, int] | None:
    """The responses key to use and the status code to send (None if nothing is declared).

    With `status` given, that exact code, its `NXX` range or `default` is looked up instead.
    """
    keys = {str(k): k for k in responses}
    if status is not None:
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            for candidate in (key, key.lower()):
                if candidate in keys:
                    return candidate, status
        return None
    # A 1xx is interim (RFC 9110 section 15.2): sent as the answer, clients wait on for the
    # final one (`101` switches protocols), so an operation documenting only 1xx has no answer.
    codes = sorted((c, k) for k in keys if (c := _code(k)) is not None and c >= 200)
    success = [(c, k) for c, k in codes if 200 <= c < 300]
    if success:
        return success[0][1], success[0][0]
    if "default" in keys:
        return "default", 200
    if codes:
        return codes[0][1], codes[0][0]
    return None


def simple_text(value: Any, *, explode: bool) -> str:
    """A header value in OpenAPI's `simple` style: an array `a,b`; an object `k,v,k2,v2`, or
    `k=v,k2=v2` exploded (it was JSON text, which no reader of the style parses)."""
    if isinstance(value, list):
        return ",".join(_scalar_text(v) for v in value if v is not None)
    if isinstance(value, dict):
        pairs = [(str(k), _scalar_text(v)) for k, v in value.items() if v is not None]
        if explode:
            return ",".join(f"{k}={v}" for k, v in pairs)
        return ",".join(x for pair in pairs for x in pair)
    return _scalar_text(value)


def _scalar_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def _code(key: str) -> int | None:
    if not key.isascii():  # `"²00"` is no status code (str.isdigit() takes superscripts)
        return None
    if key.isdigit():
        return int(key)
    if len(key) == 3 and key[0].isdigit() and key[1:].upper() == "XX":
        return int(key[0]) * 100
    return None


def choose_media(content: Mapping[str, Any], accept: str | None) -> str | None:
    """The media type to answer with: one the client asked for, else JSON, else the first."""
    types = [str(t) for t in content]
    if not types:
        return None
    if accept:
        for wanted in (part.split(";")[0].strip().lower() for part in accept.split(",")):
            for media in types:
                if media.split(";")[0].strip().lower() == wanted:
                    return media
    for media in types:
        if media.split(";")[0].strip().lower() == "application/json":
            return media
    for media in types:
        if is_json(media):
            return media
    return types[0]


def is_json(media: str) -> bool:
    base = media.split(";")[0].strip().lower()
    return base.endswith("/json") or base.endswith("+json") or base == "*/*"


def _concrete(media: object) -> str:
    """A declared JSON media type as a Content-Type: a wildcard (`*/*`) says JSON."""
    return "application/json" if "*" in str(media) else str(media)


class UnknownExample(LookupError):
    """`Prefer: example=NAME` names no example of the chosen response."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"no example named {name!r} (declared: {', '.join(known) or 'none'})")


class Responder:
    """Builds `Reply`s for the operations of one document (see module docstring)."""

    def __init__(self, generator: ExampleGenerator) -> None:
        self.generator = generator
        self.resolver = generator.resolver
        self._headers_cache: dict[str, dict[str, str]] = {}
        self._common_error: tuple[str, Any, str] | None = None
        self._error_templates: dict[str, Any] = {}
        self._lock = threading.Lock()

    def reply(
        self,
        operation: Mapping[str, Any],
        pointer: str,
        *,
        status: int | None = None,
        accept: str | None = None,
        draw: str | None = None,
        example: str | None = None,
    ) -> Reply | None:
        """The response for `operation` (at JSON pointer `pointer`); None if `status` is undeclared.

        `draw` (any text, e.g. a request counter) asks for a dynamic body drawn with that salt;
        `example` for the named example (raises `UnknownExample`).
        """
        # YAML reads unquoted status codes as ints: look responses up by their text
        responses = {str(k): v for k, v in self._resolve(operation.get("responses")).items()}
        picked = status_key(responses, status)
        if picked is None:
            return None if status is not None else Reply(204)
        key, code = picked
        response = self._resolve(responses[key])
        where = f"{pointer}/responses/{escape_token(key)}"
        headers = dict(self._cached_headers(response, where))
        content = response.get("content")
        if code in _NO_BODY or code < 200 or not isinstance(content, Mapping) or not content:
            return Reply(code, headers)
        media = choose_media(content, accept)
        if media is None:
            return Reply(code, headers)
        media_object = self._resolve(content[media])
        media_where = f"{where}/content/{escape_token(media)}"
        notes: list[str] = []
        if example is None and (is_event_stream(media) or is_json_lines(media)):
            headers["Content-Type"] = media
            body = self._stream(media, media_object, media_where, draw, notes)
            return Reply(code, _with_notes(headers, notes), body)
        if example is not None:
            value = self._named(media_object, example)
        elif draw is not None and media_object.get("schema") is not None:
            value = self.generator.generate(
                media_object["schema"], key=f"{media_where}/schema#{draw}", vary=True, notes=notes
            )
        else:
            value = self._value(media_object, media_where, notes)
        content_type, body = self._encode(media, media_object, value, where)
        headers["Content-Type"] = content_type
        return Reply(code, _with_notes(headers, notes), body)

    def switched_media(self, operation: Mapping[str, Any], streams: bool) -> str | None:
        """For a request whose `stream` flag is `streams`: the media type to answer with when
        a 2xx offers both a stream (events, JSON lines) and another representation (the
        stream when the flag is true, else the other); None when no 2xx offers both."""
        responses = self._resolve(operation.get("responses"))
        for key, response in sorted(responses.items(), key=lambda item: str(item[0])):
            if not str(key).startswith("2"):
                continue
            content = self._resolve(response).get("content")
            media = [str(m) for m in content] if isinstance(content, Mapping) else []
            # events before JSON lines, as the IR reads them
            stream = sorted(
                (m for m in media if is_event_stream(m) or is_json_lines(m)), key=is_json_lines
            )
            other = [m for m in media if m not in stream]
            if stream and other:
                return stream[0] if streams else other[0]
        return None

    def _stream(
        self,
        media: str,
        media_object: Mapping[str, Any],
        where: str,
        draw: str | None,
        notes: list[str],
    ) -> bytes:
        """A stream of one to three records, each drawn from the record schema: server-sent
        events (`data:` JSON, or the text itself for a string schema) or JSON lines."""
        lines = is_json_lines(media)
        schema = record_schema(media_object) if lines else media_object.get("schema")
        keyword = "itemSchema" if lines and "itemSchema" in media_object else "schema"
        salt = draw if draw is not None else ""
        count = 1 + sum(salt.encode()) % 3 if draw is not None else 2
        values = [
            self.generator.generate(
                schema, key=f"{where}/{keyword}#{salt}/{i}", vary=draw is not None, notes=notes
            )
            if schema is not None
            else {"record": i}
            for i in range(count)
        ]
        if lines:
            return frame_json_lines(values, media)
        resolved = self._resolve(schema) if schema is not None else {}
        if events_are_text(schema, resolved):  # the data as it is
            return frame_events([v if isinstance(v, str) else json.dumps(v) for v in values])
        return frame_events([json.dumps(v, ensure_ascii=False) for v in values])

    def _resolve(self, node: Any) -> Mapping[str, Any]:
        try:
            target, _ = self.resolver.resolve(node)
        except RefError:
            return {}
        return target if isinstance(target, Mapping) else {}

    def _value(
        self, media_object: Mapping[str, Any], where: str, notes: list[str] | None = None
    ) -> Any:
        """The media type's `example`, else the first `examples` entry, else synthesized.

        Spec examples that contradict their own schema (a fifth of GitHub's: missing required
        fields, null where not nullable) are skipped, since typed clients would reject them.
        """
        schema = media_object.get("schema")
        candidates: list[Any] = []
        if "example" in media_object:
            candidates.append(media_object["example"])
        examples = media_object.get("examples")
        if isinstance(examples, Mapping):
            for example in examples.values():
                resolved = self._resolve(example)
                if "value" in resolved:
                    candidates.append(resolved["value"])
        for candidate in candidates:
            data = json_data(candidate)
            if not is_missing(data) and (schema is None or self.generator.fits(data, schema)):
                return data
        if schema is None:
            return None
        return self.generator.generate(schema, key=f"{where}/schema", notes=notes)

    def _named(self, media_object: Mapping[str, Any], name: str) -> Any:
        examples = media_object.get("examples")
        examples = examples if isinstance(examples, Mapping) else {}
        if name in examples:
            resolved = self._resolve(examples[name])
            data = json_data(resolved.get("value"))
            return None if is_missing(data) else data
        raise UnknownExample(name, [str(k) for k in examples])

    # -- errors ---------------------------------------------------------------------------

    def error_reply(
        self,
        operation: Mapping[str, Any] | None,
        pointer: str | None,
        status: int,
        message: str,
        name: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """An error response shaped like the spec's error schema (see module docstring)."""
        extra = dict(headers or {})
        text = self._text_error(operation, status)
        if text is not None:  # Box's `/authorize` declares only `text/html`, `default` too
            return Reply(status, {"Content-Type": text, **extra}, message.encode())
        found = self._error_schema(operation, pointer, status)
        if found is None:
            found = self._document_error()
        if found is None:
            payload: Any = {"message": message, "status": status}
            if name:
                payload["param"] = name
            return Reply(status, {"Content-Type": "application/json", **extra}, _dumps(payload))
        key, schema, media = found  # the declared JSON media type (`application/problem+json`)
        template = self._error_templates.get(key)
        if template is None:  # generated once (shallow: errors need no deep objects), then copied
            template = self.generator.generate(schema, key=f"{key}#error", depth=ERROR_DEPTH)
            pruned = self._prune(copy.deepcopy(template), schema, 0)
            if self.generator.checker.fits(pruned, schema):
                template = pruned
            self._error_templates[key] = template
        value = copy.deepcopy(template)
        if not isinstance(value, dict):  # an error that is not an object has no message slot:
            if value is None or not self.generator.checker.fits(value, schema):
                value = {"message": message, "status": status}
            else:  # the drawn value, valid; the reason goes in a header
                extra[ERROR_HEADER] = message.encode("ascii", "backslashreplace").decode()[:2000]
        else:
            value = self._inject(value, schema, message, name, status)
        return Reply(status, {"Content-Type": media, **extra}, _dumps(value))

    def _text_error(self, operation: Mapping[str, Any] | None, status: int) -> str | None:
        """The `text/*` media type of the response an error's status is taken from (its code,
        `NXX`, another 4xx, `default`: the first declared with content), when that response
        declares no JSON and its text schema is a plain string: the message is the body."""
        if operation is None:
            return None
        responses = {str(k): v for k, v in self._resolve(operation.get("responses")).items()}
        order = [str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx"]
        order += sorted(k for k in responses if k.startswith("4") and k not in order)
        order.append("default")
        for key in order:
            content = self._resolve(responses.get(key)).get("content")
            if not isinstance(content, Mapping) or not content:
                continue
            if any(is_json(str(media)) for media in content):
                return None
            for media, media_object in content.items():
                schema = self._resolve(self._resolve(media_object).get("schema"))
                plain = schema.get("type") in (None, "string") and not any(
                    k in schema for k in ("enum", "const", "pattern", "minLength", "maxLength")
                )
                if str(media).lower().startswith("text/") and plain:
                    return str(media)
            return None
        return None

    def _error_schema(
        self, operation: Mapping[str, Any] | None, pointer: str | None, status: int
    ) -> tuple[str, Any, str] | None:
        if operation is None or pointer is None:
            return None
        responses = {str(k): v for k, v in self._resolve(operation.get("responses")).items()}
        # The status's own response, its range, then `default` (what OpenAPI, the client and
        # every validator read an undeclared status by); another 4xx's shape only without those.
        order = [str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx", "default"]
        order += sorted(k for k in responses if k.startswith("4") and k not in order)
        for key in order:
            if key not in responses:
                continue
            content = self._resolve(responses[key]).get("content")
            if not isinstance(content, Mapping):
                continue
            for media, media_object in content.items():
                schema = self._resolve(media_object).get("schema")
                if is_json(str(media)) and schema is not None:
                    return f"{pointer}/responses/{escape_token(key)}", schema, _concrete(media)
        return None

    def _document_error(self) -> tuple[str, Any, str] | None:
        """The error schema most operations use (for 404/405/414, which have no operation)."""
        with self._lock:
            if self._common_error is None:
                counts: Counter[str] = Counter()
                inline: dict[str, Any] = {}
                media_of: dict[str, str] = {}  # the media type each error schema is first under
                paths = self.resolver.document.get("paths")
                for item in paths.values() if isinstance(paths, Mapping) else ():
                    for operation in self._resolve(item).values():
                        if not isinstance(operation, Mapping):
                            continue
                        responses = operation.get("responses")
                        for code, response in (
                            responses.items() if isinstance(responses, Mapping) else ()
                        ):
                            if not (str(code).startswith("4") or str(code) == "default"):
                                continue
                            content = self._resolve(response).get("content")
                            for media, media_object in (
                                content.items() if isinstance(content, Mapping) else ()
                            ):
                                if not is_json(str(media)):
                                    continue
                                schema = self._resolve(media_object).get("schema")
                                if not isinstance(schema, Mapping):
                                    continue
                                ref = schema.get("$ref")
                                if not isinstance(ref, str):
                                    ref = "inline:" + json.dumps(schema, sort_keys=True)[:2000]
                                    inline[ref] = schema
                                counts[ref] += 1
                                media_of.setdefault(ref, _concrete(media))
                best = counts.most_common(1)
                if not best:
                    self._common_error = ("", None, "")
                else:
                    key = best[0][0]
                    schema = inline.get(key) or {"$ref": key}
                    self._common_error = (
                        "#/sandbox-error" if key in inline else key,
                        schema,
                        media_of[key],
                    )
        return self._common_error if self._common_error[1] is not None else None

    def _prune(self, value: Any, schema: Any, depth: int) -> Any:
        """Drop optional object/array properties: an error body needs its scalars, not Stripe's
        whole `payment_intent` (keeps errors small and cheap to answer)."""
        if not isinstance(value, dict) or depth > 8:
            return value
        props, required, _ = self.generator.shape(schema)
        for key in list(value):
            if key not in required and isinstance(value[key], dict | list):
                del value[key]
            elif key in props:
                value[key] = self._prune(value[key], props[key], depth + 1)
        return value

    def _inject(
        self, value: Any, schema: Any, message: str, name: str | None, status: int = 0
    ) -> Any:
        """Write `message` (and the parameter name, and the HTTP status where the body has an
        integer `status`: RFC 9457 has it match the response's) into `value`, keeping it valid
        if possible."""
        if not isinstance(value, dict):
            return {"message": message} if value is None else value
        slots: list[tuple[int, int, dict[str, Any], str]] = []
        queue: list[tuple[dict[str, Any], int]] = [(value, 0)]
        while queue:
            node, depth = queue.pop(0)
            for key, item in node.items():
                if isinstance(item, dict) and depth < 3:
                    queue.append((item, depth + 1))
                if isinstance(item, str | None) and key.lower() in _MESSAGE_KEYS:
                    slots.append((_MESSAGE_KEYS.index(key.lower()), depth, node, key))
        checker = self.generator.checker
        for _, _, node, key in sorted(slots, key=lambda s: (s[0], s[1])):
            before = node[key]
            node[key] = message
            if checker.fits(value, schema):
                break
            node[key] = before
        else:
            if not slots and checker.fits({**value, "message": message}, schema):
                value["message"] = message
        if status:
            for node in _dicts(value):
                for key, item in node.items():
                    if key.lower() in _STATUS_KEYS and type(item) is int and item != status:
                        node[key] = status
                        if not checker.fits(value, schema):
                            node[key] = item
        for node, key, wanted in _walk_strings(value):
            before = node[key]
            if key.lower() in _PARAM_KEYS and name:
                node[key] = name
            elif key.lower() == "type" and wanted:
                node[key] = wanted
            else:
                continue
            if not checker.fits(value, schema):
                node[key] = before
        # optional strings still holding the drawn placeholder, their own name (Stripe's
        # `"param": "param"` on a 401, `"doc_url": "doc_url"`: helper 229): left out
        self._drop_placeholders(value, schema, value, schema, 0)
        return value

    def _drop_placeholders(
        self, node: dict[str, Any], schema: Any, whole: Any, whole_schema: Any, depth: int
    ) -> None:
        """Leave out `node`'s optional strings holding their own name (the drawn placeholder),
        in nested objects and array items too (JSON:API's `errors[]`), where the schema
        holds no keyword the quick check cannot judge (`dependentRequired`, `if`, `not`,
        `oneOf`...: the last review found a body made invalid so)."""
        if depth > 3 or _opaque(schema, self._resolve):
            return
        props, required, _ = self.generator.shape(schema)
        for key in list(node):
            item = node[key]
            sub = props.get(key)
            if item == key and key not in required:
                node.pop(key)
                if not self.generator.checker.fits(whole, whole_schema):
                    node[key] = item
            elif isinstance(item, dict) and sub is not None:
                self._drop_placeholders(
                    cast("dict[str, Any]", item), sub, whole, whole_schema, depth + 1
                )
            elif isinstance(item, list) and sub is not None:
                items = self._resolve(sub).get("items")
                for element in item:
                    if isinstance(element, dict) and items is not None:
                        self._drop_placeholders(
                            cast("dict[str, Any]", element), items, whole, whole_schema, depth + 1
                        )

    def _cached_headers(self, response: Mapping[str, Any], where: str) -> dict[str, str]:
        found = self._headers_cache.get(where)
        if found is None:
            found = self._headers_cache[where] = self._headers(response, where)
        return found

    def _headers(self, response: Mapping[str, Any], where: str) -> dict[str, str]:
        """Declared response headers (e.g. GitHub's Link), so clients reading them get values."""
        out: dict[str, str] = {}
        declared = response.get("headers")
        for name, raw in declared.items() if isinstance(declared, Mapping) else ():
            header = self._resolve(raw)
            if str(name).lower() in _SKIPPED_HEADERS or not header:
                continue
            value = self._value(header, f"{where}/headers/{escape_token(str(name))}")
            if value is None:
                continue
            if "content" in header:  # `content: {application/json: ...}`: the JSON text
                text = value if isinstance(value, str) else json.dumps(value)
            else:
                text = simple_text(value, explode=header.get("explode") is True)
            out[str(name)] = " ".join(text.split())  # header values cannot carry newlines
        return out

    def _encode(
        self, media: str, media_object: Mapping[str, Any], value: Any, where: str
    ) -> tuple[str, bytes]:
        base = media.split(";")[0].strip().lower()
        if "*" in base:
            binary = _is_binary(self._resolve(media_object.get("schema")))
            media = base = "application/octet-stream" if binary else "application/json"
        if is_json(base):
            return media, json.dumps(value, ensure_ascii=False).encode()
        if base.endswith("/xml") or base.endswith("+xml"):
            if _written_document(media_object, value):
                return media, value.encode()  # the spec's own example, as written
            schema = self._resolve(media_object.get("schema"))
            xml = schema.get("xml")
            root = str(xml.get("name")) if isinstance(xml, Mapping) and xml.get("name") else "root"
            return media, ('<?xml version="1.0" encoding="UTF-8"?>' + _to_xml(root, value)).encode()
        if base == "application/x-www-form-urlencoded":
            return media, encode_form(
                value if isinstance(value, Mapping) else {"value": value}
            ).encode()
        if base.startswith("text/") or base in ("application/yaml", "application/x-yaml"):
            text = value if isinstance(value, str) else "" if value is None else json.dumps(value)
            return (media if "charset" in media else f"{media}; charset=utf-8"), text.encode()
        if "example" in media_object and isinstance(value, str):
            return media, value.encode()
        return media, self.generator.random_bytes(where)


# keywords `fits` (a quick check) does not judge: a body it passes may still break them
_OPAQUE_KEYWORDS = frozenset(
    {"dependentRequired", "dependencies", "dependentSchemas", "if", "not", "oneOf", "anyOf"}
    | {"unevaluatedProperties", "patternProperties", "propertyNames", "minProperties"}
)


def _opaque(schema: Any, resolve: Any) -> bool:
    """Whether `schema` (its `$ref` and `allOf` members followed, one level) holds a keyword
    the quick check does not judge."""
    node = resolve(schema) if isinstance(schema, Mapping) else {}
    parts = [node, *(resolve(m) for m in node.get("allOf") or [] if isinstance(m, Mapping))]
    return any(isinstance(p, Mapping) and not _OPAQUE_KEYWORDS.isdisjoint(p) for p in parts)


def _with_notes(headers: dict[str, str], notes: list[str]) -> dict[str, str]:
    """`headers`, saying where the schema admits no valid body (rather than pass it off as
    valid) when `notes` has any."""
    if notes:
        text = "; ".join(dict.fromkeys(notes))
        headers[SPEC_PROBLEM_HEADER] = text.encode("ascii", "backslashreplace").decode()[:2000]
    return headers


def _is_binary(schema: Mapping[str, Any]) -> bool:
    return (
        schema.get("type") == "string" and schema.get("format") in ("binary", "byte")
    ) or not schema


def _written_document(media_object: Mapping[str, Any], value: Any) -> TypeGuard[str]:
    """Whether ``value`` is an example the spec gives as a document (`example: '<?xml ...'`):
    sent as it is, not escaped into a `<root>` of its own (helper 184)."""
    given = "example" in media_object or "examples" in media_object
    return given and isinstance(value, str) and value.lstrip().startswith("<")


def _to_xml(tag: str, value: Any) -> str:
    """Plain element-per-property XML; enough for clients that only check they got XML."""
    if isinstance(value, Mapping):
        inner = "".join(_to_xml(str(k), v) for k, v in value.items())
    elif isinstance(value, list):
        inner = "".join(_to_xml("item", v) for v in value)
    elif value is None:
        return f"<{tag}/>"
    else:
        inner = escape("true" if value is True else "false" if value is False else str(value))
    return f"<{tag}>{inner}</{tag}>"


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def _walk_strings(value: dict[str, Any], depth: int = 0) -> list[tuple[dict[str, Any], str, str]]:
    """(object, key, suggested error type) for string fields, shallowest first."""
    out: list[tuple[dict[str, Any], str, str]] = []
    for key, item in value.items():
        if isinstance(item, str):
            out.append((value, key, _TYPE_VALUES[0]))
    for item in value.values():
        if isinstance(item, dict) and depth < 3:
            out.extend(_walk_strings(item, depth + 1))
    return out
