"""Swagger 2.0 -> OpenAPI 3.0.3, so every later stage reads one dialect.

The input is the bundled, ref-checked 2.0 document; it is not modified. Schemas are copied with
their `$ref`s rewritten (`#/definitions/X` -> `#/components/schemas/X`), `x-nullable` turned into
`nullable`, `type: file` into binary strings and string discriminators into objects. Parameters
gain a `schema` plus the `style`/`explode` their `collectionFormat` meant (2.0 defaults to csv,
3.0 query defaults to exploded, so the style is always spelled out for arrays). Body and
formData parameters become request bodies. Walks over schemas are iterative.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ..diagnostics import Diagnostic, Report
from .header_params import SWAGGER2_ARGUMENT
from .pointer import escape, unescape
from .pointer import join as join_pointer

__all__ = ["upgrade"]

Locate = Callable[[str], tuple[str, int | None]]

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
_JSON = "application/json"
_SCHEMES = frozenset({"http", "https", "ws", "wss"})
_SCHEME_ORDER = {"https": 0, "http": 1}  # then ws, wss: an HTTP client calls neither
# `host` as the Swagger 2.0 JSON Schema has it (a name or address, an optional port, no scheme,
# path, template or spaces), or a bracketed IPv6 address
_HOST = re.compile(r"(?:\[[0-9A-Fa-f:.]+\]|[^{}/ :\\]+)(?::\d+)?")
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_REF_PREFIXES = (
    ("#/definitions/", "#/components/schemas/"),
    ("#/parameters/", "#/components/parameters/"),
    ("#/responses/", "#/components/responses/"),
    ("#/securityDefinitions/", "#/components/securitySchemes/"),
)
# Items Object / parameter keywords that carry over to a 3.0 Schema unchanged.
_SCHEMA_FIELDS = (
    "format", "default", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "enum",
    "multipleOf",
)  # fmt: skip
# collectionFormat -> (style, explode) for query and form fields.
_QUERY_STYLES = {
    "csv": ("form", False),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
    "multi": ("form", True),
    "tsv": ("form", False),
}
_OAUTH_FLOWS = {
    "implicit": ("implicit", ("authorizationUrl",)),
    "password": ("password", ("tokenUrl",)),
    "application": ("clientCredentials", ("tokenUrl",)),
    "accessCode": ("authorizationCode", ("authorizationUrl", "tokenUrl")),
}


def upgrade(
    doc: Mapping[str, Any], *, report: Report | None = None, locate: Locate | None = None
) -> dict[str, Any]:
    """The OpenAPI 3.0.3 equivalent of a Swagger 2.0 document (a new dict; `doc` is untouched)."""
    return _Upgrader(doc, report, locate).run()


def rewrite_ref(ref: str) -> str:
    for old, new in _REF_PREFIXES:
        if ref.startswith(old):
            return new + ref[len(old) :]
    return ref


def _extensions(src: Mapping[str, Any], dst: dict[str, Any]) -> None:
    for k, v in src.items():
        if isinstance(k, str) and k.startswith("x-"):
            dst.setdefault(k, v)


def _param_key(p: Mapping[str, Any]) -> tuple[str, str] | None:
    """What an operation's parameter overrides of its path's: the same name and location
    (None for a parameter whose `name` or `in` is no string: it overrides nothing)."""
    name, where = p.get("name"), p.get("in")
    return (name, where) if isinstance(name, str) and isinstance(where, str) else None


def _copy_keys(src: Mapping[str, Any], dst: dict[str, Any], keys: tuple[str, ...]) -> None:
    for k in keys:
        if k in src:
            dst[k] = src[k]


def _str_list(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def convert_schema(root: Any) -> Any:
    """A 3.0 copy of a 2.0 Schema Object; instance data (examples, defaults, enums) is shared."""
    if not isinstance(root, dict):
        return root
    out: dict[str, Any] = {}
    stack: list[tuple[dict[str, Any], dict[str, Any]]] = [(root, out)]
    while stack:
        src, dst = stack.pop()
        for k, v in src.items():
            if k in ("properties", "patternProperties") and isinstance(v, dict):
                named: dict[str, Any] = {}
                for name, sub in v.items():
                    named[name] = _push(sub, stack)
                dst[k] = named
            elif k in ("items", "additionalProperties", "not") and isinstance(v, dict):
                dst[k] = _push(v, stack)
            elif k in ("items", "allOf", "anyOf", "oneOf") and isinstance(v, list):
                dst[k] = [_push(sub, stack) for sub in v]
            elif k == "$ref" and isinstance(v, str):
                dst[k] = rewrite_ref(v)
            elif k == "x-nullable":
                dst["nullable"] = v
            elif k == "discriminator" and isinstance(v, str):
                dst[k] = {"propertyName": v}
            elif k == "type" and v == "file":
                dst["type"] = "string"
                dst.setdefault("format", "binary")
            elif k == "format" and src.get("type") == "file":
                continue
            else:
                dst[k] = v
    return out


def _push(sub: Any, stack: list[tuple[dict[str, Any], dict[str, Any]]]) -> Any:
    if not isinstance(sub, dict):
        return sub
    new: dict[str, Any] = {}
    stack.append((sub, new))
    return new


def _collection_format(p: Mapping[str, Any]) -> str:
    """`collectionFormat`, 2.0's default `csv` when absent or not a string (the validator
    reports a value of the wrong type against the original document)."""
    fmt = p.get("collectionFormat", "csv")
    return fmt if isinstance(fmt, str) else "csv"


def _items_schema(p: Mapping[str, Any]) -> dict[str, Any]:
    """A 3.0 Schema for a non-body parameter, header or Items Object (`type: file` -> binary)."""
    out: dict[str, Any] = {}
    node, dst = p, out
    while True:  # nested `items` of arrays of arrays, iteratively
        kind = node.get("type")
        if kind == "file":
            dst["type"], dst["format"] = "string", "binary"
        elif kind is not None:
            dst["type"] = kind
        for k in _SCHEMA_FIELDS:
            if k in node and not (k == "format" and "format" in dst):
                dst[k] = node[k]
        if "x-nullable" in node:
            dst["nullable"] = node["x-nullable"]
        if node is not p:
            _extensions(node, dst)
        items = node.get("items")
        if not isinstance(items, dict):
            break
        if "$ref" in items:  # not allowed by 2.0, written anyway: treat as a schema
            dst["items"] = convert_schema(items)
            break
        dst["items"] = {}
        node, dst = items, dst["items"]
    return out


def _json_type(media_type: str) -> bool:
    """`application/json`, `application/problem+json`, `text/json; charset=utf-8`..."""
    essence = media_type.split(";", 1)[0].strip().lower()
    return essence.endswith(("/json", "+json"))


class _Upgrader:
    def __init__(
        self, doc: Mapping[str, Any], report: Report | None, locate: Locate | None
    ) -> None:
        self.src = doc
        self.report = report
        self.locate = locate
        self.warned: set[tuple[str, ...]] = set()  # pointers warned of once (path-item params)
        self.consumes = _str_list(doc.get("consumes")) or [_JSON]
        self.produces_declared = bool(_str_list(doc.get("produces")))
        self.produces = _str_list(doc.get("produces")) or [_JSON]
        params = doc.get("parameters")
        self.globals: dict[str, Any] = params if isinstance(params, dict) else {}
        self.host = doc.get("host") if isinstance(doc.get("host"), str) else None
        self.base_path = doc.get("basePath") if isinstance(doc.get("basePath"), str) else ""

    def warn(self, segments: list[str], message: str, kind: str, action: str | None = None) -> None:
        if self.report is None:
            return
        pointer = join_pointer(segments)
        file, line = self.locate(pointer) if self.locate else ("", None)
        self.report.add(Diagnostic(file, pointer, message, "warning", kind, line, action))

    # -- document --------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        src = self.src
        out: dict[str, Any] = {"openapi": "3.0.3"}
        out["info"] = src.get("info", {"title": "", "version": ""})
        _copy_keys(src, out, ("externalDocs",))
        servers = self._servers(_str_list(src.get("schemes")))
        if servers:
            out["servers"] = servers
        _copy_keys(src, out, ("tags", "security"))
        paths = src.get("paths")
        out["paths"] = {}
        if isinstance(paths, dict):
            for path, item in paths.items():
                if isinstance(item, dict) and not path.startswith("x-"):
                    out["paths"][path] = self._path_item(item, ["paths", path])
                else:
                    out["paths"][path] = item
        components = self._components()
        if components:
            out["components"] = components
        _extensions(src, out)
        return out

    def _servers(self, schemes: list[str]) -> list[dict[str, Any]]:
        if self.host is not None and not _HOST.fullmatch(self.host):
            # Swagger 2.0: "the host (name or ip) ... MUST be the host only", port allowed
            self.warn(["host"], f"host {self.host!r} is not a host name", "server", "ignored")
            self.host = None
        if self.base_path and not self.base_path.startswith("/") and "://" not in self.base_path:
            # "MUST start with a leading slash": `v1` was joined to the host (`example.comv1`)
            fixed = "/" + self.base_path
            self.warn(
                ["basePath"], "basePath does not start with '/'", "server", f"read as {fixed!r}"
            )
            self.base_path = fixed
        if self.host is None:
            return [{"url": self.base_path}] if self.base_path else []
        # Swagger 2.0: each scheme "MUST be from the list: http, https, ws, wss"
        valid = [s for s in schemes if s.lower() in _SCHEMES]
        if len(valid) < len(schemes):
            bad = ", ".join(repr(s) for s in schemes if s.lower() not in _SCHEMES)
            self.warn(["schemes"], f"unknown scheme(s) {bad}", "server", "ignored")
        schemes = [s.lower() for s in valid]
        if not schemes:
            self.warn(["host"], "no `schemes` given for the host", "server", "assumed https")
            schemes = ["https"]
        # https, then http, then ws/wss: the first server is the generated client's default
        ordered = sorted(dict.fromkeys(schemes), key=lambda s: _SCHEME_ORDER.get(s, 2))
        return [{"url": f"{s}://{self.host}{self.base_path}"} for s in ordered]

    def _components(self) -> dict[str, Any]:
        src = self.src
        comp: dict[str, Any] = {}
        defs = src.get("definitions")
        if isinstance(defs, dict):
            comp["schemas"] = {name: convert_schema(s) for name, s in defs.items()}
        responses = src.get("responses")
        if isinstance(responses, dict):
            comp["responses"] = {
                name: self._response(r, self.produces, self.produces_declared, ["responses", name])
                for name, r in responses.items()
            }
        params: dict[str, Any] = {}
        bodies: dict[str, Any] = {}
        for name, p in self.globals.items():
            if not isinstance(p, dict):
                continue
            where = p.get("in")
            if where == "body":
                bodies[name] = self._body(p, self.consumes)
            elif where != "formData":  # form fields are folded into each operation's body
                params[name] = self._parameter(p, ["parameters", name])
        if params:
            comp["parameters"] = params
        if bodies:
            comp["requestBodies"] = bodies
        sec = src.get("securityDefinitions")
        if isinstance(sec, dict):
            comp["securitySchemes"] = {
                name: self._security_scheme(s, ["securityDefinitions", name])
                for name, s in sec.items()
            }
        return comp

    # -- paths -----------------------------------------------------------------------------

    def _deref(self, entry: Any) -> tuple[dict[str, Any] | None, str | None]:
        """(parameter, name of the global it came from) for an inline or `#/parameters/X` entry."""
        if not isinstance(entry, dict):
            return None, None
        ref = entry.get("$ref")
        if not isinstance(ref, str):
            return entry, None
        if ref.startswith("#/parameters/"):
            name = unescape(ref[len("#/parameters/") :])
            target = self.globals.get(name)
            return (target, name) if isinstance(target, dict) else (None, None)
        return None, None

    def _path_item(self, item: Mapping[str, Any], where: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        _copy_keys(item, out, ("$ref",))
        raw = item.get("parameters")
        shared: list[Any] = raw if isinstance(raw, list) else []
        plain = [self._param_entry(e, [*where, "parameters", str(i)]) for i, e in enumerate(shared)]
        plain = [p for p in plain if p is not None]
        if plain:
            out["parameters"] = plain
        for method in _METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                out[method] = self._operation(op, shared, [*where, method])
        _extensions(item, out)
        return out

    def _shared_response(self, ref: str) -> dict[str, Any] | None:
        """The root `responses` entry `ref` names (`#/responses/X`), if it is one."""
        responses = self.src.get("responses")
        if not ref.startswith("#/responses/") or not isinstance(responses, dict):
            return None
        found = responses.get(unescape(ref[len("#/responses/") :]))
        return found if isinstance(found, dict) else None

    def _param_entry(self, entry: Any, where: list[str]) -> dict[str, Any] | None:
        """A 3.0 parameter (or ref to one); None for body/formData, which become request bodies."""
        p, global_name = self._deref(entry)
        if p is None:
            if isinstance(entry, dict) and isinstance(entry.get("$ref"), str):
                return {"$ref": rewrite_ref(entry["$ref"])}
            self.warn(where, "parameter is not an object", "parameter", "left out")
            return None
        if p.get("in") in ("body", "formData"):
            return None
        if global_name is not None:
            return {"$ref": "#/components/parameters/" + escape(global_name)}
        return self._parameter(p, where)

    def _operation(
        self, op: Mapping[str, Any], shared: list[Any], where: list[str]
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        _copy_keys(op, out, ("tags", "summary", "description", "externalDocs", "operationId"))
        consumes = _str_list(op.get("consumes")) or self.consumes
        produces = _str_list(op.get("produces")) or self.produces
        declared = bool(_str_list(op.get("produces"))) or self.produces_declared
        raw = op.get("parameters")
        own: list[Any] = raw if isinstance(raw, list) else []
        params: list[dict[str, Any]] = []
        body: tuple[dict[str, Any], str | None] | None = None
        body_own = False  # the body is the operation's own (not its path item's)
        forms: dict[str, dict[str, Any]] = {}
        overridden: set[tuple[str, str] | None] = set()
        for entry in own:
            p, _ = self._deref(entry)
            if p is not None and _param_key(p) is not None:
                overridden.add(_param_key(p))
        entries = [(e, [*where[:-1], "parameters", str(i)], True) for i, e in enumerate(shared)]
        entries += [(e, [*where, "parameters", str(i)], False) for i, e in enumerate(own)]
        for entry, at, from_path in entries:
            p, global_name = self._deref(entry)
            if p is None or (from_path and _param_key(p) in overridden - {None}):
                if not from_path:
                    converted = self._param_entry(entry, at)
                    if converted is not None:
                        params.append(converted)
                continue
            kind = p.get("in")
            if kind == "body" and body is not None and body_own == (not from_path):
                # "There can be one body parameter at most" (2.0): the later one replaced the
                # earlier without a word (a required object body became an optional string)
                self.warn(at, "a second body parameter", "parameter", "left out; the first is kept")
            elif kind == "body":
                body, body_own = (p, global_name), not from_path
            elif kind == "formData":
                forms[str(p.get("name"))] = p
                tsv = p.get("type") == "array" and _collection_format(p) == "tsv"
                if tsv and tuple(at) not in self.warned:
                    # (as for a query parameter: a form field was joined by `,` silently; a
                    # path item's, read for each of its operations, once)
                    self.warned.add(tuple(at))
                    self.warn(
                        at,
                        "tab-separated arrays have no OpenAPI 3 style",
                        "collection-format",
                        "sent comma-separated",
                    )
            elif not from_path:
                converted = self._param_entry(entry, at)
                if converted is not None:
                    params.append(converted)
        if params:
            out["parameters"] = params
        if body is not None:
            p, global_name = body
            if global_name is not None and consumes == self.consumes:
                out["requestBody"] = {"$ref": "#/components/requestBodies/" + escape(global_name)}
            else:
                out["requestBody"] = self._body(p, consumes)
            if forms:
                self.warn(
                    where, "both body and formData parameters", "parameter", "form fields left out"
                )
        elif forms:
            out["requestBody"] = self._form_body(list(forms.values()), consumes)
        responses = op.get("responses")
        out["responses"] = {}
        if isinstance(responses, dict):
            for code, r in responses.items():
                code = str(code)
                if code.startswith("x-"):
                    out["responses"][code] = r
                elif isinstance(r, dict) and isinstance(r.get("$ref"), str):
                    common = self._shared_response(r["$ref"])
                    if common is not None and (produces, declared) != (
                        self.produces,
                        self.produces_declared,
                    ):
                        # a 2.0 response has no media type of its own: the operation's
                        # `produces` says it (the shared one was converted with the root's:
                        # `Accept: application/json` sent, a text answer refused as not JSON)
                        out["responses"][code] = self._response(
                            common, produces, declared, [*where, "responses", code]
                        )
                    else:
                        out["responses"][code] = {"$ref": rewrite_ref(r["$ref"])}
                else:
                    out["responses"][code] = self._response(
                        r, produces, declared, [*where, "responses", code]
                    )
        _copy_keys(op, out, ("deprecated", "security"))
        schemes = _str_list(op.get("schemes"))
        if schemes and self.host is not None:
            out["servers"] = self._servers(schemes)
        _extensions(op, out)
        return out

    # -- parameters and bodies -------------------------------------------------------------

    def _parameter(self, p: Mapping[str, Any], where: list[str]) -> dict[str, Any]:
        loc = p.get("in")
        # a missing `name`/`in` stays missing (not None): later stages leave such a parameter out
        out: dict[str, Any] = {key: p[key] for key in ("name", "in") if key in p}
        _copy_keys(p, out, ("description", "required", "allowEmptyValue"))
        if loc == "path":
            out["required"] = True
        if loc == "header" and str(p.get("name", "")).strip().lower() == "authorization":
            out[SWAGGER2_ARGUMENT] = True  # (2.0 has no rule ignoring it: header_params.py)
        schema = _items_schema(p)
        out["schema"] = schema
        if schema.get("type") == "array":
            fmt = _collection_format(p)
            if loc == "query":
                style, explode = _QUERY_STYLES.get(fmt, ("form", False))
                out["style"], out["explode"] = style, explode
                if fmt == "tsv":
                    out["x-collectionFormat"] = "tsv"
                    self.warn(
                        where,
                        "tab-separated arrays have no OpenAPI 3 style",
                        "collection-format",
                        "sent comma-separated",
                    )
            elif loc in ("path", "header"):
                out["style"], out["explode"] = "simple", False
                if fmt != "csv":
                    self.warn(
                        where,
                        f"collectionFormat {fmt!r} is not possible in a {loc}",
                        "collection-format",
                        "sent comma-separated",
                    )
        if "x-example" in p:
            out["example"] = p["x-example"]
        _extensions(p, out)
        return out

    def _body(self, p: Mapping[str, Any], consumes: list[str]) -> dict[str, Any]:
        schema = convert_schema(p.get("schema", {}))
        out: dict[str, Any] = {"content": {ct: {"schema": schema} for ct in consumes}}
        _copy_keys(p, out, ("description",))
        if p.get("required") is True:
            out["required"] = True
        if isinstance(p.get("name"), str):
            out["x-codegen-request-body-name"] = p["name"]
        _extensions(p, out)
        return out

    def _form_body(self, forms: list[dict[str, Any]], consumes: list[str]) -> dict[str, Any]:
        has_file = any(p.get("type") == "file" for p in forms)
        # by type and subtype, any case, parameters aside (`multipart/form-data; charset=utf-8`)
        essences = (ct.split(";", 1)[0].strip().lower() for ct in consumes)
        types = list(dict.fromkeys(e for e in essences if e in (URLENCODED, MULTIPART)))
        if has_file:
            types = [MULTIPART]  # files cannot be url-encoded
        elif not types:
            types = [URLENCODED]
        props: dict[str, Any] = {}
        required: list[str] = []
        encoding: dict[str, Any] = {}
        for p in forms:
            name = str(p.get("name"))
            schema = _items_schema(p)
            if isinstance(p.get("description"), str):
                schema["description"] = p["description"]
            _extensions(p, schema)
            props[name] = schema
            if p.get("required") is True:
                required.append(name)
            if schema.get("type") == "array":
                fmt = _collection_format(p)
                style, explode = _QUERY_STYLES.get(fmt, ("form", False))
                # `x-collectionFormat`: what 2.0 meant in a multipart body too (one part,
                # `ids=1,2`), where OpenAPI 3.0 ignores `style` (the IR and the sandbox read it)
                encoding[name] = {"style": style, "explode": explode}
                if MULTIPART in types:
                    encoding[name]["x-collectionFormat"] = fmt
        obj: dict[str, Any] = {"type": "object", "properties": props}
        if required:
            obj["required"] = required
        content: dict[str, Any] = {}
        for ct in types:
            media: dict[str, Any] = {"schema": obj}
            if encoding:
                media["encoding"] = encoding
            content[ct] = media
        out: dict[str, Any] = {"content": content}
        if required:
            out["required"] = True
        return out

    # -- responses and security ------------------------------------------------------------

    def _response(self, r: Any, produces: list[str], declared: bool, where: list[str]) -> Any:
        if not isinstance(r, dict):
            return r
        out: dict[str, Any] = {"description": r.get("description", "")}
        headers = r.get("headers")
        if isinstance(headers, dict):
            out["headers"] = {}
            for name, h in headers.items():
                if isinstance(h, dict):
                    header: dict[str, Any] = {"schema": _items_schema(h)}
                    _copy_keys(h, header, ("description",))
                    if header["schema"].get("type") == "array":
                        header["style"], header["explode"] = "simple", False
                    _extensions(h, header)
                    out["headers"][name] = header
        if "schema" in r:
            schema = convert_schema(r["schema"])
            is_file = isinstance(r["schema"], dict) and r["schema"].get("type") == "file"
            types = produces
            if is_file:  # the bytes of a file, never JSON (a global `produces: [json]` beside)
                kept = [ct for ct in produces if not _json_type(ct)] if declared else []
                types = kept or ["application/octet-stream"]
            content: dict[str, Any] = {ct: {"schema": schema} for ct in types}
            examples = r.get("examples")
            if isinstance(examples, dict):
                for ct, example in examples.items():
                    if ct in content:
                        content[ct]["example"] = example
            out["content"] = content
        _extensions(r, out)
        return out

    def _security_scheme(self, s: Any, where: list[str]) -> Any:
        if not isinstance(s, dict):
            return s
        kind = s.get("type")
        out: dict[str, Any]
        if kind == "basic":
            out = {"type": "http", "scheme": "basic"}
        elif kind == "apiKey":
            out = {"type": "apiKey", "name": s.get("name"), "in": s.get("in")}
        elif kind == "oauth2":
            flow = s.get("flow")
            if not isinstance(flow, str) or flow not in _OAUTH_FLOWS:
                self.warn(
                    [*where, "flow"], f"unknown OAuth2 flow {flow!r}", "security", "scheme left out"
                )
                return {"type": "oauth2", "flows": {}}
            name, urls = _OAUTH_FLOWS[flow]
            flow_obj: dict[str, Any] = {k: s[k] for k in urls if k in s}
            flow_obj["scopes"] = s.get("scopes") if isinstance(s.get("scopes"), dict) else {}
            out = {"type": "oauth2", "flows": {name: flow_obj}}
        else:
            self.warn(
                [*where, "type"],
                f"unknown security scheme type {kind!r}",
                "security",
                "copied as written",
            )
            return dict(s)
        _copy_keys(s, out, ("description",))
        _extensions(s, out)
        return out
