"""Request validation: is this request one the spec allows? (The sandbox's 400/401/422 answers.)

Checks, in order: security (no credential for any declared requirement -> 401), then
parameters (path, query, header, cookie: missing required (an empty query value counts as
missing unless `allowEmptyValue: true`), unknown query keys, wrong type, out of enum, bad
format, any schema violation), then the body (missing when required, wrong or missing
Content-Type, unparseable JSON/form/multipart; a body that parses but breaks the schema).

The status of a refusal is one the operation declares for client errors: 400 if it declares
400, else 422 if it declares 422, else 400 (covered by `4XX`/`default`, or by nothing). One
exception: a body that parses but breaks the schema is 422 whenever 422 is declared (GitHub
declares both: 400 "Problems parsing JSON", 422 "Validation Failed"). The body is shaped by that
response's schema (`_responses.error_reply`).

String formats are checked like a real server would (see `_formats`): date, date-time, uuid,
email, ipv4/ipv6, uri, and the int32/int64 ranges; other formats are accepted.

Values are read the way a server does (see `_params`), then checked with openapi-schema-
validator (jsonschema with the OpenAPI 3.0 / 3.1 dialects; request bodies use the "write"
flavour, so readOnly properties are not required). Everything is compiled lazily, once per
operation on its first request, so a 13 MB spec still starts in well under a second; see
docs/decisions.md for why this and not openapi-core.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..form_fields import text_parts
from ..path_keys import split_key as split_path_key
from ..schema_rules import COMBINERS, ref_siblings_apply
from ..spec.header_params import ignored_header
from ..spec.param_media import parameter_media
from ._dialect import (
    OFFLINE,
    OAS30NullableValidator,
    OAS30WriteNullableValidator,
    OAS31BoundsValidator,
    OAS31WriteValidator,
)
from ._fits import Checker
from ._formats import REQUEST_FORMATS
from ._forms import parse_form, split_key
from ._params import (
    Coercer,
    cookie_pairs,
    cookie_value,
    decoded_items,
    parse_multipart,
    path_value,
    query_value,
    request_json,
    split_delimited,
)
from ._refs import RefError, Resolver, declared_parameters, listed


@dataclass(frozen=True)
class Problem:
    """Why a request is refused: HTTP status, a message, and where (`query`, `body`...)."""

    status: int
    message: str
    location: str = ""
    name: str | None = None


@dataclass
class _Param:
    name: str
    location: str
    required: bool
    style: str
    explode: bool
    schema: Any
    json_content: bool
    is_array: bool
    is_object: bool
    allow_empty: bool = False
    validator: Any = None
    # a form-exploded object's declared property names (its pairs arrive under those names)
    members: frozenset[str] = frozenset()
    # content given instead of a schema: one serialised value, never styled or spread into pairs
    has_content: bool = False

    @property
    def spread(self) -> bool:
        """A form-exploded query object: its members arrive as pairs of their own."""
        return (
            self.location == "query"
            and self.is_object
            and self.style == "form"
            and self.explode
            and not self.has_content
        )


@dataclass
class _Unclaimed:
    """Query pairs no declared parameter names, for the form-exploded objects to share: a pair
    one of them declares is that one's; the rest (`orphans`) go to the objects that received a
    pair they declare or declare nothing (`receivers`). When none did: to the only such object,
    or to the required ones. So an absent optional object does not take another object's extra
    members (EC2 RunInstances: `Monitoring` took `MetadataOptions`' or `EnclaveOptions`' extra
    pairs and missed its required `Enabled`)."""

    unclaimed: dict[str, str]
    orphans: dict[str, str]
    receivers: list[_Param]

    @classmethod
    def of(
        cls, params: list[_Param], split: list[tuple[list[str], str]], known: set[str]
    ) -> _Unclaimed:
        unclaimed = {p[0]: v for p, v in split if len(p) == 1 and p[0] not in known}
        exploded = [p for p in params if p.spread]
        declared = {n for p in exploded for n in p.members}
        receivers = [p for p in exploded if not p.members or any(k in p.members for k in unclaimed)]
        if not receivers:
            # nothing on the wire says whose the pairs are: one object takes them; of several,
            # the required ones (which must be there) and no optional one is refused on a guess
            receivers = exploded if len(exploded) == 1 else [p for p in exploded if p.required]
        return cls(unclaimed, {k: v for k, v in unclaimed.items() if k not in declared}, receivers)


@dataclass
class _Body:
    required: bool
    media: dict[str, Any]  # declared media type (lower-case base) -> schema (or None)
    validators: dict[str, Any] = field(default_factory=dict)
    # declared media type -> its `encoding` (property -> encoding object), where it has one
    encodings: dict[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass
class _Plan:
    params: list[_Param]
    body: _Body | None
    security: list[dict[str, Mapping[str, Any]]] | None  # None: no requirement
    free_query: bool  # a form-exploded object parameter takes arbitrary keys
    api_key_queries: frozenset[str]
    client_status: int  # for any refused request (see module docstring)
    semantic_status: int  # for a body that parses but breaks the schema


class RequestValidator:
    """Validates requests for the operations of one document (see module docstring)."""

    def __init__(self, document: Mapping[str, Any], resolver: Resolver, checker: Checker) -> None:
        self.document = document
        self.resolver = resolver
        self.coercer = Coercer(resolver, checker)
        self._openapi31 = ref_siblings_apply(document)
        self._root = {
            k: document[k] for k in ("components", "definitions", "paths") if k in document
        }
        self._plans: dict[str, _Plan] = {}
        self._lock = threading.Lock()

    # -- entry point ----------------------------------------------------------------------

    def validate(
        self,
        pointer: str,
        path_item: Mapping[str, Any],
        operation: Mapping[str, Any],
        path_params: Mapping[str, str],
        query: list[tuple[str, str]],
        headers: Mapping[str, str],
        body: bytes,
    ) -> Problem | None:
        plan = self._plan(pointer, path_item, operation)
        cookies = cookie_pairs(headers.get("cookie"))
        problem = self._security(plan, query, headers, dict(cookies))
        if problem is None:
            problem = self._parameters(plan, path_params, query, headers, cookies)
        if problem is None and plan.body is not None:
            problem = self._body(plan, plan.body, headers, body)
        elif problem is None and body and plan.body is None:
            problem = Problem(plan.client_status, "this operation takes no request body", "body")
        return problem

    # -- compiled per operation -----------------------------------------------------------

    def _plan(self, pointer: str, item: Mapping[str, Any], operation: Mapping[str, Any]) -> _Plan:
        plan = self._plans.get(pointer)
        if plan is None:
            with self._lock:
                plan = self._plans.get(pointer) or self._build(item, operation)
                _keyed(plan, pointer)
                self._plans[pointer] = plan
        return plan

    def _kinds(self, node: Any, depth: int) -> set[str]:
        """The types a parameter schema names, its own or its `anyOf`/`oneOf`/`allOf`
        members' (OpenAI's `metadata` query parameter is `anyOf: [object, null]`: a
        form-exploded object, whose keys are the query's own)."""
        schema = self._resolve(node)
        kind = schema.get("type")
        kinds = (
            {kind}
            if isinstance(kind, str)
            else {k for k in kind if isinstance(k, str)}
            if isinstance(kind, list)
            else set()
        )
        if depth < 8:
            for key in COMBINERS:
                for member in listed(schema.get(key)):
                    kinds |= self._kinds(member, depth + 1)
        return kinds

    def _declared_properties(self, node: Any, depth: int = 0) -> frozenset[str]:
        """The property names a parameter schema declares, its own or its members'."""
        schema = self._resolve(node)
        props = schema.get("properties")
        names = {str(n) for n in props} if isinstance(props, Mapping) else set()
        if depth < 8:
            for key in COMBINERS:
                members = schema.get(key)
                for member in members if isinstance(members, list) else ():
                    names |= self._declared_properties(member, depth + 1)
        return frozenset(names)

    def _resolve(self, node: Any) -> Mapping[str, Any]:
        try:
            target, _ = self.resolver.resolve(node)
        except RefError:
            return {}
        return target if isinstance(target, Mapping) else {}

    def _build(self, item: Mapping[str, Any], operation: Mapping[str, Any]) -> _Plan:
        declared = declared_parameters(item, operation, self.resolver)
        params: list[_Param] = []
        free_query = False
        for (name, where), param in declared.items():
            if where == "header" and ignored_header(name, param):
                continue
            content = param.get("content")
            json_content = isinstance(content, Mapping) and any(
                str(m).split(";")[0].strip().lower().endswith("json") for m in content
            )
            schema = param.get("schema")
            if isinstance(content, Mapping) and content:
                chosen = parameter_media(content)
                schema = self._resolve(chosen[1] if chosen else {}).get("schema")
            default_style = "form" if where in ("query", "cookie") else "simple"
            style = str(param.get("style") or default_style)
            explode = param.get("explode")
            # (OpenAPI 3.2's `cookie` style explodes by default, as `form` does)
            formish = style == "form" or (where == "cookie" and style == "cookie")
            explode = formish if not isinstance(explode, bool) else explode
            kind = self._resolve(schema).get("type")
            is_array = kind == "array" or (isinstance(kind, list) and "array" in kind)
            is_object = kind == "object" or (isinstance(kind, list) and "object" in kind)
            # an object through `anyOf`/`oneOf` too; its value is read as before (the coercer
            # tries each member on the text)
            exploded = where in ("query", "cookie") and formish and explode
            members: frozenset[str] = frozenset()
            has_content = isinstance(content, Mapping) and bool(content)
            if exploded and not has_content and "object" in self._kinds(schema, 0):
                free_query = free_query or where == "query"
                members = self._declared_properties(schema)
            params.append(
                _Param(
                    name,
                    where,
                    where == "path" or param.get("required") is True,
                    style,
                    explode,
                    schema,
                    json_content,
                    is_array,
                    is_object,
                    param.get("allowEmptyValue") is True,
                    members=members,
                    has_content=has_content,
                )
            )
        body: _Body | None = None
        request_body = self._resolve(operation.get("requestBody"))
        content = request_body.get("content")
        if isinstance(content, Mapping) and content:
            media = {
                str(m).split(";")[0].strip().lower(): self._resolve(v).get("schema")
                for m, v in content.items()
            }
            encodings = {
                str(m).split(";")[0].strip().lower(): found
                for m, v in content.items()
                if isinstance(found := self._resolve(v).get("encoding"), Mapping) and found
            }
            body = _Body(request_body.get("required") is True, media, encodings=encodings)
        security_raw = operation.get("security", self.document.get("security"))
        security: list[dict[str, Mapping[str, Any]]] | None = None
        schemes = self._resolve(self.document.get("components")).get("securitySchemes")
        schemes = schemes if isinstance(schemes, Mapping) else {}
        # a key any scheme sends in the query is a credential, not an unknown parameter, on
        # every operation: a client sends it on requests the spec does not describe, or whose
        # operation needs none (a real server ignores it)
        api_key_queries = {
            str(scheme.get("name"))
            for scheme in map(self._resolve, schemes.values())
            if scheme.get("type") == "apiKey" and scheme.get("in") == "query"
        }
        if isinstance(security_raw, list) and security_raw:
            security = []
            for requirement in security_raw:
                if not isinstance(requirement, Mapping):
                    continue
                resolved = {str(n): self._resolve(schemes.get(n)) for n in requirement}
                security.append(resolved)
        declared_responses = operation.get("responses")
        responses = (
            {str(k) for k in declared_responses}
            if isinstance(declared_responses, Mapping)
            else set[str]()
        )
        client = 400 if "400" in responses else 422 if "422" in responses else 400
        semantic = 422 if "422" in responses else client
        return _Plan(
            params, body, security, free_query, frozenset(api_key_queries), client, semantic
        )

    def _validator(self, schema: Any, *, write: bool) -> Any:
        root = {**self._root, "allOf": [schema]}
        cls: Any
        if self._openapi31:
            cls = OAS31WriteValidator if write else OAS31BoundsValidator
        else:
            cls = OAS30WriteNullableValidator if write else OAS30NullableValidator
        return cls(root, format_checker=REQUEST_FORMATS, registry=OFFLINE)

    # -- checks ---------------------------------------------------------------------------

    def _security(
        self,
        plan: _Plan,
        query: list[tuple[str, str]],
        headers: Mapping[str, str],
        cookies: Mapping[str, str],
    ) -> Problem | None:
        if plan.security is None:
            return None
        keys = {k for k, _ in query}
        for requirement in plan.security:
            if all(_satisfied(s, headers, keys, cookies) for s in requirement.values()):
                return None
        names = " or ".join(" + ".join(r) or "none" for r in plan.security)
        return Problem(401, f"missing or malformed credentials (expected {names})", "security")

    def _parameters(
        self,
        plan: _Plan,
        path_params: Mapping[str, str],
        query: list[tuple[str, str]],
        headers: Mapping[str, str],
        cookies: list[tuple[str, str]],
    ) -> Problem | None:
        known = {p.name for p in plan.params if p.location == "query"} | plan.api_key_queries
        # A declared name holding brackets (JSON:API's `page[offset]`) is that parameter, not
        # a nested key of `page`.
        split = [([k] if k in known else split_key(k), v) for k, v in query]
        if not plan.free_query:
            for parts, _ in split:
                if parts[0] not in known:
                    return Problem(
                        plan.client_status,
                        f"unknown query parameter {parts[0]!r}",
                        "query",
                        parts[0],
                    )
        loose: _Unclaimed | None = None  # worked out for the first exploded object that needs it
        for param in plan.params:
            raw: Any
            if param.location == "path":
                text = path_params.get(param.name)
                if text is None:
                    continue  # the router matched a template with other names: nothing to check
                sent = getattr(path_params, "raw", {}).get(param.name)
                if sent is not None and not param.json_content:  # split first, then decoded
                    shape = param.is_array, param.is_object
                    raw = decoded_items(path_value(sent, param.style, param.explode, *shape))
                else:
                    raw = self._wire(param, text, path=True)
            elif param.location == "query":
                mine = [(parts, v) for parts, v in split if parts[0] == param.name]
                empty = bool(mine) and all(len(p) == 1 and not v for p, v in mine)
                if empty and not param.json_content and _spells_empty(param):
                    raw = [] if param.is_array else {}  # `status=`: OpenAPI's spelling of []
                elif empty and not param.allow_empty:
                    raw = None  # OpenAPI 3: `name=` is absent unless `allowEmptyValue: true`
                elif not mine and param.spread:
                    # a form-exploded object's pairs are its members (EC2's required
                    # `IamInstanceProfile` arrives as `Arn=..&Name=..`): the keys no declared
                    # parameter claims: those it declares, and those no such object declares
                    # when it is one that received its own (or declares none)
                    loose = loose or _Unclaimed.of(plan.params, split, known)
                    own = {k: v for k, v in loose.unclaimed.items() if k in param.members}
                    takes = any(param is r for r in loose.receivers)
                    raw = {**own, **(loose.orphans if takes else {})} or None
                elif not mine:
                    raw = None
                elif param.json_content:
                    raw = mine[-1][1]
                else:
                    raw = query_value(
                        mine, param.style, param.explode, param.is_array, param.is_object
                    )
            elif param.location == "header":
                text = headers.get(param.name.lower())
                raw = None if text is None else self._wire(param, text, path=False)
            elif param.location == "cookie":
                styled = not param.json_content
                is_object = (param.is_object or bool(param.members)) and styled
                members: Collection[str] = param.members
                if is_object and param.explode and not members:  # a free-form exploded object
                    members = self._loose_cookies(plan, cookies, param)
                raw = cookie_value(
                    cookies,
                    param.name,
                    param.explode and styled,
                    param.is_array and styled,
                    is_object,
                    members,
                    as_given=param.style == "cookie",
                )
            else:
                continue
            if raw is None:
                if param.required:
                    where = param.location
                    return Problem(
                        plan.client_status,
                        f"missing required {where} parameter {param.name!r}",
                        where,
                        param.name,
                    )
                continue
            if param.json_content:
                try:
                    value = request_json(raw)
                except ValueError:
                    return Problem(
                        plan.client_status,
                        f"{param.location} parameter {param.name!r} is not valid JSON",
                        param.location,
                        param.name,
                    )
            else:
                value = self.coercer.coerce(raw, param.schema)
            if param.schema is None:
                continue
            if param.validator is None:  # readOnly/writeOnly mean nothing for a parameter
                param.validator = self._validator(param.schema, write=False)
            error = _first_error(param.validator, value)
            if error is not None:
                return Problem(
                    plan.client_status,
                    f"invalid {param.location} parameter {param.name!r}: {error}",
                    param.location,
                    param.name,
                )
        return None

    @staticmethod
    def _loose_cookies(plan: _Plan, cookies: list[tuple[str, str]], param: _Param) -> set[str]:
        """The cookies a form-exploded object declaring no member takes as its members: those
        no other cookie parameter and no `apiKey` scheme names."""
        taken = {p.name for p in plan.params if p.location == "cookie" and p is not param}
        taken |= {
            str(scheme.get("name"))
            for requirement in plan.security or ()
            for scheme in requirement.values()
            if scheme.get("type") == "apiKey" and scheme.get("in") == "cookie"
        }
        return {name for name, _ in cookies if name not in taken}

    def _wire(self, param: _Param, text: str, *, path: bool) -> Any:
        if param.json_content:
            return text
        return path_value(text, param.style, param.explode, param.is_array, param.is_object)

    def _body(
        self, plan: _Plan, spec: _Body, headers: Mapping[str, str], body: bytes
    ) -> Problem | None:
        status = plan.client_status
        content_type = headers.get("content-type")
        if not body and (content_type is None or not spec.required):
            # no content: its type says nothing (aiohttp labels an empty POST
            # `application/octet-stream`, which an optional JSON body is no reason to refuse)
            return Problem(status, "a request body is required", "body") if spec.required else None
        if content_type is None:
            return Problem(status, "the request has a body but no Content-Type", "header")
        base = content_type.split(";")[0].strip().lower()
        media = _pick_media(base, spec.media)
        if media is None:
            expected = ", ".join(spec.media)
            return Problem(
                status, f"unsupported Content-Type {base!r} (expected {expected})", "header"
            )
        schema = spec.media[media]
        value: Any
        documents: set[str] = set()  # multipart parts sent as XML, YAML...: their text is opaque
        try:
            if base.endswith("/json") or base.endswith("+json"):
                if not body:
                    if spec.required:
                        return Problem(status, "a request body is required", "body")
                    return None
                value = request_json(body)
            elif base == "application/x-www-form-urlencoded":
                fields = parse_form(body)
                if media in spec.encodings:
                    fields = self._encoded_fields(fields, spec.encodings[media], schema)
                value = self.coercer.coerce(fields, schema)
            elif base == "multipart/form-data":
                texts = text_parts(schema, self._resolve)
                fields = parse_multipart(body, content_type, documents, texts)
                joined = {  # Swagger 2.0's csv/ssv/pipes: one part, the items joined (swagger2.py)
                    name: enc
                    for name, enc in (spec.encodings.get(media) or {}).items()
                    if isinstance(enc, Mapping) and "x-collectionFormat" in enc
                }
                if joined:
                    fields = self._encoded_fields(fields, joined, schema)
                value = self.coercer.coerce(fields, schema)
            else:
                return None  # bytes or text: nothing structural to check
        except (ValueError, UnicodeDecodeError) as exc:
            return Problem(status, f"the body is not valid {base}: {exc}", "body")
        if schema is None:
            return None
        validator = spec.validators.get(media)
        if validator is None:
            validator = spec.validators[media] = self._validator(schema, write=True)
        error = _first_error(validator, value, documents)
        if error is not None:
            return Problem(plan.semantic_status, f"invalid request body: {error}", "body")
        return None

    def _encoded_fields(
        self, fields: dict[str, Any], encoding: Mapping[str, Any], schema: Any
    ) -> dict[str, Any]:
        """A form's fields as their `encoding` entries spell them: a JSON `contentType` is the
        field's JSON text; `style`/`explode: false` joins an array (`b=1,2`, Swagger 2.0's
        `collectionFormat: csv`) or an object (`k,v,k2,v2`) with the style's delimiter."""
        props = self._resolve(schema).get("properties")
        props = props if isinstance(props, Mapping) else {}
        out = dict(fields)
        for name, raw in encoding.items():
            enc = self._resolve(raw)
            value = out.get(name)
            if not isinstance(name, str) or not isinstance(value, str):
                continue
            content_type = str(enc.get("contentType") or "").split(";")[0].strip().lower()
            if content_type.endswith("/json") or content_type.endswith("+json"):
                try:
                    out[name] = request_json(value)
                except ValueError:
                    continue  # not JSON: left as text, for the schema to refuse
                continue
            style = enc.get("style")
            explode = enc.get("explode")
            if style is None and explode is None:
                continue  # the runtime's bracketed nesting: parse_form read it already
            style = style if isinstance(style, str) else "form"
            if (explode if isinstance(explode, bool) else style == "form") or style == "deepObject":
                continue  # one pair per item: parse_form gathered them
            kinds = self._kinds(props.get(name), 0)
            items = split_delimited(value, style) if value else []
            if "array" in kinds:
                out[name] = items
            elif "object" in kinds:
                out[name] = dict(zip(items[0::2], items[1::2], strict=False))
        return out


