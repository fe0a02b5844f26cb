"""A mock HTTP server built from an OpenAPI 3.x document that behaves like the real API.

    with Sandbox("stripe.json", seed=7) as sandbox:   # or a loaded dict; binds 127.0.0.1
        client = Client(base_url=sandbox.url)          # URL includes the spec's server path
        ...
        assert sandbox.requests[-1].form() == {...}     # recorded (bounded, oldest dropped)
        sandbox.respond("GET", "/v1/customers/{customer}", 404, json={...})  # canned answer

`Sandbox(...).start() -> base_url`, `.port`, `.requests`, `.respond(...)`, `.reset()`, `.stop()`;
`Sandbox.handle(method, target, headers, body)` is the same behaviour without HTTP.

Requests are validated against the spec: unmet security -> 401; missing (an empty query value
too, unless `allowEmptyValue`), unknown (query keys), wrong-typed, out-of-enum or badly
formatted (date, date-time, uuid, email, ipv4/6, uri, int32/64) parameters and body fields,
wrong or missing Content-Type, unparseable bodies -> the client-error status the operation
declares: 400 if declared, else 422 if declared, else 400; a body that parses but breaks its
schema is 422 whenever 422 is declared. A path parameter fills one segment (`%2F`, not `/`).
Error bodies take the shape of the operation's declared error response (Stripe's
`{"error": {"type", "message", "param"}}`, GitHub's `{"message", "documentation_url"}`), with
the message written into it. Unknown paths (404), methods (405 + Allow) and over-long URLs (414)
answer JSON too, never HTML.

Responses are drawn from the schemas with variety by default (nullable -> sometimes null,
optional properties sometimes omitted, unknown properties sometimes added, every oneOf/anyOf
branch over a run, random enum members/formats/lengths), reproducible for a seed. Requests can
ask `Prefer: code=NNN` (a declared status), `Prefer: example=NAME` (a named example) or
`Prefer: dynamic=false|true` (static example body, or drawn). See `_server` for the order.

Links a client follows stay in the sandbox: a list's `Link` header and its body's next-page URL
(`nextLink`, `meta.next_page_url`...) lead to its next pages and end after a few
(`_next_pages`), a `202 Accepted`'s monitor headers point at monitors it answers as the finished
operation, redirects at a path it answers, and the OAuth 2 token endpoints the spec puts on the
API's own host answer with a token (`_tokens`).

Validation uses openapi-schema-validator (jsonschema), compiled lazily per operation on first
use, so GitHub's 13 MB spec starts in about a second (docs/decisions.md, "Sandbox").
"""

from ._examples import ExampleGenerator
from ._forms import encode_form, parse_form
from ._responses import SPEC_PROBLEM_HEADER, Reply
from ._routing import Route, Router
from ._server import RecordedRequest, RequestLog, Sandbox, parse_prefer, serve
from ._validate import Problem, RequestValidator

__all__ = [
    "SPEC_PROBLEM_HEADER",
    "ExampleGenerator",
    "Problem",
    "RecordedRequest",
    "Reply",
    "RequestLog",
    "RequestValidator",
    "Route",
    "Router",
    "Sandbox",
    "encode_form",
    "parse_form",
    "parse_prefer",
    "serve",
]
