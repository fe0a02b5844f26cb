"""Schema -> example value: deterministic, valid data that a typed client can parse.

Spec-provided `const`/`example`/`examples`/`default` win when they are JSON data that fits the
schema; otherwise a value is synthesized. Optional properties are included (so generated models
get exercised), but only down to `max_depth`: past it, or when a `$ref` recurs, or when the
node budget of one value is spent, the generator goes "minimal" (null where allowed, empty
arrays, required properties only). That bound is what keeps 13 MB cyclic specs fast and free
of RecursionError. Randomness comes from `random.Random(f"{seed}:{key}")` per value, so the
result does not depend on the order in which values are requested.
"""

from __future__ import annotations

import copy
import json
import os
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from ..regex_example import example as regex_example
from ..schema_rules import COMBINERS, null_only, null_type_beside_combiner, ref_siblings_apply
from ._fits import Checker, declared_types, is_type
from ._refs import RefError, Resolver, listed
from ._scalars import integer, number, string
from ._schema import MISSING, infer, json_data, merge, minimal

MAX_DEPTH: Final = 8
#: Drawn values go minimal below this depth: big specs (Stripe expands objects 8 levels deep)
#: otherwise cost 5-15 ms per response; fixed examples keep MAX_DEPTH.
VARY_DEPTH: Final = int(os.environ.get("APIGEN_SANDBOX_VARY_DEPTH", "4"))
NULL_RATE: Final = 0.2  # with `vary`: how often a nullable value is null
OMIT_RATE: Final = 0.25  # ... an optional property is left out
EXTRA_RATE: Final = 0.15  # ... an object that allows it gets one unknown property
NODE_BUDGET: Final = 25_000
#: Items an array gets at most, whatever its `minItems` (a value past it cannot be served);
#: once the node budget is spent, `MAX_CUT_ITEMS` (arrays of such arrays multiplied).
MAX_ITEMS: Final = 1_000
MAX_CUT_ITEMS: Final = 16
_HARD_DEPTH: Final = 96
_MAX_CHOICES: Final = 16
_EXAMPLE_CACHE: Final = 50_000

Schema = Mapping[str, Any]

#: Keywords that describe rather than constrain; a `oneOf` parent holding only these needs no merge.
_ANNOTATIONS: Final = frozenset(
    {
        "description",
        "title",
        "summary",
        "$comment",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "xml",
        "example",
        "examples",
        "default",
        "nullable",
        "discriminator",
    }
)
_REF_SIBLINGS_IGNORED: Final = frozenset({"$ref", "description", "summary", "title", "$comment"})
#: Keywords that never change which values a schema accepts (for `_covers` / `_same`).
_COVER_ANNOTATIONS: Final = frozenset(
    {
        "description",
        "title",
        "summary",
        "$comment",
        "deprecated",
        "externalDocs",
        "xml",
        "example",
        "examples",
        "default",
        "discriminator",
    }
)
#: Values tried, in order, as a property that makes an object fail a variant declaring it.
_JUNK: Final[tuple[Any, ...]] = ("", 0, False, {}, [])


@dataclass
class _Ctx:
    rng: random.Random
    vary: bool = False  # draw: nulls, omitted optionals, extra fields, random branches
    keep: bool = False  # the next node is a oneOf/anyOf branch: its null was decided already
    limit: int | None = None  # depth past which values go minimal (None: the generator's own)
    nodes: int = 0  # schema nodes visited for this value (the budget)
    active: int = 0  # nested _gen calls in progress (the recursion guard)
    notes: list[str] | None = None  # where the spec made a valid value impossible (see generate)


@dataclass(slots=True)
class _Facts:
    """What a schema node says regardless of the draw, worked out once per node (`_facts`).

    A drawn response visits hundreds of nodes (GitHub's repository: ~430), each asking the same
    questions of the same dicts on every request; answering them once halves the sandbox's CPU
    per drawn body. Only the answers that need no random choice or stack live here.
    """

    node: Schema  # held so that the id the cache is keyed by stays this node's
    null_too: bool  # null is allowed beside the combiners (`_or_null`)
    schema: Schema  # the schema for the other values; what the fields below describe
    merge: bool  # it has an `allOf`: merged per draw (the merge depends on the stack)
    literal: bool  # a const, example or enum may answer (`_literal`)
    has_const: bool
    has_example: bool
    enum: list[Any] | None  # the members that may be drawn (typed, nulls handled)
    choice: bool  # a oneOf/anyOf to pick from
    nullable: bool
    kind: str | None  # the JSON type drawn (None: null)
    #: object: (name, schema, required, never sent, $refs whose presence on the stack skips it)
    props: list[tuple[str, Any, bool, bool, tuple[str, ...]]] | None = None
    required: list[str] | None = None
    closed: tuple[str, ...] = ()  # required names the object itself forbids (`_closed_to`)


