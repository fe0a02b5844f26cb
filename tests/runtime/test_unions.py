"""Unions of models validated against the one member the data's keys leave (`_unions.py`): the
same results as pydantic's smart union, without validating the members that cannot match."""

from __future__ import annotations

from typing import Any, Literal

import pytest
from pydantic import AliasChoices, BaseModel, Field, RootModel, TypeAdapter, ValidationError

import apigen_runtime as rt
from apigen_runtime._unions import picker, with_picker


class Customer(rt.Model):
    id: str
    created: int
    email: str | None = None


class DeletedCustomer(rt.Model):
    id: str
    deleted: Literal[True]


class Card(rt.Model):
    id: str
    last4: str
    from_: str | None = Field(default=None, alias="from")


class Wire(rt.Model):
    id: str
    to: str = Field(alias="to_account")


class Counted(BaseModel):
    counted: int


def _both(type_: Any, data: Any, *, strict: bool = False) -> tuple[Any, Any]:
    """The smart union's result and the picked one's (each a value or the error's type)."""
    results: list[Any] = []
    for adapter in (TypeAdapter(type_), TypeAdapter(with_picker(type_))):
        try:
            results.append(adapter.validate_python(data, strict=strict))
        except ValidationError as err:
            results.append(("error", err.error_count() > 0))
    return results[0], results[1]


@pytest.mark.parametrize(
    "data",
    [
        {"id": "cus_1", "created": 1, "email": "a@example.com", "extra": {"kept": True}},
        {"id": "cus_1", "deleted": True},
        {"id": "cus_1", "created": "not a number"},  # one candidate, and it fails
        {"id": "cus_1", "created": 1, "deleted": True},  # both hold their keys: smart decides
        {"id": "cus_1"},  # neither does
        "cus_1",
        None,
    ],
)
def test_picked_union_agrees_with_the_smart_union(data: object) -> None:
    type_ = Customer | DeletedCustomer | str | None
    smart, picked = _both(type_, data)
    assert picked == smart
    assert type(picked) is type(smart)


def test_only_the_member_the_keys_leave_is_validated() -> None:
    calls: list[str] = []

    class Spy(rt.Model):
        id: str
        deleted: Literal[True]

        @classmethod
        def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
            from pydantic_core import core_schema

            def note(value: Any, inner: Any) -> Any:
                calls.append("spy")
                return inner(value)

            return core_schema.no_info_wrap_validator_function(note, handler(source))

    adapter = TypeAdapter(with_picker(Customer | Spy))
    assert isinstance(adapter.validate_json(b'{"id": "c", "created": 1}'), Customer)
    assert calls == []
    assert isinstance(
        TypeAdapter(Customer | Spy).validate_json(b'{"id": "c", "created": 1}'), Customer
    )
    assert calls == ["spy"]  # the smart union tries it


def test_a_wire_name_or_a_field_name_provides_a_required_field() -> None:
    type_ = Wire | Customer
    for data in ({"id": "w", "to_account": "acct"}, {"id": "w", "to": "acct"}):
        smart, picked = _both(type_, data)
        assert isinstance(picked, Wire) and picked == smart


def test_strict_validation_is_kept() -> None:
    smart, picked = _both(Customer | DeletedCustomer, {"id": "c", "created": "1"}, strict=True)
    assert smart == picked == ("error", True)
    adapter = TypeAdapter(with_picker(Customer | DeletedCustomer))
    with pytest.raises(ValidationError):
        adapter.validate_json(b'{"id": "c", "created": "1"}', strict=True)


def test_a_model_instance_keeps_its_class() -> None:
    value = DeletedCustomer(id="c", deleted=True)
    assert TypeAdapter(with_picker(Customer | DeletedCustomer)).validate_python(value) is value


@pytest.mark.parametrize(
    "members",
    [
        (Customer,),  # one model: nothing to pick
        (Customer, dict[str, Any]),  # a dict type takes the object too
        (Customer, list[Card]),
        (Customer, Any),
        (Customer, RootModel[dict[str, int]]),
    ],
)
def test_no_picker_where_another_member_could_take_the_object(members: tuple[Any, ...]) -> None:
    assert picker(members) is None


