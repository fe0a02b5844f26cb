"""Operation descriptors: the data-only constants that generated code declares per endpoint."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

if TYPE_CHECKING:
    from dataclasses import dataclass as record

    from pydantic import TypeAdapter

    from ._lro import LongRunning
    from ._pagination import Pagination
else:  # generated modules build many of these at import: no per-class `exec` (see _record)
    from ._record import record

__all__ = [
    "Body",
    "Encoding",
    "LazyResponses",
    "Operation",
    "Param",
    "Response",
    "Webhook",
    "success_responses",
]

T = TypeVar("T")
Location = Literal["path", "query", "header", "cookie", "field", "body"]
# ``sse``: a ``text/event-stream`` of events; ``jsonl``: one JSON value per line (JSON Lines,
# NDJSON) or per ``RS`` record (``application/json-seq``)
Kind = Literal["json", "text", "binary", "empty", "sse", "jsonl"]


@record(frozen=True, slots=True)
class Param:
    """One operation argument and where it goes on the wire."""

    py_name: str
    wire_name: str
    location: Location
    style: str | None = field(default=None, kw_only=True)
    explode: bool | None = field(default=None, kw_only=True)
    allow_reserved: bool = field(default=False, kw_only=True)
    # a path value spanning segments: `/` kept, each segment encoded (``x-multi-segment``)
    multi_segment: bool = field(default=False, kw_only=True)
    content_type: str | None = field(default=None, kw_only=True)
    # the client's keyword of the same name fills it when a call leaves it out
    # (``Client(subscription_id=...)``: AutoRest's client parameters)
    client: bool = field(default=False, kw_only=True)

    def __init__(  # written out: generated modules make thousands (GitHub `actions`: 704)
        self,
        py_name: str,
        wire_name: str,
        location: Location,
        *,
        style: str | None = None,
        explode: bool | None = None,
        allow_reserved: bool = False,
        content_type: str | None = None,
        client: bool = False,
        multi_segment: bool = False,
    ) -> None:
        values = self.__dict__  # frozen: assigned past ``__setattr__``
        values["py_name"] = py_name
        values["wire_name"] = wire_name
        values["location"] = location
        values["style"] = style
        values["explode"] = explode
        values["allow_reserved"] = allow_reserved
        values["multi_segment"] = multi_segment
        values["content_type"] = content_type
        values["client"] = client


@record(frozen=True, slots=True)
class Encoding:
    """How one field of a form or multipart body is serialised (OpenAPI ``encoding``)."""

    style: str | None = None
    explode: bool | None = None
    content_type: str | None = None

    def __init__(
        self, style: str | None = None, explode: bool | None = None, content_type: str | None = None
    ) -> None:
        values = self.__dict__  # frozen: assigned past ``__setattr__``
        values["style"] = style
        values["explode"] = explode
        values["content_type"] = content_type


@record(frozen=True, slots=True)
class Body:
    """The request body's media type; field values come from ``field``/``body`` params.
    ``data``: a multipart body's fields whose schema holds no file: a tuple there is a sequence
    of values, not ``(filename, content)`` (``tags=("x", "y")`` was sent as a file)."""

    media_type: str
    required: bool = field(default=False, kw_only=True)
    encoding: Mapping[str, Encoding] | None = field(default=None, kw_only=True)
    data: frozenset[str] = field(default=frozenset(), kw_only=True)
    # multipart string fields whose text is the part as written (3.1 `contentMediaType`: the
    # string is the JSON document), never encoded again as their part's type would
    texts: frozenset[str] = field(default=frozenset(), kw_only=True)
    # an optional body's properties its schema requires once it is sent (wire names): every
    # argument is optional, so a call giving some fields is checked for these before sending
    needs: tuple[str, ...] = field(default=(), kw_only=True)

    def __init__(
        self,
        media_type: str,
        *,
        required: bool = False,
        encoding: Mapping[str, Encoding] | None = None,
        data: frozenset[str] = frozenset(),
        texts: frozenset[str] = frozenset(),
        needs: tuple[str, ...] = (),
    ) -> None:
        values = self.__dict__  # frozen: assigned past ``__setattr__``
        values["media_type"] = media_type
        values["required"] = required
        values["encoding"] = encoding
        values["data"] = data
        values["texts"] = texts
        values["needs"] = needs


@record(frozen=True)
class Response:
    """A declared response: the Python type to parse into and how to read the payload."""

    type_: Any
    kind: Kind
    _adapter: TypeAdapter[Any] | None = field(default=None, init=False, repr=False, compare=False)

    def __init__(self, type_: Any, kind: Kind) -> None:
        values = self.__dict__
        values["type_"] = type_
        values["kind"] = kind

    def adapter(self) -> TypeAdapter[Any]:
        """Build the validator on first use: import time stays cheap for huge APIs."""
        if self._adapter is None:
            from pydantic import TypeAdapter

            from ._lazy import gc_paused
            from ._unions import with_picker

            with gc_paused():
                object.__setattr__(self, "_adapter", TypeAdapter(with_picker(self.type_)))
        assert self._adapter is not None
        return self._adapter


class Webhook(Generic[T]):
    """A request the API sends to your server (OpenAPI 3.1 ``webhooks``): ``parse`` validates
    its JSON body into the declared type. ``load`` returns ``{"payload": Response(...)}`` and
    is called on first use (it imports the models), like ``LazyResponses``' loaders."""

    __slots__ = ("_load", "_payload", "method", "name")

    def __init__(self, name: str, method: str, load: Callable[[], Mapping[str, Response]]) -> None:
        self.name = name
        self.method = method
        self._load = load
        self._payload: Response | None = None

    def parse(self, payload: str | bytes | bytearray) -> T:
        """The body as the declared type; ``pydantic.ValidationError`` (a ``ValueError``) when
        it is not JSON or does not match, also when the body is a tagged union whose tag names
        a kind the spec does not list (an event type newer than the spec: no member is taken for
        it, as a response would). Verify the signature first (``webhooks.verify_*``): parsing says nothing about
        who sent the body."""
        from ._models import KNOWN_TAGS_ONLY

        if self._payload is None:
            from ._lazy import gc_paused

            with gc_paused():
                self._payload = self._load()["payload"]
        known_only = KNOWN_TAGS_ONLY.set(_tagged_union(self._payload.type_))
        try:
            result: T = self._payload.adapter().validate_json(payload, by_name=False)
        finally:
            KNOWN_TAGS_ONLY.reset(known_only)
        return result

    def __repr__(self) -> str:
        return f"Webhook({self.name!r}, {self.method!r})"