class ExampleGenerator:
    """Synthesizes example values for the schemas of one document (see module docstring)."""

    def __init__(
        self,
        document: Mapping[str, Any],
        *,
        seed: int = 0,
        resolver: Resolver | None = None,
        max_depth: int = MAX_DEPTH,
        budget: int = NODE_BUDGET,
    ) -> None:
        self.resolver = resolver or Resolver(document)
        openapi31 = str(document.get("openapi", "")).startswith(("3.1", "3.2"))
        #: OpenAPI 3.1+: keywords beside a `$ref` apply too; 3.0 / Swagger 2: they are ignored
        self.ref_siblings = ref_siblings_apply(document)
        self.checker = Checker(
            self.resolver, nullable_keyword=not openapi31, const_keyword=self.ref_siblings
        )
        self._seed = seed
        self._max_depth = max_depth
        self._vary_depth = min(max_depth, VARY_DEPTH)
        self._examples: dict[int, tuple[Schema, Any]] = {}
        self._budget = budget
        self._proofs: dict[int, tuple[list[Any], bool]] = {}  # oneOf variants -> admit nothing
        self._impossible: dict[int, tuple[Any, bool]] = {}  # schema node -> admits no value
        self._facts_cache: dict[int, _Facts] = {}

    def generate(
        self,
        schema: Any,
        *,
        key: str = "",
        vary: bool = False,
        depth: int | None = None,
        notes: list[str] | None = None,
    ) -> Any:
        """An example for `schema`; `key` (e.g. a JSON pointer) salts the random choices.

        `vary` draws instead of building the canonical example: nullable values are sometimes
        null, optional properties sometimes left out, unknown properties sometimes added where
        the schema allows them, and `oneOf`/`anyOf` branches, enum members, array lengths and
        formatted strings are picked at random (still valid; reproducible for a given key).

        `notes` collects where the schema itself admits no valid value (a `oneOf` whose every
        variant accepts all values of another), so the value returned there cannot be valid.
        """
        ctx = _Ctx(random.Random(f"{self._seed}:{key}"), vary, notes=notes)
        if depth is not None:  # shallower than usual: e.g. error bodies (required parts only)
            ctx.nodes = 0
            ctx.limit = depth
        return self._gen(schema, ctx, 0, (), False, None, 0)

    def random_bytes(self, key: str, size: int = 32) -> bytes:
        """Deterministic filler for binary bodies."""
        return random.Random(f"{self._seed}:{key}").randbytes(size)

    def fits(self, value: Any, schema: Any) -> bool:
        """Whether `value` may be valid for `schema` (a cheap check; see `_fits`)."""
        return self.checker.fits(value, schema)

    # -- dispatch -------------------------------------------------------------------------

    def _gen(
        self,
        node: Any,
        ctx: _Ctx,
        depth: int,
        stack: tuple[str, ...],
        cut: bool,
        hint: str | None,
        variant: int,
    ) -> Any:
        ctx.nodes += 1
        ctx.active += 1
        try:
            if ctx.active > _HARD_DEPTH or node is False:  # Python's stack, not the data's depth
                return None
            limit = (
                ctx.limit
                if ctx.limit is not None
                else (self._vary_depth if ctx.vary else self._max_depth)
            )
            cut = cut or ctx.nodes > self._budget or depth >= limit
            return self._node(node, ctx, depth, stack, cut, hint, variant)
        finally:
            ctx.active -= 1

    def _node(
        self,
        node: Any,
        ctx: _Ctx,
        depth: int,
        stack: tuple[str, ...],
        cut: bool,
        hint: str | None,
        variant: int,
    ) -> Any:
        keep, ctx.keep = ctx.keep, False
        if not isinstance(node, Mapping):
            return string({}, ctx.rng, hint, variant)
        schema, ref, stack, repeats = self._enter(node, stack)
        if "not" in schema:
            rest = {k: v for k, v in schema.items() if k != "not"}
            ctx.keep = keep  # for `rest`, which is this node
            return self._avoiding(schema["not"], rest, ctx, depth, stack, cut, hint, variant)
        if "if" in schema and ("then" in schema or "else" in schema):
            return self._conditional(schema, keep, ctx, depth, stack, cut, hint, variant)
        if repeats > 2:
            value = minimal(schema)
            if ctx.notes is not None and schema.get("required") and isinstance(value, dict):
                # reached only through what must be there (`cut` drops the optional): a value
                # needs itself again inside, so none is finite (TreeNode's required `parent`)
                ctx.notes.append(
                    f"{ref or 'a schema'} requires a value of itself inside it, without end: "
                    "no finite value exists"
                )
            return value
        cut = cut or repeats > 0
        facts = self._facts(schema)
        if facts.null_too and (
            cut or (ctx.vary and not keep and depth > 0 and ctx.rng.random() < NULL_RATE)
        ):
            return None
        schema = facts.schema
        if facts.merge:
            schema, stack = self._merge_all_of(schema, stack)
            facts = self._facts_of(schema, False, schema)
        if facts.literal:
            literal = self._literal(facts, variant, ctx)
            if literal is not MISSING:
                return literal
        if facts.choice:
            return self._choice(schema, ctx, depth, stack, cut, hint, variant)
        nullable = facts.nullable
        if cut and nullable:
            return None
        if ctx.vary and nullable and not keep and depth > 0 and ctx.rng.random() < NULL_RATE:
            return None
        kind = facts.kind
        if kind is None or kind == "null":
            return None
        if kind == "object":
            disc = schema.get("discriminator")
            if isinstance(disc, Mapping) and ref is not None and not cut:
                sub = self._mapped_subtype(disc, ref, schema, ctx, depth, stack, hint, variant)
                if sub is not MISSING:
                    return sub
            value = self._object(schema, facts, ctx, depth, stack, cut)
            if isinstance(disc, Mapping) and ref is not None:
                self._discriminate(value, disc, ref, schema)
            return value
        if kind == "array":
            return self._array(schema, ctx, depth, stack, cut, hint)
        if kind == "integer":
            return integer(schema, ctx.rng, variant)
        if kind == "number":
            return number(schema, ctx.rng, variant)
        if kind == "boolean":
            return ctx.rng.random() < 0.5 if ctx.vary else variant % 2 == 0
        return string(schema, ctx.rng, hint, variant, vary=ctx.vary)

    def _avoiding(
        self,
        negated: Any,
        rest: Schema,
        ctx: _Ctx,
        depth: int,
        stack: tuple[str, ...],
        cut: bool,
        hint: str | None,
        variant: int,
    ) -> Any:
        """A value for `rest` that its `not` refuses: the one drawn for `rest` (or one of a few
        other draws), else the first of a few plain values of other types that `rest` takes
        (`not: {type: string}` is 0).
        The checker answers "could it match", so a value it cannot rule in for `negated` is
        one the `not` refuses."""
        value = self._node(rest, ctx, depth, stack, cut, hint, variant)
        if not self.checker.fits(value, negated):
            return value
        for step in range(1, 4):  # another draw of the same type (`not: {enum: [0]}`)
            again = self._node(rest, ctx, depth, stack, cut, hint, variant + step)
            if not self.checker.fits(again, negated):
                return again
        for other in _OTHER_VALUES:
            if not self.checker.fits(other, negated) and self.checker.fits(other, rest):
                return other
        if ctx.notes is not None:
            ctx.notes.append("a `not` that refuses every value found for the rest of its schema")
        return value

    def _conditional(
        self,
        schema: Schema,
        keep: bool,
        ctx: _Ctx,
        depth: int,
        stack: tuple[str, ...],
        cut: bool,
        hint: str | None,
        variant: int,
    ) -> Any:
        """A value for a schema with `if`/`then`/`else` (JSON Schema 2020-12, OpenAPI 3.1):
        one drawn to meet `if` and `then`, or one that `if` refuses and that meets `else` (in
        turn, which first drawn at random when varying)."""
        rest = {k: v for k, v in schema.items() if k not in ("if", "then", "else")}
        cond = schema["if"]
        branches = [("then", True), ("else", False)]
        if ctx.vary and ctx.rng.random() < 0.5:
            branches.reverse()
        first: Any = MISSING
        for key, meets in branches:
            if isinstance(cond, bool) and cond is not meets:
                continue  # `if: true` takes only `then`, `if: false` only `else`
            members = [rest, *([cond] if meets else []), *([schema[key]] if key in schema else [])]
            ctx.keep = keep  # for the value of this node
            value = self._node({"allOf": members}, ctx, depth, stack, cut, hint, variant)
            first = value if first is MISSING else first
            if isinstance(cond, bool) or self.checker.fits(value, cond) is meets:
                return value
        if ctx.notes is not None:
            ctx.notes.append("an `if`/`then`/`else` for which no value was found")
        return None if first is MISSING else first

    def _facts(self, node: Schema) -> _Facts:
        """`node`'s facts (a `$ref` already followed), worked out on its first visit."""
        found = self._facts_cache.get(id(node))
        if found is not None and found.node is node:
            return found
        null_too, schema = self._or_null(node)
        facts = self._facts_of(node, null_too, schema)
        if len(self._facts_cache) > _EXAMPLE_CACHE:
            self._facts_cache.clear()
        self._facts_cache[id(node)] = facts
        return facts

    def _facts_of(self, node: Schema, null_too: bool, schema: Schema) -> _Facts:
        merge = isinstance(schema.get("allOf"), list)
        if merge:  # described after the merge, per draw
            return _Facts(
                node, null_too, schema, True, False, False, False, None, False, False, None
            )
        types, nullable = declared_types(schema, self.checker.nullable_keyword)
        enum: list[Any] | None = None
        raw_enum = schema.get("enum")
        if isinstance(raw_enum, list) and raw_enum:
            values = [json_data(e) for e in raw_enum if e is not None] or [None]
            values = [v for v in values if v is not MISSING] or [None]
            # members of another type than the declared one are invalid (Zoom's
            # `{"type": "string", "enum": ["Group", 61]}`): only the others are drawn
            typed = self._typed_members(schema, values)
            # and members the schema's own bounds refuse (Codat's `maxLength: 8` beside
            # `TransferOut`): drawn only when no member fits (checked once per node)
            typed = [v for v in typed if self.checker.fits(v, schema)] or typed
            enum = typed or ([None] if nullable else values)
        kind = (
            types[0]
            if types
            else None
            if nullable and schema.get("type") is not None
            else infer(schema)
        )
        has_const = "const" in schema
        has_example = "example" in schema or "examples" in schema or "default" in schema
        facts = _Facts(
            node,
            null_too,
            schema,
            merge=False,
            literal=has_const or has_example or enum is not None,
            has_const=has_const,
            has_example=has_example,
            enum=enum,
            choice=isinstance(schema.get("oneOf"), list) or isinstance(schema.get("anyOf"), list),
            nullable=nullable,
            kind=kind,
        )
        if kind == "object":
            self._object_facts(schema, facts)
        return facts

    def _object_facts(self, schema: Schema, facts: _Facts) -> None:
        raw = schema.get("properties")
        props: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        # A required writeOnly property is required of requests only (OpenAPI 3.0 and 3.1):
        # a response leaves it out (schemathesis forbids it there).
        required = [
            r
            for r in listed(schema.get("required"))
            if isinstance(r, str) and not self._write_only(props.get(r))
        ]
        wanted = set(required)
        facts.required = required
        facts.closed = tuple(r for r in required if self._closed_to(schema, props, r))
        facts.props = [
            (name, sub, name in wanted, *self._optional_facts(sub)) for name, sub in props.items()
        ]

    @staticmethod
    def _closed_to(schema: Schema, props: Mapping[str, Any], name: str) -> bool:
        """Whether required `name` can never be present: its own schema is `false`, or no
        `properties` entry names it and `additionalProperties: false` closes the object (Codat's
        `{additionalProperties: false, allOf: [..., PagingInfo]}`: the keyword reads only the
        outer object's `properties`, so PagingInfo's required fields are all forbidden)."""
        if name in props:
            return props[name] is False
        return schema.get("additionalProperties") is False and "patternProperties" not in schema

    def _optional_facts(self, sub: Any) -> tuple[bool, tuple[str, ...]]:
        """Whether an optional property is never sent (writeOnly, or admits no value), and the
        `$ref`s that skip it when one is already on the stack (it would recurse)."""
        if not isinstance(sub, Mapping):
            return sub is False, ()  # `false` admits nothing: the property must stay out
        if self._write_only(sub) or self._no_value(sub):
            return True, ()
        refs = [sub.get("$ref")]
        items = sub.get("items")
        if isinstance(items, Mapping):
            refs.append(items.get("$ref"))
        for key in ("allOf", "anyOf", "oneOf"):
            for member in listed(sub.get(key)):
                if isinstance(member, Mapping):
                    refs.append(member.get("$ref"))
        return False, tuple(r for r in refs if isinstance(r, str))

    def _enter(
        self, node: Schema, stack: tuple[str, ...]
    ) -> tuple[Schema, str | None, tuple[str, ...], int]:
        """Follow `$ref`s, pushing them on `stack`; `repeats` counts how often one already was."""
        ref: str | None = None
        repeats = 0
        for _ in range(32):
            target_ref = node.get("$ref")
            if not isinstance(target_ref, str):
                break
            try:
                target = self.resolver.lookup(target_ref)
            except RefError:
                target = {}
            repeats = max(repeats, stack.count(target_ref))
            ref, stack = target_ref, (*stack, target_ref)
            if not isinstance(target, Mapping):
                target = {} if target is not False else {"not": {}}
            siblings = self._siblings(node)
            if siblings:  # OpenAPI 3.1: `$ref` next to constraints means both apply
                return {"allOf": [target, siblings]}, ref, stack, repeats
            node = target
        return node, ref, stack, repeats

    def _siblings(self, node: Schema) -> dict[str, Any]:
        """The keywords beside `node`'s `$ref` that constrain the value (none before 3.1)."""
        if not self.ref_siblings:
            return {}
        return {k: v for k, v in node.items() if k not in _REF_SIBLINGS_IGNORED}

    def _literal(self, facts: _Facts, variant: int, ctx: _Ctx) -> Any:
        schema = facts.schema
        if facts.has_const:
            return json_data(schema["const"])
        if variant == 0 and facts.has_example and not (ctx.vary and ctx.rng.random() < 0.5):
            data = self._own_example(schema)
            if data is not MISSING:
                return copy.deepcopy(data) if isinstance(data, dict | list) else data
        values = facts.enum
        if values is not None:
            if ctx.vary and variant == 0:
                value = values[ctx.rng.randrange(len(values))]
            else:
                value = values[variant % len(values)]
            return copy.deepcopy(value) if isinstance(value, dict | list) else value
        return MISSING

    def _typed_members(self, schema: Schema, values: list[Any]) -> list[Any]:
        """The enum `values` of a type `schema` declares (all when it declares none)."""
        types, nullable = declared_types(schema, self.checker.nullable_keyword)
        if not types:
            return values
        return [v for v in values if (v is None and nullable) or any(is_type(v, t) for t in types)]

    def _no_value(self, node: Any, depth: int = 0) -> bool:
        """Whether a schema provably admits no value: an enum none of whose members has the
        declared type (Zoom's `{"type": "string", "enum": [1, 2]}`), a `type` beside
        `oneOf`/`anyOf` that rules out every variant (Vercel's `{"type": "null", "oneOf":
        [number, boolean]}`), a `oneOf` whose variants each cover another (`_admits_nothing`),
        a `not` of a schema that admits every value (`not: {}`), or an object requiring such a
        property. An optional property like
        that is left out and an array of them drawn empty: the one way a response is valid.
        The boolean schema `false` is the plainest case (Codat's `DataConnection` lists one as a
        property named `additionalProperties`)."""
        if not isinstance(node, Mapping) or depth > 3:
            return node is False
        known = self._impossible.get(id(node))
        if known is not None and known[0] is node:
            return known[1]
        self._impossible[id(node)] = (node, False)  # a cycle ends here
        result = self._no_value_of(self._enter(node, ())[0], depth)
        if len(self._impossible) > _EXAMPLE_CACHE:
            self._impossible.clear()
        self._impossible[id(node)] = (node, result)  # holding `node` keeps its id unique
        return result

    def _no_value_of(self, schema: Schema, depth: int) -> bool:
        if "not" in schema and self._admits_all(schema["not"]):
            return True
        nullable = declared_types(schema, self.checker.nullable_keyword)[1]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return not nullable and not self._typed_members(schema, list(enum))
        for key in ("oneOf", "anyOf"):
            variants = schema.get(key)
            if isinstance(variants, list) and variants:
                base = {k: v for k, v in schema.items() if k not in (key, "discriminator")}
                # (a `oneOf` each of whose variants another covers: no value matches just one)
                return self._typed_out(base, variants) or (
                    key == "oneOf" and self._admits_nothing(variants)
                )
        props = schema.get("properties")
        if nullable or not isinstance(props, Mapping):
            return False
        return any(
            isinstance(name, str) and self._no_value(props.get(name), depth + 1)
            for name in listed(schema.get("required"))
        )

    def _admits_all(self, node: Any) -> bool:
        """Whether a schema takes every value: `true`, or one that only describes (`{}`,
        `{description: ...}`), `$ref`s followed."""
        if not isinstance(node, Mapping):
            return node is True
        schema = self._enter(node, ())[0]
        return all(k in _COVER_ANNOTATIONS or k.startswith("x-") for k in schema)

    def _own_example(self, schema: Schema) -> Any:
        """The schema's first `example`/`examples`/`default` that fits it (checked once)."""
        found = self._examples.get(id(schema))
        if found is not None and found[0] is schema:
            return found[1]
        result: Any = MISSING
        candidates: list[Any] = []
        if "example" in schema:
            candidates.append(schema["example"])
        examples = schema.get("examples")
        if isinstance(examples, list) and examples:
            candidates.append(examples[0])
        if "default" in schema:
            candidates.append(schema["default"])
        for candidate in candidates:
            data = json_data(candidate)
            if data is not MISSING and self.checker.fits(data, schema):
                result = data
                break
        if len(self._examples) > _EXAMPLE_CACHE:  # merged allOf schemas are new objects
            self._examples.clear()
        self._examples[id(schema)] = (schema, result)  # holding `schema` keeps its id unique
        return result

    # -- combinators ----------------------------------------------------------------------

    def _merge_all_of(
        self, schema: Schema, stack: tuple[str, ...]
    ) -> tuple[Schema, tuple[str, ...]]:
        members: list[Schema] = []
        seen: list[str] = []
        self._flatten(schema, members, stack, seen, 0)
        return merge(members), (*stack, *(ref for ref in seen if ref not in stack))

    def _flatten(
        self, node: Any, out: list[Schema], stack: tuple[str, ...], seen: list[str], depth: int
    ) -> None:
        if depth > 16 or not isinstance(node, Mapping):
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            # A member already on `stack` (the value recurs: Box's Folder -> item_collection ->
            # Folder--Mini, whose allOf is Folder--Base) still constrains this value: only a ref
            # met twice in this merge is a cycle.
            if ref in seen:
                return
            seen.append(ref)
            try:
                target = self.resolver.lookup(ref)
            except RefError:
                target = {}
            if ref in stack and isinstance(target, Mapping):
                # An enclosing object's member again: a base many objects share (Azure's
                # `Resource`, whose required `location` holds in each), or the polymorphic base
                # whose variant is being built: its constraints hold, its choice is being made.
                target = {k: v for k, v in target.items() if k not in ("oneOf", "anyOf")}
            self._flatten(self._siblings(node), out, stack, seen, depth + 1)
            self._flatten(target, out, stack, seen, depth + 1)
            return
        own = {k: v for k, v in node.items() if k != "allOf"}
        for key in ("oneOf", "anyOf"):
            # A polymorphic base listing the very subtype being built must not recurse into it.
            if isinstance(own.get(key), list) and any(
                isinstance(o, Mapping) and (o.get("$ref") in stack or o.get("$ref") in seen)
                for o in own[key]
            ):
                del own[key]
        if own:
            out.append(own)
        for member in listed(node.get("allOf")):
            self._flatten(member, out, stack, seen, depth + 1)

    def _choice(
        self,
        schema: Schema,
        ctx: _Ctx,
        depth: int,
        stack: tuple[str, ...],
        cut: bool,
        hint: str | None,
        variant: int,
    ) -> Any:
        key = "oneOf" if isinstance(schema.get("oneOf"), list) else "anyOf"
        base = {k: v for k, v in schema.items() if k not in (key, "discriminator")}
        disc = schema.get("discriminator")
        options = [o for o in schema[key] if not self._is_null(o)]
        if not options:
            return None
        # a null variant admits null only where a `type` beside the union does too (the IR
        # types `{type: integer, anyOf: [integer, null]}` as `int`: a null drawn was refused)
        types, nullable = declared_types(base, self.checker.nullable_keyword)
        null_drawn = len(options) < len(schema[key]) and (not types or nullable)
        # a variant that provably admits no value (itself an overlapping `oneOf`: the
        # petstore's `Pig`) is never the one a value matches: neither drawn nor kept apart from
        possible = [o for o in options if not self._no_value(o)]
        options = possible or options
        if ctx.vary:
            if null_drawn and depth > 0 and ctx.rng.random() < NULL_RATE:
                return None
            start = ctx.rng.randrange(len(options))
            options = options[start:] + options[:start]
        if cut and (null_drawn or nullable):
            return None
        if cut:  # prefer variants that do not recurse
            options.sort(key=lambda o: self._recurses(o, stack))
        needs_merge = any(k not in _ANNOTATIONS and not k.startswith("x-") for k in base)
        candidates: list[tuple[Any, int]] = []  # drawn values that also matched another variant
        misfits: list[tuple[Any, int]] = []  # drawn values their own variant refuses
        for index, option in enumerate(options[:_MAX_CHOICES]):
            sub = {"allOf": [base, option]} if needs_merge else option
            ctx.keep = True
            value = self._gen(sub, ctx, depth, stack, cut, hint, variant)
            if value is None:  # null options were dropped above: this one gave up (recursion)
                continue
            option_ref = option.get("$ref") if isinstance(option, Mapping) else None
            if isinstance(disc, Mapping):
                if not isinstance(value, dict):  # a discriminated value must be an object
                    candidates.append((value, index))
                    continue
                if isinstance(option_ref, str):
                    self._discriminate(value, disc, option_ref, option)
            if self._merged(sub) and not self.checker.fits(value, sub):
                # the draw broke its own variant, which then admits no value: its allOf members
                # contradict (PagerDuty's AcknowledgeLogEntry: its `type` enum and its base's
                # share no member, so the merge kept the base's). Another variant may not.
                # Only a merge papers over such a contradiction: other variants skip the check
                # (Stripe's expandable `anyOf: [id, object]` on every draw).
                misfits.append((value, index))
                continue
            if key == "anyOf" or not any(
                self.checker.fits(value, other) for i, other in enumerate(options) if i != index
            ):
                return value
            candidates.append((value, index))
        candidates = candidates or misfits  # no variant admits a value: the old best effort
        if not candidates:
            if ctx.notes is not None and self._typed_out(base, schema[key]):
                where = next((r for r in reversed(stack)), "the response schema")
                ctx.notes.append(
                    f"a {key} in {where} admits no value: the `type` beside it rules out "
                    "every variant"
                )
            return None
        if key == "anyOf":
            return candidates[0][0]
        # Every draw also matched another variant (overlapping `oneOf`, e.g. variants told apart
        # only by a discriminator, which JSON Schema ignores): make one match its own only.
        proven = self._admits_nothing(schema[key])
        for value, index in candidates if not proven else ():
            if isinstance(value, dict):
                others = [o for i, o in enumerate(options) if i != index]
                # the variant with what sits beside the oneOf: its `required` holds too (a
                # property only the base requires is no property to drop; PagerDuty's Channel)
                chosen = {"allOf": [base, options[index]]} if needs_merge else options[index]
                separated = self._separate(value, chosen, others)
                if separated is not None:
                    return separated
        if ctx.vary and not proven:
            # a draw that left out what told the variants apart: build them canonically
            ctx.vary = False
            try:
                return self._choice(schema, ctx, depth, stack, cut, hint, variant)
            finally:
                ctx.vary = True
        if null_drawn:
            return None  # the null variant is the one value that matches a single variant
        if proven and ctx.notes is not None:
            where = next((r for r in reversed(stack)), "the response schema")
            ctx.notes.append(
                f"a oneOf in {where} admits no value: each variant accepts every value of another"
            )
        return candidates[0][0]

    def _merged(self, node: Any) -> bool:
        """Whether `node`, or what its `$ref`s lead to, is an `allOf` (drawn from a merge)."""
        schema, _, _, _ = self._enter(node, ()) if isinstance(node, Mapping) else ({}, None, (), 0)
        return isinstance(schema.get("allOf"), list)

    def _separate(
        self, value: dict[str, Any], chosen: Any, others: list[Any]
    ) -> dict[str, Any] | None:
        """`value` (valid for `chosen`) changed to match none of `others`, or None.

        A variant loses a required property that `chosen` does not require; or gets a property
        `chosen` does not declare, with a value of the wrong type for it (also inside its own
        `oneOf`/`anyOf` variants, each of which must fail). The result is checked: it fits
        `chosen` and none of `others` (the checker's "no" is always right).
        """
        chosen_props, chosen_required, chosen_extra = self._shape(chosen)
        flat = self._flat_keys(chosen)
        junk_ok = chosen_extra in (None, True) and not any(
            k in flat for k in ("patternProperties", "propertyNames", "unevaluatedProperties")
        )
        result = dict(value)
        for _ in range(2):  # a change for one variant may undo another's: one more pass
            for other in others:
                if self.checker.fits(result, other):
                    self._exclude(result, other, chosen_props, chosen_required, junk_ok, 0)
        if self.checker.fits(result, chosen) and not any(
            self.checker.fits(result, o) for o in others
        ):
            return result
        return None

    def _exclude(
        self,
        result: dict[str, Any],
        other: Any,
        chosen_props: Mapping[str, Any],
        chosen_required: list[str],
        junk_ok: bool,
        depth: int,
    ) -> None:
        """Change `result` (see `_separate`) so that it no longer fits `other`, if it can."""
        props, required, _ = self._shape(other)
        removable = [r for r in required if r in result and r not in chosen_required]
        if removable:
            del result[removable[0]]
            return
        if junk_ok:
            for name, sub in props.items():
                if name in chosen_props or name in result:
                    continue
                junk = next((j for j in _JUNK if not self.checker.fits(j, sub)), MISSING)
                if junk is not MISSING:
                    result[name] = copy.deepcopy(junk)
                    return
        if depth > 2:
            return
        try:
            schema, _ = self.resolver.resolve(other)
        except RefError:
            return
        if not isinstance(schema, Mapping):
            return
        for key in ("oneOf", "anyOf"):  # a variant that is itself a choice: every branch fails
            for branch in listed(schema.get(key)):
                if self.checker.fits(result, branch):
                    self._exclude(result, branch, chosen_props, chosen_required, junk_ok, depth + 1)

    def _flat_keys(self, node: Any) -> Mapping[str, Any]:
        schema, _, stack, _ = self._enter(node if isinstance(node, Mapping) else {}, ())
        if isinstance(schema.get("allOf"), list):
            schema, _ = self._merge_all_of(schema, stack)
        return schema

    def _typed_out(self, base: Schema, variants: list[Any]) -> bool:
        """Whether the `type` beside a `oneOf`/`anyOf` shares no type with any variant (Vercel:
        `{"type": "null", "oneOf": [{"type": "number"}, {"type": "boolean"}]}`)."""
        allowed = _type_names(base, self.checker.nullable_keyword)
        if not allowed:
            return False
        for variant in variants:
            names = _type_names(self._flat_keys(variant), self.checker.nullable_keyword)
            if not names or names & allowed or ("integer" in names and "number" in allowed):
                return False
            if "number" in names and "integer" in allowed:
                return False
        return bool(variants)

    def _admits_nothing(self, variants: list[Any]) -> bool:
        """Whether each variant of a `oneOf` is covered by another (so no value matches exactly
        one): a proof, for the note that blames the spec, not a guess."""
        known = self._proofs.get(id(variants))
        if known is not None and known[0] is variants:
            return known[1]
        result = len(variants) > 1 and all(
            any(j != i and self._covers(a, b) for j, a in enumerate(variants))
            for i, b in enumerate(variants)
        )
        if len(self._proofs) > _EXAMPLE_CACHE:
            self._proofs.clear()
        self._proofs[id(variants)] = (variants, result)  # holding `variants` keeps its id unique
        return result

    def _covers(self, wide: Any, narrow: Any) -> bool:
        """Whether every value valid for `narrow` is valid for `wide` (a sufficient test:
        equal schemas, or `wide` an object schema that asks only for some of `narrow`'s required
        properties and declares only properties `narrow` declares identically)."""
        members: list[Schema] = []
        self._flatten(wide, members, (), [], 0)
        if not members:
            return False
        narrowed: list[Schema] = []
        self._flatten(narrow, narrowed, (), [], 0)
        if len(members) == len(narrowed) == 1 and _same(members[0], narrowed[0]):
            return True
        kinds: set[str] = set()
        required: set[str] = set()
        props: dict[str, Any] = {}
        for member in members:
            for k, v in member.items():
                if k in _COVER_ANNOTATIONS or k.startswith("x-"):
                    continue
                if k == "type" and isinstance(v, str):
                    kinds.add(v)
                elif k == "required" and isinstance(v, list):
                    required.update(str(r) for r in v)
                elif k == "properties" and isinstance(v, Mapping):
                    for name, sub in v.items():
                        if name in props and not _same(props[name], sub):
                            return False
                        props[name] = sub
                elif (k, v) in (("additionalProperties", True), ("additionalProperties", {})):
                    continue  # the default
                elif k != "nullable" or not isinstance(v, bool):  # (typed members: below)
                    return False  # a keyword this test does not reason about
        narrow_schema = self._flat_keys(narrow)
        narrow_types, narrow_null = declared_types(narrow_schema, self.checker.nullable_keyword)
        if kinds:
            if len(kinds) > 1 or narrow_types != list(kinds):
                return False
            typed = [m for m in members if "type" in m]
            wide_null = self.checker.nullable_keyword and all(
                m.get("nullable") is True for m in typed
            )
            if narrow_null and not wide_null:
                return False
        narrow_props = narrow_schema.get("properties")
        narrow_props = narrow_props if isinstance(narrow_props, Mapping) else {}
        narrow_required = set(listed(narrow_schema.get("required")))
        return required <= narrow_required and all(
            name in narrow_props
            and (_same(sub, narrow_props[name]) or self._type_covers(sub, narrow_props[name]))
            for name, sub in props.items()
        )

    def _type_covers(self, wide: Any, narrow: Any) -> bool:
        """Whether `wide` asks only for a type (`{type: string}`, annotations aside) that
        `narrow` declares too, whatever else `narrow` asks (PagerDuty's `{type: string}` beside
        `{type: string, enum: [user_reference]}`): each value of `narrow` is one of `wide`."""
        schema = self._flat_keys(wide)
        keys = {k for k in schema if k not in _COVER_ANNOTATIONS and not k.startswith("x-")}
        kind = schema.get("type")
        if not keys <= {"type", "nullable"} or not isinstance(kind, str):
            return False
        narrow_types, narrow_null = declared_types(
            self._flat_keys(narrow), self.checker.nullable_keyword
        )
        wide_null = bool(self.checker.nullable_keyword) and schema.get("nullable") is True
        return narrow_types == [kind] and (wide_null or not narrow_null)

    def shape(self, node: Any) -> tuple[Mapping[str, Any], list[str], Any]:
        """(properties, required, additionalProperties) of a schema, `$ref`s and allOf merged."""
        return self._shape(node)

    def _shape(self, node: Any) -> tuple[Mapping[str, Any], list[str], Any]:
        """(properties, required, additionalProperties) of a schema, allOf merged."""
        schema, _, stack, _ = self._enter(node if isinstance(node, Mapping) else {}, ())
        if isinstance(schema.get("allOf"), list):
            schema, _ = self._merge_all_of(schema, stack)
        props = schema.get("properties")
        required = [r for r in listed(schema.get("required")) if isinstance(r, str)]
        return (
            (props if isinstance(props, Mapping) else {}),
            required,
            schema.get("additionalProperties"),
        )

    def _recurses(self, node: Any, stack: tuple[str, ...]) -> bool:
        """Whether a variant leads straight back into `stack` (itself, or via a required part)."""
        if not isinstance(node, Mapping):
            return False
        if node.get("$ref") in stack:
            return True
        try:
            schema, _ = self.resolver.resolve(node)
        except RefError:
            return False
        if not isinstance(schema, Mapping):
            return False
        parts: list[Any] = list(listed(schema.get("allOf")))
        props = schema.get("properties")
        for name in listed(schema.get("required")):
            if isinstance(props, Mapping) and isinstance(name, str):
                parts.append(props.get(name))
        items = schema.get("items")
        if isinstance(schema.get("minItems"), int) and schema["minItems"] > 0:
            parts.append(items)
        return any(isinstance(p, Mapping) and p.get("$ref") in stack for p in parts)

    def _or_null(self, schema: Schema) -> tuple[bool, Schema]:
        """Whether `schema` admits null beside its composition keywords (`schema_rules`: 3.0
        `nullable: true` beside `allOf`/`oneOf`/`anyOf`, 3.1 a `"null"` type beside them, a
        null-only `allOf` member), and the schema for its other values."""
        if not any(isinstance(schema.get(k), list) and schema.get(k) for k in COMBINERS):
            return False, schema
        if self.checker.nullable_keyword and schema.get("nullable") is True:
            return True, {k: v for k, v in schema.items() if k != "nullable"}
        if null_type_beside_combiner(schema):
            raw = schema["type"]
            rest = [t for t in (raw if isinstance(raw, list) else [raw]) if t != "null"]
            out = {k: v for k, v in schema.items() if k != "type"}
            if rest:
                out["type"] = rest[0] if len(rest) == 1 else rest
            return True, out
        members = schema.get("allOf")
        if isinstance(members, list) and any(null_only(m) for m in members):
            kept = [m for m in members if not null_only(m)]
            out = {k: v for k, v in schema.items() if k != "allOf"}
            if kept:
                out["allOf"] = kept
            return True, out
        return False, schema

    def _is_null(self, node: Any) -> bool:
        try:
            schema, _ = self.resolver.resolve(node)
        except RefError:
            return False
        if not isinstance(schema, Mapping):
            return False
        types, nullable = declared_types(schema, self.checker.nullable_keyword)
        return null_only(schema) or (
            nullable
            and not types
            and schema.get("type") is not None
            and not null_type_beside_combiner(schema)
        )

    def _mapped_subtype(
        self,
        disc: Mapping[str, Any],
        ref: str,
        schema: Schema,
        ctx: _Ctx,
        depth: int,
        stack: tuple[str, ...],
        hint: str | None,
        variant: int,
    ) -> Any:
        """A value of one of the schemas a base's discriminator `mapping` names, when the
        mapping names none for the base itself (`Person` mapping `a` to `Adult`, `c` to
        `Child`): its own name is then no value a reader of the mapping knows (OpenAPI allows
        it implicitly; schemathesis and many clients do not), while a subtype's key is what any
        server sends. Only for the schema declaring the discriminator: a subtype inheriting it
        through `allOf` is itself. MISSING when no such subtype yields a value the base schema
        admits."""
        mapping = disc.get("mapping")
        if not isinstance(mapping, Mapping) or not mapping:
            return MISSING
        try:
            declared = self.resolver.lookup(ref)
        except RefError:
            return MISSING
        if not isinstance(declared, Mapping) or "discriminator" not in declared:
            return MISSING  # a subtype inheriting it (`Dog`, allOf `Pet`) is itself
        name = ref.rsplit("/", 1)[-1]
        targets = [_schema_ref(v) for v in mapping.values() if isinstance(v, str)]
        if not targets or ref in targets or name in mapping.values():
            return MISSING
        targets = [t for t in dict.fromkeys(targets) if t not in stack]
        if not targets:
            return MISSING
        start = ctx.rng.randrange(len(targets)) if ctx.vary else variant % len(targets)
        prop = disc.get("propertyName")
        for target in targets[start:] + targets[:start]:
            value = self._gen({"$ref": target}, ctx, depth, stack, False, hint, variant)
            keys = [
                k for k, v in mapping.items() if isinstance(v, str) and _schema_ref(v) == target
            ]
            if (
                isinstance(value, dict)
                and value.get(prop) in keys  # the subtype's own key: it admits its value
                and self.checker.fits(value, schema)
            ):
                return value
        return MISSING

    def _discriminate(self, value: Any, disc: Mapping[str, Any], ref: str, schema: Any) -> None:
        """Set the discriminator property to the mapping key of the variant that was generated."""
        prop = disc.get("propertyName")
        if not isinstance(value, dict) or not isinstance(prop, str):
            return
        name = ref.rsplit("/", 1)[-1]
        mapping = disc.get("mapping")
        chosen = name
        if isinstance(mapping, Mapping):
            chosen = next((k for k, v in mapping.items() if v in (ref, name)), name)
        if value.get(prop) == chosen:
            return
        previous = value.get(prop, MISSING)
        value[prop] = chosen
        if not self.checker.fits(value, schema):  # the variant pins the property some other way
            if previous is MISSING:
                del value[prop]
            else:
                value[prop] = previous

    # -- containers -----------------------------------------------------------------------

    def _closing(self, stack: tuple[str, ...]) -> str:
        """The schema that closes an object (`additionalProperties: false`), among those the
        draw entered: the note named the last `allOf` member merged (codat's `PagingInfo`),
        which only required the property the outer schema forbids."""
        for ref in reversed(stack):
            try:
                target = self.resolver.lookup(ref)
            except RefError:
                continue
            if isinstance(target, Mapping) and False in (
                target.get("additionalProperties"),
                target.get("unevaluatedProperties"),
            ):
                return ref
        return next((r for r in reversed(stack)), "the response schema")

    def _object(
        self,
        schema: Schema,
        facts: _Facts,
        ctx: _Ctx,
        depth: int,
        stack: tuple[str, ...],
        cut: bool,
    ) -> dict[str, Any]:
        props = schema.get("properties")
        props = props if isinstance(props, Mapping) else {}
        required = facts.required or []
        extra = schema.get("additionalProperties")
        limit = schema.get("maxProperties")
        limit = limit if isinstance(limit, int) and not isinstance(limit, bool) else None
        room = None if limit is None else max(limit - len(set(required)), 0)
        out: dict[str, Any] = {}
        for name, sub, is_required, never, refs in facts.props or ():
            if not is_required:
                if (
                    cut
                    or never
                    or (room is not None and room <= 0)
                    or any(r in stack for r in refs)
                ):
                    continue
                if ctx.vary and ctx.rng.random() < OMIT_RATE:
                    continue
                if room is not None:
                    room -= 1
            out[name] = self._gen(sub, ctx, depth + 1, stack, cut, name, 0)
        if facts.closed and ctx.notes is not None:
            where = self._closing(stack)
            ctx.notes.extend(
                f"an object in {where} admits no value: it requires {name!r}, which its own"
                " schema forbids"
                for name in facts.closed
            )
        for name in required:
            if name not in out:
                sub = extra if isinstance(extra, Mapping) else {}
                out[name] = self._gen(sub, ctx, depth + 1, stack, cut, name, 0)
        dependent = schema.get("dependentRequired")  # `{card: [billing]}`: with one, the rest
        for name, needs in dependent.items() if isinstance(dependent, Mapping) else ():
            for need in needs if name in out and isinstance(needs, list) else ():
                if isinstance(need, str) and need not in out:
                    sub = props.get(need, extra if isinstance(extra, Mapping) else {})
                    out[need] = self._gen(sub, ctx, depth + 1, stack, cut, need, 0)
        self._dependent_schemas(schema, out, props, extra, ctx, depth, stack, cut)
        least = schema.get("minProperties")
        if isinstance(least, int) and not isinstance(least, bool) and len(out) < least:
            # declared properties first (the only ones a closed object may hold), as drawn
            for name, sub, _, never, refs in facts.props or ():
                if len(out) >= least or (limit is not None and len(out) >= limit):
                    break
                if name not in out and not never and not any(r in stack for r in refs):
                    out[name] = self._gen(sub, ctx, depth + 1, stack, cut, name, 0)
        if extra is False:
            # a closed object still takes keys its `patternProperties` match
            self._fill_free(schema, out, least, limit, None, ctx, depth, stack, cut)
            return out
        if (
            ctx.vary
            and not cut
            and schema.get("unevaluatedProperties") is not False
            and "patternProperties" not in schema
            and "propertyNames" not in schema
            and (limit is None or len(out) < limit)
            and ctx.rng.random() < EXTRA_RATE
        ):
            name = f"x_sandbox_extra_{ctx.rng.randrange(1000)}"
            if name not in props:
                sub_extra = extra if isinstance(extra, Mapping) else {"type": "string"}
                out[name] = self._gen(sub_extra, ctx, depth + 1, stack, True, name, 0)
        wanted = schema.get("minProperties")
        wanted = wanted if isinstance(wanted, int) and not isinstance(wanted, bool) else 0
        if not props and not cut and (extra is True or isinstance(extra, Mapping)):
            wanted = max(wanted, 1)
        if limit is not None:
            wanted = min(wanted, limit)
        sub = extra if isinstance(extra, Mapping) else {}
        self._fill_free(schema, out, wanted, limit, sub, ctx, depth, stack, cut)
        return out

    def _fill_free(
        self,
        schema: Schema,
        out: dict[str, Any],
        wanted: Any,
        limit: int | None,
        extra: Any,
        ctx: _Ctx,
        depth: int,
        stack: tuple[str, ...],
        cut: bool,
    ) -> None:
        """Members no property declares, up to `wanted`: named by a `patternProperties`
        pattern (its schema their value), else `key`, `key1`... (`extra`: the
        `additionalProperties` schema; None where the object takes no other key); a name
        `propertyNames` refuses is spelt by its pattern instead."""
        if not isinstance(wanted, int) or isinstance(wanted, bool):
            return
        if limit is not None:
            wanted = min(wanted, limit)
        patterns = schema.get("patternProperties")
        patterns = (
            [(p, v) for p, v in patterns.items() if isinstance(p, str)]
            if isinstance(patterns, Mapping)
            else []
        )
        names = schema.get("propertyNames")
        names_pattern = names.get("pattern") if isinstance(names, Mapping) else None
        index = 0
        while len(out) < wanted and index < 64:
            index += 1
            if patterns:
                pattern, sub = patterns[(index - 1) % len(patterns)]
                name = regex_example(pattern, 1, None, index) or ""
            elif extra is None:
                return  # closed: nothing more may be added
            else:
                sub, name = extra, "key" if index == 1 else f"key{index - 1}"
                if isinstance(names_pattern, str):
                    name = regex_example(names_pattern, 1, None, index) or name
            if name and name not in out:
                out[name] = self._gen(
                    sub if sub is not None else {}, ctx, depth + 1, stack, cut, name, 0
                )

    def _dependent_schemas(
        self,
        schema: Schema,
        out: dict[str, Any],
        props: Mapping[str, Any],
        extra: Any,
        ctx: _Ctx,
        depth: int,
        stack: tuple[str, ...],
        cut: bool,
    ) -> None:
        """`dependentSchemas` (`{card: {required: [billing]}}`): with a property present, the
        object meets that schema too. Its required properties are added, and a value its
        `properties` constrain is drawn again from both schemas when it does not fit."""
        dependent = schema.get("dependentSchemas")
        for name, sub_schema in dependent.items() if isinstance(dependent, Mapping) else ():
            if name not in out:
                continue
            try:
                extra_schema, _ = self.resolver.resolve(sub_schema)
            except RefError:
                continue
            if not isinstance(extra_schema, Mapping):
                continue
            more = extra_schema.get("properties")
            more = more if isinstance(more, Mapping) else {}
            needs = extra_schema.get("required")
            for need in needs if isinstance(needs, list) else ():
                if isinstance(need, str) and need not in out:
                    own = props.get(need, extra if isinstance(extra, Mapping) else {})
                    sub = {"allOf": [own, more[need]]} if need in more else own
                    out[need] = self._gen(sub, ctx, depth + 1, stack, cut, need, 0)
            for key, constraint in more.items():
                if key in out and not self.checker.fits(out[key], constraint):
                    sub = {"allOf": [props.get(key, {}), constraint]}
                    out[key] = self._gen(sub, ctx, depth + 1, stack, cut, key, 0)

    def _write_only(self, sub: Any) -> bool:
        """Whether a property schema is writeOnly (on it, behind its `$ref`, in an `allOf`
        member: `schema_rules.flagged`, the IR's rule)."""
        return self.checker.is_write_only(sub)

    def _array(
        self,
        schema: Schema,
        ctx: _Ctx,
        depth: int,
        stack: tuple[str, ...],
        cut: bool,
        hint: str | None,
    ) -> list[Any]:
        prefix = schema.get("prefixItems")
        items = schema.get("items")
        if isinstance(items, list):  # draft-4 style tuple
            prefix, items = items, schema.get("additionalItems", {})
        prefix = prefix if isinstance(prefix, list) else []
        low = schema.get("minItems")
        low = low if isinstance(low, int) and not isinstance(low, bool) else 0
        most = MAX_CUT_ITEMS if cut else MAX_ITEMS
        if low > most:  # `minItems: 100000000` grew the sandbox to 8 GB, never answering
            if ctx.notes is not None:
                ctx.notes.append(f"`minItems: {low}`: {most} items served")
            low = most
        count = (
            low
            if cut
            or (isinstance(items, Mapping) and items.get("$ref") in stack)  # it would recur
            or self._no_value(items)
            else max(low, 1, len(prefix))
        )
        high = schema.get("maxItems")
        unique = schema.get("uniqueItems") is True
        if ctx.vary and not cut and count > 0 and not unique:
            count = ctx.rng.randint(low, max(low, count, 3))
        if isinstance(high, int) and not isinstance(high, bool):
            count = min(count, high)
        out: list[Any] = []
        seen: set[str] = set()
        for index in range(count):
            sub = prefix[index] if index < len(prefix) else items
            if sub is False:
                break
            sub = sub if sub is not None else {}
            value = self._gen(sub, ctx, depth + 1, stack, cut, hint, index if unique else 0)
            if unique:
                # each item its own variant; one equal to an earlier item (an enum's random
                # first draw, a pattern with one usual string) is drawn again as others
                key, tries = _identity(value), 0
                while key in seen and tries < _UNIQUE_TRIES:
                    tries += 1
                    value = self._gen(sub, ctx, depth + 1, stack, cut, hint, count + tries)
                    key = _identity(value)
                if key in seen:
                    limit = self._distinct_values(sub)
                    if limit is None or limit >= low:
                        # no distinct value found, though the schema may have one: the item
                        # as drawn (the body breaks `uniqueItems`, the sandbox's own failure,
                        # never passed off as the spec's)
                        out.append(value)
                        continue
                    if ctx.notes is not None and len(out) < low:  # proven: too few values
                        ctx.notes.append(
                            f"an array needs {low} distinct items (uniqueItems) and its items'"
                            f" schema admits {limit}"
                        )
                    break
                seen.add(key)
            out.append(value)
        return out

    def _distinct_values(self, node: Any) -> int | None:
        """How many distinct values a schema provably admits (an `enum`'s members, a `const`,
        `boolean`: 2, null: 1), or None when that is not known to be finite."""
        if not isinstance(node, Mapping):
            return 0 if node is False else None
        schema = self._enter(node, ())[0]
        nullable = 1 if declared_types(schema, self.checker.nullable_keyword)[1] else 0
        if "const" in schema and self.checker.const_keyword:
            return 1
        enum = schema.get("enum")
        if isinstance(enum, list):
            return len({_identity(v) for v in enum})
        types = declared_types(schema, self.checker.nullable_keyword)[0]
        if types and set(types) <= {"boolean"} and not any(k in schema for k in COMBINERS):
            return 2 + nullable
        if types == [] and nullable and schema.get("type") == "null":
            return 1
        return None

    # -- scalars --------------------------------------------------------------------------


