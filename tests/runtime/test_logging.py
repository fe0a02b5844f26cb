"""Issue 8, logging: ``<PREFIX>_LOG=debug|info``; secrets redacted in headers, query strings,
JSON and form bodies, and in httpx's own ``HTTP Request:`` INFO line (sync and async)."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import apigen_runtime as rt
from apigen_runtime import _logging

from .conftest import Recorder, op

SECRET = "SECRET-value-42"
COMMON_QUERY = (
    "api_key",
    "apikey",
    "key",
    "token",
    "access_token",
    "client_secret",
    "password",
    "secret",
    "signature",
)


@pytest.fixture(autouse=True)
def clean_logger() -> Iterator[None]:
    """Each test starts without the env handler and leaves the runtime's logger as it found it."""
    log = _logging.logger
    handlers, level = list(log.handlers), log.level
    saved = (_logging._env_handler, set(_logging._warned))
    _logging._env_handler = None
    _logging._warned.clear()
    yield
    log.handlers[:] = handlers
    log.setLevel(level)
    _logging._env_handler, warned = saved
    _logging._warned.clear()
    _logging._warned.update(warned)


def sync_client(recorder: Recorder, **kwargs: Any) -> rt.SyncAPIClient:
    kwargs.setdefault("env_prefix", "PETSTORE")
    client = rt.SyncAPIClient(
        base_url="https://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
        **kwargs,
    )
    client._sleep = lambda seconds: None
    return client


def async_client(recorder: Recorder, **kwargs: Any) -> rt.AsyncAPIClient:
    kwargs.setdefault("env_prefix", "PETSTORE")
    return rt.AsyncAPIClient(
        base_url="https://api.test",
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder)),
        **kwargs,
    )


def keyed(**kwargs: Any) -> dict[str, Any]:
    """A client configured with an API key sent in the query (``sk=``) and one in a header."""
    return {
        "credentials": {"q": SECRET + "-q", "h": SECRET + "-h"},
        "security_schemes": {
            "q": rt.ApiKey("q", "sk", "query"),
            "h": rt.ApiKey("h", "X-Service-Key", "header"),
        },
        "default_security": (("q", "h"),),
        **kwargs,
    }


def env_handlers() -> list[logging.Handler]:
    return [h for h in _logging.logger.handlers if h is _logging._env_handler]


# 1. <PREFIX>_LOG ---------------------------------------------------------------------------


