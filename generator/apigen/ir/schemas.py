"""JSON Schema (OpenAPI 3.0 and 3.1 dialects) to type expressions and model definitions.

One converter per build. Component schemas are registered first so they keep their own names;
inline object schemas become models named after where they sit (`CustomerAddress`). Deeply
nested or cyclic input never recurses without bound: `$ref`s become `Ref`s, and inline nesting
past `MAX_DEPTH` is typed `Any` with a warning; an inline object past `MAX_MODEL_DEPTH` is a
`dict` instead of a model (pydantic resolves a module's chain of forward references
recursively: about 90 nested inline models exhaust the interpreter's recursion limit).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from .. import all_of, naming
from ..diagnostics import Report
from ..ecma_regex import finds
from ..schema_rules import flagged, null_only, ref_siblings_apply
from ..spec import pointer as _pointer
from .examples import example_value
from .hierarchies import discriminated_bases, own_tags
from .nodes import (
    ANY,
    COMPONENT_PREFIX,
    JSON_OBJECT,
    NONE,
    AliasDef,
    Definition,
    DictOf,
    Discriminator,
    FieldDef,
    ListOf,
    LiteralOf,
    ModelDef,
    Nullable,
    Prim,
    Ref,
    TypeExpr,
    UnionOf,
    as_list,
    as_object,
    required_names,
)
from .text import schema_doc

MAX_DEPTH = 150
# the longest enum typed as a Literal (a real spec's longest: EC2's instance types, 665)
MAX_LITERAL = 2_000
#: `_probe_nullable`s one inside the other before the refs below are answered first.
_PROBE_DEPTH = 50
#: Deepest level an inline object is still a model at (about 32 models nested in one module;
#: the shared specs reach 16, DigitalOcean's app spec).
MAX_MODEL_DEPTH = 64

#: Types whose default is spec text a model field would not hold as that type.
_TEXT_TYPES = (Prim("datetime"), Prim("date"), Prim("UUID"))
_FORMATS = {
    "date-time": Prim("datetime"),
    "date": Prim("date"),
    "uuid": Prim("UUID"),
    "binary": Prim("bytes"),
}
_SCALARS = {"integer": Prim("int"), "number": Prim("float"), "boolean": Prim("bool")}


unescape = _pointer.unescape
escape = _pointer.escape


def resolve_pointer(document: Mapping[str, Any], pointer: str) -> Any:
    """The node a local `#/...` pointer names (the loader has checked every ref resolves)."""
    return _pointer.lookup(document, pointer)


_EXAMPLE_PRIMS = frozenset({Prim("str"), Prim("int"), Prim("float")})


def _takes_example(t: TypeExpr) -> bool:
    """Whether a field of type `t` shows a spec-derived value in a request example (a string
    or number, or an alias that may be one); others are built from their type (a model's
    fields, an enum's first member). Most fields are neither: this keeps the IR's cost."""
    inner = t.inner if isinstance(t, Nullable) else t
    return inner in _EXAMPLE_PRIMS or isinstance(inner, Ref)


def _first_required_alternative(schema: Mapping[str, Any]) -> set[str]:
    """The properties the first member of a `oneOf`/`anyOf` made only of `required` lists asks
    for (JSON Schema's "one of these must be given"): what an example sends."""
    for combiner in ("oneOf", "anyOf"):
        members = schema.get(combiner)
        if (
            isinstance(members, list)
            and members
            and all(
                isinstance(m, JSON_OBJECT) and set(m) <= {"required", "description", "title"}
                for m in members
            )
        ):
            return set(required_names(members[0].get("required")))
    return set()


def type_set(schema: Mapping[str, Any]) -> tuple[set[str], bool]:
    """The schema's declared JSON types and whether null is allowed (3.0 and 3.1 spellings)."""
    raw = schema.get("type")
    types: set[str] = set()
    if isinstance(raw, str):
        types.add(raw)
    elif isinstance(raw, list):
        types.update(t for t in raw if isinstance(t, str))
    nullable = schema.get("nullable") in (True, "true") or "null" in types
    enum = schema.get("enum")
    if isinstance(enum, list) and None in enum:
        nullable = True
    types.discard("null")
    return types, nullable


def is_null_schema(schema: Any) -> bool:
    """A schema that admits only null (`schema_rules.null_only`)."""
    return null_only(schema)


def null_member(schema: Mapping[str, Any]) -> bool:
    """An `allOf` member that admits only null: the schema means "the rest, or null"."""
    members = schema.get("allOf")
    return isinstance(members, list) and any(null_only(m) for m in members)


class SchemaConverter:
    """Builds type expressions and definitions from the schemas of one document."""

    def __init__(self, document: Mapping[str, Any], report: Report, file: str) -> None:
        self.document = document
        self.report = report
        self.file = file
        #: OpenAPI 3.1+: keywords beside a `$ref` apply (3.0, Swagger 2: ignored)
        self.ref_siblings = ref_siblings_apply(document)
        self.definitions: dict[str, Definition] = {}
        self._inline_schemas: dict[str, Mapping[str, Any]] = {}  # inline models by pointer
        self.components: dict[str, str] = {}
        self.class_names: set[str] = set()
        self._building: set[str] = set()
        self._nullable: dict[str, bool] = {}
        self._probing = 0  # `_probe_nullable`s under way, one inside the other
        # (keyword, `$ref`) -> what `read_only` found there
        self._read_only_refs: dict[tuple[str, str], bool] = {}
        # (model key, wire name) -> the property schema its request example value comes from
        self._example_sources: dict[tuple[str, str], Any] = {}
        # `allOf` schema -> (it, its merge): the same inline schema is converted once per place
        # it is used (a component, a flattened body, a response); AWS specs wrap almost every
        # property in `allOf: [$ref, {description}]` (EC2: 44,794 merges of 8,600 nodes)
        self._merged: dict[int, tuple[Mapping[str, Any], dict[str, Any]]] = {}
        # `allOf` schema with a null-only member -> (it, it without that member)
        self._denulled: dict[int, tuple[Mapping[str, Any], dict[str, Any]]] = {}
        # a discriminated base component -> the union of it and its subtypes (hierarchies.py)
        self._bases: dict[str, UnionOf] | None = None
        self._class_of: dict[str, str] = {}  # component key -> its class name
        self._modules_taken: set[str] = set()  # the component schemas' modules

    # --- naming ---------------------------------------------------------------------------

    def claim_class_name(
        self, parts: Iterable[str], qualifiers: Iterable[str] = (), suffix: str = "Model"
    ) -> str:
        """A package-unique class name; on collision, try meaningful qualifiers in order."""
        base = naming.class_name(" ".join(parts), suffix=suffix)
        for candidate in (base, *(base + naming.pascal(q) for q in qualifiers)):
            if candidate not in self.class_names:
                self.class_names.add(candidate)
                return candidate
        candidate = base + "Inline"
        while candidate in self.class_names:
            candidate += "Alt"
        self.class_names.add(candidate)
        return candidate

    def warn(self, pointer: str, message: str, kind: str, action: str) -> None:
        self.report.warn(self.file, pointer, message, kind=kind, action=action)

    # --- components -----------------------------------------------------------------------

    def register_components(
        self, module_for: Mapping[str, str], renames: Mapping[str, str] | None = None
    ) -> None:
        """Give every component schema its name first, then convert them all.

        `renames`: component name -> class name (configuration `renames.models`), claimed first.
        """
        schemas = as_object(as_object(self.document.get("components")).get("schemas"))
        if not isinstance(schemas, JSON_OBJECT):
            return
        names: dict[str, str] = {}
        for name, cls in (renames or {}).items():
            if name in schemas:
                self.class_names.add(cls)
                names[name] = cls
        for name in schemas:
            if name in names:
                continue
            cls = naming.class_name(name)
            if cls in self.class_names:
                cls = naming.class_name(naming.spelled(name))
            while cls in self.class_names:
                cls += "Schema"
            self.class_names.add(cls)
            names[name] = cls
        self._modules_taken.update(module_for.values())
        for name in schemas:
            self._class_of[COMPONENT_PREFIX + escape(name)] = names[name]
        for name, schema in schemas.items():
            key = COMPONENT_PREFIX + escape(name)
            self.components[name] = key
            self._define(
                key, names[name], schema, module_for[name], component=name, hint=[names[name]]
            )

    # --- conversion -----------------------------------------------------------------------

    def convert(
        self, schema: Any, pointer: str, hint: list[str], module: str, depth: int = 0
    ) -> TypeExpr:
        """Type expression for `schema`; inline objects become models named from `hint`."""
        if depth > MAX_DEPTH:
            self.warn(
                pointer, f"schema nested deeper than {MAX_DEPTH} levels", "depth", "typed as Any"
            )
            return ANY
        if schema is True or schema == {}:
            return ANY
        if schema is False:
            self.warn(pointer, "schema `false` accepts nothing", "schema", "typed as Any")
            return ANY
        if not isinstance(schema, JSON_OBJECT):
            self.warn(pointer, "schema is not an object", "schema", "typed as Any")
            return ANY
        ref = schema.get("$ref")
        if isinstance(ref, str):
            result = self._ref(ref, module)
            if (
                schema.get("nullable") in (True, "true")
                and result not in (ANY, NONE)
                and not isinstance(result, Nullable)
            ):
                # `nullable` beside a `$ref` is read in every version (OpenAI's 3.1
                # `response_format: {$ref: ..., nullable: true}`; in 3.0, where siblings are
                # otherwise ignored, schemathesis reads it too, and servers that write it send
                # null: a client refusing the null would refuse their answers)
                return Nullable(result)
            return result
        if null_only(schema):  # 3.1 `type: "null"` (`const: null`): None, not Any
            return NONE
        types, nullable = type_set(schema)
        if null_member(schema):  # `allOf: [$ref, {type: "null"}]`: the ref, or null
            nullable = True
            schema = self._without_null_members(schema)
        elif not nullable and not types and "allOf" in schema:
            nullable = self._all_of_admits_null(schema)
        result = self._convert_body(schema, types, pointer, hint, module, depth)
        if nullable and result not in (ANY, NONE) and not isinstance(result, Nullable):
            return Nullable(result)
        return result

    def _ref(self, ref: str, module: str) -> TypeExpr:
        if not ref.startswith("#"):
            return ANY  # the loader bundles or refuses every external ref
        if ref in self.definitions or _is_component(ref):
            return self._named(ref)
        target = resolve_pointer(self.document, ref)
        if ref in self._building:
            return self._named(ref)
        if isinstance(target, JSON_OBJECT) and self._needs_definition(target):
            last = unescape(ref.rsplit("/", 1)[-1])
            parent = unescape(ref.rsplit("/", 2)[-2]) if ref.count("/") > 1 else ""
            name = self.claim_class_name([last], [parent, "Schema"])
            self._define(ref, name, target, module, component=None, hint=[name])
            return self._named(ref)
        self._building.add(ref)
        try:
            return self.convert(target, ref, [unescape(ref.rsplit("/", 1)[-1])], module)
        finally:
            self._building.discard(ref)

    def _named(self, ref: str) -> TypeExpr:
        """A reference to a named definition, `| None` when the schema it names allows null.

        A model class cannot itself be `None`, so the nullability of a `nullable: true` object
        component (3.0), `type: [object, "null"]` (3.1) or `anyOf: [..., {type: null}]` belongs
        to every reference to it (a required `assignee: $ref NullableUser` may be null)."""
        union = self._hierarchies().get(ref)
        named = Ref(ref) if union is None else Ref(self._variants_alias(ref, union))
        if self._probe_nullable(ref):
            return Nullable(named)
        return named

    def _hierarchies(self) -> dict[str, UnionOf]:
        """Each discriminated base component -> the tagged union a reference to it means
        (`hierarchies.discriminated_bases`), found once."""
        if self._bases is None:
            self._bases = discriminated_bases(
                self.document, self._is_model_component, self.tag_constants
            )
        return self._bases

    def _variants_alias(self, ref: str, union: UnionOf) -> str:
        """The key of `Any<Base>`, the named union of a base and its subtypes, defined on first
        use in a module of its own (importing the base alone imports none of its subtypes)."""
        key = ref + "/x-apigen-variants"
        if key not in self.definitions:
            base = self._class_of.get(ref) or naming.class_name(unescape(ref.rsplit("/", 1)[-1]))
            name = self.claim_class_name(["Any", base], ["Variants"])
            module = "models." + naming.module_name(name)
            while module in self._modules_taken:
                module += "_variants"
            self._modules_taken.add(module)
            prop = union.discriminator.property if union.discriminator else ""
            doc = f"`{base}` or a schema extending it, told apart by `{prop}`."
            self.definitions[key] = AliasDef(key, name, module, union, doc)
        return key

    def _is_model_component(self, key: str) -> bool:
        try:
            schema = resolve_pointer(self.document, key)
        except (KeyError, IndexError, ValueError, TypeError):
            return False
        if not isinstance(schema, JSON_OBJECT):
            return False
        merged = self.merge_all_of(schema, key)
        return merged is not None and _is_object(merged)

    def ref_nullable(self, ref: str) -> bool:
        """Whether the schema `ref` names (following `$ref` chains and allOf) accepts null."""
        seen: set[str] = set()
        stack = [ref]
        while stack:
            current = stack.pop()
            if current in seen or not current.startswith("#"):
                continue
            seen.add(current)
            schema = self._schema_at(current)
            if schema is None:
                continue
            types, nullable = type_set(schema)
            if nullable or null_member(schema):
                return True
            if not types and "allOf" in schema and self._all_of_admits_null(schema):
                return True  # a model class cannot be None: every reference says `| None`
            for combiner in ("oneOf", "anyOf"):
                variants = schema.get(combiner)
                if isinstance(variants, list):
                    for v in variants:
                        if is_null_schema(v) or (isinstance(v, JSON_OBJECT) and type_set(v)[1]):
                            return True
                        if isinstance(v, JSON_OBJECT) and isinstance(v.get("$ref"), str):
                            stack.append(v["$ref"])
            inner = schema.get("$ref")
            if isinstance(inner, str):
                stack.append(inner)
            one = _single_ref(schema, self._schema_at) if "allOf" in schema else None
            if one is not None:
                stack.append(one)
        return False

    @staticmethod
    def _needs_definition(schema: Mapping[str, Any]) -> bool:
        return bool(
            schema.get("properties")
            or schema.get("allOf")
            or schema.get("oneOf")
            or schema.get("anyOf")
            or "$ref" in schema
        )

    def _define(
        self,
        key: str,
        name: str,
        schema: Any,
        module: str,
        *,
        component: str | None,
        hint: list[str],
    ) -> None:
        """Register a named definition: a model for objects, an alias for everything else."""
        self._building.add(key)
        try:
            doc = schema_doc(schema)
            if isinstance(schema, JSON_OBJECT) and null_member(schema):
                schema = self._without_null_members(schema)  # its null is the references'
            merged = self.merge_all_of(schema, key) if isinstance(schema, JSON_OBJECT) else None
            if merged is not None and _is_object(merged):
                placeholder = ModelDef(key, name, module, [], doc, component)
                self.definitions[key] = placeholder
                placeholder.fields = self._fields(merged, key, hint, module, 0)
                return
            target = self.convert(schema, key, hint, module)
            if isinstance(target, Ref) and target.key == key:
                target = ANY
            self.definitions[key] = AliasDef(key, name, module, target, doc, component)
        finally:
            self._building.discard(key)

    def _convert_body(
        self,
        schema: Mapping[str, Any],
        types: set[str],
        pointer: str,
        hint: list[str],
        module: str,
        depth: int,
    ) -> TypeExpr:
        says_null = False  # a merged `allOf` whose `type` admits null (3.0's `nullable`)
        if "allOf" in schema:
            one = _single_ref(schema, self._schema_at)
            if one is not None:  # nothing to merge (and most `allOf`s are this idiom)
                return self._ref(one, module)
            merged = self.merge_all_of(schema, pointer)
            if merged is not None:
                if _is_object(merged):
                    return self._inline_model(merged, pointer, hint, module, depth)
                types, says_null = type_set(merged)
                schema = merged
        for combiner in ("oneOf", "anyOf"):
            variants = schema.get(combiner)
            if isinstance(variants, list) and variants and not schema.get("properties"):
                union = self._union(variants, f"{pointer}/{combiner}", hint, module, depth)
                if types and not says_null and isinstance(union, Nullable):
                    # a `type` beside it applies too: `{type: integer, anyOf: [integer, null]}`
                    # admits no null (the caller adds it back when the type lists "null" or
                    # says `nullable`); the sandbox's validator refused the null the client sent
                    union = union.inner
                return self._discriminate(union, schema.get("discriminator"), pointer)
        if "const" in schema:
            return self._literal([schema["const"]], pointer, types)
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return self._literal(enum, pointer, types)
        if len(types) > 1 and types & {"array", "object"}:
            # `type: [object, array]` (Slack's user profile `fields`): each type its own member
            return union_of(
                [self._of_type(t, schema, pointer, hint, module, depth) for t in sorted(types)]
            )
        if "array" in types or (not types and isinstance(schema.get("items"), Mapping | bool)):
            # an untyped schema with `items` is read as the array it almost always means; not
            # with a list of items (Slack's `items: [A, B]` for "A or B"): that constrains
            # arrays only, and any other value is valid, so it is `Any` (or the object its
            # properties make)
            return self._array(schema, pointer, hint, module, depth)
        if types == {"object"} or (not types and _is_object(schema)):
            return self._object(schema, pointer, hint, module, depth)
        if len(types) > 1:
            members = [self._scalar(t, schema) for t in sorted(types)]
            return union_of(members)
        if types:
            return self._scalar(next(iter(types)), schema)
        if "additionalProperties" in schema:
            return self._object(schema, pointer, hint, module, depth)
        return ANY

    def _of_type(
        self,
        kind: str,
        schema: Mapping[str, Any],
        pointer: str,
        hint: list[str],
        module: str,
        depth: int,
    ) -> TypeExpr:
        """One member of a multi-type schema: the schema read as if `type` were `kind` alone."""
        if kind == "array":
            return self._array(schema, pointer, hint, module, depth)
        if kind == "object":
            return self._object(schema, pointer, hint, module, depth)
        return self._scalar(kind, schema)

    def _array(
        self, schema: Mapping[str, Any], pointer: str, hint: list[str], module: str, depth: int
    ) -> TypeExpr:
        """A list of the schema's items. With 3.1's `prefixItems`, `items` holds only the items
        after the prefix (none when `false`, any when absent) and no prefix item is required:
        the list's item is any of them."""
        items = schema.get("items", True)
        if isinstance(items, list):  # tuple-style items (3.0 misuse; 2019-09's array form)
            return ListOf(ANY)
        prefix = schema.get("prefixItems")
        if isinstance(prefix, list) and prefix:
            members = [
                self.convert(
                    sub, f"{pointer}/prefixItems/{i}", [*hint, f"Item{i}"], module, depth + 1
                )
                for i, sub in enumerate(prefix)
            ]
            if items is not False:
                rest = self.convert(items, f"{pointer}/items", [*hint, "Item"], module, depth + 1)
                members.append(rest)
            return ListOf(union_of(members))
        return ListOf(self.convert(items, f"{pointer}/items", [*hint, "Item"], module, depth + 1))

    def _scalar(self, kind: str, schema: Mapping[str, Any]) -> TypeExpr:
        if kind == "string":
            fmt = schema.get("format")
            return _FORMATS.get(fmt, Prim("str")) if isinstance(fmt, str) else Prim("str")
        if kind == "number" and schema.get("format") in ("int32", "int64"):
            # the Format Registry's integers with JSON type `number` (opto22's ids): `float`
            # read `5` as `5.0`, sent back as `/devices/5.0`, and rounded `2**53 + 1`; a
            # fraction the validators let through still reads as a float
            return union_of([Prim("int"), Prim("float")])
        if kind in _SCALARS:
            return _SCALARS[kind]
        if kind == "array":
            return ListOf(ANY)
        if kind == "object":
            return DictOf(ANY)
        return ANY

    def _object(
        self, schema: Mapping[str, Any], pointer: str, hint: list[str], module: str, depth: int
    ) -> TypeExpr:
        if schema.get("properties"):
            return self._inline_model(schema, pointer, hint, module, depth)
        extra = schema.get("additionalProperties", True)
        if extra is True or extra is False or extra == {}:
            return DictOf(ANY)
        value = self.convert(
            extra, f"{pointer}/additionalProperties", [*hint, "Value"], module, depth + 1
        )
        return DictOf(value)

    def _inline_model(
        self, schema: Mapping[str, Any], pointer: str, hint: list[str], module: str, depth: int
    ) -> TypeExpr:
        if pointer in self.definitions:
            return Ref(pointer)
        if depth > MAX_MODEL_DEPTH:
            self.warn(
                pointer,
                f"inline object nested deeper than {MAX_MODEL_DEPTH} levels",
                "depth",
                "typed as a dict (pydantic cannot resolve a chain of models that long)",
            )
            return DictOf(ANY)
        title = schema.get("title")
        qualifiers = [title] if isinstance(title, str) and title.strip() else []
        name = self.claim_class_name(hint, [*qualifiers, "Object"])
        model = ModelDef(pointer, name, module, [], schema_doc(schema), None)
        self.definitions[pointer] = model
        # (the schema converted, for `_schema_at`: an object merged from an `allOf` has no
        # place in the document at `pointer`, so a union of such members found no tags)
        self._inline_schemas[pointer] = schema
        model.fields = self._fields(schema, pointer, [name], module, depth + 1)
        return Ref(pointer)

    def _fields(
        self, schema: Mapping[str, Any], pointer: str, hint: list[str], module: str, depth: int
    ) -> list[FieldDef]:
        props = schema.get("properties") or {}
        if not isinstance(props, JSON_OBJECT):
            return []
        required = set(required_names(schema.get("required")))
        alternative = _first_required_alternative(schema) - required
        py_names = naming.unique_names([str(k) for k in props])
        fields: list[FieldDef] = []
        for wire, prop in props.items():
            wire = str(wire)
            ptr = f"{pointer}/properties/{escape(wire)}"
            ftype = self.convert(prop, ptr, [*hint, wire], module, depth + 1)
            prop_map = prop if isinstance(prop, JSON_OBJECT) else {}
            default, has_default = (
                self._default(prop_map, ftype, ptr) if "default" in prop_map else (None, False)
            )
            read_only = self.read_only(prop_map)
            write_only = self.read_only(prop_map, "writeOnly")
            if (wire in required or wire in alternative) and _takes_example(ftype):
                self._example_sources[(pointer, wire)] = prop  # (`fill_examples`)
            # what a request example sends beyond the model's required fields: a required
            # writeOnly one (required of requests only: a password) and the first alternative
            shown = wire in alternative or (wire in required and write_only)
            fields.append(
                FieldDef(
                    py_name=py_names[wire],
                    wire_name=wire,
                    type=ftype,
                    # a required writeOnly property is required of requests only (OpenAPI 3.0
                    # and 3.1): responses leave it out, so the model cannot demand it
                    required=wire in required and not write_only,
                    default=default,
                    has_default=has_default,
                    doc=schema_doc(prop_map),
                    read_only=read_only,
                    # what a request example sends (only required fields are shown)
                    in_example=shown,
                    required_in_requests=wire in required and write_only,
                )
            )
        return fields

    def fill_examples(self, keys: Iterable[str]) -> None:
        """`FieldDef.example` for the fields request examples send, of the models in `keys`
        (those a request can carry, `usage.mark_request_only`): computed for them only, as most
        models are only ever received (GitHub: 15,000 required fields, a tenth of the IR)."""
        for key in keys:
            model = self.definitions.get(key)
            if not isinstance(model, ModelDef):
                continue
            for f in model.fields:
                source = self._example_sources.get((key, f.wire_name))
                if source is not None and not f.read_only:
                    f.example = example_value(source, self._follow)

    def _follow(self, node: object) -> object:
        """`node` with its `$ref`s followed (within the document), however long the chain; a
        cycle is nothing."""
        seen: set[str] = set()
        while isinstance(node, JSON_OBJECT) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#") or ref in seen:
                return {}
            seen.add(ref)
            node = self._lookup(ref)
        return node

    def read_only(self, prop: Any, keyword: str = "readOnly") -> bool:
        """`readOnly` on a property, on a schema its `$ref` leads to (3.0 reads it on the
        target only, 3.1 also beside the ref) or on an `allOf` member (`allOf: [{$ref: X},
        {readOnly: true}]`): such a property is never sent. One rule for model fields
        (`FieldDef.read_only`), the fields of a flattened request body and the sandbox
        (`schema_rules.flagged`); with `keyword="writeOnly"`, the same rule for a property
        never received."""
        return flagged(prop, keyword, self._lookup, self._read_only_refs)

    def _lookup(self, ref: str) -> Any:
        return resolve_pointer(self.document, ref)

    def _default(
        self, schema: Mapping[str, Any], ftype: TypeExpr, pointer: str
    ) -> tuple[Any, bool]:
        if "default" not in schema:
            return None, False
        value = schema["default"]
        if value is None:
            return None, True
        # `{$ref: Mode, default: slow}`: an enum alias judges it; a union's default fits one of
        # its members (`oneOf: [integer, string], default: 5`); an array's or a map's, when
        # each of its values fits (`events: [push]`)
        fits = _default_fits(ftype, value, self._enum_alias)
        if fits is None:  # a model, a date's text, an alias not known yet: not carried, no alarm
            return None, False
        if not fits or not _in_range(schema, value) or not _container_ok(schema, value):
            why = (
                "does not match the schema's type"
                if not fits
                else "is out of its format's range"
                if not _in_range(schema, value)
                else "breaks the schema's bounds"
            )
            shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
            self.warn(f"{pointer}/default", f"default {shown} {why}", "default", "default ignored")
            return None, False
        return value, True

    def _enum_alias(self, ref: Ref) -> TypeExpr | None:
        """The listed values a `$ref` names (an enum's alias), None for anything else."""
        target = self.definitions.get(ref.key)
        aliased = target.target if isinstance(target, AliasDef) else None
        aliased = aliased.inner if isinstance(aliased, Nullable) else aliased
        return aliased if isinstance(aliased, LiteralOf) else None

    def _literal(self, values: list[Any], pointer: str, types: set[str]) -> TypeExpr:
        kept: list[str | int | bool] = []
        seen: set[str | int | bool] = set()  # `in` as on the list (1 == True), without its scan
        exact: set[tuple[type, str | int | bool]] = set()
        listed = 0  # distinct values (a repeated one is listed once: `['', '', a, a]`)
        for v in values:
            if v is None:
                continue
            key = (type(v), v) if isinstance(v, str | bool | int) else None
            if key is not None and key in exact:
                continue
            listed += 1
            if type(v) is int and not -(2**63) <= v < 2**63:
                # mypy takes int literals of 64 bits only ("Literal[...] cannot contain
                # arbitrary expressions"): such an enum is its type's (2**64 - 1 sentinels)
                continue
            if key is not None and v not in seen:  # `[1, true]`: not both, so the type's
                seen.add(v)
                exact.add(key)
                kept.append(v)
        if not kept or len(kept) != listed:
            bases = [self._scalar(t, {}) for t in sorted(types)] or [ANY]
            return union_of(bases)
        base: Prim | None
        if all(isinstance(v, str) for v in kept):
            base = Prim("str")
        elif all(isinstance(v, bool) for v in kept):
            base = None  # every bool is already listed or the set is closed by nature
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in kept):
            base = Prim("int")
        else:
            base = Prim("Any")
        if len(kept) > MAX_LITERAL and base is not None:
            self.warn(
                f"{pointer}/enum",
                f"enum of {len(kept):,} values",
                "schema",
                f"typed as {base.name}: a Literal of more than {MAX_LITERAL:,} values takes the "
                "type checkers minutes (mypy over 300 s on 10,000)",
            )
            return base
        return LiteralOf(tuple(kept), base)

    def _union(
        self, variants: list[Any], pointer: str, hint: list[str], module: str, depth: int
    ) -> TypeExpr:
        nullable = any(is_null_schema(v) for v in variants)
        real = [(i, v) for i, v in enumerate(variants) if not is_null_schema(v)]
        names = _variant_names([v for _, v in real], self.document)
        members: list[TypeExpr] = []
        for (i, v), name in zip(real, names, strict=True):
            members.append(self.convert(v, f"{pointer}/{i}", [*hint, name], module, depth + 1))
        result = union_of(members) if members else ANY
        return Nullable(result) if nullable and result != ANY else result

    def _discriminate(self, union: TypeExpr, raw: Any, pointer: str) -> TypeExpr:
        """Attach the spec's discriminator when every member is a model it can name; without
        one, the property whose constant values tell the members apart (`_implicit_tag`)."""
        inner = union.inner if isinstance(union, Nullable) else union
        if not isinstance(inner, UnionOf):
            return union
        members = [i.key for i in inner.items if isinstance(i, Ref)]
        if len(members) != len(inner.items):
            return union
        if not isinstance(raw, JSON_OBJECT):
            implicit = self._implicit_tag(members)
            if implicit is None:
                return union
            tagged = UnionOf(inner.items, implicit)
            return Nullable(tagged) if isinstance(union, Nullable) else tagged
        prop = raw.get("propertyName")
        if not isinstance(prop, str):
            return union
        mapping: list[tuple[str, str]] = []
        explicit = raw.get("mapping") if isinstance(raw.get("mapping"), JSON_OBJECT) else {}
        assert isinstance(explicit, JSON_OBJECT)
        for value, target in explicit.items():
            key = target if str(target).startswith("#") else COMPONENT_PREFIX + escape(str(target))
            if key in members:
                mapping.append((str(value), key))
            else:  # (dropped without a word, even under --strict)
                self.warn(
                    f"{pointer}/discriminator/mapping/{escape(str(value))}",
                    f"discriminator mapping {str(value)!r} names {str(target)!r}, which is"
                    " none of the union's members",
                    "discriminator",
                    "ignored: the member is chosen by its fields",
                )
        for key in members:  # implicit mapping: the schema's own name (a component's)
            name = key[len(COMPONENT_PREFIX) :]
            if (
                not any(k == key for _, k in mapping)
                and key.startswith(COMPONENT_PREFIX)
                and "/" not in name  # (`Event/oneOf/0`, an inline member, has no name)
            ):
                mapping.append((unescape(name), key))
        own = {key: self.tag_constants(key, prop) for key in members}
        mapping.extend(own_tags(own, {v for v, _ in mapping}))
        if {k for _, k in mapping} != set(members):
            # a member no value picks: the plain union, or the constants' own tag
            implicit = self._implicit_tag(members)
            if implicit is None:
                return union
            tagged = UnionOf(inner.items, implicit)
            return Nullable(tagged) if isinstance(union, Nullable) else tagged
        closed = all(own.values())
        tagged = UnionOf(inner.items, Discriminator(prop, tuple(mapping), closed))
        return Nullable(tagged) if isinstance(union, Nullable) else tagged

    def tag_constants(self, key: str, prop: str) -> tuple[str, ...]:
        """The constants (`const`, `enum`) the object schema `key` (its `allOf` merged) lists
        for property `prop`, required or not; empty when it lists none."""
        schema = self._schema_at(key)
        if schema is None:
            return ()
        merged = self.merge_all_of(schema, key)
        props = merged.get("properties") if merged is not None else None
        if not isinstance(props, JSON_OBJECT):
            return ()
        return self._constants(props.get(prop), 0) or ()

    def _implicit_tag(self, members: list[str]) -> Discriminator | None:
        """A property every member declares, each with its own constant values (`const`, or an
        `enum` of strings) that no other member shares: `{kind: {enum: [up]}}` beside `{kind:
        {enum: [down]}}`. Enums are open in the generated types (`Literal["up"] | str`), so
        without it every member takes any tag and the first wins: a `down` event parsed as
        `Up`. A property every member requires first, in the first member's `required` order;
        else one they all declare but some do not require (PagerDuty's `warnings[]`: a body
        with `type: b` is valid as `B` only, and was read as `A`), which tags a body holding
        it, while one without it is tried against each member (the tag is not `closed`: its
        absence is no error). A value no member declares is tried against each member, as
        for a spec's own discriminator. Keys do not tell members apart: models keep what they
        do not declare, so `{"type": "square", "side": 2, "radius": 0.5}` (an API's newer
        field) fits `Circle` too, and the first wins."""
        found = [self._tag_values(key) for key in members]
        if len(members) < 2 or any(t is None for t in found):
            return None
        tags = [t for t in found if t is not None]
        for wanted in (True, False):
            for prop in tags[0]:
                entries = [t[prop] for t in tags if prop in t]
                if len(entries) != len(members):
                    continue
                required = all(req for _, req in entries)
                if required is not wanted:
                    continue
                sets = [values for values, _ in entries]
                if sum(len(v) for v in sets) != len(frozenset().union(*sets)):
                    continue  # a value two members share tells nothing apart
                mapping = tuple(
                    (value, key)
                    for key, values in zip(members, sets, strict=True)
                    for value in values
                )
                return Discriminator(prop, mapping, closed=required)
        return None

    def _tag_values(self, key: str) -> dict[str, tuple[tuple[str, ...], bool]] | None:
        """Per property of the object schema `key` names (its `allOf` merged) that holds only
        string constants, those constants and whether the schema requires it; required ones
        first, in `required` order, then the others in `properties` order."""
        schema = self._schema_at(key)
        if schema is None:
            return None
        merged = self.merge_all_of(schema, key)
        if merged is None or not isinstance(merged.get("properties"), JSON_OBJECT):
            return None
        props = merged["properties"]
        required = [n for n in as_list(merged.get("required")) if isinstance(n, str)]
        out: dict[str, tuple[tuple[str, ...], bool]] = {}
        for name in [*required, *(n for n in props if n not in required)]:
            if name in out or not isinstance(name, str):
                continue
            values = self._constants(props.get(name), 0)
            if values:
                out[name] = (values, name in required)
        return out

    def _constants(self, schema: Any, depth: int) -> tuple[str, ...] | None:
        """The values a schema admits when it lists them (`const`, `enum`; refs followed, the
        lists of `allOf` members intersected), as text (an integer's digits: a `version: 2`
        tag); None when it admits others too, or a value of another kind."""
        if depth > 8 or not isinstance(schema, JSON_OBJECT):
            return None
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._constants(self._schema_at(ref), depth + 1)
        values = [schema["const"]] if "const" in schema else schema.get("enum")
        found: tuple[str, ...] | None = None
        if isinstance(values, list) and values:
            if not all(isinstance(v, str) or type(v) is int for v in values):
                return None
            found = tuple(dict.fromkeys(str(v) for v in values))
        for member in as_list(schema.get("allOf")):
            own = self._constants(member, depth + 1)
            if own is not None:
                found = own if found is None else tuple(v for v in found if v in own)
        return found

    # --- allOf ----------------------------------------------------------------------------

    def _without_null_members(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """`schema` with its null-only `allOf` members dropped (the caller keeps their null);
        one copy per schema, so its merge is cached like any other."""
        known = self._denulled.get(id(schema))
        if known is not None and known[0] is schema:
            return known[1]
        kept = [m for m in schema.get("allOf") or [] if not null_only(m)]
        out = {k: v for k, v in schema.items() if k != "allOf"}
        if kept:
            out["allOf"] = kept
        self._denulled[id(schema)] = (schema, out)
        return out

    def _probe_nullable(self, ref: str) -> bool:
        """`ref_nullable`, remembered, and False for a ref whose answer is being worked out
        (`A: allOf: [$ref: B]`, `B: allOf: [$ref: A]` would otherwise recurse for ever)."""
        known = self._nullable.get(ref)
        if known is None:
            if self._probing >= _PROBE_DEPTH:
                self._probe_below(ref)
            self._nullable[ref] = False  # while probing: a cycle adds no null
            self._probing += 1
            try:
                known = self._nullable[ref] = self.ref_nullable(ref)
            finally:
                self._probing -= 1
        return known

    def _probe_below(self, ref: str) -> None:
        """Answer `_probe_nullable` for the refs under `ref` deepest first, so that answering
        `ref` recurses one level, not one per `allOf` in the chain: a chain of hundreds
        (`S0: allOf: [$ref: S1, ...]`, `S1: allOf: [$ref: S2, ...]`...) exhausted the
        interpreter's stack. Only reached that deep, so ordinary documents are answered in
        the order they always were."""
        order: list[str] = []
        seen = {ref}
        stack: list[tuple[str, Iterator[str]]] = [(ref, self._refs_under(ref))]
        while stack:
            current, below = stack[-1]
            step = next(below, None)
            if step is None:
                stack.pop()
                order.append(current)
            elif step not in seen and step not in self._nullable:
                seen.add(step)
                stack.append((step, self._refs_under(step)))
        for deeper in order[:-1]:  # (the last is `ref` itself)
            if deeper not in self._nullable:
                self._nullable[deeper] = False
                self._nullable[deeper] = self.ref_nullable(deeper)

    def _schema_at(self, ref: str) -> Mapping[str, Any] | None:
        """The schema a local `ref` names; None when it names nothing, or no schema object. An
        inline model's own schema first: one merged from an `allOf` (a page's `data` items)
        is at no place in the document (helper 218: HERE's tracking events, tags lost, every
        event read as the first member)."""
        inline = self._inline_schemas.get(ref)
        if inline is not None:
            return inline
        try:
            schema = resolve_pointer(self.document, ref)
        except (KeyError, IndexError, ValueError, TypeError):
            return None
        return schema if isinstance(schema, JSON_OBJECT) else None

    def _refs_under(self, ref: str) -> Iterator[str]:
        """The local refs `ref_nullable(ref)` may probe in turn: those of its schema's `allOf`,
        `oneOf`, `anyOf` members and its own `$ref`."""
        schema = self._schema_at(ref)
        if schema is None:
            return
        members = [
            schema,
            *(m for c in ("allOf", "oneOf", "anyOf") for m in as_list(schema.get(c))),
        ]
        for member in members:
            inner = member.get("$ref") if isinstance(member, JSON_OBJECT) else None
            if isinstance(inner, str) and inner.startswith("#"):
                yield inner

    def _all_of_admits_null(self, schema: Mapping[str, Any]) -> bool:
        """Whether an `allOf` whose own schema names no type admits null: every member does,
        and one says so. A member without `type`, `enum`, `const`, `not` or a combiner admits
        null (`maxLength`, `properties`... constrain other types only), so `allOf: [$ref:
        NullableEnum, {maxLength: 8}]` admits it. The merge that types such an `allOf` reads no
        member's null: without this, Plaid's `credit_funds_source` lost its `| None`."""
        members = schema.get("allOf")
        if not isinstance(members, list) or not members:
            return False
        said = False
        for member in members:
            if not isinstance(member, JSON_OBJECT):
                return False
            ref = member.get("$ref")
            if isinstance(ref, str):
                if not (ref.startswith("#") and self._probe_nullable(ref)):
                    return False
                said = True
            elif type_set(member)[1]:
                said = True
            elif _NULL_EXCLUDING.intersection(member):
                return False
        return said

    def merge_all_of(self, schema: Mapping[str, Any], pointer: str) -> dict[str, Any] | None:
        """Flatten `allOf` (following refs) into one schema; `None` if it cannot be merged.

        The members are intersected as the sandbox draws them (`all_of.merge`): a property
        that a derived schema declares again (`Cat: allOf: [Pet, {properties: {petType: {enum:
        [cat]}}}]`) must satisfy both declarations, so it is typed by both (`Literal["cat"]`),
        not by whichever member came first. The merge of an `allOf` is computed once and
        shared: callers only read it."""
        if "allOf" not in schema:
            return dict(schema)
        known = self._merged.get(id(schema))
        if known is not None and known[0] is schema:  # (the schema is held: its id stays its)
            return known[1]
        members: list[Mapping[str, Any]] = [{k: v for k, v in schema.items() if k != "allOf"}]
        stack: list[tuple[Any, int]] = [(s, 0) for s in reversed(as_list(schema.get("allOf")))]
        seen: set[str] = set()
        cut = False
        while stack:
            part, level = stack.pop()
            if level > MAX_DEPTH:
                cut = True
                continue
            if not isinstance(part, JSON_OBJECT):
                continue
            ref = part.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                if ref in seen:
                    continue
                seen.add(ref)
                part = resolve_pointer(self.document, ref)
                if not isinstance(part, JSON_OBJECT):
                    continue
            own = {k: v for k, v in part.items() if k != "allOf"}
            if own:
                members.append(own)
            stack.extend((s, level + 1) for s in reversed(as_list(part.get("allOf"))))
        if cut:
            self.warn(
                pointer,
                f"allOf nested deeper than {MAX_DEPTH} levels",
                "depth",
                "the members below left out of the merge",
            )
        merged = all_of.merge(members, self._both_declarations)
        required: list[str] = []
        for member in members:
            required.extend(r for r in required_names(member.get("required")) if r not in required)
        if required:
            merged["required"] = required
        if merged.get("properties"):
            merged.setdefault("type", "object")
        self._merged[id(schema)] = (schema, merged)
        return merged

    def _both_declarations(self, first: Any, second: Any) -> Any:
        """One property declared by two `allOf` members: the schema that satisfies both.

        Two inline schemas merge into one (`{type: string}` and `{enum: [a, b]}` are the enum,
        its default and description kept); a declaration that only documents (`{description}`
        beside the base's `$ref`) adds nothing to the type; of two `$ref`s where one is built
        on the other (`OrderLinks: allOf: [OrderHeaderLinks, ...]`) the derived one already
        satisfies both; anything else is both, as an `allOf`."""
        if not (isinstance(first, JSON_OBJECT) and isinstance(second, JSON_OBJECT)):
            return first
        if not _constraining(second):
            return first
        if not _constraining(first):
            return second
        if _constraining(first) == _constraining(second) == {"$ref"}:
            if first["$ref"] == second["$ref"]:
                return first  # the same reference, documented differently
            if self._builds_on(second["$ref"], first["$ref"]):
                return second
            if self._builds_on(first["$ref"], second["$ref"]):
                return first
        if _plain(first) and _plain(second):
            return all_of.merge([first, second], self._both_declarations)
        return {"allOf": [first, second]}

    def _builds_on(self, derived: Any, base: Any) -> bool:
        """Whether the schema at `derived` reaches `base` through `allOf` members' `$ref`s."""
        if not (isinstance(derived, str) and isinstance(base, str) and derived.startswith("#")):
            return False
        stack, seen = [derived], {derived}
        while stack:
            node = resolve_pointer(self.document, stack.pop())
            if not isinstance(node, JSON_OBJECT):
                continue
            for member in as_list(node.get("allOf")):
                ref = member.get("$ref") if isinstance(member, JSON_OBJECT) else None
                if ref == base:
                    return True
                if isinstance(ref, str) and ref.startswith("#") and ref not in seen:
                    seen.add(ref)
                    stack.append(ref)
        return False


def _plain(schema: Mapping[str, Any]) -> bool:
    """No reference or composition: its keywords merge key by key."""
    return not any(k in schema for k in ("$ref", "allOf", "oneOf", "anyOf", "not"))


def _is_component(ref: str) -> bool:
    """`#/components/schemas/Name` itself, not a pointer into it."""
    return ref.startswith(COMPONENT_PREFIX) and "/" not in ref[len(COMPONENT_PREFIX) :]


def _is_object(schema: Mapping[str, Any]) -> bool:
    types, _ = type_set(schema)
    return bool(schema.get("properties")) and (not types or "object" in types)


# Keywords that document a schema without changing what it accepts: an `allOf` member holding
# only these (AWS: `allOf: [{$ref: Vpc}, {xml: {name: item}, description: ...}]`) adds nothing to
# the type, so the `allOf` is its `$ref`. (`nullable` and `default` are left out on purpose.)
_ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "readOnly",
        "writeOnly",
        "deprecated",
        "example",
        "examples",
        "xml",
        "externalDocs",
        "$comment",
    }
)


