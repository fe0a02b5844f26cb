"""The parts of a loaded OpenAPI 3.x document the contract checks need: resolved parameters,
request bodies and schema validators (local `$ref`s only: `load_spec` bundles the rest)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from jsonschema import Draft4Validator, Draft202012Validator  # type: ignore[import-untyped, unused-ignore]
from openapi_schema_validator import OAS30Validator, OAS31Validator

from ..ir.servers import OTHER_SCHEME
from ..path_keys import placeholders, spanning, split_key
from ..sandbox._dialect import (
    OFFLINE,
    OAS30NullableValidator,
    OAS31BoundsValidator,
    OAS31StrictValidator,
    OAS31WriteValidator,
    tolerant,
)
from ..sandbox._formats import is_time
from ..schema_rules import flagged, ref_siblings_apply
from ..spec.header_params import ignored_header
from ..spec.param_media import parameter_media
from ..spec.pointer import MISSING, find

__all__ = ["Param", "SpecView"]


@dataclass(frozen=True)
class Param:
    name: str
    location: str  # path | query | header | cookie
    required: bool
    schema: Mapping[str, Any]
    style: str
    explode: bool
    content_type: str | None = None
    allow_empty: bool = False  # `allowEmptyValue` (query only): `name=` is a value
    multi_segment: bool = False  # `x-multi-segment` (path only): `/` kept, segments spanned


def keyed_parameters(path: str, params: list[Param]) -> list[Param]:
    """`params` as a client sends them for a path key with a query (decisions.md 27):
    `?name={param}` moves `param` into the query as `name`, `?name=value` adds a constant."""
    key = split_key(path)
    if not key.bound and not key.constants:
        return params
    out = list(params)
    for name, target in key.bound:
        for i, p in enumerate(out):
            if p.name == target:
                out[i] = replace(p, name=name, location="query", required=True, style="form")
                out[i] = replace(out[i], explode=True)
    for name, value in key.constants:
        if not any(p.location == "query" and p.name == name for p in out):
            out.append(
                Param(name, "query", True, {"type": "string", "enum": [value]}, "form", True)
            )
    return out


def _value_formats() -> Any:
    """OpenAPI's format checker, with `time` read as RFC 3339 (and JSON Schema) define it.

    openapi-schema-validator borrows draft 3's `time` (`%H:%M:%S` only), which refuses every
    value schemathesis draws for the format (`14:28:19.1-22:59`, `00:00:00Z`): a client that
    sends the caller's value as given was blamed for it."""
    from jsonschema import FormatChecker  # type: ignore[import-untyped, unused-ignore]

    base = OAS30Validator.FORMAT_CHECKER
    checker = FormatChecker(formats=())
    checker.checkers = {**base.checkers}
    checker.checks("time")(is_time)
    # jsonschema checks these only with its optional `jsonpointer` installed: a spec's example
    # `#/a~1b` (the URI-fragment form) refused by Prism was filed as the mock's fault
    for name, check in (
        ("json-pointer", _is_json_pointer),
        ("relative-json-pointer", _is_relative),
    ):
        if name not in checker.checkers:
            checker.checks(name)(check)
    return checker


_POINTER = re.compile(r"(/([^~/]|~[01])*)*")


def _is_json_pointer(value: object) -> bool:
    """RFC 6901 §3: "" or `/`-led reference tokens, `~` only as `~0`/`~1`."""
    return not isinstance(value, str) or _POINTER.fullmatch(value) is not None


def _is_relative(value: object) -> bool:
    """draft-handrews-relative-json-pointer: a non-negative integer, then `#` or a pointer."""
    if not isinstance(value, str):
        return True
    m = re.match(r"(0|[1-9][0-9]*)", value)
    if m is None:
        return False
    rest = value[m.end() :]
    return rest == "#" or _is_json_pointer(rest)


#: the formats `SpecView` validates values with (one checker: it is stateless)
VALUE_FORMATS = _value_formats()


