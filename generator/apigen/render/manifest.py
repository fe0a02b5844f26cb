"""The typed part of the `apigen.json` manifest: signatures and model shapes as Python text.

`apigen diff` compares two manifests, and `apigen build` reads the previous one as the lock of
method names (`ir/lock.py`), so the manifest says, per operation, its call path, parameters
(Python name, wire name, location, required, annotation), body and return type, and per
definition its fields or enum values. Annotations are spelled as in the generated signatures
but without module prefixes (`datetime`, not `_dt.datetime`) and without the discriminator
wrapper of tagged unions (`A | B`), so they read as the user sees them and stay short.
"""

from __future__ import annotations

import hashlib
import json
import re
from json.encoder import encode_basestring
from typing import Any

from ..ir.nodes import (
    AliasDef,
    Api,
    Definition,
    Discriminator,
    LiteralOf,
    Nullable,
    OperationDef,
    Prim,
    Ref,
    TypeExpr,
)
from ..ir.usage import directions
from .code import Imports, TypeRenderer
from .views import _positional, takes_none

_PLAIN = {
    "datetime": "datetime",
    "date": "date",
    "UUID": "UUID",
    "file": "FileInput",
    "ServerSentEvent": "ServerSentEvent",
}


LONG_LITERAL = 8  # a Literal of this many values or more is spelled once, in `literals`


class _ManifestTypes(TypeRenderer):
    """Annotations without module prefixes or discriminator wrappers (imports are discarded).

    A long `Literal[...]` (Stripe's 500 timezones, its event types...) is written
    `Literal[$<hash>]`, its values once in `literals` under `$<hash>` (a hash of the values, so
    the same values get the same key in every build)."""

    def __init__(self, api: Api, literals: dict[str, list[Any]], *, open_enums: bool) -> None:
        super().__init__(api.definitions, "", Imports(), open_enums=open_enums)
        self.literals = literals
        self._prims: dict[str, str] = {}  # no shadowing, imports discarded: one text a name

    def expr(self, t: TypeExpr) -> str:
        if type(t) is Prim:  # most annotations: skip the generic dispatch
            return self._prim(t.name)
        if type(t) is LiteralOf and len(t.values) >= LONG_LITERAL:
            values = list(t.values)
            text = json.dumps(values, ensure_ascii=False)
            key = "$" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
            self.literals[key] = values
            lit = f"Literal[{key}]"
            if t.open_base is None or not self.open_enums:
                return lit
            return f"{lit} | {self._prim(t.open_base.name)}"
        return super().expr(t)

    def _tagged_union(self, items: tuple[TypeExpr, ...], disc: Discriminator) -> str:
        return " | ".join(dict.fromkeys(self.expr(i) for i in items if isinstance(i, Ref)))

    def _prim(self, name: str) -> str:
        text = self._prims.get(name)
        if text is None:
            text = self._prims[name] = _PLAIN.get(name) or super()._prim(name)
        return text


class TypedManifest:
    """The typed sections of one API's manifest; `literals` fills as types are spelled."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self._literals: dict[str, list[Any]] = {}
        self._arguments = _ManifestTypes(api, self._literals, open_enums=False)
        self._results = _ManifestTypes(api, self._literals, open_enums=True)

    def operation(self, op: OperationDef) -> dict[str, Any]:
        """`params` in signature order (positional path parameters first), `body`, `returns`,
        and `streams` for a call a boolean argument switches to a stream.

        A parameter is `[name, location, required, type]`, plus its wire name when it differs."""
        positional = _positional(op)
        params: list[list[Any]] = []
        for p in [*positional, *(p for p in op.params if p not in positional)]:
            entry: list[Any] = [p.py_name, p.location, p.required, self._arguments.expr(p.type)]
            if p.wire_name != p.py_name:
                entry.append(p.wire_name)
            params.append(entry)
        out: dict[str, Any] = {"params": params}
        if op.body is not None:
            out["body"] = {"media_type": op.body.media_type, "required": op.body.required}
        results = self._results
        if op.pagination is not None:
            out["returns"] = f"SyncPage[{results.expr(op.pagination.item)}]"
        elif any(r.kind in ("sse", "jsonl") for r in op.responses if r.status.startswith("2")):
            out["returns"] = f"Stream[{results.expr(op.returns)}]"
        else:
            out["returns"] = results.expr(op.returns)
        if op.streaming is not None:  # what the call returns with `<param>=True`
            out["streams"] = {
                "param": op.streaming.param,
                "returns": f"Stream[{results.expr(op.streaming.returns)}]",
            }
        return out

    def webhooks(self) -> dict[str, dict[str, str]]:
        """Per webhook (its `WEBHOOKS` key): the parser's name and the payload annotation."""
        return {
            h.key: {
                "function": f"webhooks.{h.py_name}",  # relative, like an operation's call
                "payload": self._results.expr(h.payload),
            }
            for h in self.api.webhooks
        }

    def definitions(self) -> dict[str, dict[str, Any]]:
        """Sections by kind, each keyed by `public_name`:
        `model_fields` (Pydantic models) and `typed_dict_fields` (request-only shapes, keyed by
        wire name) map a field to its annotation, the name ending in `?` when the field is not
        required; `field_aliases` gives a model field's wire name where it differs; `enums`
        lists an enum's values (`null` last when nullable); `aliases` a type alias's target;
        `sent` says of each model and enum a request can carry whether responses carry it too
        (`in`, `both`): `apigen diff` judges a field it gains, or an enum value it loses, by
        who builds the value."""
        sections: dict[str, dict[str, Any]] = {
            "model_fields": {},
            "typed_dict_fields": {},
            "field_aliases": {},
            "enums": {},
            "aliases": {},
            "sent": {},
        }
        api = self.api
        hooks = [h.payload for h in api.webhooks]
        requests, responses = directions(dict(api.definitions), list(api.operations), hooks)
        # a body flattened into arguments: its model is built by callers, never parsed (a
        # field made optional read as a response's field widened: breaking, for `apigen diff`)
        requests |= api.flattened
        for d in api.definitions.values():
            key = public_name(d)
            if d.key in requests and not getattr(d, "typed_dict", False):
                sections["sent"][key] = "both" if d.key in responses else "in"
            if isinstance(d, AliasDef):
                types = self._arguments if d.request_only else self._results
                target = d.target.inner if isinstance(d.target, Nullable) else d.target
                if isinstance(target, LiteralOf):
                    nullable = [None] if isinstance(d.target, Nullable) else []
                    sections["enums"][key] = [*target.values, *nullable]
                else:
                    sections["aliases"][key] = types.expr(d.target)
                continue
            types = self._arguments if d.typed_dict else self._results
            fields: dict[str, str] = {}
            aliases: dict[str, str] = {}
            for f in d.fields:
                name = f.wire_name if d.typed_dict else f.py_name
                annotation = types.expr(f.type)
                if not d.typed_dict and not f.required and not takes_none(f.type):
                    annotation += " | None"  # as the model declares it (views._fields)
                fields[name + ("" if f.required else "?")] = annotation
                if f.wire_name != name:
                    aliases[name] = f.wire_name
            sections["typed_dict_fields" if d.typed_dict else "model_fields"][key] = fields
            if aliases:
                sections["field_aliases"][key] = aliases
        return {name: dict(sorted(section.items())) for name, section in sections.items()}

    def literals(self) -> dict[str, list[Any]]:
        return dict(sorted(self._literals.items()))