def _single_ref(
    schema: Mapping[str, Any], schema_at: Callable[[str], Mapping[str, Any] | None]
) -> str | None:
    """`allOf: [$ref]` with nothing else of substance is just that ref (a common 3.0 idiom); so
    is `allOf: [$ref, {annotations}]` (the member only documents it), and `allOf: [$ref, {type:
    object, nullable: true, description}]` when the ref names an object (Asana's `parent`: a
    copy of `TaskCompact` was made in 25 places). Whether the `allOf` admits null is `convert`'s
    to say (`_all_of_admits_null`), not this member's."""
    parts = schema.get("allOf") or []
    substantive = _constraining(schema) - {"allOf", "nullable", "default"}
    if substantive or not isinstance(parts, list):
        return None
    refs = [p for p in parts if isinstance(p, JSON_OBJECT) and set(p) == {"$ref"}]
    if len(refs) != 1:
        return None
    ref = refs[0]["$ref"]
    if not (isinstance(ref, str) and ref.startswith("#")):
        return None
    target: Mapping[str, Any] | None = None
    for p in parts:
        if p is refs[0]:
            continue
        if not isinstance(p, JSON_OBJECT) or not p:
            return None
        left = _constraining(p) - {"nullable"}
        if left == {"type"} and p["type"] == "object":
            target = target or schema_at(ref) or {}
            if _names_object(target, schema_at):
                left = set()  # the object the ref names already: a restatement
        if left:
            return None
    return ref


