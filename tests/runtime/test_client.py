"""Client construction, base URL resolution, lifecycle, async parity and logging hygiene."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

import apigen_runtime as rt
from apigen_runtime import NOT_GIVEN, NotGiven

from .conftest import Pet, Recorder, make_client, op

GET_PET: rt.Operation[Pet] = rt.Operation(
    method="get",
    path="/pets/{petId}",
    operation_id="getPet",
    params=(rt.Param("pet_id", "petId", "path"),),
    responses={"200": rt.Response(Pet, "json")},
)


class Pets(rt.SyncResource):
    def get(self, pet_id: int, *, timeout: rt.TimeoutOption | rt.NotGiven = rt.NOT_GIVEN) -> Pet:
        return self._client.request(
            GET_PET, {"pet_id": pet_id}, rt.request_options(timeout=timeout)
        )


class AsyncPets(rt.AsyncResource):
    async def get(
        self, pet_id: int, *, timeout: rt.TimeoutOption | rt.NotGiven = rt.NOT_GIVEN
    ) -> Pet:
        return await self._client.request(
            GET_PET, {"pet_id": pet_id}, rt.request_options(timeout=timeout)
        )


class Client(rt.SyncAPIClient):
    """What the generator emits for a bearer-token API."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        bearer_token: str | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            default_base_url="https://api.example.com/api/v3",
            env_prefix="PETSTORE",
            credentials={"bearer_token": bearer_token},
            security_schemes={"bearerAuth": rt.HTTPBearer("bearer_token")},
            default_security=(("bearerAuth",), ()),
            http_client=http_client,
        )
        self.pets = Pets(self)


def test_not_given_sentinel() -> None:
    assert not NOT_GIVEN and NotGiven() is NOT_GIVEN and repr(NOT_GIVEN) == "NOT_GIVEN"


def test_no_argument_construction_is_cheap() -> None:
    client = Client()
    assert client.base_url == "https://api.example.com/api/v3"
    assert client._http is None  # no pool, no I/O until the first request
    rt.SyncAPIClient().close()


def test_base_url_resolution_and_prefix_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = Recorder(httpx.Response(200, json={"id": 1, "name": "Rex"}))
    Client(http_client=httpx.Client(transport=httpx.MockTransport(recorder))).pets.get(1)
    assert str(recorder.last.url) == "https://api.example.com/api/v3/pets/1"
    monkeypatch.setenv("PETSTORE_BASE_URL", "https://env.test/base/")
    assert Client().base_url == "https://env.test/base/"
    assert Client(base_url="https://arg.test").base_url == "https://arg.test"


def test_missing_base_url_is_explained() -> None:
    with pytest.raises(ValueError, match="base_url"):
        make_client(Recorder(), base_url=None).request(op(), {})


def test_context_managers_close_owned_clients_only() -> None:
    with Client() as client:
        pool = client._client()
    assert pool.is_closed and client._http is None
    mine = httpx.Client()
    with Client(http_client=mine):
        pass
    assert not mine.is_closed
    mine.close()


async def test_async_client_parity() -> None:
    recorder = Recorder(httpx.Response(503), httpx.Response(200, json={"id": 1, "name": "Rex"}))
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async with rt.AsyncAPIClient(
        base_url="https://api.test",
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder)),
    ) as client:
        client._sleep = fake_sleep
        pet = await AsyncPets(client).get(1)
    assert pet == Pet(id=1, name="Rex")
    assert len(recorder.requests) == 2 and len(sleeps) == 1


async def test_async_missing_credentials_before_send() -> None:
    recorder = Recorder()
    client = rt.AsyncAPIClient(
        base_url="https://api.test",
        security_schemes={"k": rt.ApiKey("api_key", "X-Key", "header")},
        default_security=(("k",),),
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder)),
    )
    with pytest.raises(rt.MissingCredentialsError, match="api_key="):
        await client.request(op(), {})
    assert recorder.requests == []
    await client.aclose()


def test_debug_logs_redact_secrets(caplog: pytest.LogCaptureFixture) -> None:
    recorder = Recorder(httpx.Response(404, json={}, headers={"x-request-id": "req_9"}))
    client = make_client(
        recorder,
        credentials={"token": "tok-SECRET", "key": "key-SECRET"},
        security_schemes={
            "bearer": rt.HTTPBearer("token"),
            "q": rt.ApiKey("key", "my_key", "query"),
        },
        default_security=(("bearer", "q"),),
    )
    with (
        caplog.at_level(logging.DEBUG, logger="apigen_runtime"),
        pytest.raises(rt.NotFoundError) as info,
    ):
        client.request(op(rt.Param("s", "s", "cookie")), {"s": "cookie-SECRET"})
    assert "SECRET" not in caplog.text and "SECRET" not in str(info.value)
    assert "GET" in caplog.text and "404" in caplog.text and "req_9" in caplog.text
    assert "attempt 1" in caplog.text
    assert recorder.last.headers["Authorization"] == "Bearer tok-SECRET"


