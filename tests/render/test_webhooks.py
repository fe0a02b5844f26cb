"""`<package>/webhooks.py`: a typed parser per webhook of an OpenAPI 3.1 `webhooks` map.

Adyen's notification specs (corpus/) declare only webhooks: their clients had no typed entry
point at all, the payload types being reachable only by knowing which model to validate.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pydantic
import pytest

from tests.builds import build_into, check_generated, manifest, on_path
from tests.conftest import FIXTURES, run_pyright

SPEC = FIXTURES / "webhooks.yaml"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hooks")
    build_into(SPEC, root, name="hooks")
    check_generated(root)
    return root


def test_each_json_webhook_gets_a_parser_and_a_key(out: Path) -> None:
    with on_path(out, "hooks"):
        from hooks import webhooks  # type: ignore[import-not-found]

        assert list(webhooks.WEBHOOKS) == [
            "newPet",
            "pet.adopted",
            "class PUT",  # two methods with a body: one each
            "class POST",
            "new-pet",  # spelled apart from newPet's `new_pet`
            "WEBHOOKS",
            "x\"\"\"); __import__('os').system('exit 3') #\n'''",  # data, never code
        ]  # `ping` sends text/plain: nothing to parse
        assert webhooks.WEBHOOKS["newPet"].method == "post"
        assert callable(webhooks.new_minus_pet) and callable(webhooks.class_put)
        assert callable(webhooks.webhooks_) and isinstance(webhooks.WEBHOOKS, dict)


def test_a_payload_parses_into_its_declared_type_and_only_then_imports_it(out: Path) -> None:
    with on_path(out, "hooks"):
        from hooks import webhooks

        assert "hooks.models.pet" not in sys.modules  # models load on the first parse
        adopted = webhooks.pet_adopted(
            b'{"pet": {"id": 1, "name": "Rex"}, "at": "2026-12-03T10:00:00Z"}'
        )
        assert "hooks.models.pet" in sys.modules
        assert isinstance(adopted, pydantic.BaseModel)  # a received payload: a model
        assert type(adopted).__name__ == "PetAdoptedWebhookPayload"
        assert adopted.pet.name == "Rex" and adopted.at.year == 2026
        assert webhooks.WEBHOOKS["newPet"].parse('{"id": 2, "name": "Tom"}').id == 2
        assert webhooks.class_put(bytearray(b"[1, 2]")) == [1, 2]
        assert webhooks.class_post('"text"') == "text"
        assert webhooks.webhooks_('{"anything": [1]}') == {"anything": [1]}
        for bad in ('{"pet": {"id": "x", "name": "Rex"}, "at": "2026-12-03T10:00:00Z"}', "{"):
            with pytest.raises(pydantic.ValidationError):
                webhooks.pet_adopted(bad)


def test_the_webhooks_module_is_strictly_typed(out: Path, tmp_path: Path) -> None:
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "hooks"],
        capture_output=True,
        text=True,
        check=False,
        cwd=out,
        timeout=600,
    )
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    config = tmp_path / "pyrightconfig.json"
    config.write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.11"}))
    result = run_pyright("--outputjson", "--project", str(config), str(out), cwd=tmp_path)
    errors = [
        d for d in json.loads(result.stdout)["generalDiagnostics"] if d["severity"] == "error"
    ]
    assert errors == [], errors[:5]


def test_the_readme_and_the_api_reference_show_the_webhooks(out: Path) -> None:
    readme = (out / "README.md").read_text()
    assert "## Webhooks" in readme
    assert "webhooks.new_pet(request_body)" in readme
    assert 'webhooks.WEBHOOKS["newPet"].parse(request_body)' in readme
    # the block runs as written: a handler taking the body, which it parses when called
    from tests.e2e.test_readme_examples import python_blocks

    [block] = [b for b in python_blocks(readme) if "webhooks." in b]
    namespace: dict[str, Any] = {}
    with on_path(out, "hooks"):
        exec(compile(block, "README webhooks block", "exec"), namespace)
        with pytest.raises(ValueError):  # pydantic's ValidationError: not a new pet
            namespace["on_webhook"](b"{}")
    reference = (out / "api.md").read_text()
    assert "- `webhooks.pet_adopted(payload) -> PetAdoptedWebhookPayload`" in reference
    assert "webhook `pet.adopted`: A pet found a home." in reference


def test_the_manifest_lists_each_parser_for_apigen_diff(out: Path) -> None:
    hooks = manifest(out)["webhooks"]
    assert hooks["newPet"] == {"function": "webhooks.new_pet", "payload": "Pet"}
    assert hooks["class PUT"] == {"function": "webhooks.class_put", "payload": "list[int]"}


def test_an_api_without_webhooks_has_no_webhooks_module(tmp_path: Path) -> None:
    build_into(FIXTURES / "pagination-cursor.yaml", tmp_path, name="pages")
    assert not (tmp_path / "pages" / "webhooks.py").exists()
    assert "webhooks" not in manifest(tmp_path)  # other manifests stay as they were


EVENTS = """\
openapi: 3.1.0
info: {title: Hooks, version: "1"}
paths:
  /events:
    get:
      operationId: listEvents
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Event"}}
webhooks:
  event:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Event"}
      responses: {"200": {description: ok}}