def _names_object(
    schema: Mapping[str, Any], schema_at: Callable[[str], Mapping[str, Any] | None], depth: int = 0
) -> bool:
    """An object schema: `type: object`, `properties`, or an `allOf` with such a member (Asana's
    `TaskCompact` is one), followed through refs a few levels."""
    if "object" in type_set(schema)[0] or schema.get("properties"):
        return True
    members = schema.get("allOf")
    if depth > 4 or not isinstance(members, list):
        return False
    for member in members:
        ref = member.get("$ref") if isinstance(member, JSON_OBJECT) else None
        found = schema_at(ref) if isinstance(ref, str) else member
        if isinstance(found, JSON_OBJECT) and _names_object(found, schema_at, depth + 1):
            return True
    return False


# Keywords of an `allOf` member that may refuse null (the rest apply to other types only).
_NULL_EXCLUDING = frozenset({"type", "enum", "const", "not", "allOf", "anyOf", "oneOf"})


def _constraining(schema: Mapping[str, Any]) -> set[str]:
    """The keys of `schema` that may change what it accepts: not annotations, not `x-`
    extensions (Plaid: `{x-hidden-from-docs: true, deprecated: true, allOf: [$ref]}`)."""
    return {k for k in schema if k not in _ANNOTATIONS and not k.startswith("x-")}


