"""Validators for requests (the sandbox's and the contract checks'), reading schemas as the IR does.

Null and readOnly/writeOnly beside composition keywords follow `apigen.schema_rules` (decisions
§31): null passes `allOf`/`oneOf`/`anyOf` where the schema's own `nullable: true` (3.0) or
`type` (3.1) admits it, an `allOf` member that admits only null makes the `allOf` "the rest, or
null", `type: "null"` beside a combiner leaves other values to the members, and a required
property that is readOnly (write validators) or writeOnly (read) by that rule may be absent.
openapi-schema-validator reads `nullable` within one schema object only and the flags on the
property schema only, so it refused the null a generated `Location | None` sends.

The OpenAPI 3.1 validator also reads a boolean `exclusiveMinimum`/`exclusiveMaximum` as draft 4.

A 3.1 schema may declare an older dialect (`$schema: draft-04`, or `jsonSchemaDialect` for the
document), where `exclusiveMaximum: true` makes `maximum` strict. jsonschema's 2020-12 keywords
read that `true` as the number 1 (`12 is greater than or equal to the maximum of True`) and
refuse every valid value. A boolean is never a valid 2020-12 bound, so it can only mean the
draft 4 reading, whatever dialect is declared: that is what this validator does, and it stays
the validator below a `$schema` naming 2019-09 or 2020-12 (jsonschema would switch to its own
class there, which reads the boolean as a number again). Older dialects switch as usual.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator, Mapping
from decimal import Decimal, localcontext
from typing import Any, Final

import attrs
from jsonschema import (  # type: ignore[import-untyped, unused-ignore]
    Draft201909Validator,
    Draft202012Validator,
    ValidationError,
    _legacy_keywords,
    validators,
)
from openapi_schema_validator import OAS30Validator, OAS30WriteValidator, OAS31Validator
from referencing import Registry

from ..ecma_regex import compile_pattern, finds
from ..schema_rules import (
    COMBINERS,
    declarations,
    flagged,
    null_only,
    null_type_beside_combiner,
)

# Where a validator finds what a `$ref` or `$dynamicRef` names outside the schema: nowhere.
# Without a registry jsonschema fetches an absolute URL (`$dynamicRef:
# "http://host/c.json#x"`: a helper's sweep saw the sandbox and the contract checks fetch it
# at each request); an empty `Registry` retrieves nothing, so such a ref is unresolvable.
OFFLINE: Final[Registry[Any]] = Registry()

_BASE: Final[Mapping[str, Any]] = OAS31Validator.VALIDATORS
_JSON_SCHEMA_ALL_OF: Final[Any] = Draft202012Validator.VALIDATORS["allOf"]
_BASE30: Final[Mapping[str, Any]] = OAS30Validator.VALIDATORS


def _combiner(keyword: str, base: Mapping[str, Any], openapi31: bool) -> Any:
    """`allOf`/`oneOf`/`anyOf` that let through the null the schema itself admits."""

    def check(
        validator: Any, members: Any, instance: Any, schema: Mapping[str, Any]
    ) -> Iterator[Any]:
        admits = schema.get("nullable") is True or (openapi31 and null_type_beside_combiner(schema))
        if instance is None and admits:
            return
        if keyword == "allOf" and isinstance(members, list) and any(map(null_only, members)):
            if instance is None:
                return
            members = [m for m in members if not null_only(m)]
        if "discriminator" in schema and isinstance(schema["discriminator"], Mapping):
            yield from _discriminated(keyword, base, validator, members, instance, schema)
            return
        yield from base[keyword](validator, members, instance, schema)

    return check


# (id(instance), ref or id(schema)) -> how many discriminator descents are open, per thread
_ACTIVE = threading.local()


def _discriminated(
    keyword: str,
    base: Mapping[str, Any],
    validator: Any,
    members: Any,
    instance: Any,
    schema: Mapping[str, Any],
) -> Iterator[Any]:
    """openapi-schema-validator's discriminator reading, two faults mended.

    An `allOf` beside a discriminator (TM Forum's `Entity`: `discriminator: {propertyName:
    "@type"}`, `allOf: [Addressable, Extensible]`) is still an `allOf`: its members apply, not
    only the schema the value names. And the schema the value names is not entered again for
    the instance it is already validating: `Foo` (`allOf: [Entity]`) with `@type: Foo` went
    Foo -> Entity -> Foo -> ... until Python's recursion limit, which the sandbox read as no
    verdict and the contract check as a schema it cannot use."""
    active: dict[tuple[int, Any], int] = _ACTIVE.__dict__.setdefault("open", {})
    own = (id(instance), id(schema))
    if active.get(own):
        return  # this very check is under way further up (the named schema led back here)
    if keyword == "allOf":
        yield from _JSON_SCHEMA_ALL_OF(validator, members, instance, schema)
    disc = schema["discriminator"]
    prop = disc.get("propertyName")
    value = instance.get(prop) if isinstance(instance, dict) and isinstance(prop, str) else None
    mapping = disc.get("mapping")
    mapped = mapping.get(value) if isinstance(mapping, Mapping) and isinstance(value, str) else None
    ref = mapped if isinstance(mapped, str) else f"#/components/schemas/{value}"
    named = (id(instance), ref)
    if value and active.get(named):
        return  # the instance is being validated against that schema already
    for key in (own, named):
        active[key] = active.get(key, 0) + 1
    try:
        yield from base[keyword](validator, members, instance, schema)
    finally:
        for key in (own, named):
            active[key] -= 1
            if not active[key]:
                del active[key]


def _type31(validator: Any, types: Any, instance: Any, schema: Mapping[str, Any]) -> Iterator[Any]:
    """`type: "null"` beside a combiner: a value that is not null is the members' to judge;
    `nullable: true` admits null (below)."""
    if instance is not None and types in ("null", ["null"]) and null_type_beside_combiner(schema):
        return
    if instance is None and schema.get("nullable") is True:
        return
    yield from _BASE["type"](validator, types, instance, schema)


def _nullable31(keyword: str) -> Any:
    """`enum`/`const`/`$ref` letting through the null a 3.1 schema's `nullable: true` admits.

    `nullable` is no 3.1 keyword, but documents converted from 3.0 keep it (OpenAI's
    `tracing: {nullable: true, oneOf: [...]}`), and the IR and schemathesis read it in every
    version: a generated client sends the `None` its type allows (decisions.md)."""

    def check(validator: Any, value: Any, instance: Any, schema: Mapping[str, Any]) -> Any:
        if instance is None and schema.get("nullable") is True:
            return
        yield from _BASE[keyword](validator, value, instance, schema) or ()

    return check


def _required(*flags: str) -> Any:
    """`required`, except for an absent property that carries one of `flags` by the IR's rule
    (on it, behind its `$ref`, in an `allOf` member), where the object or one of its `allOf`
    members declares it."""

    def check(
        validator: Any, required: Any, instance: Any, schema: Mapping[str, Any]
    ) -> Iterator[Any]:
        if not validator.is_type(instance, "object") or not isinstance(required, list):
            return

        def lookup(ref: str) -> Any:
            return _lookup(validator, ref)

        for name in required:
            if name in instance:
                continue
            declared = declarations(schema, name, lookup) if isinstance(name, str) else []
            if any(flagged(prop, flag, lookup) for prop in declared for flag in flags):
                continue
            yield ValidationError(f"{name!r} is a required property")

    return check


def _lookup(validator: Any, ref: str) -> Any:
    """A local ref resolved against the validator's root (jsonschema's referencing resolver)."""
    try:
        return validator._resolver.lookup(ref).contents
    except Exception as exc:  # referencing's Unresolvable and friends
        raise ValueError(f"cannot resolve {ref!r}") from exc


def _bound(keyword: str, exclusive: str, below: bool) -> Any:
    def check(
        validator: Any, limit: Any, instance: Any, schema: Mapping[str, Any]
    ) -> Iterator[Any]:
        if schema.get(exclusive) is not True:
            yield from _BASE[keyword](validator, limit, instance, schema)
            return
        if not validator.is_type(instance, "number") or isinstance(limit, bool):
            return
        if (instance >= limit) if below else (instance <= limit):
            word = "greater" if below else "less"
            yield ValidationError(
                f"{instance!r} is {word} than or equal to the {keyword} of {limit!r}"
            )

    return check


def _exclusive(keyword: str) -> Any:
    def check(
        validator: Any, limit: Any, instance: Any, schema: Mapping[str, Any]
    ) -> Iterator[Any]:
        if not isinstance(limit, bool):
            yield from _BASE[keyword](validator, limit, instance, schema)

    return check


def compiles(pattern: str) -> bool:
    """Whether Python's `re` can read `pattern` (as ECMA-262, `ecma_regex`)."""
    return compile_pattern(pattern) is not None


def _pattern(validator: Any, pattern: Any, instance: Any, schema: Mapping[str, Any]) -> Any:
    """`pattern` read as ECMA-262 (`ecma_regex`: `\\S` takes U+001F, `\\d` is `[0-9]`) instead of
    jsonschema's Python reading; a pattern Python cannot read, or one the bounded engine gave
    up on for the value (`ecma_regex.finds`), is no finding (decisions.md)."""
    if not isinstance(pattern, str) or not validator.is_type(instance, "string"):
        return
    if finds(pattern, instance) is not False:
        return
    yield ValidationError(f"{instance!r} does not match {pattern!r}")


def decimal_multiple(value: float, divisor: float) -> bool:
    """Whether `value` is a multiple of `divisor` read as the decimals JSON wrote (`19.99` of
    `0.01`); jsonschema divides the floats, and 19.99 / 0.01 is 1998.9999999999998."""
    try:
        with localcontext() as exact:  # digits enough for any float's quotient (1e30 / 0.3)
            exact.prec = 800
            quotient = Decimal(repr(value)) / Decimal(repr(divisor))
    except (ArithmeticError, ValueError):  # inf, nan: no multiple of anything
        return False
    return quotient == quotient.to_integral_value()


def _multiple_of(validator: Any, divisor: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "number") or not validator.is_type(divisor, "number"):
        return
    if divisor <= 0 or decimal_multiple(instance, divisor):
        return  # (a divisor that is not positive: the meta-schema's to refuse)
    yield ValidationError(f"{instance!r} is not a multiple of {divisor!r}")


# JSON Schema's own reading of null (no `schema_rules`): what schemathesis checks responses with
OAS31StrictValidator: Any = validators.extend(
    OAS31Validator,
    {
        "multipleOf": _multiple_of,
        "pattern": _pattern,
        "maximum": _bound("maximum", "exclusiveMaximum", below=True),
        "minimum": _bound("minimum", "exclusiveMinimum", below=False),
        "exclusiveMaximum": _exclusive("exclusiveMaximum"),
        "exclusiveMinimum": _exclusive("exclusiveMinimum"),
    },
)
OAS31BoundsValidator: Any = validators.extend(
    OAS31StrictValidator,
    {
        "type": _type31,
        "enum": _nullable31("enum"),
        "const": _nullable31("const"),
        "$ref": _nullable31("$ref"),  # `{$ref: X, nullable: true}`: X, or null (OpenAI's)
        **{k: _combiner(k, _BASE, openapi31=True) for k in COMBINERS},
    },
)

_NULLABLE30: Final[dict[str, Any]] = {k: _combiner(k, _BASE30, openapi31=False) for k in COMBINERS}


def _oas30(base: Any, required: Any) -> Any:
    """openapi-schema-validator's 3.0 validator `base`, reading `{$ref, ...}` as the `$ref` alone
    (it builds from draft 4 keywords but without draft 4's `$ref` rule, so `{"$ref": X,
    "required": ["a"]}` would demand `a`: DigitalOcean's load balancer `droplet_ids`), null
    beside composition by `schema_rules`, `required` as `required` reads it, and a pattern
    Python cannot compile left unchecked."""
    base_ref = base.VALIDATORS["$ref"]

    def ref(validator: Any, value: Any, instance: Any, schema: Mapping[str, Any]) -> Any:
        # `{$ref: X, nullable: true}`: X, or null, as the IR and schemathesis read it in 3.0
        # too (the sibling is otherwise ignored)
        if instance is None and schema.get("nullable") is True:
            return
        yield from base_ref(validator, value, instance, schema) or ()

    return validators.create(
        meta_schema=base.META_SCHEMA,
        validators={
            **base.VALIDATORS,
            **_NULLABLE30,
            "$ref": ref,
            "required": required,
            "pattern": _pattern,
            "multipleOf": _multiple_of,
        },
        type_checker=base.TYPE_CHECKER,
        format_checker=base.FORMAT_CHECKER,
        id_of=base.ID_OF,
        applicable_validators=_legacy_keywords.ignore_ref_siblings,
    )


# parameters (3.0), and requests as the contract checks read them (readOnly or writeOnly absent)
OAS30NullableValidator: Any = _oas30(OAS30Validator, _required("readOnly", "writeOnly"))
# a request body (3.0): a required readOnly property is not sent, and refused when sent
OAS30WriteNullableValidator: Any = _oas30(OAS30WriteValidator, _required("readOnly"))


def _evolve(self: Any, **changes: Any) -> Any:
    """jsonschema's `evolve`, but a 2019-09 or 2020-12 `$schema` keeps this validator."""
    schema = changes.setdefault("schema", self.schema)
    cls = validators.validator_for(schema, default=type(self))
    if cls in (Draft201909Validator, Draft202012Validator):
        cls = type(self)
    for spec in attrs.fields(type(self)):
        if spec.init and spec.alias not in changes:
            changes[spec.alias] = getattr(self, spec.name)
    return cls(**changes)


OAS31StrictValidator.evolve = _evolve
OAS31BoundsValidator.evolve = _evolve

# a request body (3.1): a required readOnly property is not sent
OAS31WriteValidator: Any = validators.extend(
    OAS31BoundsValidator, {"required": _required("readOnly")}
)
OAS31WriteValidator.evolve = _evolve


@functools.cache
def tolerant(cls: Any) -> Any:
    """`cls` reading `pattern` as ECMA-262, a pattern Python cannot compile left unchecked (the
    validators above do)."""
    if cls in _TOLERANT:
        return cls
    return validators.extend(cls, {"pattern": _pattern, "multipleOf": _multiple_of})


_TOLERANT = (
    OAS31StrictValidator,
    OAS31BoundsValidator,
    OAS31WriteValidator,
    OAS30NullableValidator,
    OAS30WriteNullableValidator,
)
