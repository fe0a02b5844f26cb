"""A spec schemathesis cannot read ends `apigen contract` with a clear error naming the file,
never a traceback (a root server whose URL no parser splits: a bracketed host that is no IP)."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigen.contract import ContractError
from tests.builds import contract_of

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "servers": [{"url": "https://[{host}]/v1", "variables": {"host": {"default": ""}}}],
    "paths": {"/a": {"get": {"operationId": "getA", "responses": {"200": {"description": "ok"}}}}},
}


def test_a_spec_schemathesis_cannot_read_is_a_contract_error(tmp_path: Path) -> None:
    with pytest.raises(ContractError, match=r"schemathesis cannot read .*unreadable\.json"):
        contract_of(tmp_path, SPEC, "unreadable")