def union_of(members: list[TypeExpr]) -> TypeExpr:
    """A flat union: nested unions and nullability lifted, duplicates and literals merged."""
    flat: list[TypeExpr] = []
    nullable = False
    for m in members:
        if isinstance(m, Nullable):
            nullable = True
            m = m.inner
        items = m.items if isinstance(m, UnionOf) and m.discriminator is None else (m,)
        for item in items:
            if item == NONE:
                nullable = True
            elif item not in flat:
                flat.append(item)
    if ANY in flat:
        return ANY
    flat = _free_form_last(_dates_first(_without_subsumed(_merge_literals(flat))))
    result: TypeExpr = flat[0] if len(flat) == 1 else UnionOf(tuple(flat)) if flat else ANY
    return Nullable(result) if nullable and result != ANY else result


def _dates_first(flat: list[TypeExpr]) -> list[TypeExpr]:
    """`date` before `datetime` (`anyOf: [date-time, date]`): pydantic tries a union's members
    in order on Python input, and `datetime` reads "2020-01-02" as midnight, which is sent back
    as "2020-01-02T00:00:00", no longer a date nor an RFC 3339 date-time."""
    date, stamp = Prim("date"), Prim("datetime")
    if date in flat and stamp in flat and flat.index(stamp) < flat.index(date):
        flat = [m for m in flat if m != date]
        flat.insert(flat.index(stamp), date)
    return flat