components:
  schemas:
    Event:
      oneOf:
        - $ref: "#/components/schemas/UserCreated"
        - $ref: "#/components/schemas/UserDeleted"
      discriminator: {propertyName: type}
    UserCreated:
      type: object
      required: [type, id, email]
      properties:
        type: {type: string, enum: [user.created]}
        id: {type: string}
        email: {type: string}
    UserDeleted:
      type: object
      required: [type, id]
      properties:
        type: {type: string, enum: [user.deleted]}
        id: {type: string}
"""


def test_an_event_kind_the_spec_does_not_list_is_an_error_never_another_class(
    tmp_path: Path,
) -> None:
    """A helper's review: with an open `type` tag, `{"type": "user.suspended", "id": ...}`
    (a kind newer than the spec) parsed as `UserDeleted`, and a receiver dispatching on the
    class (`isinstance`, as documented) deleted the user. A webhook body now raises for a tag
    no member declares; a response keeps the lenient fallback. And a member's own constant
    (`enum: [user.deleted]`) picks it although the mapping (implicit: schema names) leaves it
    out: a `user.deleted` event carrying an `email` was read as `UserCreated`."""
    import httpx

    spec = tmp_path / "events.yaml"
    spec.write_text(EVENTS)
    build_into(spec, tmp_path / "out", name="events")
    with on_path(tmp_path / "out", "events") as pkg:
        from events import webhooks  # type: ignore[import-not-found]

        deleted = webhooks.event(b'{"type": "user.deleted", "id": "u", "email": "e@x"}')
        assert type(deleted).__name__ == "UserDeleted"
        with pytest.raises(pydantic.ValidationError, match=r"'type=user\.suspended'"):
            webhooks.event(b'{"type": "user.suspended", "id": "u"}')
        with pytest.raises(pydantic.ValidationError, match="Unable to extract tag"):
            webhooks.event(b'{"id": "u", "email": "e@x"}')
        body = [
            {"type": "user.suspended", "id": "u"},
            {"type": "user.created", "id": "v", "email": "e"},
        ]
        http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=body)))
        listed = pkg.Client(base_url="https://x.test", http_client=http).events.list()
        assert [type(e).__name__ for e in listed] == ["UserDeleted", "UserCreated"]  # tolerated


@pytest.mark.parametrize("tag_required", [True, False])
def test_a_tag_a_member_lists_parses_whether_required_or_inherited(
    tmp_path: Path, tag_required: bool
) -> None:
    """A review of the fix above: it refused real events whose tag the spec lists, where the
    tag map missed it: a member's constant on a property not `required` (common), and an
    `allOf` hierarchy (`Dog: allOf [Pet, {petType: {enum: [dog]}}]`, no mapping). Both
    constants join the map; only a union whose every member lists its tags refuses a tag none
    lists (the base `Pet` takes any: an unknown kind is a `Pet`, as before)."""
    spec = tmp_path / "events.yaml"
    text = (
        EVENTS
        if tag_required
        else EVENTS.replace("required: [type, id, email]", "required: [id, email]").replace(
            "required: [type, id]", "required: [id]"
        )
    )
    pets = """\
    Pet:
      type: object
      required: [petType, name]
      properties:
        petType: {type: string}
        name: {type: string}
      discriminator: {propertyName: petType}
    Dog:
      allOf:
        - $ref: "#/components/schemas/Pet"
        - {type: object, properties: {petType: {type: string, enum: [dog]}, barks: {type: boolean}}}