class LazyResponses(Mapping[str, Response]):
    """The responses of an operation, built by ``load`` on first access (it imports the model
    modules they parse into: an API with thousands of models loads only those a call needs).

    With ``load_other``, ``load`` builds only the 2xx responses and ``load_other`` the rest
    (errors, ``default``): a successful call never imports the error models."""

    __slots__ = ("_load", "_load_other", "_loaded", "_other")

    def __init__(
        self,
        load: Callable[[], Mapping[str, Response]],
        load_other: Callable[[], Mapping[str, Response]] | None = None,
    ) -> None:
        self._load = load
        self._load_other = load_other
        self._loaded: Mapping[str, Response] | None = None
        self._other: Mapping[str, Response] | None = None

    def success(self) -> Mapping[str, Response]:
        """The 2xx responses (and with a single loader, all of them)."""
        if self._loaded is None:
            from ._lazy import gc_paused  # imports model modules: classes are created

            with gc_paused():
                self._loaded = self._load()
        return self._loaded

    def _rest(self) -> Mapping[str, Response]:
        if self._load_other is None:
            return {}
        if self._other is None:
            from ._lazy import gc_paused

            with gc_paused():
                self._other = self._load_other()
        return self._other

    def _part(self, key: str) -> Mapping[str, Response]:
        if self._load_other is None or key.startswith("2"):
            return self.success()
        return self._rest()

    def __getitem__(self, key: str) -> Response:
        return self._part(key)[key]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._part(key)

    def __iter__(self) -> Iterator[str]:
        yield from self.success()
        yield from self._rest()

    def __len__(self) -> int:
        return len(self.success()) + len(self._rest())