def _free_form_last(flat: list[TypeExpr]) -> list[TypeExpr]:
    """A free-form object (`dict[str, Any]`) after the other members: every object fits it,
    and pydantic takes a union's first member on a tie, so DigitalOcean's `anyOf: [{type:
    object, nullable: true}, {$ref: Droplet}]` read a valid droplet as a plain dict."""
    free = DictOf(ANY)
    if free not in flat or flat[-1] == free:
        return flat
    return [m for m in flat if m != free] + [free]


def _merge_literals(flat: list[TypeExpr]) -> list[TypeExpr]:
    """`Literal["a"] | Literal["b"]` of one base -> `Literal["a", "b"]` (one per open base)."""
    literals = [m for m in flat if isinstance(m, LiteralOf)]
    if len(literals) < 2:
        return flat
    groups: dict[Prim | None, list[str | int | bool]] = {}
    for lit in literals:
        values = groups.setdefault(lit.open_base, [])
        values.extend(v for v in lit.values if v not in values)
    out: list[TypeExpr] = []
    for m in flat:
        if isinstance(m, LiteralOf):
            merged = LiteralOf(tuple(groups[m.open_base]), m.open_base)
            if merged not in out:
                out.append(merged)
        else:
            out.append(m)
    return out


def _covers(prim: Prim, value: str | int | bool) -> bool:
    """Whether every value of `prim` includes `value` (bools are not ints here, as in pydantic)."""
    if isinstance(value, bool):
        return prim.name == "bool"
    if isinstance(value, int):
        return prim.name == "int"
    return prim.name == "str"


