"""What a server variable's value may hold, by where it sits in the URL (runtime/_servers.py):
a value picks a region or a version, never another host, a query or a fragment."""

from __future__ import annotations

import pytest

from apigen_runtime import ServerVariable
from apigen_runtime._servers import fill, server_values


@pytest.mark.parametrize(
    ("part", "value"),
    [
        ("scheme", "https"),
        ("scheme", "HTTP"),
        ("host", "us-east-1"),
        ("host", "eu.west"),
        ("host", "8443"),
        ("port", "8443"),
        ("path", "v1"),
        ("path", "v1/beta"),
        ("path", ""),
        ("path", "a%2Fb"),
        ("path", "~user"),
        ("path_start", "/v2"),
        ("path_start", ""),
    ],
)
def test_values_that_keep_the_url_s_shape(part: str, value: str) -> None:
    var = ServerVariable("x", default="d", part=part)  # type: ignore[arg-type]
    assert server_values({"x": var}, {"x": value}) == {"x": value}


@pytest.mark.parametrize(
    ("part", "value"),
    [
        ("scheme", "javascript"),
        ("scheme", "https://evil.test#"),
        ("host", "evil.test/"),
        ("host", "user@evil.test"),
        ("host", "evil.test#"),
        ("host", "evil.test?"),
        ("host", "-start"),
        ("host", ""),
        ("host", "a b"),
        ("port", "80a"),
        ("port", "0"),
        ("port", "99999"),
        ("port", "٣"),  # a digit, not an ASCII one
        ("path", ".."),
        ("path", "v1/../admin"),
        ("path", "./x"),
        ("path", "v1?x=1"),
        ("path", "v1#f"),
        ("path", "v1\\x"),
        ("path", "v1\nx"),
        # percent-encoded dots and slashes, which servers that normalise read as `..` (helper
        # 187: the bearer token went to `/tenants/%2e%2e/v1`, read as `/v1`)
        ("path", "%2e%2e"),
        ("path", ".%2e"),
        ("path", "%2E%2E/%2e%2e"),
        ("path", "acme%2F..%2F..%2Fadmin"),
        ("path", "%252e%252e"),
        ("path", "..;x"),
        ("path_start", "/%2e%2e/admin"),
        # glued to the host (`https://api.example.com{basePath}`): a host name there
        ("path_start", "x.evil.com"),
        ("path_start", "v2"),
        ("path_start", "/../admin"),
    ],
)
def test_values_that_would_move_the_request_raise(part: str, value: str) -> None:
    var = ServerVariable("x", default="d", part=part)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="cannot be used in the server URL"):
        server_values({"x": var}, {"x": value})


def test_enum_defaults_and_filling() -> None:
    variables = {
        "region": ServerVariable("region", default="eu", enum=("eu", "us"), part="host"),
        "port": ServerVariable("port", default="443", part="port"),
    }
    with pytest.raises(ValueError, match="region='mars' is not one of: eu, us"):
        server_values(variables, {"region": "mars"})
    with pytest.raises(ValueError, match="region='mars' is not one of: eu, us"):
        server_values(variables, {"region": "mars"}, "X")  # a keyword wins over the environment
    values = server_values(variables, {"region": None, "port": 8443})  # type: ignore[dict-item]
    assert values == {"region": "eu", "port": "8443"}  # None: the default; a number as text
    assert fill("https://{region}.x.test:{port}/{v}", values) == "https://eu.x.test:8443/{v}"