def _keyed(plan: _Plan, pointer: str) -> None:
    """The parameters as sent for a path key with a query (`#/paths/~1a?b={c}/get`,
    decisions.md 27): `?name={param}` is `param` in the query as `name`; `?name=value` is a
    required constant."""
    parts = pointer.split("/")
    if len(parts) < 4 or parts[1] != "paths":
        return
    key = split_path_key(parts[2].replace("~1", "/").replace("~0", "~"))
    for name, target in key.bound:
        for p in plan.params:
            if p.name == target:
                p.name, p.location, p.required, p.style, p.explode = (
                    name,
                    "query",
                    True,
                    "form",
                    True,
                )
    for name, value in key.constants:
        if not any(p.location == "query" and p.name == name for p in plan.params):
            schema = {"type": "string", "enum": [value]}
            plan.params.append(
                _Param(name, "query", True, "form", True, schema, False, False, False)
            )


def _spells_empty(param: _Param) -> bool:
    """Whether `name=` is how this query parameter writes an empty array or object: the
    OpenAPI style tables give `color=` for an empty array (form, exploded or not, and the
    delimited styles) and for an empty object (form, not exploded)."""
    if param.is_array:
        return param.style in ("form", "spaceDelimited", "pipeDelimited")
    return param.is_object and param.style == "form" and not param.explode


