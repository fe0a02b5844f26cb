"""The fast validator: openapi-spec-validator's findings without its cost (docs/decisions.md).

Two passes, yielding the same error objects the library does (jsonschema `ValidationError`s
and the library's own error classes, each stamped with `apigen_parts`, the document path it is
relative to), so `validate.py` classifies, locates and words them exactly as for the library:

* the meta-schema pass: jsonschema-rs checks the whole document against the OpenAPI meta-schema
  the library ships (milliseconds on a 13 MB document); at each place it reports, the Python
  `jsonschema` validator re-checks that one node against that one sub-schema, which gives the
  library's own error object (its `oneOf` alternatives, message and keyword), so nothing is
  adapted by hand. A valid document costs no Python validation at all.
* the semantic pass: the library's keyword walk (validation/keywords.py: duplicate operation
  ids and parameters, path parameters declared vs templated, `required` naming undefined
  properties under `allOf`, defaults against their schema, each schema against its dialect's
  meta-schema, duplicate tags) re-done over plain dicts, with the same `$ref` following, visit
  order, deduplication and crash behaviour (a node of the wrong shape ends the check of the
  enclosing part, reported there). A schema's dialect check runs on jsonschema-rs too (formats
  checked by the Python format checker the library uses); only a schema it rejects is
  re-checked in Python to get the library's first error.

The library stays the oracle (`apigen check --full`); tests/spec/test_validator_oracle.py
compares the two on every spec under ../shared/specs and on deliberately broken variants.
"""

from __future__ import annotations

