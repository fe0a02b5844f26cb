"""A response's keys are wire names only: `first_name` beside a field whose wire name is
`firstName` is another property, never that field.

Models accept Python names too (`Person(first_name="Ada")`), for callers. Wire data was read the
same way, so a server's `{"first_name": "Bob"}` (an additional property the spec allows) filled
the field `first_name`, and dumping the model sent it back as `firstName`: the data changed on
the way through. Found by the contract run on corpus2's `oag/2_0/petstore-vendor-mime` (a drawn
`User` with an extra `first_name` key was refused as the field's type); the fix reads wire data
by wire names at every parse, across the lazily built models of a cycle too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.builds import build_into, on_path
from tests.conftest import FIXTURES

SPEC = FIXTURES / "wire_names.yaml"
TEAM = {
    "teamName": "core",
    "team_name": ["an extra property"],
    "lead": {"firstName": "Ada", "first_name": 7},
    "members": [{"first_name": "Bob"}],
}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("wire") / "wire_names"
    build_into(SPEC, out, name="wire_names")
    with on_path(out, "wire_names") as module:
        yield module


SENT: list[bytes] = []


def _client(pkg: ModuleType) -> object:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            SENT.append(request.read())
            return httpx.Response(204)
        return httpx.Response(200, json=TEAM)

    return pkg.Client(
        base_url="http://api.test", http_client=httpx.Client(transport=httpx.MockTransport(answer))
    )


def test_extra_keys_named_like_a_field_stay_extra_properties(pkg: ModuleType) -> None:
    team = _client(pkg).teams.retrieve("t1")  # type: ignore[attr-defined]
    assert type(team).__name__ == "Team"
    assert team.team_name == "core" and team.model_extra == {"team_name": ["an extra property"]}
    assert team.lead.first_name == "Ada" and team.lead.model_extra == {"first_name": 7}
    bob = team.members[0]  # a `Person` built lazily (the cycle Person <-> Team)
    assert bob.first_name is None and bob.model_extra == {"first_name": "Bob"}
    # sent back as a request body: what the server sent, each key where it was (pydantic counts
    # an extra key in `model_fields_set` by its name: Bob's unset `firstName` is not sent as
    # null beside it, as a plain `model_dump(exclude_unset=True)` would)
    client = _client(pkg)
    client.teams.update(  # type: ignore[attr-defined]
        "t1", team_name=team.team_name, lead=team.lead, members=team.members
    )
    assert json.loads(SENT[-1]) == {k: v for k, v in TEAM.items() if k != "team_name"}
    assert json.loads(team.model_dump_json(by_alias=True, exclude_unset=True))["members"] == [
        {"firstName": None, "first_name": "Bob"}
    ]


def test_callers_still_build_models_with_python_names(pkg: ModuleType) -> None:
    from wire_names.models import Person, Team

    team = Team(team_name="core", lead=Person(first_name="Ada"), members=[{"first_name": "Bob"}])
    assert team.lead is not None and team.lead.first_name == "Ada"
    assert team.members is not None and team.members[0].first_name == "Bob"


def test_the_contract_run_reads_drawn_values_by_wire_names(pkg: ModuleType) -> None:
    """A drawn argument is wire data: its extra key is not the field (the run refused the
    value as the field's type and blamed the client)."""
    from apigen.contract.cases import CaseInput
    from apigen.contract.mapping import to_call
    from apigen_runtime import Operation, Param

    client = pkg.Client(base_url="http://api.test")
    op: Operation[Any] = Operation(
        "put", "/teams/{id}", params=(Param("id", "id", "path"), Param("lead", "lead", "field"))
    )
    case = CaseInput("drawn", path={"id": "t1"}, body={"lead": {"first_name": [1]}})
    lead = to_call(case, op, client.teams.update).kwargs["lead"]
    assert lead.first_name is None and lead.model_extra == {"first_name": [1]}
