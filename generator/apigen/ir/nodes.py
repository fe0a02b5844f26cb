"""The intermediate representation: everything the templates need, decided in Python.

Type expressions are small immutable trees; definitions (models and aliases) and operations
refer to each other by key, so the IR can be built in one pass and laid out into modules after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast
from typing import Literal as TLiteral

from .options import ApiOptions

JsonScalar = str | int | float | bool | None

#: A JSON object of the spec, for `isinstance`: the loaders make dicts, tested first because the
#: `Mapping` ABC's own check is a Python call (the IR makes ~300 000 checks on GitHub's spec).
JSON_OBJECT = (dict, Mapping)


#: Where a document's component schemas live: their definition keys start with it.
COMPONENT_PREFIX = "#/components/schemas/"


def as_object(node: object) -> Mapping[str, Any]:
    """``node`` when it is a JSON object, else an empty one: a container the spec gave the
    wrong type (``paths: 5``, ``responses: "x"``) reads as absent, as the validator reports."""
    return cast("Mapping[str, Any]", node) if isinstance(node, Mapping) else {}


def as_list(node: object) -> list[Any]:
    """``node`` when it is a JSON array, else an empty one (see ``as_object``)."""
    return node if isinstance(node, list) else []


def required_names(node: object) -> list[str]:
    """The property names a ``required`` value lists: its strings, in order (anything else in
    it, or a ``required`` that is no array, names nothing)."""
    return [n for n in as_list(node) if isinstance(n, str)]


# --- type expressions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Prim:
    """A builtin or stdlib type: `str`, `int`, `float`, `bool`, `bytes`, `Any`, `None`,
    `datetime`, `date`, `UUID`, `file` (a request file input)."""

    name: str


@dataclass(frozen=True)
class Ref:
    """A named definition (model class or type alias), by key."""

    key: str


@dataclass(frozen=True)
class ListOf:
    item: TypeExpr


@dataclass(frozen=True)
class DictOf:
    value: TypeExpr


@dataclass(frozen=True)
class Discriminator:
    """`oneOf`/`anyOf` members told apart by one property: wire value -> member definition key.
    `closed`: every member lists the values it takes there (`const`/`enum`), so a value no
    member lists belongs to none (a webhook body refuses it; `_models.KNOWN_TAGS_ONLY`)."""

    property: str
    mapping: tuple[tuple[str, str], ...]
    closed: bool = False


@dataclass(frozen=True)
class UnionOf:
    items: tuple[TypeExpr, ...]
    discriminator: Discriminator | None = None


@dataclass(frozen=True)
class LiteralOf:
    """Known values; `open_base` widens it so unknown server values still parse."""

    values: tuple[str | int | bool, ...]
    open_base: Prim | None


@dataclass(frozen=True)
class Nullable:
    inner: TypeExpr


TypeExpr = Prim | Ref | ListOf | DictOf | UnionOf | LiteralOf | Nullable

ANY = Prim("Any")
NONE = Prim("None")


# --- definitions ------------------------------------------------------------------------------


@dataclass
class FieldDef:
    py_name: str
    wire_name: str
    type: TypeExpr
    required: bool
    default: JsonScalar = None
    has_default: bool = False
    doc: str = ""
    read_only: bool = False  # never sent: request examples leave it out
    # a value the API accepts (`ir/examples`), for request examples; kept for required fields
    example: JsonScalar = None
    # optional, yet a request example sends it: required but writeOnly (required of requests
    # only), or the first of the alternatives a `oneOf`/`anyOf` of `required` lists asks for
    # (`oneOf: [{required: [url]}, {required: [html]}]`: `url`)
    in_example: bool = False
    # required, and writeOnly: required of requests only (`required` is False, responses
    # leave it out); a model only requests carry requires it again (`usage.mark_request_only`)
    required_in_requests: bool = False


@dataclass
class ModelDef:
    """A Pydantic model class."""

    key: str
    name: str
    module: str
    fields: list[FieldDef]
    doc: str = ""
    component: str | None = None  # the components/schemas name, when it is one
    typed_dict: bool = False  # request-only: callers pass plain dicts, checked by type checkers
    # a model requests carry too: its TypedDict twin (`CustomerParam`), the keys a request may
    # send, so a caller passes a dict where the model is taken (`usage.mark_params`)
    param_name: str | None = None
    # a request TypedDict a model's field holds: pydantic validates it, so its keys name the
    # models only, never the twins (whose keys it could not resolve: `usage.mark_params`)
    validated: bool = False


@dataclass
class AliasDef:
    """A type alias for a schema that is not an object (union, enum, list, primitive)."""

    key: str
    name: str
    module: str
    target: TypeExpr
    doc: str = ""
    component: str | None = None
    request_only: bool = False  # rendered with strict (closed) enums
    recursive: bool = False  # names itself (through other aliases): a `TypeAliasType`
    # an alias requests carry that names a model with a twin: the alias with the twins in
    # (`MessageParam = UserMessage | UserMessageParam | ...`, `usage.mark_params`)
    param_name: str | None = None


Definition = ModelDef | AliasDef


# --- operations -------------------------------------------------------------------------------

Location = TLiteral["path", "query", "header", "cookie", "field", "body"]
ResponseKind = TLiteral["json", "text", "binary", "empty", "sse", "jsonl"]


@dataclass
class ParamDef:
    py_name: str
    wire_name: str
    location: Location
    type: TypeExpr
    required: bool
    doc: str = ""
    style: str | None = None
    explode: bool | None = None
    allow_reserved: bool = False
    # a path value spanning segments, `/` kept (GitHub's `x-multi-segment`: file paths, refs)
    multi_segment: bool = False
    content_type: str | None = None  # `content:` parameters: the value is sent as this media
    example: str | int | float | bool | None = None  # a value the API accepts, for docs
    # a required one-value enum (or `const`), or a constant of the path key: the method's
    # default for it, so it is always sent (decisions.md 27)
    has_const: bool = False
    const: str | int | float | bool | None = None
    # the schema's `default` when it is a boolean: what the server assumes when the argument is
    # left out (a `stream` switch that streams by default)
    default: bool | None = None
    client: bool = False  # the client's keyword fills it when a call leaves it out


@dataclass
class ClientParamDef:
    """A parameter the client takes once (`Client(subscription_id=...)`): ir/client_params.py."""

    keyword: str
    wire_name: str
    location: Location
    type: TypeExpr
    default: JsonScalar = None
    doc: str = ""
    example: str | int | float | bool | None = None  # a value the API accepts, for docs


@dataclass
class BodyDef:
    media_type: str
    required: bool
    encoding: dict[str, tuple[str | None, bool | None, str | None]] = field(default_factory=dict)
    # multipart string fields whose text is the part as written (`contentMediaType`)
    texts: set[str] = field(default_factory=set)
    # an optional body flattened into arguments: the properties (wire names) its schema
    # requires once it is sent; every argument is optional, the runtime checks these
    needs: tuple[str, ...] = ()


@dataclass
class ResponseDef:
    status: str
    kind: ResponseKind
    type: TypeExpr


@dataclass
class StreamingDef:
    """A success answered either as a document or as a stream, chosen by a boolean argument of
    the call (OpenAI's `stream: true`): the method is overloaded on it, and with `True` it
    sends the stream's twin operation, whose success responses are these."""

    param: str  # the argument's Python name
    responses: list[ResponseDef]  # the stream's 2xx responses (kind `sse` or `jsonl`)
    returns: TypeExpr  # one record's type
    default: bool = False  # the server streams when the argument is left out (or null)


@dataclass
class LongRunningDef:
    """The operation finishes later: `<method>_and_wait()` polls (runtime `_lro.py`)."""

    status_field: str | None = None  # dotted body field with the status
    done: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    poll: str | None = None  # a path to GET while waiting, `{field}` from the first body
    result_status: str | None = None  # the declared response whose type the final body has
    result: TypeExpr = field(default_factory=lambda: Prim("Any"))
    final: str | None = None  # Azure's protocol: its `final-state-via` ("" for the default)


PaginationStyle = TLiteral["cursor", "body_cursor", "next_url", "link", "offset", "page"]


@dataclass(frozen=True)
class PaginationDef:
    """How a list operation pages (decided by `ir/pagination.py`); names are wire names.

    `items` is the dotted path of the item array in the response body (`None`: the body is
    the array) and `item` its item type; the other fields are the style's parameters."""

    style: PaginationStyle
    item: TypeExpr
    items: str | None
    has_more: str | None = None  # boolean body field: false ends the list
    cursor_param: str | None = None  # query param that takes the cursor
    cursor_field: str | None = None  # cursor style: the item field sent as the cursor
    reverse_param: str | None = None  # cursor style: the backwards cursor (`ending_before`)
    cursor: str | None = None  # body_cursor style: the body field holding the next cursor
    next: str | None = None  # next_url style: the body field holding the next URL
    offset_param: str | None = None
    limit_param: str | None = None
    total: str | None = None  # offset style: integer body field with the total count
    page_param: str | None = None
    size_param: str | None = None
    first_page: int | None = None
    # body_cursor style: query params not sent with a cursor (Kubernetes refuses `continue`
    # beside a `resourceVersion`: the token holds it)
    reset: tuple[str, ...] = ()


@dataclass
class OperationDef:
    method: str
    path: str
    operation_id: str
    pointer: str
    resource: tuple[str, ...] = ()
    name: str = ""
    summary: str = ""
    description: str = ""
    deprecated: bool = False
    params: list[ParamDef] = field(default_factory=list)
    body: BodyDef | None = None
    responses: list[ResponseDef] = field(default_factory=list)
    returns: TypeExpr = NONE
    security: tuple[tuple[str, ...], ...] | None = None
    notes: list[str] = field(default_factory=list)  # why parts are typed loosely
    tags: tuple[str, ...] = ()
    pagination: PaginationDef | None = None
    server: str | None = None  # operation/path-level server URL when it differs from the root
    accept: str | None = None  # `Accept` for JSON successes not declared as application/json
    idempotency_header: str | None = None  # a declared header parameter like Idempotency-Key
    # a JSON body's string property like `idempotency_key` (Plaid, Square): the option fills it
    idempotency_field: str | None = None
    idempotency_nullable: bool = False  # that property admits null: the option takes None
    long_running: LongRunningDef | None = None
    streaming: StreamingDef | None = None  # `stream=True` returns a stream of records
    wire_path: str = ""  # the path sent: `path` before any `?` or `#` (path_keys.py)


@dataclass
class WebhookDef:
    """A request the API sends to a receiver (OpenAPI 3.1 `webhooks`, an operation's
    `callbacks`): its JSON body's type, parsed by `<package>.webhooks.<py_name>`."""

    name: str  # the key under `webhooks` or `callbacks` (`newPet`, `onEvent`)
    method: str
    key: str  # in `WEBHOOKS`: the name, `<name> <METHOD>`, `<operationId> <callback name>`...
    py_name: str  # the function's name (`new_pet`)
    payload: TypeExpr
    summary: str
    pointer: str  # the body schema's JSON pointer
    sender: str = ""  # a callback's: the operation that registers it (its id, else `GET /x`)


# --- security and the whole API ---------------------------------------------------------------


@dataclass
class SecuritySchemeDef:
    name: str  # the spec's scheme name
    kind: str  # ApiKey, HTTPBasic, HTTPBearer, OAuth2ClientCredentials, OAuth2AuthorizationCode
    credentials: dict[str, str]  # runtime argument -> client keyword argument
    options: dict[str, JsonScalar | tuple[str, ...]] = field(default_factory=dict)
    doc: str = ""
    env: dict[str, str] = field(default_factory=dict)  # keyword -> env var, if not <PREFIX>_<KW>
    implicit: bool = False  # not in the spec: the optional bearer token of a spec without security


@dataclass
class ServerVariableDef:
    """A root server variable the client takes as a keyword argument (ir/servers.py)."""

    name: str  # as in the URL's `{name}`
    keyword: str
    default: str
    enum: tuple[str, ...]  # empty: any value
    part: str  # where it sits in the URL: scheme, host, port, path or path_start (`_part`)
    description: str = ""


@dataclass
class ServerDef:
    """The root server: its URL with `{name}` kept for each variable the client takes."""

    template: str
    variables: tuple[ServerVariableDef, ...] = ()
    #: the spec's URL when it names no host (`/api/v3`, or none at all: `/`); the client's
    #: default is then on localhost, and the README asks for `base_url=`
    relative: str | None = None


@dataclass
class ResourceDef:
    """A group of operations reachable as `client.<path>`; may hold sub-resources."""

    path: tuple[str, ...]
    class_name: str
    async_class_name: str
    module: str
    operations: list[OperationDef] = field(default_factory=list)
    children: dict[str, ResourceDef] = field(default_factory=dict)
    # a large resource's methods, split into part modules (ir/parts.py); empty: one module
    parts: list[PartDef] = field(default_factory=list)


@dataclass
class PartDef:
    """Some methods of a large resource, in a module of their own (`resources._repos_branches`);
    `types` is where their inline types live when the resource's would be too large for one
    module (`types._root_base_2`), else the resource's own types module."""

    key: str  # what the methods share: a path segment (`branches`), else `base`
    module: str
    types: str
    operations: list[OperationDef] = field(default_factory=list)


@dataclass
class Api:
    package: str
    title: str
    version: str
    description: str
    spec_file: str
    spec_sha256: str
    base_url: str
    definitions: dict[str, Definition]
    operations: list[OperationDef]
    resources: dict[str, ResourceDef]
    security_schemes: list[SecuritySchemeDef]
    default_security: tuple[tuple[str, ...], ...]
    components: dict[str, str]  # components/schemas name -> definition key
    # configuration (fixed headers, idempotency/should-retry headers, spec URL...): ir/options.py
    options: ApiOptions = field(default_factory=ApiOptions)
    # model modules of an import cycle -> the modules of that cycle (imported at their end)
    cycles: dict[str, frozenset[str]] = field(default_factory=dict)
    # models that model fields name through `_rt.later` (keys; layout.lazy_models)
    lazy_models: frozenset[str] = frozenset()
    webhooks: list[WebhookDef] = field(default_factory=list)
    server: ServerDef = field(default_factory=lambda: ServerDef(""))
    client_params: list[ClientParamDef] = field(default_factory=list)
    # sha256 over every file of a multi-file spec (`LoadedSpec.tree_digest`), else None
    spec_tree_sha256: str | None = None
    # the models of request bodies flattened into arguments (keys): sent, never parsed
    flattened: frozenset[str] = frozenset()


def find_resource(roots: dict[str, ResourceDef], path: tuple[str, ...]) -> ResourceDef:
    """The resource at `path` (a prefix of some operation's `resource`)."""
    level = roots
    node: ResourceDef | None = None
    for key in path:
        node = level[key]
        level = node.children
    assert node is not None
    return node