def _template_params(path: str, params: list[Param]) -> list[Param]:
    """Path parameters as the generated method has them (the IR's `_template_params`): one
    the template lacks is left out, an undeclared placeholder is a required string."""
    holes = placeholders(path)
    kept = [p for p in params if p.location != "path" or p.name in holes]
    declared = {p.name for p in kept if p.location == "path"}
    text = {"type": "string"}
    kept += [Param(h, "path", True, text, "simple", False) for h in holes if h not in declared]
    return kept


#: how `SpecView.errors` starts the one message it gives for a schema jsonschema cannot use (a
#: bad pattern, a dangling `$ref`, `type: file` in an OpenAPI 3 document): no verdict on the value
UNUSABLE = "schema not usable"

#: keywords a document's top level must not bring into a validator's root (an extension or a
#: stray `type` there would otherwise constrain the value)
_SCHEMA_KEYWORDS = (
    frozenset(OAS30Validator.VALIDATORS)
    | frozenset(OAS31Validator.VALIDATORS)
    | {
        "$schema",
        "$id",
        "id",
        "$anchor",
        "$dynamicAnchor",
        "nullable",
        "discriminator",
    }
)


class SpecView:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        openapi31 = ref_siblings_apply(document)
        # 3.0: keywords beside a `$ref` are ignored, as the IR, schemathesis and the sandbox read
        # them (DigitalOcean's `{$ref, required: [droplet_ids]}` body)
        self._validator_cls: Any = OAS31WriteValidator if openapi31 else OAS30NullableValidator
        # the JSON Schema dialect a Schema Object is checked against (OpenAPI's own keywords,
        # `nullable`, `discriminator`, are unknown keywords to it, which it allows)
        self._meta_cls: Any = Draft202012Validator if openapi31 else Draft4Validator
        self._validators: dict[int, Any] = {}
        self._keep: list[Any] = []
        self._read_validators: dict[tuple[int, int], Any] = {}
        self._flags: dict[tuple[str, str], bool] = {}
        # what a validator's root carries beside the schema, so a `$ref` into any part of the
        # document resolves (DigitalOcean points at `#/paths/~1v2~1databases/get/...`); the
        # document's keys are OpenAPI fields, none of them a validation keyword
        self._containers = {k: v for k, v in document.items() if k not in _SCHEMA_KEYWORDS}
        # a response read as apigen reads it (`schema_rules`) and as JSON Schema alone does
        self._read_classes: tuple[Any, Any] = (
            (OAS31BoundsValidator, OAS31StrictValidator)
            if openapi31
            else (OAS30NullableValidator, tolerant(OAS30Validator))
        )

    def deref(self, node: Any, depth: int = 0) -> Any:
        """Follow a chain of local `$ref`s (at most 32 hops)."""
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and depth < 32:
            ref: str = node["$ref"]
            if not ref.startswith("#/"):
                return {}
            target: Any = find(self.document, ref)
            if target is MISSING:
                return {}
            node, depth = target, depth + 1
        return node

    def flagged(self, schema: Any, keyword: str) -> bool:
        """`readOnly`/`writeOnly` by the IR's rule (on it, behind its `$ref`, in an `allOf`)."""
        return flagged(schema, keyword, self._lookup, self._flags)

    def _lookup(self, ref: str) -> Any:
        found = find(self.document, ref)
        return None if found is MISSING else found

    def operation(self, path: str, method: str) -> Mapping[str, Any]:
        item = self.deref(self.document.get("paths", {}).get(path, {}))
        found = item.get(method.lower(), {}) if isinstance(item, Mapping) else {}
        return found if isinstance(found, Mapping) else {}

    def parameters(self, path: str, method: str) -> list[Param]:
        item = self.deref(self.document.get("paths", {}).get(path, {}))
        merged: dict[tuple[str, str], Mapping[str, Any]] = {}
        for raw in [
            *item.get("parameters", []),
            *self.operation(path, method).get("parameters", []),
        ]:
            p = self.deref(raw)
            if isinstance(p, Mapping) and "name" in p and "in" in p:
                merged[(str(p["name"]), str(p["in"]))] = p
        out: list[Param] = []
        for (name, location), p in merged.items():
            if location == "header" and ignored_header(name, p):
                continue  # OpenAPI 3: SHALL be ignored; or the transport's (header_params.py)
            content = p.get("content")
            content_type = None
            schema: Any = p.get("schema", {})
            if isinstance(content, Mapping) and content:
                content_type, media = parameter_media(content) or ("", {})
                schema = media.get("schema", {}) if isinstance(media, Mapping) else {}
            default_style = {"query": "form", "cookie": "form"}.get(location, "simple")
            style = str(p.get("style", default_style))
            # (OpenAPI 3.2's `cookie` style explodes by default, as `form` does)
            formish = style == "form" or (location == "cookie" and style == "cookie")
            explode = bool(p.get("explode", formish))
            out.append(
                Param(
                    name,
                    location,
                    bool(p.get("required", location == "path")),
                    self.deref(schema) if isinstance(schema, Mapping) else {},
                    style,
                    explode,
                    content_type,
                    bool(p.get("allowEmptyValue", False)),
                    location == "path"
                    and content_type is None
                    and p.get("x-multi-segment") is True,
                )
            )
        spans = spanning(path, {p.name for p in out if p.multi_segment})
        out = [
            replace(p, multi_segment=False) if p.multi_segment and p.name != spans else p
            for p in out
        ]
        return keyed_parameters(path, _template_params(path, out))

    def request_body(self, path: str, method: str) -> Mapping[str, Any] | None:
        body = self.deref(self.operation(path, method).get("requestBody"))
        return body if isinstance(body, Mapping) and body else None

    def server(self, path: str, method: str) -> str | None:
        """The absolute URL requests for the operation go to by default (operation, path, then
        root `servers`; variables at their defaults); None when it is relative or missing.
        The generator's choice (`ir/servers`): at each level the first server an HTTP client
        calls, relative ones included (`servers: [/, http://api.local]` is on localhost: a
        check naming the second filed 89 false client failures)."""
        item = self.deref(self.document.get("paths", {}).get(path, {}))
        holders = [self.operation(path, method), item, self.document]
        while holders:
            holder = holders.pop(0)
            servers = holder.get("servers") if isinstance(holder, Mapping) else None
            if not (isinstance(servers, list) and servers):
                continue
            urls = [_with_defaults(s) for s in servers if isinstance(s, Mapping)]
            callable_urls = [u for u in urls if not OTHER_SCHEME.match(u)]
            if not callable_urls:
                if holder is self.document:
                    return None
                holders = [self.document]  # only `wss://` ones: the root's server (the IR's
                continue  # `_server` reads the first level that lists any)
            if holder is not self.document:
                from ..ir.servers import operation_server

                if operation_server(self.document, servers) is None:
                    # the generator's rule: the root server (spelled out), or one that is no
                    # URL (`https://{agent_url}` at `{your-agent-url}`: warned, and sent to the
                    # base URL); filed as the client's, it was no client failure (helper 227)
                    holders = [self.document]
                    continue
            chosen = callable_urls[0]
            return chosen if re.match(r"^https?://", chosen, re.IGNORECASE) else None
        return None

    def security(self, path: str, method: str) -> list[dict[str, Any]]:
        """The operation's security alternatives as lists of resolved schemes."""
        op = self.operation(path, method)
        requirements = op.get("security", self.document.get("security", []))
        schemes = self.document.get("components", {}).get("securitySchemes", {})
        out: list[dict[str, Any]] = []
        for requirement in requirements or []:
            if isinstance(requirement, Mapping):
                out.append({name: self.deref(schemes.get(name, {})) for name in requirement})
        return out

    def response_schema(
        self, path: str, method: str, status: int, content_type: str
    ) -> Mapping[str, Any] | None:
        """The schema the operation documents for `status` (exact, `NXX`, `default`) and the
        media type (its base, else the only one), or None."""
        found = self.response_media(path, method, status, content_type)
        schema = found[1].get("schema") if found is not None else None
        return schema if isinstance(schema, Mapping) else None

    def response_media(
        self, path: str, method: str, status: int, content_type: str
    ) -> tuple[str, Mapping[str, Any]] | None:
        """The media type (as declared) and Media Type Object the operation documents for
        `status` (exact, `NXX`, `default`) and `content_type` (its base, else the only one)."""
        responses = self.deref(self.operation(path, method).get("responses"))
        if not isinstance(responses, Mapping):
            return None
        for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
            if key in responses:
                response = self.deref(responses[key])
                break
        else:
            return None
        content = response.get("content") if isinstance(response, Mapping) else None
        if not isinstance(content, Mapping) or not content:
            return None
        base = content_type.split(";", 1)[0].strip().lower()
        declared = base if base in content else None
        if declared is None and len(content) == 1:
            declared = str(next(iter(content)))
        media = self.deref(content[declared]) if declared is not None else None
        return (declared, media) if declared is not None and isinstance(media, Mapping) else None

    def valid_schema(self, schema: Mapping[str, Any]) -> bool:
        """Whether `schema` and every schema its local `$ref`s reach are valid Schema Objects
        of the document's JSON Schema dialect (2020-12 for OpenAPI 3.1, draft 4 for 3.0)."""
        seen: set[int] = set()
        stack: list[Any] = [schema]
        while stack:
            node = stack.pop()
            if id(node) in seen or len(seen) > 10_000:
                continue
            seen.add(id(node))
            if isinstance(node, Mapping):
                ref = node.get("$ref")
                if isinstance(ref, str):
                    target = self.deref({"$ref": ref})
                    if isinstance(target, Mapping) and id(target) not in seen:
                        try:
                            self._meta_cls.check_schema(target)
                        except Exception:  # jsonschema's SchemaError, or a schema it cannot read
                            return False
                        stack.append(target)
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
        try:
            self._meta_cls.check_schema(schema)
        except Exception:
            return False
        return True

    def null_reading_only(self, schema: Mapping[str, Any], value: Any) -> bool:
        """`value` is valid for `schema` as apigen reads null and the flags beside composition
        keywords (`schema_rules`) but not as JSON Schema alone reads them: the spec combines a
        null type with members that admit no null (Vercel's `{type: "null", oneOf: [...]}`,
        Codat's `allOf: [$ref, {type: "null"}]`), which admits no value at all."""
        read, strict = (self._compiled(schema, cls) for cls in self._read_classes)
        try:
            return bool(read.is_valid(value)) and not strict.is_valid(value)
        except Exception:  # a schema jsonschema cannot use (bad pattern, dangling $ref)
            return False

    def unnamed_discriminator(
        self, schema: Mapping[str, Any], body: Any, prop: str, value: str
    ) -> str | None:
        """Where (a JSON pointer) `schema`, read along `body`, has a `discriminator` on `prop`
        without `mapping` that meets an object whose `prop` is `value`, while no variant's
        `prop` admits a variant's name: OpenAPI's implicit values are the schema names, which
        the variants' own enum/const exclude, so no body satisfies both (OpenAI's
        `discriminator: {propertyName: type}` over `CodeInterpreterToolCall` whose `type` is
        `code_interpreter_call`). None when that is not proven."""
        stack: list[tuple[Any, Any, str, int]] = [(schema, body, "", 0)]
        seen: set[tuple[int, int]] = set()
        while stack:
            node, data, where, depth = stack.pop()
            if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
                where = node["$ref"]
                node = self.deref(node)
            if not isinstance(node, Mapping) or depth > 64:
                continue
            if not isinstance(data, dict | list) or (id(node), id(data)) in seen:
                continue
            seen.add((id(node), id(data)))
            if isinstance(data, dict):
                if data.get(prop) == value and self._names_excluded(node, prop):
                    return where or "#"
                properties = node.get("properties")
                if isinstance(properties, Mapping):
                    stack.extend(
                        (sub, data[name], f"{where}/properties/{name}", depth + 1)
                        for name, sub in properties.items()
                        if name in data
                    )
            elif isinstance(node.get("items"), Mapping):
                stack.extend((node["items"], item, f"{where}/items", depth + 1) for item in data)
            for keyword in ("allOf", "oneOf", "anyOf"):
                members = node.get(keyword)
                if isinstance(members, list):
                    stack.extend(
                        (m, data, f"{where}/{keyword}/{i}", depth + 1)
                        for i, m in enumerate(members)
                    )
        return None

    def _names_excluded(self, node: Mapping[str, Any], prop: str) -> bool:
        discriminator = node.get("discriminator")
        if not isinstance(discriminator, Mapping) or discriminator.get("propertyName") != prop:
            return False
        if discriminator.get("mapping"):
            return False
        variants = [*(node.get("oneOf") or ()), *(node.get("anyOf") or ())]
        names = {
            str(v["$ref"]).rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
            for v in variants
            if isinstance(v, Mapping) and isinstance(v.get("$ref"), str)
        }
        if not variants or not names:
            return False
        return all(self._fixed_without(v, prop, names, 0) for v in variants)

    def _fixed_without(self, variant: Any, prop: str, names: set[str], depth: int) -> bool:
        """Whether `variant` (or an `allOf` member of it) fixes `prop` to values (enum/const)
        none of which is in `names`."""
        node = self.deref(variant)
        if not isinstance(node, Mapping) or depth > 16:
            return False
        properties = node.get("properties")
        sub = self.deref(properties.get(prop)) if isinstance(properties, Mapping) else None
        if isinstance(sub, Mapping):
            allowed = [sub["const"]] if "const" in sub else sub.get("enum")
            if (
                isinstance(allowed, list)
                and allowed
                and not names.intersection(a for a in allowed if isinstance(a, str))
            ):
                return True
        members = node.get("allOf")
        return isinstance(members, list) and any(
            self._fixed_without(m, prop, names, depth + 1) for m in members
        )

    def _compiled(self, schema: Mapping[str, Any], cls: Any) -> Any:
        key = (id(schema), id(cls))
        found = self._read_validators.get(key)
        if found is None:
            root = {**self._containers, "allOf": [schema]}
            found = self._read_validators[key] = cls(
                root, format_checker=VALUE_FORMATS, registry=OFFLINE
            )
            self._keep.append(schema)  # the id stays valid
        return found

    def validator(self, schema: Mapping[str, Any]) -> Any:
        """A validator for `schema` in which refs into the document (`#/components/...`,
        `#/paths/...`) resolve."""
        found = self._validators.get(id(schema))
        if found is None:
            root = {**self._containers, **schema}
            found = self._validator_cls(root, format_checker=VALUE_FORMATS, registry=OFFLINE)
            self._validators[id(schema)] = found
            self._keep.append(schema)  # the id stays valid
        return found

    def errors(self, schema: Mapping[str, Any], value: Any) -> list[str]:
        """Validation messages (at most 3) for `value` against `schema`."""
        try:
            found = list(self.validator(schema).iter_errors(value))
        except Exception as exc:  # a schema jsonschema cannot use (bad pattern, dangling $ref)
            return [f"{UNUSABLE}: {exc}"[:200]]
        return [
            f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"[:300]
            for e in found[:3]
        ]


def _with_defaults(server: Mapping[str, Any]) -> str:
    """A Server Object's URL, its variables at their defaults."""
    url = str(server.get("url", ""))
    variables = server.get("variables")
    for name, var in variables.items() if isinstance(variables, Mapping) else ():
        if isinstance(var, Mapping):
            url = url.replace("{" + str(name) + "}", str(var.get("default", "")))
    return url