import importlib.util
import json
import string
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema.exceptions import (  # type: ignore[import-untyped, unused-ignore]
    SchemaError,
    ValidationError,
)
from jsonschema.protocols import Validator  # type: ignore[import-untyped, unused-ignore]
from jsonschema.validators import (  # type: ignore[import-untyped, unused-ignore]
    extend,
)
from jsonschema.validators import (  # type: ignore[import-untyped, unused-ignore]
    validator_for as py_validator_for,
)
from openapi_schema_validator import (
    OAS31_BASE_DIALECT_ID,
    OAS30Validator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from ..ecma_regex import costly, finds
from .pointer import split as split_pointer
from .refs import canonical_ref

__all__ = ["CRASH", "crash_error", "family", "fast_errors"]


# openapi-spec-validator's error classes (validation/exceptions.py), by the same names:
# validate.py classifies errors by class name, the library's and these alike.
class OpenAPIValidationError(ValidationError):  # type: ignore[misc, unused-ignore]
    """An error of the semantic pass (the library's class of the same name)."""


class ExtraParametersError(OpenAPIValidationError):
    """`required` names a property no `allOf` member defines."""


class ParameterDuplicateError(OpenAPIValidationError):
    """An operation lists the same parameter twice."""


class UnresolvableParameterError(OpenAPIValidationError):
    """A path template names a parameter that is not declared, or the other way round."""


class DuplicateOperationIDError(OpenAPIValidationError):
    """Two operations share an operationId."""


CRASH = "apigen-validator-crash"

_OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def family(version: str) -> str:
    """Which of the library's validators a document version gets ("2", "3.0", "3.1", "3.2")."""
    if version.startswith("2"):
        return "2"
    return "3.2" if version.startswith("3.2") else "3.1" if version.startswith("3.1") else "3.0"


def crash_error(exc: BaseException, parts: tuple[Any, ...]) -> Any:
    """A validator exception as an error at the place being checked when it happened."""
    err = OpenAPIValidationError(f"{type(exc).__name__}: {exc}", validator=CRASH, instance=None)
    err.apigen_parts = parts
    err.apigen_exception = exc
    return err


def fast_errors(doc: dict[str, Any], version: str) -> Iterator[Any]:
    """Every error openapi-spec-validator's `iter_errors` would yield for `doc`, stamped."""
    fam = family(version)
    if fam == "3.2":  # rare yet: the library itself (the oracle), not a second walk to keep
        from .validate_full import library_errors

        yield from library_errors(doc, version)
        return
    yield from _meta_errors(doc, fam)
    yield from _Walk(doc, fam).run()


# --------------------------------------------------------------------------- meta-schema pass


# The library's meta-schemas, read from its package data: importing `openapi_spec_validator`
# (its schemas proxies pull in jsonschema-path, requests and urllib3) cost the validation
# process ~75 ms before it checked anything.
_META = {"2": "2.0", "3.0": "3.0", "3.1": "3.1"}


def _meta_schema(fam: str) -> dict[str, Any]:
    """openapi-spec-validator's `resources/schemas/v<version>/schema.json` for a family."""
    found = importlib.util.find_spec("openapi_spec_validator")
    folders = list(found.submodule_search_locations or ()) if found is not None else []
    if not folders:
        raise ModuleNotFoundError("openapi-spec-validator is not installed")
    path = Path(folders[0]) / "resources" / "schemas" / f"v{_META[fam]}" / "schema.json"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@cache
def _meta_checkers(fam: str) -> tuple[Any, Any, dict[str, Any]]:
    """(jsonschema-rs validator, Python validator, meta-schema) for a family's document."""
    schema = _meta_schema(fam)
    rs = jsonschema_rs.validator_for(schema, validate_formats=False)
    py = py_validator_for(schema)(schema)  # the library's jsonschema backend, no format checks
    return rs, py, schema


def _meta_errors(doc: dict[str, Any], fam: str) -> Iterator[Any]:
    rs, py, schema = _meta_checkers(fam)
    root_id = schema.get("$id") or schema.get("id") or ""
    seen: set[tuple[Any, ...]] = set()
    for found in rs.iter_errors(doc):
        where = tuple(found.instance_path)
        spath = list(found.schema_path)  # within the schema resource named by its location
        if type(found.kind).__name__ != "FalseSchema":
            spath = spath[:-1]  # the schema object holding the failing keyword
        location = found.absolute_keyword_location
        resource = location.split("#", 1)[0] if location else root_id
        if resource.rstrip("#") == root_id.rstrip("#"):
            sub, resolver = _follow(schema, spath), None
        else:  # a schema the meta-schema refers to (2.0's `type` is draft 4's)
            resolved = py._resolver.lookup(resource)
            sub, resolver = _follow(resolved.contents, spath), resolved.resolver
        instance = _follow(doc, list(where))
        for err in py.descend(instance, sub, resolver=resolver):
            key = (*where, *err.absolute_path, id(err.schema), err.validator)
            if key in seen:
                continue
            seen.add(key)
            err.apigen_parts = where
            yield err


def _follow(node: Any, parts: list[Any]) -> Any:
    for part in parts:
        if isinstance(node, list):
            node = node[int(part)]
        elif part in node:
            node = node[part]
        else:  # a YAML key that is not a string (`201:`): jsonschema-rs reports it as one
            node = next(v for k, v in node.items() if str(k) == str(part))
    return node


# --------------------------------------------------------------------------- dialect checks


def _format_names(node: Any, out: set[str]) -> set[str]:
    if isinstance(node, dict):
        if isinstance(node.get("format"), str):
            out.add(node["format"])
        for value in node.values():
            _format_names(value, out)
    elif isinstance(node, list):
        for value in node:
            _format_names(value, out)
    return out


@cache
def _draft4_checker() -> Any:
    """jsonschema-rs for `OAS30Validator.check_schema`: draft 4's meta-schema, formats checked by
    the format checker the Python side uses (its `regex` is Python's `re`)."""
    meta = OAS30Validator.META_SCHEMA
    checker_cls = py_validator_for(meta, default=OAS30Validator)
    fmt = checker_cls.FORMAT_CHECKER
    names = _format_names(meta, set())
    formats = {n: (lambda value, n=n: bool(fmt.conforms(value, n))) for n in names}
    return jsonschema_rs.validator_for(meta, validate_formats=True, formats=formats)


@cache
def _oas31_checker() -> Any:
    """jsonschema-rs for `OAS31Validator.check_schema` (the OpenAPI 3.1 base dialect, its
    vocabulary from openapi-schema-validator's registry, formats checked in Python)."""
    from openapi_schema_validator._specifications import REGISTRY

    resources = [(uri, REGISTRY[uri].contents) for uri in REGISTRY if "spec.openapis.org" in uri]
    names: set[str] = set()
    for uri in REGISTRY:
        _format_names(REGISTRY[uri].contents, names)
    fmt = oas31_format_checker
    formats = {n: (lambda value, n=n: bool(fmt.conforms(value, n))) for n in names}
    return jsonschema_rs.validator_for(
        OAS31Validator.META_SCHEMA,
        registry=jsonschema_rs.Registry(resources),
        validate_formats=True,
        formats=formats,
    )


class _SchemaCheck:
    """`SchemaValidator._validate_schema_meta` for one document family."""

    def __init__(self, walk: _Walk) -> None:
        self.walk = walk
        self.fam = walk.fam
        self.dialect: str | None = None
        self.classes: dict[str, type[Validator] | None] = {}

    def __call__(self, schema_value: Any) -> Any:
        if self.fam != "3.1":
            if _draft4_checker().is_valid(schema_value):
                return None
            return self._python(OAS30Validator.check_schema, schema_value)
        try:
            dialect = self._dialect(schema_value)
        except ValueError as exc:
            return OpenAPIValidationError(str(exc))
        cls = self.classes.get(dialect, ...)
        if cls is ...:
            cls = py_validator_for({"$schema": dialect}, default=None)
            self.classes[dialect] = cls
        if cls is None:
            return OpenAPIValidationError(f"Unknown JSON Schema dialect: {dialect!r}")
        if cls is OAS31Validator and _oas31_checker().is_valid(schema_value):
            return None
        check = cls.check_schema

        def checker(value: Any) -> None:
            check(value, format_checker=oas31_format_checker)

        return self._python(checker, schema_value)

    def _dialect(self, schema_value: Any) -> str:
        if isinstance(schema_value, Mapping) and "$schema" in schema_value:
            value = schema_value["$schema"]
            if not isinstance(value, str):
                raise ValueError(f"Unknown JSON Schema dialect: {value!r}")
            return value
        if self.dialect is None:
            root = self.walk.root / "jsonSchemaDialect"
            found = root.read_str(default=OAS31_BASE_DIALECT_ID)
            self.dialect = found
        return self.dialect

    @staticmethod
    def _python(checker: Callable[[Any], None], schema_value: Any) -> Any:
        try:
            checker(schema_value)
        except (SchemaError, ValidationError) as err:
            return OpenAPIValidationError.create_from(err)
        return None


# --------------------------------------------------------------------------- semantic pass


class _Unresolved(Exception):
    """A `$ref` the walk cannot follow (the library's resolver raises then, too)."""


_UNSET = object()
_NO_DEFAULT = object()


class _Path:
    """A lazily resolved place in the document, with SchemaPath's semantics: every node on the
    way is `$ref`-followed, a missing key raises KeyError when read, `in` never raises."""

    __slots__ = ("_value", "doc", "parent", "parts", "targets")

    def __init__(
        self, doc: Any, parts: tuple[Any, ...], parent: _Path | None, targets: dict[str, Any]
    ) -> None:
        self.doc = doc
        self.parts = parts
        self.parent = parent
        self.targets = targets  # `$ref` -> the node it names, shared by every path of the walk
        self._value: Any = _UNSET

    def __truediv__(self, key: Any) -> _Path:
        return _Path(self.doc, (*self.parts, key), self, self.targets)

    def value(self) -> Any:
        if self._value is _UNSET:
            if self.parent is None:
                node = self.doc
            else:
                node = _subnode(self.parent.value(), self.parts[-1])
            self._value = _deref(self.doc, node, self.targets)
        return self._value

    def contains(self, key: Any) -> bool:
        try:
            node = self.value()
        except (KeyError, IndexError, TypeError):
            return False
        if isinstance(node, dict):
            return key in node
        if isinstance(node, list):
            return isinstance(key, int) and 0 <= key < len(node)
        return False

    def keys(self) -> Any:
        node = self.value()
        if isinstance(node, dict):
            return node.keys()
        if isinstance(node, list):
            return range(len(node))
        if self.parts:
            raise KeyError(self.parts[-1])
        raise KeyError

    def items(self) -> Iterator[tuple[Any, _Path]]:
        for key in self.keys():
            yield key, self / key

    def __iter__(self) -> Iterator[_Path]:
        for key in self.keys():
            yield self / key

    def item(self, key: Any) -> Any:
        """`path[key]`: the raw child, or a path (by identity) when it is a container."""
        child = _subnode(self.value(), key)
        if isinstance(child, dict | list):
            return ("path", (*self.parts, key))
        return child

    def read_str(self, default: Any = _NO_DEFAULT) -> Any:
        try:
            value = self.value()
        except KeyError:
            if default is not _NO_DEFAULT:
                return default
            raise
        if not isinstance(value, str):
            raise TypeError(f"Expected a string value, got {type(value)}")
        return value


def _subnode(node: Any, key: Any) -> Any:
    if isinstance(node, dict):
        return node[key]
    if isinstance(node, list):
        if isinstance(key, int):
            return node[key]
        raise TypeError(f"list indices must be integers, not {type(key).__name__}")
    raise KeyError(key)


def _deref(doc: Any, node: Any, targets: dict[str, Any]) -> Any:
    """The node behind `node`'s `$ref`s; each `$ref` is resolved once per walk (`targets`)."""
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        target = targets.get(ref, _UNSET)
        if target is _UNSET:
            target = targets[ref] = _target(doc, ref)
        node = target
        seen += 1
        if seen > 64:  # a `$ref` loop: the library recurses until Python stops it
            raise RecursionError(f"$ref loop through {ref}")
    return node


def _target(doc: Any, ref: str) -> Any:
    """The node one local `$ref` names (not followed further)."""
    if not ref.startswith("#"):
        raise _Unresolved(ref)
    found, canonical = canonical_ref(doc, ref)
    if not found:
        raise _Unresolved(ref)
    node = doc
    for seg in split_pointer(canonical):
        node = node[int(seg)] if isinstance(node, list) else node[seg]
    return node


class _Walk:
    """openapi-spec-validator's keyword validators (validation/keywords.py), over plain dicts.

    Every method mirrors the library's `__call__` of the same name; `_guard` mirrors how
    validate.py wraps each of them (errors stamped with where they were found, an exception
    reported there and ending that call)."""

    def __init__(self, doc: dict[str, Any], fam: str) -> None:
        self.doc = doc
        self.fam = fam
        self.root = _Path(doc, (), None, {})
        self.visited: set[int] = set()
        self.meta_checked: set[int] = set()
        self.properties_of: dict[int, frozenset[Any]] = {}  # `_collect_properties`
        self.operation_ids: set[Any] = set()
        self.meta_check = _SchemaCheck(self)
        self.value_cls: Any = _guarded(OAS31Validator if fam == "3.1" else OAS30Validator)
        self.value_formats = oas31_format_checker if fam == "3.1" else oas30_format_checker
        self._resolver: Any = None

    def run(self) -> Iterator[Any]:
        return self._guard(self.root, self._root(self.root))

    @staticmethod
    def _guard(where: _Path, errors: Iterator[Any], suffix: tuple[str, ...] = ()) -> Iterator[Any]:
        while True:
            try:
                err = next(errors)
            except StopIteration:
                return
            except RecursionError:
                raise
            except Exception as exc:  # the library fails here too: reported where it happened
                yield crash_error(exc, where.parts)
                return
            if not hasattr(err, "apigen_parts"):
                err.apigen_parts = (*where.parts, *suffix)
            yield err

    # root, tags, paths, components

    def _root(self, spec: _Path) -> Iterator[Any]:
        if spec.contains("tags"):
            tags = spec / "tags"
            yield from self._guard(tags, self._tags(tags))
        if spec.contains("paths"):
            paths = spec / "paths"
            yield from self._guard(paths, self._paths(paths))
        if spec.contains("components"):
            components = spec / "components"
            yield from self._guard(components, self._components(components))

    def _tags(self, tags: _Path) -> Iterator[Any]:
        seen: set[str] = set()
        for tag in tags:
            name = (tag / "name").read_str()
            if name in seen:
                yield OpenAPIValidationError(f"Duplicate tag name '{name}'")
            seen.add(name)

    def _components(self, components: _Path) -> Iterator[Any]:
        if components.contains("schemas"):
            schemas = components / "schemas"
            yield from self._guard(schemas, self._schemas(schemas))

    def _schemas(self, schemas: _Path) -> Iterator[Any]:
        for _, schema in schemas.items():
            yield from self._guard(schema, self._schema(schema))

    def _paths(self, paths: _Path) -> Iterator[Any]:
        for url, path_item in paths.items():
            assert isinstance(url, str)
            yield from self._guard(path_item, self._path(url, path_item))

    def _path(self, url: str, path_item: _Path) -> Iterator[Any]:
        parameters = None
        if path_item.contains("parameters"):
            parameters = path_item / "parameters"
            yield from self._guard(parameters, self._parameters(parameters))
        for field_name, operation in path_item.items():
            assert isinstance(field_name, str)
            if field_name not in _OPERATIONS:
                continue
            yield from self._guard(
                operation, self._operation(url, field_name, operation, parameters)
            )

    # operations

    def _operation(
        self, url: str, name: str, operation: _Path, path_parameters: _Path | None
    ) -> Iterator[Any]:
        if operation.contains("operationId"):
            operation_id = (operation / "operationId").value()
            if operation_id is not None and operation_id in self.operation_ids:
                yield DuplicateOperationIDError(
                    f"Operation ID '{operation_id}' for '{name}' in '{url}' is not unique"
                )
            self.operation_ids.add(operation_id)
        if operation.contains("responses"):
            responses = operation / "responses"
            yield from self._guard(responses, self._responses(responses))
        names: list[str] = []
        if operation.contains("parameters"):
            parameters = operation / "parameters"
            yield from self._guard(parameters, self._parameters(parameters))
            names += list(self._path_param_names(parameters))
        if path_parameters is not None:
            names += list(self._path_param_names(path_parameters))
        all_params = set(names)
        url_params = {item[1] for item in string.Formatter().parse(url) if item[1]}
        for path in sorted(url_params):
            if path not in all_params:
                yield UnresolvableParameterError(
                    f"Path parameter '{path}' for '{name}' operation in '{url}' was not resolved"
                )
        for path in sorted(all_params):
            if path not in url_params:
                yield UnresolvableParameterError(
                    f"Path parameter '{path}' for '{name}' operation in '{url}' was not resolved"
                )

    @staticmethod
    def _path_param_names(params: _Path) -> Iterator[str]:
        for param in params:
            if (param / "in").read_str() == "path":
                yield (param / "name").read_str()

    def _parameters(self, parameters: _Path) -> Iterator[Any]:
        seen = set()
        for parameter in parameters:
            yield from self._guard(parameter, self._parameter(parameter))
            name, where = parameter.item("name"), parameter.item("in")
            # a header's name is case-insensitive (RFC 9110): `X-A` and `x-a` are one header
            if where == "header" and isinstance(name, str):
                name = name.lower()
            key = (name, where)
            if key in seen:
                yield ParameterDuplicateError(f"Duplicate parameter '{parameter.item('name')}'")
            seen.add(key)

    def _parameter(self, parameter: _Path) -> Iterator[Any]:
        if parameter.contains("schema"):
            schema = parameter / "schema"
            yield from self._guard(schema, self._schema(schema))
        if self.fam == "2" and parameter.contains("default"):
            default_value = (parameter / "default").value()
            yield from self._guard(parameter, self._default(parameter, default_value), ("default",))

    def _responses(self, responses: _Path) -> Iterator[Any]:
        for code, response in responses.items():
            assert isinstance(code, str)
            yield from self._guard(response, self._response(response))

    def _response(self, response: _Path) -> Iterator[Any]:
        if self.fam == "2":
            if response.contains("schema"):
                schema = response / "schema"
                yield from self._guard(schema, self._schema(schema))
            return
        if response.contains("content"):
            content = response / "content"
            yield from self._guard(content, self._content(content))

    def _content(self, content: _Path) -> Iterator[Any]:
        for mimetype, media_type in content.items():
            assert isinstance(mimetype, str)
            yield from self._guard(media_type, self._media_type(media_type))

    def _media_type(self, media_type: _Path) -> Iterator[Any]:
        if media_type.contains("schema"):
            schema = media_type / "schema"
            yield from self._guard(schema, self._schema(schema))

    # schemas

    def _schema(
        self, schema: _Path, require_properties: bool = True, meta_checked: bool = False
    ) -> Iterator[Any]:
        schema_value = schema.value()
        if not isinstance(schema_value, dict | bool):
            yield OpenAPIValidationError(f"{schema_value!r} is not of type 'object', 'boolean'")
            return
        schema_id = id(schema_value)
        if not meta_checked and schema_id not in self.meta_checked:
            self.meta_checked.add(schema_id)
            err = self.meta_check(schema_value)
            if err is not None:
                yield err
                return
        if schema_id in self.visited:
            return
        self.visited.add(schema_id)

        # `schema.contains(k)` is `k in schema_value` here (a bool schema contains nothing);
        # read directly: the walk visits every schema of the document.
        keys: Any = schema_value if isinstance(schema_value, dict) else ()
        nested_properties: list[Any] = []
        if "allOf" in keys:
            for inner in schema / "allOf":
                yield from self._guard(inner, self._schema(inner, False, True))
                nested_properties += list(self._collect_properties(inner))
        for keyword in ("anyOf", "oneOf", "not", "items"):
            if keyword in keys:
                inners = schema / keyword
                for inner in inners if keyword in ("anyOf", "oneOf") else (inners,):
                    yield from self._guard(inner, self._schema(inner, False, True))
        if "properties" in keys:
            for _, prop in (schema / "properties").items():
                yield from self._guard(prop, self._schema(prop, False, True))

        required = ("required" in keys and (schema / "required").value()) or []
        properties = ("properties" in keys and (schema / "properties").keys()) or []
        if "allOf" in keys:
            extra = list(set(required) - set(properties) - set(nested_properties))
        else:
            extra = []
        if extra and require_properties:
            yield ExtraParametersError(f"Required list has not defined properties: {extra}")

        if "default" in keys:
            default_value = (schema / "default").value()
            nullable = False
            if "nullable" in keys:
                nullable = (schema / "nullable").value()
            if default_value is not None or nullable is not True:
                yield from self._guard(schema, self._default(schema, default_value), ("default",))

    def _collect_properties(self, schema: _Path) -> set[Any]:
        """The property names `schema` and its subschemas declare; remembered per schema, as
        `allOf: [$ref: B, $ref: B]` at each of 30 levels would be 2^30 walks (the library's
        walk has no memory; a cycle still recurses as in the library, which fails there)."""
        try:
            node = schema.value()
        except (KeyError, IndexError, TypeError):  # (`contains` below answers False)
            node = None
        if isinstance(node, dict):
            known = self.properties_of.get(id(node))
            if known is not None:
                return set(known)
        props = self._collect_properties_anew(schema)
        if isinstance(node, dict):
            self.properties_of[id(node)] = frozenset(props)
        return props

    def _collect_properties_anew(self, schema: _Path) -> set[Any]:
        props: set[Any] = set()
        if schema.contains("properties"):
            props.update((schema / "properties").keys())
        for keyword in ("allOf", "anyOf", "oneOf"):
            if schema.contains(keyword):
                for sub in schema / keyword:
                    props.update(self._collect_properties(sub))
        for keyword in ("items", "not"):
            if schema.contains(keyword):
                props.update(self._collect_properties(schema / keyword))
        return props

    def _default(self, schema: _Path, value: Any) -> Iterator[Any]:
        """`ValueValidator`: the default against its (resolved) schema, refs into the document."""
        if self._resolver is None:
            registry: Registry[Any] = Registry().with_resource(
                "", DRAFT202012.create_resource(self.doc)
            )
            self._resolver = registry.resolver(base_uri="")
        try:
            contents = schema.value()
        except _Unresolved as exc:
            raise Unresolvable(str(exc)) from None
        checker = self.value_cls(
            contents, _resolver=self._resolver, format_checker=self.value_formats
        )
        yield from checker.iter_errors(value)


@cache
def _guarded(cls: Any) -> Any:
    """`cls` (a value validator) whose `pattern` judges a string `re` could backtrack on for
    hours (`ecma_regex.costly`: `^(a+)+$` on 35 characters) with the bounded engine instead
    (`ecma_regex.finds`), as the sandbox does: a spec's `default` or example is not worth a
    build that never ends. One the bounded engine gives up on is no finding."""
    check = cls.VALIDATORS["pattern"]

    def pattern(validator: Any, patrn: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if isinstance(patrn, str) and isinstance(instance, str) and costly(patrn, instance):
            if finds(patrn, instance) is False:
                yield ValidationError(f"{instance!r} does not match {patrn!r}")
            return
        yield from check(validator, patrn, instance, schema)

    return extend(cls, {"pattern": pattern})
