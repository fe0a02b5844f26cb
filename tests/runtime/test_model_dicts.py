"""`Model.to_dict()` / `to_json()` (openai-python's names): what the API sent, keyed by its
names, ready to send back or log; `model_dump()` stays pydantic's (Python names, every field)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pydantic import Field

from apigen.naming import field_name
from apigen_runtime import Model


class Owner(Model):
    first_name: str | None = Field(default=None, alias="firstName")


class Pet(Model):
    pet_id: int = Field(alias="petId")
    born: datetime | None = None
    owner: Owner | None = None
    tag: str | None = "none"


WIRE = '{"petId": 7, "born": "2020-01-02T03:04:05Z", "owner": {"firstName": "Ada"}, "x-extra": 1}'


def test_to_dict_keys_by_the_api_s_names_and_keeps_what_was_sent() -> None:
    pet = Pet.model_validate_json(WIRE, by_name=False)
    assert pet.to_dict() == {
        "petId": 7,
        "born": datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC),
        "owner": {"firstName": "Ada"},
        "x-extra": 1,  # an unknown field the server sent is kept
    }  # `tag` was not sent: left out, not its default
    assert pet.to_dict(mode="json")["born"] == "2020-01-02T03:04:05Z"
    assert pet.to_dict(use_api_names=False, exclude_unset=False)["pet_id"] == 7
    assert pet.to_dict(exclude_unset=False)["tag"] == "none"
    assert "pet_id" in pet.model_dump()  # pydantic's own, unchanged


def test_to_json_round_trips_to_the_same_model() -> None:
    pet = Pet.model_validate_json(WIRE, by_name=False)
    text = pet.to_json()
    assert text.startswith('{\n  "petId": 7')  # indented by default
    assert json.loads(text)["owner"] == {"firstName": "Ada"}
    assert Pet.model_validate_json(text, by_name=False) == pet
    assert "\n" not in pet.to_json(indent=None)
    assert json.loads(Pet(petId=1, tag=None).to_json(exclude_none=True)) == {"petId": 1}


def test_a_field_of_that_name_does_not_shadow_the_method() -> None:
    assert field_name("toJson") == "to_json_"
    assert field_name("to_dict") == "to_dict_"


def test_the_same_data_fetched_twice_is_equal() -> None:
    """A helper's review: `_request_id` sits in pydantic's private attributes, which its
    `__eq__` compares, so the same resource fetched twice (two request ids), or rebuilt with
    `model_validate(m.to_dict())`, compared unequal."""
    import apigen_runtime as rt

    class Thing(rt.Model):
        id: int

    first, second = Thing.model_validate({"id": 1}), Thing.model_validate({"id": 1})
    first._request_id, second._request_id = "req_1", "req_2"
    assert first == second and first == Thing.model_validate(first.to_dict())
    assert Thing(id=1) == first and first != Thing(id=2)
    assert (first._request_id, second._request_id) == ("req_1", "req_2")  # kept by the compare