def _pick_media(base: str, declared: Mapping[str, Any]) -> str | None:
    if base in declared:
        return base
    kind = base.split("/")[0]
    for media in declared:
        if media in ("*/*", f"{kind}/*"):
            return media
    return None


def _first_error(validator: Any, value: Any, opaque: Collection[str] = ()) -> str | None:
    """The first error, leaving out those inside an `opaque` top-level member."""
    try:
        error = next(
            (e for e in validator.iter_errors(value) if not _inside(e.absolute_path, opaque)),
            None,
        )
    except Exception:  # a schema jsonschema cannot evaluate (bad type, external $ref): accept
        return None
    if error is None:
        return None
    where = "".join(f"[{p!r}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    message = error.message
    if len(message) > 300:
        message = message[:300] + "..."
    return f"{where.lstrip('.')}: {message}" if where else message


def _inside(path: Any, members: Collection[str]) -> bool:
    return bool(members) and len(path) > 0 and path[0] in members


def _satisfied(
    scheme: Mapping[str, Any],
    headers: Mapping[str, str],
    query_keys: set[str],
    cookies: Mapping[str, str],
) -> bool:
    kind = scheme.get("type")
    auth = headers.get("authorization", "")
    if kind == "http":
        wanted = str(scheme.get("scheme", "")).lower()
        word, _, credential = auth.partition(" ")
        return word.lower() == wanted and bool(credential.strip())
    if kind == "apiKey":
        name = str(scheme.get("name", ""))
        where = scheme.get("in")
        if where == "header":
            return bool(headers.get(name.lower()))
        if where == "query":
            return name in query_keys
        if where == "cookie":
            return name in cookies
        return True
    if kind in ("oauth2", "openIdConnect"):
        return bool(auth.strip())
    return True  # mutualTLS, unknown kinds, or a dangling scheme name: cannot be checked here
