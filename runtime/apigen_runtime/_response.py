"""Reading responses: pick the declared response by status, parse leniently, or raise."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from typing import Any

import httpx
import pydantic

from ._errors import APIResponseValidationError, APIStatusError, make_status_error
from ._logging import logger
from ._models import construct
from ._operation import Operation, Response

__all__ = ["error_for", "parse_success", "pick_response"]


def pick_response(responses: Mapping[str, Response], status: int) -> Response | None:
    """Exact code, then the ``2XX``-style range, then ``default``."""
    for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
        if key in responses:
            return responses[key]
    return None


def parse_success(op: Operation[Any], response: httpx.Response) -> Any:
    spec = pick_response(op.responses, response.status_code)
    kind = spec.kind if spec else _guess_kind(response)
    if kind == "empty" or response.status_code == 204:
        return None
    if kind == "text":
        return response.text
    if kind == "binary":
        return response.content
    if not response.content:
        return None
    if spec is None or spec.type_ is Any:
        return _json(response)
    try:
        return spec.adapter().validate_json(response.content)
    except pydantic.ValidationError as exc:
        data = _json(response)  # raises if the body is not JSON at all
        first = exc.errors(include_url=False, include_input=False, include_context=False)[0]
        logger.warning(
            "%s: response body does not match the spec (%d errors, first at %s: %s); "
            "returning it unvalidated",
            op.operation_id or op.path,
            exc.error_count(),
            ".".join(map(str, first["loc"])) or "<root>",
            first["msg"],
        )
        return construct(spec.type_, data)


def error_for(op: Operation[Any], response: httpx.Response) -> APIStatusError:
    """The status error with ``.body`` parsed into the declared error type when possible."""
    body: Any = None
    if response.content:
        try:
            body = response.json()
        except ValueError:
            body = response.text
    spec = pick_response(op.responses, response.status_code)
    if body is not None and spec is not None and spec.kind == "json" and spec.type_ is not Any:
        # On mismatch keep the raw JSON: an unexpected error body is still informative.
        with contextlib.suppress(pydantic.ValidationError):
            body = spec.adapter().validate_python(body)
    return make_status_error(response, body)


def _guess_kind(response: httpx.Response) -> str:
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if not response.content:
        return "empty"
    if content_type.endswith(("/json", "+json")):
        return "json"
    return "text" if content_type.startswith("text/") else "binary"


def _json(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except ValueError as exc:
        raise APIResponseValidationError(
            f"Expected a JSON body from {response.request.method} {response.request.url.path}",
            response=response,
            body=response.text,
        ) from exc
