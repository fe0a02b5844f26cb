"""The intermediate representation: everything the templates need, decided in Python.

Type expressions are small immutable trees; definitions (models and aliases) and operations
refer to each other by key, so the IR can be built in one pass and laid out into modules after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal as TLiteral

JsonScalar = str | int | float | bool | None


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
    """`oneOf`/`anyOf` members told apart by one property: wire value -> member definition key."""

    property: str
    mapping: tuple[tuple[str, str], ...]


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
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False


@dataclass
class ModelDef:
    """A Pydantic model class."""

    key: str
    name: str
    module: str
    fields: list[FieldDef]
    doc: str = ""
    pointer: str = ""
    component: str | None = None  # the components/schemas name, when it is one


@dataclass
class AliasDef:
    """A type alias for a schema that is not an object (union, enum, list, primitive)."""

    key: str
    name: str
    module: str
    target: TypeExpr
    doc: str = ""
    pointer: str = ""
    component: str | None = None


Definition = ModelDef | AliasDef


# --- operations -------------------------------------------------------------------------------

Location = TLiteral["path", "query", "header", "cookie", "field", "body"]
ResponseKind = TLiteral["json", "text", "binary", "empty"]


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
    deprecated: bool = False


@dataclass
class BodyDef:
    media_type: str
    required: bool
    encoding: dict[str, tuple[str | None, bool | None, str | None]] = field(default_factory=dict)


@dataclass
class ResponseDef:
    status: str
    kind: ResponseKind
    type: TypeExpr


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


# --- security and the whole API ---------------------------------------------------------------


@dataclass
class SecuritySchemeDef:
    name: str  # the spec's scheme name
    kind: str  # ApiKey, HTTPBasic, HTTPBearer, OAuth2ClientCredentials, OAuth2AuthorizationCode
    credentials: dict[str, str]  # runtime argument -> client keyword argument
    options: dict[str, JsonScalar | tuple[str, ...]] = field(default_factory=dict)
    doc: str = ""


@dataclass
class ResourceDef:
    """A group of operations reachable as `client.<path>`; may hold sub-resources."""

    path: tuple[str, ...]
    class_name: str
    async_class_name: str
    module: str
    operations: list[OperationDef] = field(default_factory=list)
    children: dict[str, ResourceDef] = field(default_factory=dict)


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
