"""The per-call shortcuts (docs/decisions.md §21b, fourth pass) give what the long way gives:
a fixed security choice, the kept size-limit builder, ``add_header``, the path fast path."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import apigen_runtime as rt
from apigen_runtime._auth import SecurityScheme, fixed_choice, select_security
from apigen_runtime._build import Builder, add_header, default_header, request_builder
from apigen_runtime._params import encode_path, quoter

from .conftest import Recorder, make_client

OP: rt.Operation[Any] = rt.Operation(
    method="get",
    path="/things/{id}",
    params=(rt.Param("id", "id", "path"),),
    responses={"200": rt.Response(Any, "json")},
)
KEY = {"key": rt.ApiKey("api_key", "X-Api-Key", "header")}


def _keyed(recorder: Recorder, **kwargs: Any) -> rt.SyncAPIClient:
    return make_client(
        recorder, security_schemes=KEY, default_security=(("key",),), env_prefix="PCT", **kwargs
    )


def test_a_bad_passed_credential_is_refused_on_every_call() -> None:
    """The kept choice does not skip the header check of a credential that fails it."""
    recorder = Recorder()
    client = _keyed(recorder, credentials={"api_key": "sk_secret\n"})
    for _ in range(2):
        with pytest.raises(ValueError, match="X-Api-Key"):
            client.request(OP, {"id": 1})
    assert recorder.requests == []


def test_a_header_a_hook_sets_is_still_checked_with_a_fixed_key() -> None:
    """The post-auth scan a GET with a checked key skips is kept when a hook edits headers."""

    def bad(request: httpx.Request) -> None:
        request.headers["X-Hooked"] = "a\r\nb"

    recorder = Recorder()
    client = _keyed(recorder, credentials={"api_key": "sk_1"}, hooks=rt.Hooks(before_request=[bad]))
    with pytest.raises(ValueError, match=r"(?i)x-hooked"):
        client.request(OP, {"id": 1})
    assert recorder.requests == []


def test_a_credential_from_the_environment_is_looked_up_on_every_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PCT_API_KEY", raising=False)
    recorder = Recorder()
    client = _keyed(recorder)
    with pytest.raises(rt.MissingCredentialsError):
        client.request(OP, {"id": 1})
    for value in ("from-env", "changed"):
        monkeypatch.setenv("PCT_API_KEY", value)
        client.request(OP, {"id": 1})
        assert recorder.last.headers["X-Api-Key"] == value


def test_a_passed_credential_is_sent_on_every_call_and_a_caller_header_wins() -> None:
    recorder = Recorder()
    client = _keyed(recorder, credentials={"api_key": "sk_1"})
    client.request(OP, {"id": 1})
    client.request(OP, {"id": 2}, {"extra_headers": {"X-Api-Key": "mine"}})
    client.request(OP, {"id": 3})
    assert [r.headers["X-Api-Key"] for r in recorder.requests] == ["sk_1", "mine", "sk_1"]
    assert [r.headers["X-Retry-Count"] for r in recorder.requests] == ["0", "0", "0"]


def test_fixed_choices_are_kept_per_requirement_value() -> None:
    """``client.get`` makes a new (equal) requirement per call: one kept choice, not one a
    call; an unhashable requirement is worked out on every call."""
    recorder = Recorder()
    client = _keyed(recorder, credentials={"api_key": "sk_1"})
    for _ in range(3):
        client.get("/custom", cast_to=dict)
        client.request(OP, {"id": 1})
    assert len(client._fixed_security) == 1  # pyright: ignore[reportPrivateUsage]
    assert [r.headers["X-Api-Key"] for r in recorder.requests] == ["sk_1"] * 6
    listed = make_client(
        recorder, security_schemes=KEY, default_security=[["key"]], credentials={"api_key": "k"}
    )
    for _ in range(2):
        listed.request(OP, {"id": 1})
        assert recorder.last.headers["X-Api-Key"] == "k"
    assert listed._fixed_security == {}  # pyright: ignore[reportPrivateUsage]


def test_a_401_with_a_fixed_key_is_not_replayed() -> None:
    recorder = Recorder(httpx.Response(401, json={}), httpx.Response(200, json={}))
    client = _keyed(recorder, credentials={"api_key": "sk_1"})
    with pytest.raises(rt.AuthenticationError):
        client.request(OP, {"id": 1})
    assert len(recorder.requests) == 1


class _Flowing(rt.ApiKey):
    """A scheme with its own flow (as token schemes have): never applied without it."""

    def auth_flow(self, request: Any, creds: Any, ctx: Any) -> Any:
        return super().auth_flow(request, creds, ctx)


def test_fixed_choice_only_where_select_security_cannot_change() -> None:
    key, basic = rt.ApiKey("api_key", "X-Key", "header"), rt.HTTPBasic("user", "password")
    schemes: dict[str, SecurityScheme] = {
        "key": key,
        "basic": basic,
        "flow": _Flowing("k", "X", "header"),
    }

    def choose(alternatives: Any, given: dict[str, str]) -> bool:
        chosen = select_security(alternatives, schemes, given.get, "P", "op")
        return fixed_choice(alternatives, schemes, chosen, set(given))

    assert choose(None, {}) and choose((), {})  # no security at all
    assert choose((("key",),), {"api_key": "a"})
    assert choose((("basic",),), {"user": "u", "password": "p"})
    assert not choose((("basic",),), {"user": "u"})  # the optional password: the environment
    # passed, the key's alternative comes before basic's whatever the environment holds
    assert choose((("basic",), ("key",)), {"api_key": "a"})

    def from_env(alternatives: Any, found: dict[str, str], given: set[str]) -> bool:
        chosen = select_security(alternatives, schemes, found.get, "P", "op", given=given)
        return fixed_choice(alternatives, schemes, chosen, given)

    # the key found in the environment: basic's user, passed, may have its password there next
    assert not from_env((("basic",), ("key",)), {"api_key": "a"}, {"user"})
    assert not choose((("flow",),), {"k": "a"})


def test_the_marked_builder_is_kept_per_mark() -> None:
    builder = request_builder(httpx.Client())
    assert isinstance(builder, Builder)
    kept = builder.marked("m", 5)
    assert builder.marked("m", 5) is kept
    assert builder.marked("m", True).marks == {"m": True}  # equal to 1, but not the same limit
    assert builder.marked("m", 6).marks == {"m": 6}
    assert builder.marked("other", 6).marks == {"other": 6}


@pytest.mark.parametrize(
    ("start", "name", "value"),
    [
        ({"A": "1"}, "X-Retry-Count", "0"),
        ({"A": "1", "x-retry-count": "9"}, "X-Retry-Count", "0"),  # replaced in place
        ([("A", "1"), ("X-N", "1"), ("B", "2"), ("x-n", "2")], "X-N", "3"),  # duplicates go
        ({"A": "1"}, "X-N", "caf\u00e9"),  # non-ASCII: httpx's own set
        ({"A": "1"}, "X-\u00e9", "1"),
    ],
)
def test_add_header_sets_what_setitem_sets(start: Any, name: str, value: str) -> None:
    ours, theirs = httpx.Headers(start), httpx.Headers(start)
    add_header(ours, name, value)
    theirs[name] = value
    assert ours.raw == theirs.raw
    assert ours.multi_items() == theirs.multi_items()


@pytest.mark.parametrize(
    "value", [7, -5, 0, "cus_123", "a b", "a/b", "caf\u00e9", "%41", "~x.y", "a?b#c", "...", " "]
)
def test_simple_path_segments_as_encode_path_makes_them(value: object) -> None:
    recorder = Recorder()
    make_client(recorder).request(OP, {"id": value})
    segment = encode_path("id", value, None, False, quoter())
    assert recorder.last.url.raw_path.decode() == f"/v1/things/{segment}"


@pytest.mark.parametrize("value", ["", ".", ".."])
def test_dot_segments_are_still_refused(value: str) -> None:
    recorder = Recorder()
    with pytest.raises(ValueError, match="path parameter 'id'"):
        make_client(recorder).request(OP, {"id": value})
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("start", "name", "value"),
    [
        ({"A": "1"}, "Authorization", "Bearer x"),
        ({"A": "1", "authorization": "mine"}, "Authorization", "Bearer x"),  # the caller's wins
        ({"A": "1"}, "X-Key", "caf\u00e9"),  # non-ASCII: httpx's own ``in`` and set
    ],
)
def test_default_header_sets_only_a_missing_header(start: Any, name: str, value: str) -> None:
    # as ``Prepared`` holds them (``_request._copy``): UTF-8
    ours, theirs = httpx.Headers(start, encoding="utf-8"), httpx.Headers(start, encoding="utf-8")
    expected = name not in theirs
    if expected:
        theirs[name] = value
    assert default_header(ours, name, value) is expected
    assert ours.raw == theirs.raw
