"""AWS Signature Version 4 (`_aws.AWSSigV4`), against botocore's signer.

The expected signatures were computed with botocore 1.44's `SigV4Auth` (canonical request,
string to sign, signature) for the same requests, keys and time; the first is also AWS's
published `get-vanilla` vector. botocore is not a dependency: these values are the oracle."""

from __future__ import annotations

import calendar
import time

import httpx

from apigen_runtime._aws import AWSSigV4
from apigen_runtime._request import Prepared

KEY = {
    "aws_access_key_id": "AKIDEXAMPLE",
    "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
}
AT = float(calendar.timegm(time.strptime("20150830T123600Z", "%Y%m%dT%H%M%SZ")))


def _scheme(service: str = "service") -> AWSSigV4:
    return AWSSigV4(
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
        service=service,
        clock=lambda: AT,
    )


def _signature(request: Prepared) -> str:
    return request.headers["Authorization"].rpartition("Signature=")[2]


def test_get_vanilla() -> None:
    request = Prepared("GET", "https://example.amazonaws.com/")
    _scheme().apply(request, KEY)
    assert request.headers["X-Amz-Date"] == "20150830T123600Z"
    assert request.headers["Authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, "
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    )


def test_query_pairs_are_sorted() -> None:
    request = Prepared("GET", "https://example.amazonaws.com/", ["Param2=value2", "Param1=value1"])
    _scheme().apply(request, KEY)
    assert _signature(request) == (
        "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
    )


def test_a_post_with_a_session_token_an_encoded_path_and_the_region_of_its_host() -> None:
    request = Prepared(
        "POST",
        "https://iot.us-east-1.amazonaws.com/jobs/a%20b/cancel",
        ["force=true"],
        httpx.Headers({"Content-Type": "application/json"}),
        content=b'{"comment":"x"}',
    )
    _scheme("iot").apply(request, {**KEY, "aws_session_token": "TOKEN"})
    assert request.headers["X-Amz-Security-Token"] == "TOKEN"
    auth = request.headers["Authorization"]
    assert "/20150830/us-east-1/iot/aws4_request," in auth
    assert "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token," in auth
    assert _signature(request) == (
        "f0da826a88d42e2f41716724617d3c10d12286446f78b2003d60b21857529836"
    )


def test_signing_again_replaces_the_headers_and_the_host_names_the_region() -> None:
    request = Prepared("GET", "https://iot.eu-west-1.amazonaws.com/things")
    scheme = _scheme("iot")
    scheme.apply(request, KEY)
    first = request.headers["Authorization"]
    scheme.apply(request, KEY)  # a call signed twice keeps one of each header
    assert request.headers.get_list("Authorization") == [first]
    assert request.headers.get_list("X-Amz-Date") == ["20150830T123600Z"]
    assert "/eu-west-1/iot/aws4_request" in first
    local = Prepared("GET", "http://127.0.0.1:8000/things")  # a mock: the default region
    AWSSigV4("a", "s", service="iot", region="ap-south-1", clock=lambda: AT).apply(
        local, {"a": "AK", "s": "SK"}
    )
    assert "/ap-south-1/iot/aws4_request" in local.headers["Authorization"]


def test_a_query_in_the_url_is_signed_like_one_in_the_list() -> None:
    """(A redirect's target carries its query in the URL.)"""
    listed = Prepared("GET", "https://example.amazonaws.com/", ["Param2=value2", "Param1=value1"])
    inline = Prepared("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1")
    for request in (listed, inline):
        _scheme().apply(request, KEY)
    assert _signature(listed) == _signature(inline)