"""
    text = text.replace("components:\n  schemas:\n", "components:\n  schemas:\n" + pets)
    text = text.replace(
        "webhooks:\n",
        "webhooks:\n  pet:\n    post:\n      requestBody:\n        content:\n"
        "          application/json:\n            schema: {$ref: '#/components/schemas/Pet'}\n"
        "      responses: {'200': {description: ok}}\n",
    )
    spec.write_text(text)
    build_into(spec, tmp_path / "out", name="events")
    with on_path(tmp_path / "out", "events"):
        from events import webhooks

        created = webhooks.event(b'{"type": "user.created", "id": "u", "email": "e@x"}')
        assert type(created).__name__ == "UserCreated"
        with pytest.raises(pydantic.ValidationError, match=r"'type=user\.suspended'"):
            webhooks.event(b'{"type": "user.suspended", "id": "u"}')
        dog = webhooks.pet(b'{"petType": "dog", "name": "rex", "barks": true}')
        assert type(dog).__name__ == "Dog"
        wolf = webhooks.pet(b'{"petType": "wolf", "name": "w"}')
        assert type(wolf).__name__ == "Pet"  # the base takes any kind: not refused


INLINE = """\
openapi: 3.1.0
info: {title: Inline, version: "1"}
paths: {}
webhooks:
  event:
    post:
      requestBody:
        content:
          application/json:
            schema:
              oneOf:
                - type: object
                  required: [type, id]
                  properties: {type: {enum: [user.created]}, id: {type: string}, email: {type: string}}
                - type: object
                  required: [type, id]
                  properties: {type: {enum: [user.deleted]}, id: {type: string}}
              discriminator: {propertyName: type}
      responses: {"200": {description: ok}}
"""


def test_an_inline_one_of_with_a_discriminator_is_tagged_by_its_constants(tmp_path: Path) -> None:
    """A docs check: a `oneOf` of inline members with a `discriminator` lost its tag (inline
    members have no schema name for the implicit mapping), so the first member took every
    body: a `user.deleted` read as the `user.created` class, a new kind too. The members'
    constants tag it (a component's inline members no longer get `Event/oneOf/0` tags)."""
    spec = tmp_path / "inline.yaml"
    spec.write_text(INLINE)
    build_into(spec, tmp_path / "out", name="inline")
    with on_path(tmp_path / "out", "inline"):
        from inline import webhooks  # type: ignore[import-not-found]

        deleted = webhooks.event(b'{"type": "user.deleted", "id": "u", "email": "e"}')
        created = webhooks.event(b'{"type": "user.created", "id": "u", "email": "e"}')
        assert type(deleted) is not type(created)
        assert "email" not in type(deleted).model_fields
        with pytest.raises(pydantic.ValidationError, match=r"'type=user\.suspended'"):
            webhooks.event(b'{"type": "user.suspended", "id": "u"}')


def test_a_new_kind_inside_a_known_event_is_tolerated(tmp_path: Path) -> None:
    """A docs check and a regression sweep: the refusal applied to every union in the body,
    so a known `charge.created` event holding a new kind of payment method was refused whole.
    Only the body's own union refuses a tag none of its members lists."""
    nested = EVENTS.replace(
        "        email: {type: string}\n",
        "        email: {type: string}\n"
        "        method:\n"
        "          oneOf:\n"
        "            - {type: object, required: [kind], properties: {kind: {enum: [card]}}}\n"
        "            - {type: object, required: [kind], properties: {kind: {enum: [bank]}}}\n"
        "          discriminator: {propertyName: kind}\n",
    )
    spec = tmp_path / "nested.yaml"
    spec.write_text(nested)
    build_into(spec, tmp_path / "out", name="nested")
    with on_path(tmp_path / "out", "nested"):
        from nested import webhooks  # type: ignore[import-not-found]

        body = b'{"type": "user.created", "id": "u", "email": "e", "method": {"kind": "wallet"}}'
        assert type(webhooks.event(body)).__name__ == "UserCreated"
        with pytest.raises(pydantic.ValidationError, match=r"'type=user\.suspended'"):
            webhooks.event(b'{"type": "user.suspended", "id": "u"}')
