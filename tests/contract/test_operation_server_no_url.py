"""An operation server that is no URL at its defaults (DigitalOcean's agents: `https://
{agent_url}` at `{your-agent-url}`): the generator warns and sends the operation to the base
URL; the contract runner compared the request with the unusable URL and filed a client failure
(helper 227). The runner follows the generator's rule now; a usable operation server is still
checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.builds import contract_of

OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}


def _spec(default: str) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {
            "/chat": {
                "post": {
                    "operationId": "agentChat",
                    "servers": [
                        {
                            "url": "https://{agent_url}",
                            "variables": {"agent_url": {"default": default}},
                        }
                    ],
                    "responses": OK,
                }
            }
        },
    }


@pytest.mark.parametrize(
    ("default", "package"), [("{your-agent-url}", "agents_a"), ("my agent", "agents_b")]
)
def test_a_server_that_is_no_url_is_not_the_client_s_failure(
    tmp_path: Path, default: str, package: str
) -> None:
    report = contract_of(tmp_path, _spec(default), package)
    failures = [f for op in report.operations for f in op.failures]
    assert not [f for f in failures if f.klass == "client"], failures
    assert report.operations[0].cases > 0