def test_env_log_debug_installs_one_stderr_handler(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PETSTORE_LOG", "debug")
    before = list(_logging.logger.handlers)
    clients = [sync_client(Recorder()) for _ in range(3)]
    added = [h for h in _logging.logger.handlers if h not in before]
    assert len(added) == 1 and added == env_handlers()  # idempotent: one per process
    assert isinstance(added[0], logging.StreamHandler) and added[0].stream is sys.stderr
    assert _logging.logger.level == logging.DEBUG
    clients[0].request(op(), {})
    err = capsys.readouterr().err
    assert "request GET https://api.test/things" in err and "response GET /things -> 200" in err


async def test_env_log_debug_async(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PETSTORE_LOG", "DEBUG")
    before = list(_logging.logger.handlers)
    client = async_client(Recorder())
    async_client(Recorder())
    assert len([h for h in _logging.logger.handlers if h not in before]) == 1
    await client.request(op(), {})
    await client.aclose()
    assert "response GET /things -> 200" in capsys.readouterr().err


def test_env_log_info_level(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PETSTORE_LOG", "info")
    sync_client(Recorder())
    assert len(env_handlers()) == 1 and _logging.logger.level == logging.INFO
    monkeypatch.setenv("PETSTORE_LOG", "debug")  # a later, more verbose client wins ...
    sync_client(Recorder())
    assert len(env_handlers()) == 1 and _logging.logger.level == logging.DEBUG
    monkeypatch.setenv("PETSTORE_LOG", "info")  # ... and is never quietened again
    sync_client(Recorder())
    assert _logging.logger.level == logging.DEBUG


def test_env_log_uses_the_clients_own_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRIPE_LOG", "debug")
    monkeypatch.delenv("PETSTORE_LOG", raising=False)
    sync_client(Recorder())  # PETSTORE: not asked
    assert env_handlers() == []
    sync_client(Recorder(), env_prefix="STRIPE")
    assert len(env_handlers()) == 1


def test_env_log_invalid_value_warns_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PETSTORE_LOG", "verbose")
    caplog.set_level(logging.WARNING, logger="apigen_runtime")
    level = _logging.logger.level
    sync_client(Recorder())
    sync_client(Recorder())
    warnings = [r for r in caplog.records if "PETSTORE_LOG" in r.getMessage()]
    assert len(warnings) == 1 and "\n" not in warnings[0].getMessage()
    assert "'verbose'" in warnings[0].getMessage() and "debug" in warnings[0].getMessage()
    assert env_handlers() == [] and _logging.logger.level == level


def test_programmatic_logging_by_logger_name() -> None:
    stream = io.StringIO()
    handler = rt.enable_logging(logging.DEBUG, stream=stream)
    assert logging.getLogger("apigen_runtime") is _logging.logger
    assert handler in logging.getLogger("apigen_runtime").handlers
    sync_client(Recorder(), env_prefix="").request(op(), {})
    assert "response GET /things -> 200" in stream.getvalue()


# 2. Redaction in the runtime's own lines ---------------------------------------------------


def test_redact_headers_known_and_client_secret() -> None:
    headers = httpx.Headers(
        {
            "Authorization": "Bearer " + SECRET,
            "Proxy-Authorization": "Basic " + SECRET,
            "Cookie": "sid=" + SECRET,
            "Set-Cookie": "sid=" + SECRET,
            "X-Service-Key": SECRET,
            "Accept": "application/json",
        }
    )
    shown = _logging.redact_headers(headers, {"X-Service-Key"})
    assert SECRET not in str(shown) and shown["accept"] == "application/json"


@pytest.mark.parametrize(
    "name",
    [
        *("X-Client-Credential", "X-Signature", "X-Key-Passphrase", "X-Private-Key"),
        *("Ocp-Apim-Subscription-Key", "api_key", "X-Client-Key", "X-Functions-Key"),
    ],
)
def test_a_header_named_as_a_credential_is_redacted(name: str) -> None:
    """Helpers' reviews: `X-Client-Credential`, and any `...-Key` header (Azure's
    `Ocp-Apim-Subscription-Key`, `api_key` spelt with an underscore) added by the caller were
    logged in clear. The idempotency key is no credential: it stays, for tracing retries."""
    plain = {"Idempotency-Key": "ik_1", "X-Idempotency-Key": "ik_2", "X-Cache-Key": "c"}
    plain |= {"X-Public-Key": "pk", "Sec-WebSocket-Key": "ws", "X-Partition-Key": "p"}
    headers = {name: SECRET, "X-Request-Id": "r1", **plain}
    shown = _logging.redact_headers(httpx.Headers(headers))
    assert SECRET not in str(shown) and shown["x-request-id"] == "r1"
    assert {k: shown[k.lower()] for k in plain} == plain  # (no credential: kept for traces)


@pytest.mark.parametrize("name", ["auth", "code", "subscription-key", "jwt", "session"])
def test_an_oauth_code_or_auth_query_value_is_redacted(name: str) -> None:
    """A helper's review: `?auth=` and an OAuth authorization code (`?code=`) were logged."""
    shown = _logging.redact_url(httpx.URL(f"https://api.test/cb?{name}={SECRET}&state=s1"))
    assert SECRET not in shown and "state=s1" in shown


@pytest.mark.parametrize(
    "name", ["authorization", "cookie", "jwt", "session_id", "sessionId", "pwd", "passwd"]
)
def test_a_secret_name_is_redacted_wherever_it_is_given(name: str) -> None:
    """Helper 224: `authorization` was redacted as a header but logged as a query parameter or
    a JSON field; `jwt` only in a query; `pwd` nowhere."""
    assert _logging.redact_headers(httpx.Headers({name: SECRET}))[name.lower()] == "[redacted]"
    assert SECRET not in _logging.redact_url(httpx.URL("https://api.test/", params={name: SECRET}))
    body = _logging.redact_body(f'{{"{name}": "{SECRET}", "page": 2}}'.encode(), "application/json")
    assert SECRET not in body and '"page": 2' in body


def test_a_common_query_word_is_not_scrubbed_from_error_messages() -> None:
    """The review of that fix: `code` and `session` scrubbed error messages too, so a 404 for
    `?code=GERMANY` read "no country with code [redacted]". Logs only."""
    from apigen_runtime._response import _request_secrets

    request = httpx.Request("GET", "https://api.test/c?code=GERMANY&session=abcdefgh&key=K123456")
    assert _request_secrets(request) == ["K123456"]


@pytest.mark.parametrize("name", COMMON_QUERY)
def test_redact_url_common_query_names(name: str) -> None:
    url = httpx.URL("https://api.test/x", params={name.upper(): SECRET, "page": "2"})
    shown = _logging.redact_url(url)
    assert SECRET not in shown and "page=2" in shown and "[redacted]" in shown


def request_with_secrets(recorder: Recorder) -> tuple[Any, ...]:
    options: rt.RequestOptions = {
        "extra_headers": {"Cookie": "sid=" + SECRET, "Proxy-Authorization": SECRET},
        "extra_query": {**{n: SECRET for n in COMMON_QUERY}, "page": 2},
    }
    return (op(), {}, options)


def test_debug_lines_redact_headers_and_query(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="apigen_runtime")
    recorder = Recorder()
    sync_client(recorder, **keyed()).request(*request_with_secrets(recorder))
    assert SECRET in str(recorder.requests[0].url)  # sent ...
    assert "request GET" in caplog.text and "page=2" in caplog.text
    assert SECRET not in caplog.text  # ... never logged


async def test_debug_lines_redact_headers_and_query_async(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="apigen_runtime")
    recorder = Recorder()
    client = async_client(recorder, **keyed())
    await client.request(*request_with_secrets(recorder))
    await client.aclose()
    assert SECRET in str(recorder.requests[0].url)
    assert "request GET" in caplog.text and SECRET not in caplog.text


STRIPE_FORM = {
    "amount": "2000",
    "card[number]": "4242424242424242",
    "card[cvc]": "314",
    "card[exp_month]": "12",
    "card[exp_year]": "2030",
    "bank_account[account_number]": "000123456789",
    "bank_account[routing_number]": "110000000",
    "Customer[PASSWORD]": "hunter2-pw",
    "cards[0][cvc]": "987",
    "metadata[pin]": "4321",
}
CARD_SECRETS = [v for k, v in STRIPE_FORM.items() if k != "amount"]
NESTED_JSON = {
    "amount": 2000,
    "payment": {"card": {"number": "4000056655665556", "CVV": "777", "exp": "01/31"}},
    "owner": {"ssn": "078-05-1120", "iban": "DE89370400440532013000", "Pin": "8642"},
    "auth": [{"db_password": "pw-in-list", "webhook_secret": "whsec_abc", "token": "tk_1"}],
    "description": "card number goes here",  # a value, not a key: kept
}
JSON_SECRETS = ["4000056655665556", "777", "01/31", "078-05-1120", "DE89370400440532013000"]
JSON_SECRETS += ["8642", "pw-in-list", "whsec_abc", "tk_1"]


def test_redact_body_stripe_form_keys() -> None:
    form = httpx.Request("POST", "https://x", data=STRIPE_FORM)
    shown = _logging.redact_body(form.read(), "application/x-www-form-urlencoded")
    for value in CARD_SECRETS:
        assert value not in shown
    assert "amount=2000" in shown and "card%5Bnumber%5D=%5Bredacted%5D" in shown


def test_redact_body_nested_json_keys() -> None:
    body = httpx.Request("POST", "https://x", json=NESTED_JSON).read()
    shown = _logging.redact_body(body, "application/json; charset=utf-8")
    for value in JSON_SECRETS:
        assert value not in shown
    assert '"amount": 2000' in shown and "card number goes here" in shown


def test_redact_body_keeps_harmless_keys() -> None:
    body = b'{"number": 3, "name": "Rex", "expand": ["x"], "tokens_used": 5, "pinned": true}'
    shown = _logging.redact_body(body, "application/json")
    assert shown == body.decode()


FORM = op(method="post", body=rt.Body("application/x-www-form-urlencoded"))
JSON = op(method="post", body=rt.Body("application/json"))


def test_debug_body_redacted_form_and_json(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="apigen_runtime")
    recorder = Recorder()
    client = sync_client(recorder)
    client.request(FORM, {}, {"extra_body": STRIPE_FORM})
    client.request(JSON, {}, {"extra_body": NESTED_JSON})
    sent = b"".join(r.content for r in recorder.requests).decode()
    assert "4242424242424242" in sent and "4000056655665556" in sent
    assert "body=" in caplog.text and "amount" in caplog.text
    for value in CARD_SECRETS + JSON_SECRETS:
        assert value not in caplog.text


async def test_debug_body_redacted_form_and_json_async(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="apigen_runtime")
    client = async_client(Recorder())
    await client.request(FORM, {}, {"extra_body": STRIPE_FORM})
    await client.request(JSON, {}, {"extra_body": NESTED_JSON})
    await client.aclose()
    assert "body=" in caplog.text
    for value in CARD_SECRETS + JSON_SECRETS:
        assert value not in caplog.text


# 3. httpx's own INFO line ------------------------------------------------------------------


def httpx_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "httpx" and r.getMessage().startswith("HTTP Request:")
    ]


def test_httpx_info_line_redacted(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="httpx")
    recorder = Recorder()
    sync_client(recorder, **keyed()).request(op(), {}, {"extra_query": {"api_key": SECRET}})
    assert "sk=" + SECRET in str(recorder.requests[0].url)
    (line,) = httpx_lines(caplog)
    assert line.startswith("HTTP Request: GET https://api.test/things?")
    assert line.endswith('"HTTP/1.1 200 OK"') and "sk=[redacted]" in line
    assert SECRET not in caplog.text


async def test_httpx_info_line_redacted_async(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="httpx")
    client = async_client(Recorder(), **keyed())
    await client.request(op(), {}, {"extra_query": {"token": SECRET, "page": 3}})
    await client.aclose()
    (line,) = httpx_lines(caplog)
    assert "page=3" in line and "token=[redacted]" in line and SECRET not in caplog.text


def test_a_password_in_the_base_url_is_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    """A helper's review: `base_url="https://user:pw@host"` (httpx sends it as Basic auth) put
    the password in the DEBUG request line, httpx's INFO line, the cache's line and a span's
    `url.full`; spelt `REDACTED:REDACTED@` now, as OpenTelemetry asks."""
    caplog.set_level(logging.DEBUG, logger="apigen_runtime")
    caplog.set_level(logging.INFO, logger="httpx")
    client = rt.SyncAPIClient(
        base_url=f"https://svc:{SECRET}@api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(Recorder())),
        env_prefix="PETSTORE",
        cache=rt.Cache(),
    )
    client.request(op(), {})
    assert "REDACTED:REDACTED@api.test" in caplog.text and "cache miss" in caplog.text
    assert httpx_lines(caplog) and SECRET not in caplog.text
    assert _logging.redact_url(httpx.URL(f"https://u:{SECRET}@h/p?q=1")) == (
        "https://REDACTED:REDACTED@h/p?q=1"
    )


def test_httpx_filter_added_once() -> None:
    for _ in range(3):
        sync_client(Recorder())
        async_client(Recorder())
    filters = logging.getLogger("httpx").filters
    assert len([f for f in filters if isinstance(f, _logging.HttpxRedactFilter)]) == 1


def test_httpx_filter_leaves_other_records(caplog: pytest.LogCaptureFixture) -> None:
    sync_client(Recorder())
    caplog.set_level(logging.DEBUG, logger="httpx")
    url = httpx.URL("https://x.test/?api_key=" + SECRET)
    logging.getLogger("httpx").info("something else %s", url)
    logging.getLogger("httpx").debug("HTTP Request: %s", "no url here")
    (other, short) = caplog.records
    assert other.args == (url,) and SECRET in other.getMessage()
    assert short.getMessage() == "HTTP Request: no url here"


def test_httpx_filter_only_when_a_client_is_built() -> None:
    code = (
        "import logging, apigen_runtime as rt\n"
        "assert not logging.getLogger('httpx').filters\n"
        "rt.SyncAPIClient(base_url='https://x')\n"
        "assert len(logging.getLogger('httpx').filters) == 1\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.endswith("_LOG")}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


@pytest.mark.parametrize(
    "name",
    [
        "accessToken",
        "clientSecret",
        "refreshToken",
        "cardNumber",
        "privateKey",
        "secretKey",
        "sessionToken",
        "private_token",
        "X-Amz-Signature",
        "routing-number",
    ],
)
def test_camel_and_kebab_case_secrets_are_redacted(name: str) -> None:
    """A helper's review: the field and query lists matched snake_case only, so a JSON body's
    `accessToken` or `clientSecret`, and a presigned URL's `X-Amz-Signature`, were logged in
    clear. Names are read by their words now, whatever the case."""
    body = _logging.redact_body(f'{{"{name}": "{SECRET}", "n": 1}}'.encode(), "application/json")
    assert SECRET not in body and '"n": 1' in body
    url = _logging.redact_url(httpx.URL(f"https://api.test/x?{name}={SECRET}&page=2"))
    if name not in ("cardNumber", "routing-number"):  # (payment fields: bodies only)
        assert SECRET not in url and "page=2" in url


def test_words_that_only_contain_a_secret_s_word_stay() -> None:
    body = b'{"prompt_tokens": 3, "total_tokens": 5, "keyboard": "us", "monkey": 1, "key": "a"}'
    assert _logging.redact_body(body, "application/json") == body.decode()


def test_env_log_info_prints_one_line_per_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """The README: `<PREFIX>_LOG=info  # one line per request`; it printed nothing (the line
    was a debug one). Headers and bodies stay at debug."""
    monkeypatch.setenv("PETSTORE_LOG", "info")
    stream = io.StringIO()
    client = sync_client(Recorder())
    handler = _logging._env_handler
    assert isinstance(handler, logging.StreamHandler)
    monkeypatch.setattr(handler, "stream", stream)
    client.request(op(path="/pets"), {}, {"extra_headers": {"Authorization": SECRET}})
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and "INFO response GET /pets -> 200" in lines[0]
    assert SECRET not in stream.getvalue() and "headers=" not in stream.getvalue()