def public_name(d: Definition) -> str:
    """`models.Customer` / `types.CustomerCreateParams`: where users import it from."""
    return f"{d.module.split('.', 1)[0]}.{d.name}"


def with_file_digests(text: str, digests: dict[str, str], width: int = 100) -> str:
    """The manifest `text` (as `dumps` wrote it) with a last key `files`: the SHA-256 of every
    other file of the build, as formatted and written. The next build over this output tells
    by them a file apigen wrote and nobody changed since from a local edit or a file of the
    user's (write.local_changes)."""
    body = text.rstrip()
    if not body.endswith("}"):
        raise ValueError("not a manifest: it does not end with an object")
    head = body[:-1].rstrip()
    entry = f'  "files": {_dump(dict(sorted(digests.items())), 1, width)}'
    return f"{head}{',' if head != '{' else ''}\n{entry}\n}}\n"


def dumps(value: Any, width: int = 100) -> str:
    """JSON, indented, but any object or array that fits in `width` characters on one line.

    One field or parameter per line keeps the manifest reviewable in a diff (Stripe: 960 KB;
    `indent=2` would take 1.13 MB, no whitespace at all 0.79 MB)."""
    return _dump(value, 0, width) + "\n"


def _dump(value: Any, depth: int, width: int) -> str:
    if type(value) is str:  # most values: a string is always flat
        return _string(value)
    flat = _flat(value, width - 2 * depth)
    if flat is not None:
        return flat
    pad = "  " * (depth + 1)
    if isinstance(value, dict):
        items = [f"{pad}{_scalar(k)}: {_dump(v, depth + 1, width)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * depth + "}"
    items = [pad + _dump(v, depth + 1, width) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + "  " * depth + "]"


def _flat(value: Any, budget: int) -> str | None:
    """`value` on one line if that takes at most `budget` characters (scalars always), else
    None; gives up as soon as the budget is spent, so big containers cost little."""
    if not isinstance(value, dict | list) or not value:
        return _scalar(value)
    parts: list[str] = []
    budget -= 2  # the brackets
    for i, item in enumerate(value.items() if isinstance(value, dict) else value):
        if isinstance(value, dict):
            key, inner = item
            prefix = _scalar(key) + ": "
        else:
            prefix, inner = "", item
        budget -= len(prefix) + (2 if i else 0)
        if budget < 0:
            return None
        text = _string(inner) if type(inner) is str else _flat(inner, budget)
        if text is None or len(text) > budget:
            return None
        budget -= len(text)
        parts.append(prefix + text)
    open_, close = ("{", "}") if isinstance(value, dict) else ("[", "]")
    return open_ + ", ".join(parts) + close


# Characters JSON may hold raw but a reviewer's screen should not: C1 controls and the
# bidirectional controls that reorder a line (GitHub flags a file holding them).
_UNSEEN = re.compile("[\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _string(value: str) -> str:
    """A JSON string, those characters escaped (`\\u202e`); the same value to a JSON reader."""
    text = encode_basestring(value)
    if text.isascii():
        return text
    return _UNSEEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _scalar(value: Any) -> str:
    """`json.dumps(value, ensure_ascii=False)` for the common scalars without building an
    encoder per call (the manifest has a hundred thousand of them)."""
    if type(value) is str:
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)
