"""The OpenAPI 3.1 validator, reading a boolean `exclusiveMinimum`/`exclusiveMaximum` as draft 4.

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
import re
from collections.abc import Iterator, Mapping
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

_BASE: Final[Mapping[str, Any]] = OAS31Validator.VALIDATORS


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


@functools.cache
def compiles(pattern: str) -> bool:
    """Whether Python's `re` can compile `pattern` (what jsonschema's `pattern` runs)."""
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


def _pattern(base: Any) -> Any:
    def check(validator: Any, pattern: Any, instance: Any, schema: Mapping[str, Any]) -> Any:
        if isinstance(pattern, str) and not compiles(pattern):
            return  # a pattern we cannot read is no finding (decisions.md)
        yield from base(validator, pattern, instance, schema) or ()

    return check


OAS31BoundsValidator: Any = validators.extend(
    OAS31Validator,
    {
        "pattern": _pattern(_BASE["pattern"]),
        "maximum": _bound("maximum", "exclusiveMaximum", below=True),
        "minimum": _bound("minimum", "exclusiveMinimum", below=False),
        "exclusiveMaximum": _exclusive("exclusiveMaximum"),
        "exclusiveMinimum": _exclusive("exclusiveMinimum"),
    },
)


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


OAS31BoundsValidator.evolve = _evolve


@functools.cache
def tolerant(cls: Any) -> Any:
    """`cls` with a `pattern` Python cannot compile left unchecked (OAS31BoundsValidator is)."""
    if cls is OAS31BoundsValidator:
        return cls
    return validators.extend(cls, {"pattern": _pattern(cls.VALIDATORS["pattern"])})


def ref_siblings_apply(document: Mapping[str, Any]) -> bool:
    """Whether keywords beside a `$ref` constrain the value: OpenAPI 3.1 and later (JSON Schema
    2020-12), not 3.0 or Swagger 2.0, where "any sibling elements of a $ref are ignored" (the
    IR reads them the same way, and so does schemathesis)."""
    version = str(document.get("openapi", ""))
    major, _, rest = version.partition(".")
    minor = rest.partition(".")[0]
    return major.isdigit() and minor.isdigit() and (int(major), int(minor)) >= (3, 1)


# OpenAPI 3.0's validators, reading `{$ref, ...}` as the `$ref` alone. (openapi-schema-validator
# builds them from draft 4 keywords but without draft 4's `$ref` rule, so `{"$ref": X,
# "required": ["a"]}` would demand `a`: DigitalOcean's load balancer `droplet_ids`.) `required`
# still reads `readOnly` on the property schema itself, beside a `$ref` too, as the IR does.
OAS30RefValidator: Any = validators.create(
    meta_schema=OAS30Validator.META_SCHEMA,
    validators=OAS30Validator.VALIDATORS,
    type_checker=OAS30Validator.TYPE_CHECKER,
    format_checker=OAS30Validator.FORMAT_CHECKER,
    id_of=OAS30Validator.ID_OF,
    applicable_validators=_legacy_keywords.ignore_ref_siblings,
)
OAS30RefWriteValidator: Any = validators.create(
    meta_schema=OAS30WriteValidator.META_SCHEMA,
    validators=OAS30WriteValidator.VALIDATORS,
    type_checker=OAS30WriteValidator.TYPE_CHECKER,
    format_checker=OAS30WriteValidator.FORMAT_CHECKER,
    id_of=OAS30WriteValidator.ID_OF,
    applicable_validators=_legacy_keywords.ignore_ref_siblings,
)
