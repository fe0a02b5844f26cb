"""An operation's `callbacks` get typed parsers in `<package>/webhooks.py`, as 3.1 webhooks do.

A callback is what the API sends to a URL the caller registered (OpenAPI 3.0 and 3.1); its body
types were generated only where some operation also used them, and no function parsed them
(features' `callbacks.yaml`, PagerDuty, openapi-generator's fixtures: 7 shared specs).
"""

from __future__ import annotations

from pathlib import Path

import pydantic
import pytest

from apigen.diagnostics import Report
from apigen.ir import build_api
from apigen.spec import load_spec
from tests.builds import build_into, check_generated, on_path
from tests.conftest import FIXTURES

SPEC = FIXTURES / "callbacks.yaml"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("callbacks")
    build_into(SPEC, root, name="cbs")
    check_generated(root)
    return root


def test_each_json_callback_gets_a_parser_under_a_distinct_key(out: Path) -> None:
    with on_path(out, "cbs"):
        from cbs import webhooks  # type: ignore[import-not-found]

        assert list(webhooks.WEBHOOKS) == [
            "subscribe onEvent",  # two operations have an `onEvent`: named by theirs
            "onData POST",  # one callback, two methods
            "onData DELETE",
            "POST /alerts onEvent",  # no operationId: its method and path
        ]  # `ping` sends text/plain: nothing to parse
        event = webhooks.subscribe_on_event(b'{"event": "created", "count": 2}')
        assert isinstance(event, pydantic.BaseModel) and event.count == 2
        assert type(event).__name__ == "SubscribeOnEventCallbackPayload"
        data = webhooks.WEBHOOKS["onData POST"].parse('{"values": [1.5]}')
        assert type(data).__name__ == "Data" and data.values == [1.5]
        assert webhooks.post_alerts_on_event(b'{"level": "high"}').level == "high"
        with pytest.raises(pydantic.ValidationError):
            webhooks.on_data_post(b'{"values": "no"}')
        doc = webhooks.subscribe_on_event.__doc__ or ""
        assert "`onEvent` callback of `subscribe` (POST)" in doc and "An event happened." in doc


def test_a_callback_s_payload_points_at_where_it_is_written() -> None:
    document = load_spec(SPEC, report=Report()).document
    api = build_api(
        document,
        package="cbs",
        spec_file="callbacks.yaml",
        spec_sha256="",
        report=Report(),
        reserved_client=set(),
        reserved_resource=set(),
    )
    pointers = {hook.key: hook.pointer for hook in api.webhooks}
    assert pointers["POST /alerts onEvent"].startswith("#/components/callbacks/AlertEvent/")
    assert pointers["subscribe onEvent"] == (
        "#/paths/~1subscriptions/post/callbacks/onEvent/{$request.body#~1callbackUrl}"
        "/post/requestBody/content/application~1json/schema"
    )
    assert {hook.sender for hook in api.webhooks} == {"subscribe", "POST /alerts"}