def success_responses(responses: Mapping[str, Response]) -> Iterator[tuple[str, Response]]:
    """The 2xx entries of ``responses``, without building a ``LazyResponses``' error part; with
    none, ``default``: what a success is parsed as (the method's return type), so its media
    type is what the call asks for (``Accept``), not ``*/*``."""
    found = responses.success() if isinstance(responses, LazyResponses) else responses
    ok = [(code, r) for code, r in found.items() if code.startswith("2")]
    if not ok and "default" in found:
        return iter([("default", found["default"])])
    return iter(ok)


@record(frozen=True, eq=False)
class Operation(Generic[T]):
    """Everything the runtime needs to call one endpoint; ``T`` is the parsed success type."""

    method: str
    path: str
    operation_id: str = ""
    params: tuple[Param, ...] = ()
    body: Body | None = None
    # Or a function returning them: generated code imports the models a response parses only
    # when the operation is first called (``LazyResponses``), so resolving a method is cheap.
    responses: Mapping[str, Response] = field(default_factory=dict[str, Response])
    security: tuple[tuple[str, ...], ...] | None = None
    pagination: Pagination | None = None  # list operations: how to reach the next page
    # The spec's operation- or path-level server (absolute; its own variables at their defaults,
    # the root server's kept as ``{name}`` for the client to fill) when it differs from the root
    # server; used only while the client keeps the spec's base URL.
    server: str | None = None
    # The idempotency-key header the spec declares for this operation (a header parameter named
    # like ``Idempotency-Key``): the API honours it, so a keyed POST/PATCH may be retried.
    idempotency_header: str | None = None
    # The JSON body property the spec declares as the idempotency key (Plaid's, Square's
    # ``idempotency_key``): ``idempotency_key=`` fills it, else a fresh key does on a POST/PATCH.
    idempotency_field: str | None = None
    # It finishes later (202 + a monitor URL, or a status field): `<method>_and_wait()` polls.
    long_running: LongRunning | None = None
    # The ``Accept`` header when a JSON success is declared as another JSON type than
    # ``application/json`` (``application/vnd.api+json``, ``application/hal+json``): a server
    # that negotiates content answers 406 to ``application/json``.
    accept: str | None = None
    # The origin (``https://api.example.com``) this request goes to whatever the client's base
    # URL: a long-running operation's monitor URL on the client's origin but outside its base
    # path (``/operations/1`` beside ``/v1``), which is requested as the server named it.
    origin: str | None = None

    def __init__(  # written out: generated modules make one per endpoint at import
        self,
        method: str,
        path: str,
        operation_id: str = "",
        params: tuple[Param, ...] = (),
        body: Body | None = None,
        responses: Mapping[str, Response] | None = None,
        security: tuple[tuple[str, ...], ...] | None = None,
        pagination: Pagination | None = None,
        server: str | None = None,
        idempotency_header: str | None = None,
        long_running: LongRunning | None = None,
        accept: str | None = None,
        idempotency_field: str | None = None,
        origin: str | None = None,
    ) -> None:
        values = self.__dict__  # frozen: assigned past ``__setattr__``
        values["method"] = method
        values["path"] = path
        values["operation_id"] = operation_id
        values["params"] = params
        values["body"] = body
        values["responses"] = {} if responses is None else responses
        values["security"] = security
        values["pagination"] = pagination
        values["server"] = server
        values["idempotency_header"] = idempotency_header
        values["long_running"] = long_running
        values["accept"] = accept
        values["idempotency_field"] = idempotency_field
        values["origin"] = origin


def _tagged_union(type_: Any) -> bool:
    """Whether ``type_`` is a union told apart by a tag (``Annotated[..., Discriminator]``)."""
    from typing import Annotated, get_args, get_origin

    if get_origin(type_) is not Annotated:
        return False
    return any(type(m).__name__ == "Discriminator" for m in get_args(type_)[1:])
