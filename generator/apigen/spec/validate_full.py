"""The full validator: openapi-spec-validator itself (`apigen check --full`, `full=True`).

The oracle the fast path (validate_fast.py) is tested against; slow on big specs (github.json
~10 s CPU even once its quadratic id registries are sets and its ref cache is big enough). Its
errors are stamped with the document path they were found at (`apigen_parts`), like the fast
path's, and classified and located by validate.py. Imported only when asked for: importing the
library costs ~0.25 s CPU.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from jsonschema_path import SchemaPath
from openapi_spec_validator.schemas import schema_v2, schema_v30, schema_v31, schema_v32
from openapi_spec_validator.schemas.backend.jsonschema import (
    create_validator as _python_schema_checker,
)
from openapi_spec_validator.validation.validators import (
    OpenAPIV2SpecValidator,
    OpenAPIV30SpecValidator,
    OpenAPIV31SpecValidator,
    OpenAPIV32SpecValidator,
    SpecValidator,
)

from .validate_fast import crash_error, family

__all__ = ["library_errors"]

_RESOLVED_CACHE = 65_536  # the library's default of 128 thrashes on specs with thousands of refs


class _ListLikeSet(set[Any]):
    """A set with `list.append`, for the validator's membership registries."""

    def append(self, item: Any) -> None:
        self.add(item)


def _tagged(cls: type[Any], suffix: tuple[str, ...] = ()) -> type[Any]:
    """A keyword validator that stamps each error with the document path it was found at
    (the library reports keyword errors relative to the schema or value it checked)."""

    class Tagged(cls):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # The library keeps these registries in lists: quadratic on big specs (github.json).
            for name in ("visited_schema_ids", "meta_checked_schema_ids", "operation_ids_registry"):
                if isinstance(getattr(self, name, None), list):
                    setattr(self, name, _ListLikeSet(getattr(self, name)))

        def __call__(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
            where = next((a for a in args if isinstance(a, SchemaPath)), None)
            errors = super().__call__(*args, **kwargs)
            while True:
                try:
                    err = next(errors)
                except StopIteration:
                    return
                except RecursionError:
                    raise  # too deep: `_validate` keeps what was found and says so
                except Exception as exc:  # the library fails on some invalid specs
                    # (KeyError on a parameter without `name`): report it where it happened,
                    # and let the caller's loop go on with the next part of the document
                    yield crash_error(exc, where.parts if where is not None else ())
                    return
                if where is not None and not hasattr(err, "apigen_parts"):
                    err.apigen_parts = (*where.parts, *suffix)
                yield err

    Tagged.__name__ = f"Tagged{cls.__name__}"
    return Tagged


def _located(base: type[SpecValidator], schema: Any) -> type[SpecValidator]:
    tagged = {
        key: _tagged(cls, ("default",) if key == "default" else ())
        for key, cls in base.keyword_validators.items()
    }
    # Always the Python `jsonschema` checker for the spec's own shape: with `jsonschema_rs`
    # installed (schemathesis brings it) the library switches to it by default, and its errors
    # have no `validator`, no `context` (oneOf branches) and a whole report as `message`, which
    # the classification and location below cannot use.
    attrs = {"keyword_validators": tagged, "schema_validator": _python_schema_checker(schema)}
    return cast(type[SpecValidator], type(f"Located{base.__name__}", (base,), attrs))


_VALIDATORS = {
    "2": _located(OpenAPIV2SpecValidator, schema_v2),
    "3.0": _located(OpenAPIV30SpecValidator, schema_v30),
    "3.1": _located(OpenAPIV31SpecValidator, schema_v31),
    "3.2": _located(OpenAPIV32SpecValidator, schema_v32),
}


def _iter_errors(validator: SpecValidator) -> Iterator[Any]:
    """The library's `iter_errors` minus its unbounded lru_cache (which would keep every
    validated document alive for the life of the process)."""
    yield from validator.schema_validator.iter_errors(validator.schema)
    yield from validator.root_validator(validator.schema_path)


def library_errors(doc: dict[str, Any], version: str) -> Iterator[Any]:
    """openapi-spec-validator's own errors (the oracle), stamped like `fast_errors`'."""
    cls = _VALIDATORS[family(version)]
    schema_path = SchemaPath.from_dict(
        doc, handlers=cls.resolver_handlers, resolved_cache_maxsize=_RESOLVED_CACHE
    )
    return _iter_errors(cls(schema_path))