def test_keys_under_plain_names_echoed_into_an_error_are_blanked() -> None:
    """OpenWeatherMap's `appid` (query), an `X-Client-Id` header: the client knows these are
    its keys (the debug log hid them), but the error only looked for secret-sounding names."""

    def echo(request: httpx.Request) -> httpx.Response:
        said = f"bad appid {request.url.params['appid']} for {request.headers['x-client-id']}"
        return httpx.Response(401, json={"message": said})

    client = make_client(
        echo,
        credentials={"q": "OWMKEY1234567", "h": "CLIENTIDSECRET99"},
        security_schemes={
            "q": rt.ApiKey("q", "appid", "query"),
            "h": rt.ApiKey("h", "X-Client-Id", "header"),
        },
        default_security=(("q", "h"),),
    )
    with pytest.raises(rt.AuthenticationError) as info:
        client.request(op(), {})
    assert "OWMKEY1234567" not in str(info.value) and "CLIENTIDSECRET99" not in str(info.value)
    assert "bad appid [redacted] for [redacted]" in str(info.value)


def test_exported_names_match_contract() -> None:
    contract: list[Any] = [
        "NOT_GIVEN", "NotGiven", "RequestOptions", "Model", "Operation", "Param", "Body",
        "Encoding", "Response", "ApiKey", "HTTPBasic", "HTTPBearer", "OAuth2ClientCredentials",
        "OAuth2AuthorizationCode", "SecurityScheme", "SyncAPIClient", "AsyncAPIClient",
        "SyncResource", "AsyncResource", "APIError", "APIConnectionError", "APITimeoutError",
        "APIStatusError", "BadRequestError", "AuthenticationError", "PermissionDeniedError",
        "NotFoundError", "ConflictError", "UnprocessableEntityError", "RateLimitError",
        "InternalServerError", "MissingCredentialsError", "APIResponseValidationError",
    ]  # fmt: skip
    assert set(contract) <= set(rt.__all__)


def test_model_config() -> None:
    config = rt.Model.model_config
    assert config["extra"] == "allow" and config["populate_by_name"] and config["defer_build"]
    assert config["protected_namespaces"] == () and config["arbitrary_types_allowed"] is False
    assert str(Pet(id=1, name="a")) == '{"id":1,"name":"a"}'


def test_relative_base_url_is_rejected_before_sending() -> None:
    recorder = Recorder()
    with pytest.raises(ValueError, match="absolute base URL"):
        make_client(recorder, base_url="/api/v3").request(op(), {})
    assert recorder.requests == []


def test_cast_to_httpx_response_returns_the_response() -> None:
    """Helper 211: `client.get(path, cast_to=httpx.Response)` (openai-python returns the
    response) sent the request, then raised pydantic's `PydanticSchemaGenerationError`, no
    APIError, after a POST had taken effect."""
    recorder = Recorder(httpx.Response(201, json={"id": 1}), httpx.Response(404, json={}))
    client = make_client(recorder, max_retries=0)
    response = client.post("/things", cast_to=httpx.Response, body={"a": 1})
    assert isinstance(response, httpx.Response)
    assert response.status_code == 201 and response.json() == {"id": 1}
    with pytest.raises(rt.NotFoundError):  # an error status is still the typed error
        client.get("/things/2", cast_to=httpx.Response)
    # a review: a 204 came back as None
    empty = make_client(Recorder(httpx.Response(204)), max_retries=0)
    gone = empty.delete("/things/3", cast_to=httpx.Response)
    assert isinstance(gone, httpx.Response) and gone.status_code == 204


def test_a_cast_to_pydantic_cannot_read_is_refused_before_sending() -> None:
    class Opaque:  # no schema pydantic can build
        pass

    recorder = Recorder()
    with pytest.raises(TypeError, match="cast_to"):
        make_client(recorder).post("/things", cast_to=Opaque, body={"a": 1})
    assert recorder.requests == []


async def test_async_cast_to_httpx_response_returns_the_response() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="ok")

    async with rt.AsyncAPIClient(
        base_url="https://api.test/v1",
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
    ) as client:
        response = await client.get("/things", cast_to=httpx.Response)
    assert isinstance(response, httpx.Response) and response.text == "ok"


def test_setting_base_url_is_checked_as_giving_it_is() -> None:
    """Helper 211: `client.base_url = ".../v1?tenant=9"` skipped the constructor's check and
    sent `GET /v1?tenant=9/items/x`, credentials and all, to another endpoint."""
    recorder = Recorder()
    client = make_client(recorder)
    with pytest.raises(ValueError, match="query or a fragment"):
        client.base_url = "https://api.test/v1?tenant=9"
    with pytest.raises(ValueError, match="query or a fragment"):
        make_client(recorder, base_url="https://api.test/v1#x")
    assert client.base_url == "https://api.test/v1"
    client.base_url = "https://eu.api.test/v2"
    client.request(op(), {})
    assert str(recorder.last.url).startswith("https://eu.api.test/v2/")