def test_no_picker_for_a_field_read_from_several_keys() -> None:
    class Either(BaseModel):
        value: int = Field(validation_alias=AliasChoices("value", "amount"))

    assert picker((Either, Counted)) is None
    assert picker((Counted, Customer)) is not None


def test_a_non_union_type_is_left_as_it_is() -> None:
    assert with_picker(Customer) is Customer
    assert with_picker(list[Customer | DeletedCustomer]) == list[Customer | DeletedCustomer]


def test_an_error_of_the_picked_member_is_located_as_in_the_smart_union() -> None:
    data = {"id": "c", "created": "x"}
    locations = []
    for type_ in (Customer | DeletedCustomer, with_picker(Customer | DeletedCustomer)):
        with pytest.raises(ValidationError) as caught:
            TypeAdapter(type_).validate_python(data)
        locations.append([e["loc"] for e in caught.value.errors() if e["type"] == "int_parsing"])
    assert locations[0] == locations[1] == [("Customer", "created")]


class NumberAndBic(rt.Model):
    type: Literal["numberAndBic"] | str = "numberAndBic"  # an open enum, as generated
    account_number: str = Field(alias="accountNumber")
    bic: str


class SgLocal(rt.Model):
    type: Literal["sgLocal"] | str = "sgLocal"
    account_number: str = Field(alias="accountNumber")
    bic: str


def test_a_tag_decides_between_members_whose_keys_tie() -> None:
    """Helper 207 (Adyen): both members hold every key, and with open enums both take any
    tag, so the smart union took the first: `{"type": "sgLocal", ...}` read as `NumberAndBic`.
    A field of one literal value whose data matches one candidate alone picks it."""
    adapter: TypeAdapter[Any] = TypeAdapter(with_picker(NumberAndBic | SgLocal))
    sg = adapter.validate_python({"type": "sgLocal", "accountNumber": "1", "bic": "B"})
    assert type(sg) is SgLocal
    nb = adapter.validate_python({"type": "numberAndBic", "accountNumber": "1", "bic": "B"})
    assert type(nb) is NumberAndBic
    # a tag neither declares (newer than the spec): undecided, the smart union as before
    other = adapter.validate_python({"type": "iban", "accountNumber": "1", "bic": "B"})
    assert type(other) is NumberAndBic and other.type == "iban"


class TaggedCat(rt.Model):
    kind: Literal["cat"] | str
    size: int


class AnyRobot(rt.Model):
    kind: str  # no tag of its own: it may be the match
    size: str


def test_a_tag_decides_only_when_every_other_member_says_otherwise() -> None:
    """Helper 217: `{"kind": "cat", "size": "big"}` is valid only as `AnyRobot`; the tag
    picked `TaggedCat` alone, which failed, where the smart union found the robot."""
    adapter: TypeAdapter[Any] = TypeAdapter(with_picker(TaggedCat | AnyRobot))
    robot = adapter.validate_python({"kind": "cat", "size": "big"})
    assert type(robot) is AnyRobot
    assert type(adapter.validate_python({"kind": "cat", "size": 3})) is TaggedCat


class UserRef(rt.Model):
    id: str
    type: Literal["user_reference"] | str


class AccountRef(rt.Model):
    id: str
    type: Literal["account_reference"] | str


class AnyRef(rt.Model):
    id: str
    type: str  # a catch-all: any kind


def test_the_one_candidate_whose_tag_the_data_does_not_contradict_is_taken() -> None:
    """Helper 231 (PagerDuty's `last_run_by`): `{"type": "service_reference"}` fits only the
    catch-all; the tagged members' tags say otherwise (open enums let them take it), and the
    smart union took `UserRef`, the first. A tag the data holds still decides as before."""
    adapter: TypeAdapter[Any] = TypeAdapter(with_picker(UserRef | AnyRef | AccountRef))
    other = adapter.validate_python({"type": "service_reference", "id": "x"})
    assert type(other) is AnyRef
    user = adapter.validate_python({"type": "user_reference", "id": "x"})
    assert type(user) is UserRef  # (matched, the catch-all undecided: the smart union)