#: Draws of another variant an item of a `uniqueItems` array gets before the array ends there.
_UNIQUE_TRIES: Final = 24


def _identity(value: Any) -> str:
    """A value as `uniqueItems` compares it: `1` and `1.0` the same, `true` and `1` not."""

    def plain(v: Any) -> Any:
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, dict):
            return {str(k): plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        return v

    return json.dumps(plain(value), sort_keys=True, default=str)


# What `_avoiding` tries when the value drawn for a schema is one its `not` refuses.
_OTHER_VALUES: tuple[Any, ...] = (0, False, "", [], {}, 0.5, None)


def _type_names(schema: Schema, nullable_keyword: bool) -> set[str]:
    """The JSON types `schema` declares, "null" included where it allows null (empty: any)."""
    types, nullable = declared_types(schema, nullable_keyword)
    if not types and not nullable:
        return set()
    return {*types, *(["null"] if nullable else [])}


_SCHEMA_MAPS: Final = frozenset(
    {"properties", "patternProperties", "dependentSchemas", "$defs", "definitions"}
)


def _schema_ref(target: str) -> str:
    """A discriminator mapping value as a reference: a bare name is a component schema's."""
    return target if "/" in target or target.startswith("#") else f"#/components/schemas/{target}"


_SCHEMA_LISTS: Final = frozenset({"allOf", "anyOf", "oneOf", "prefixItems", "items"})
_SCHEMA_ONE: Final = frozenset(
    {
        "items",
        "additionalItems",
        "additionalProperties",
        "not",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
        "unevaluatedItems",
        "unevaluatedProperties",
    }
)


def _same(left: Any, right: Any) -> bool:
    """Whether two schemas are equal but for annotations (descriptions, examples...)."""
    if not (isinstance(left, Mapping) and isinstance(right, Mapping)):
        return bool(left == right) and type(left) is type(right)
    keys = {k for k in (*left, *right) if k not in _COVER_ANNOTATIONS and not k.startswith("x-")}
    for key in keys:
        if key not in left or key not in right:
            return False
        a, b = left[key], right[key]
        if key in _SCHEMA_MAPS and isinstance(a, Mapping) and isinstance(b, Mapping):
            same = set(a) == set(b) and all(_same(a[n], b[n]) for n in a)
        elif key in _SCHEMA_LISTS and isinstance(a, list) and isinstance(b, list):
            same = len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
        elif key in _SCHEMA_ONE:
            same = _same(a, b)
        else:  # data: type, required, enum, const, bounds, $ref...
            same = bool(a == b) and type(a) is type(b)
        if not same:
            return False
    return True