def _without_subsumed(flat: list[TypeExpr]) -> list[TypeExpr]:
    """Drop what another member already accepts: `Literal[""] | str` is `str` (Stripe's "any
    string or empty string"), `Literal["a", 1] | int` is `Literal["a"] | int`."""
    prims = [m for m in flat if isinstance(m, Prim)]
    out: list[TypeExpr] = []
    for m in flat:
        if isinstance(m, LiteralOf) and prims:
            kept = tuple(v for v in m.values if not any(_covers(p, v) for p in prims))
            if not kept:
                continue
            base = m.open_base if m.open_base not in prims else None
            m = LiteralOf(kept, base)
        out.append(m)
    return out


_TITLE_SAFE = re.compile(r"[A-Za-z]")


def _variant_names(variants: list[Any], document: Mapping[str, Any]) -> list[str]:
    """Names for inline union members, from what tells them apart: title, type or a property."""
    names: list[str] = []
    objects = [v for v in variants if isinstance(v, JSON_OBJECT) and v.get("properties")]
    for v in variants:
        name = ""
        if len(objects) == 1 and v is objects[0]:
            names.append("")  # the only object member takes the plain name: `...Address`
            continue
        if isinstance(v, JSON_OBJECT):
            title = v.get("title")
            types, _ = type_set(v)
            if isinstance(title, str) and _TITLE_SAFE.search(title):
                name = title
            elif v.get("properties"):
                others = [
                    set(as_object(o.get("properties")).keys())
                    for o in variants
                    if o is not v and isinstance(o, JSON_OBJECT)
                ]
                props = list(as_object(v.get("properties")).keys())
                distinct = [p for p in props if not any(p in o for o in others)]
                name = f"with {distinct[0]}" if distinct else "object"
            elif types:
                name = sorted(types)[0]
            elif "enum" in v:
                name = "enum"
        names.append(name or "variant")
    seen: dict[str, int] = {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    seen.pop("", None)
    counters: dict[str, int] = {}
    out: list[str] = []
    for n in names:
        if seen.get(n, 0) > 1:
            idx = counters.get(n, 0)
            counters[n] = idx + 1
            out.append(f"{n} {letters[idx % 26]}")
        else:
            out.append(n)
    return out


def _default_fits(
    t: TypeExpr, value: Any, enum_alias: Callable[[Ref], TypeExpr | None]
) -> bool | None:
    """Whether a default `value` is one of type `t`: a scalar, a listed value, or an array or
    a map of them (`default: [push]`, its items each judged); None when `t` cannot be judged
    (a model, a date's text, an alias not known yet), for the default to be left out quietly."""
    if isinstance(t, Nullable):
        return True if value is None else _default_fits(t.inner, value, enum_alias)
    if isinstance(t, Ref):
        aliased = enum_alias(t)
        return None if aliased is None else _default_fits(aliased, value, enum_alias)
    if isinstance(t, UnionOf):
        verdicts = [_default_fits(m, value, enum_alias) for m in t.items]
        return True if True in verdicts else (None if None in verdicts else False)
    if isinstance(t, ListOf | DictOf):
        if isinstance(t, ListOf) and isinstance(value, list):
            item, values = t.item, list(value)
        elif isinstance(t, DictOf) and isinstance(value, dict):
            item, values = t.value, list(value.values())
        else:
            return False
        verdicts = [_default_fits(item, v, enum_alias) for v in values]
        return False if False in verdicts else (None if None in verdicts else True)
    if t in _TEXT_TYPES:  # a date, datetime or UUID's text: valid, not carried as one
        return None if isinstance(value, str) else False
    if t == ANY:
        return None
    if isinstance(value, bool):
        return t == Prim("bool") or (isinstance(t, LiteralOf) and value in t.values)
    return (
        (t == Prim("str") and isinstance(value, str))
        or (t == Prim("int") and isinstance(value, int))
        or (t == Prim("float") and isinstance(value, int | float))
        or (isinstance(t, LiteralOf) and value in t.values)
    )


_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def _container_ok(schema: Mapping[str, Any], value: Any) -> bool:
    """An array or map default within its schema's bounds, and each inline item's (a review:
    a required `{minItems: 2, default: [a]}` was kept, and sent on every call, while the
    validator said "default ignored"). Items named by a `$ref` are judged by type only."""
    if isinstance(value, list):
        count, low, high, values = len(value), "minItems", "maxItems", list(value)
        item = schema.get("items")
        if schema.get("uniqueItems") is True and len({repr(v) for v in value}) != len(value):
            return False
    elif isinstance(value, dict):
        count, low, high, values = (
            len(value),
            "minProperties",
            "maxProperties",
            list(value.values()),
        )
        item = schema.get("additionalProperties")
    else:
        return True
    least, most = schema.get(low), schema.get(high)
    if (isinstance(least, int) and count < least) or (isinstance(most, int) and count > most):
        return False
    if not isinstance(item, Mapping) or "$ref" in item:
        return True
    return all(_within(item, v) for v in values)


def _within(schema: Mapping[str, Any], value: Any) -> bool:
    """`value` within `schema`'s numeric and length bounds, format range and pattern."""
    if isinstance(value, list | dict):
        return _container_ok(schema, value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        low, high = schema.get("minimum"), schema.get("maximum")
        if isinstance(low, int | float) and (
            value < low or (value == low and schema.get("exclusiveMinimum") is True)
        ):
            return False
        if isinstance(high, int | float) and (
            value > high or (value == high and schema.get("exclusiveMaximum") is True)
        ):
            return False
        return _in_range(schema, value)
    if isinstance(value, str):
        low, high = schema.get("minLength"), schema.get("maxLength")
        if (isinstance(low, int) and len(value) < low) or (
            isinstance(high, int) and len(value) > high
        ):
            return False
        pattern = schema.get("pattern")
        return not isinstance(pattern, str) or finds(pattern, value) is not False
    return True


def _in_range(schema: Mapping[str, Any], value: Any) -> bool:
    """An integer default within its `int32`/`int64` format (the validator says "default
    ignored" for one beyond it: the model kept it, contradicting the warning)."""
    bounds = _INT_RANGES.get(str(schema.get("format")))
    if bounds is None or not isinstance(value, int) or isinstance(value, bool):
        return True
    return bounds[0] <= value <= bounds[1]
