"""A mock HTTP server built from an OpenAPI 3.x document, for demos and client tests.

    with Sandbox(document) as sandbox:          # binds 127.0.0.1 on a free port
        client = Client(base_url=sandbox.url)   # URL includes the spec's server path prefix
        ...
        assert sandbox.requests[-1].form() == {...}

Every operation answers its success response with the spec's example, or data synthesized from
the schema (deterministic for a given document and seed). Only the standard library and the
already-loaded document are used, so tests need no network and no extra dependencies.
"""

from ._examples import ExampleGenerator
from ._forms import encode_form, parse_form
from ._responses import Reply
from ._routing import Route, Router
from ._server import RecordedRequest, Sandbox, serve

__all__ = [
    "ExampleGenerator",
    "RecordedRequest",
    "Reply",
    "Route",
    "Router",
    "Sandbox",
    "encode_form",
    "parse_form",
    "serve",
]
