"""Which inline definitions only ever travel in requests; which read-only fields a request's
model cannot demand; which models requests carry get a `TypedDict` twin.

Request-only inline shapes become `TypedDict`s: a caller writes `address={"city": "Berlin"}` and
a type checker still checks the keys, as in openai-python. Component schemas stay Pydantic
models (the manifest promises classes), and so does anything a response can contain; a model a
request can carry also gets a twin, `CustomerParam`, so an argument takes either (openai-python's
`messages=[{"role": "user", ...}]`).
"""

from __future__ import annotations

from collections.abc import Iterable

from .layout import definition_refs, refs_of
from .nodes import AliasDef, Definition, LiteralOf, ModelDef, Nullable, OperationDef, TypeExpr


def _reach(definitions: dict[str, Definition], roots: Iterable[TypeExpr]) -> set[str]:
    seen: set[str] = set()
    stack = [key for t in roots for key in refs_of(t)]
    while stack:
        key = stack.pop()
        if key in seen or key not in definitions:
            continue
        seen.add(key)
        stack.extend(definition_refs(definitions[key]))
    return seen


def directions(
    definitions: dict[str, Definition],
    ops: list[OperationDef],
    received: Iterable[TypeExpr] = (),
) -> tuple[set[str], set[str]]:
    """The definitions a request can carry, and those a client parses (responses, streams and
    `received`: webhook payloads)."""
    requests = _reach(definitions, (p.type for op in ops for p in op.params))
    parsed = [r.type for op in ops for r in op.responses]
    parsed += [op.streaming.returns for op in ops if op.streaming is not None]
    return requests, _reach(definitions, [*parsed, *received])


def mark_request_only(
    definitions: dict[str, Definition],
    ops: list[OperationDef],
    received: Iterable[TypeExpr] = (),
    flattened: Iterable[str] = (),
) -> set[str]:
    """`received`: other types a client parses (webhook payloads): models, like responses.
    `flattened`: the models of request bodies flattened into arguments (sent, as the requests
    carry them; `NewUser(email=...)` type-checked without its required writeOnly password).
    Returns the definitions a request can carry (their fields get example values)."""
    requests, responses = directions(definitions, ops, received)
    # (the class of a flattened body is not sent itself: its readOnly fields stay as they are)
    sent = requests | {key for key in flattened if key in definitions}
    for key in requests:
        d = definitions[key]
        if isinstance(d, ModelDef):
            for f in d.fields:
                # OpenAPI: a required readOnly property is required of responses only. A model a
                # request can carry cannot demand it (Stream's `UserObject.online` inside the
                # `json` query parameter): the caller could not build a valid request. As for
                # writeOnly in responses (`SchemaConverter`), the field is optional.
                if f.read_only and f.required:
                    f.required = False
    for key in sent - responses:
        d = definitions[key]
        if isinstance(d, ModelDef):
            for f in d.fields:
                # a required writeOnly property (a password): optional for the responses that
                # leave it out, required again where only requests carry the model (OpenAPI:
                # `required` applies to requests, where it is sent)
                if f.required_in_requests:
                    f.required = True
    for key in requests - responses:
        d = definitions[key]
        if d.component is not None and not _enum(d):
            continue
        if isinstance(d, ModelDef):
            d.typed_dict = True
        else:
            # (a component enum too: closed as the arguments that take it are, so a caller's
            # `color: Color = "blue"` type-checks as `create(color=color)`)
            d.request_only = True
    return requests


def _enum(d: Definition) -> bool:
    """An alias of an enum (`Literal[...]`, nullable or not)."""
    if not isinstance(d, AliasDef):
        return False
    target = d.target.inner if isinstance(d.target, Nullable) else d.target
    return isinstance(target, LiteralOf)


def mark_params(definitions: dict[str, Definition], requests: set[str], taken: set[str]) -> None:
    """Name the `TypedDict` twin of each model a request can carry (not itself a TypedDict, or
    one a model holds), with a key a request may send, and of each alias such a request names that holds one,
    through other aliases (`Message = UserMessage | ToolMessage`: `MessageParam`), a request-only
    one too (a model's field may name it: pydantic reads the alias, so it names models only). A
    recursive alias keeps its one spelling (a `TypeAliasType` of models only). `taken`: the package's
    class names, the twins' added (`CustomerParam`, else `CustomerParam2`...)."""

    def claim(name: str) -> str:
        candidate, n = name + "Param", 1
        while candidate in taken:
            n += 1
            candidate = f"{name}Param{n}"
        taken.add(candidate)
        return candidate

    keys = sorted(requests)  # (the order names are claimed in: the same in every build)
    # the request TypedDicts a model holds (a request-only component's inline parts): pydantic
    # validates them, so they name models, not twins (`ModelDef.validated`)
    models = [d for d in definitions.values() if isinstance(d, ModelDef) and not d.typed_dict]
    for key in _reach(definitions, (f.type for d in models for f in d.fields)):
        d = definitions[key]
        if isinstance(d, ModelDef) and d.typed_dict:
            d.validated = True
    for key in keys:
        d = definitions[key]
        # (a validated request TypedDict takes models only: its twin takes the dicts)
        sendable = any(not f.read_only for f in d.fields) if isinstance(d, ModelDef) else False
        if isinstance(d, ModelDef) and (not d.typed_dict or d.validated) and sendable:
            d.param_name = claim(d.name)
    # aliases, from the models out: each alias naming a twinned definition gets one
    users: dict[str, list[AliasDef]] = {}
    for key in keys:
        d = definitions[key]
        if isinstance(d, AliasDef) and not d.recursive:
            for ref in dict.fromkeys(refs_of(d.target)):
                users.setdefault(ref, []).append(d)
    todo = [key for key in keys if definitions[key].param_name is not None]
    while todo:
        for alias in users.get(todo.pop(), ()):
            if alias.param_name is None:
                alias.param_name = claim(alias.name)
                todo.append(alias.key)
