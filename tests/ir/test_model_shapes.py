"""Schema -> model conversion bugs of issue 7, each pinned by a small spec (specs/model-shapes.yaml)."""

from __future__ import annotations

import ast
import inspect
import json
import re
import sys
from pathlib import Path
from typing import Any

import pydantic
import pytest

from apigen.format import GeneratedCodeError, check_syntax, format_tree
from apigen.ir.nodes import DictOf, LiteralOf, Prim, Ref, UnionOf
from apigen.ir.schemas import union_of
from apigen.render.code import docstring
from tests.builds import build_into, on_path
from tests.conftest import FIXTURES

SPEC = FIXTURES / "model-shapes.yaml"
PKG = "shapes"


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("shapes") / PKG
    build_into(SPEC, out)
    return out


def _source(out: Path, module: str) -> str:
    return (out / PKG / module).read_text()


# --- 1. a required property that refs a nullable schema accepts null -------------------------


def test_required_ref_to_nullable_schema_accepts_null(shapes: Path) -> None:
    text = _source(shapes, "models/issue.py")
    assert re.search(r"assignee: License \| None\n", text), text
    assert re.search(r"editor: User31 \| None\n", text), text
    with on_path(shapes, PKG):
        from shapes.models import Issue  # type: ignore[import-not-found]

        issue = Issue.model_validate(
            {"assignee": None, "license": {"key": "mit"}, "editor": None, "reviewer": None}
        )
        assert issue.assignee is None and issue.license.key == "mit"
        with pytest.raises(pydantic.ValidationError):  # still required
            Issue.model_validate({"license": None, "editor": None, "reviewer": None})


def test_nullability_follows_ref_chains_and_single_ref_all_of(shapes: Path) -> None:
    with on_path(shapes, PKG):
        from shapes.models import Holder  # type: ignore[import-not-found]

        text = _source(shapes, "models/holder.py")
        assert re.search(r"wrapped: License \| None\n", text), text
        assert re.search(r"chained: LicenseAgain\n", text), text  # the alias holds the None
        holder = Holder.model_validate({"wrapped": None, "chained": None, "plain": {}})
        assert holder.wrapped is None and holder.chained is None
        with pytest.raises(pydantic.ValidationError):  # not nullable: still refuses null
            Holder.model_validate({"wrapped": None, "chained": None, "plain": None})


# --- 2. a literal that a plain member already covers collapses into it ------------------------


def test_string_or_empty_string_is_str_in_models_and_signatures(shapes: Path) -> None:
    model = _source(shapes, "models/customer.py")
    assert re.search(r"email: str \| None = None", model), model
    assert re.search(r"mixed: str \| int \| None = None", model), model
    resource = _source(shapes, "resources/customers.py")
    assert 'Literal[""]' not in resource, resource
    assert re.search(r"email: str \| NotGiven", resource), resource


def test_union_drops_members_subsumed_by_another() -> None:
    string, integer = Prim("str"), Prim("int")
    assert union_of([string, LiteralOf(("",), Prim("str"))]) == string
    assert union_of([LiteralOf(("",), Prim("str")), string]) == string
    assert union_of([integer, LiteralOf(("a", 1), None)]) == UnionOf(
        (integer, LiteralOf(("a",), None))
    )
    assert union_of([LiteralOf((True,), None), Prim("bool")]) == Prim("bool")
    # int does not cover bools, nor str ints: nothing to drop
    assert union_of([integer, LiteralOf((True,), None)]) == UnionOf(
        (integer, LiteralOf((True,), None))
    )


def test_a_date_comes_before_a_datetime_so_a_date_string_stays_a_date() -> None:
    # opc baseline `aCamelDateTime: anyOf [date-time, date]`: "0350-02-08" went out as
    # "0350-02-08T00:00:00", valid under neither member
    date, stamp = Prim("date"), Prim("datetime")
    assert union_of([stamp, date]) == UnionOf((date, stamp))
    assert union_of([Prim("str"), stamp, date]) == UnionOf((Prim("str"), date, stamp))
    assert union_of([date, stamp]) == UnionOf((date, stamp))
    import datetime as dt

    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(dt.date | dt.datetime)
    assert adapter.dump_python(adapter.validate_python("0350-02-08"), mode="json") == "0350-02-08"
    stamped = adapter.validate_python("2020-01-02T03:04:05Z")
    assert adapter.dump_python(stamped, mode="json") == "2020-01-02T03:04:05Z"


def test_a_free_form_object_comes_after_a_model_so_a_model_body_stays_a_model() -> None:
    """DigitalOcean's `anyOf: [{type: object, nullable: true}, {$ref: Droplet}]`: a valid
    droplet read as a plain dict (strict too), pydantic taking the first member on a tie."""
    free, droplet = DictOf(Prim("Any")), Ref("Droplet")
    assert union_of([free, droplet, Prim("str")]) == UnionOf((droplet, Prim("str"), free))
    assert union_of([droplet, free]) == UnionOf((droplet, free))

    class Droplet(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(extra="allow")
        id: int | None = None

    body = {"id": 3, "name": "web"}
    ordered: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(Droplet | dict[str, Any] | None)
    assert type(ordered.validate_python(body)) is Droplet
    assert type(ordered.validate_json(json.dumps(body))) is Droplet
    spec_order: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(dict[str, Any] | Droplet | None)
    assert type(spec_order.validate_python(body)) is dict  # what the spec's order gave


# --- 3. an unknown discriminator tag tries each variant --------------------------------------


def test_unknown_discriminator_tag_falls_back_to_each_variant(shapes: Path) -> None:
    with on_path(shapes, PKG):
        from shapes.models import Cat, Dog, Thing  # type: ignore[import-not-found]

        adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(Thing)
        assert isinstance(adapter.validate_python({"kind": "dog", "barks": True}), Dog)
        assert isinstance(adapter.validate_python({"kind": "cat"}), Cat)
        # unknown tags: the first variant that validates
        assert isinstance(adapter.validate_python({"kind": "wolf", "barks": True}), Dog)
        assert isinstance(adapter.validate_python({"kind": "lion"}), Cat)
        # a known tag still selects its variant, and its errors are reported
        with pytest.raises(pydantic.ValidationError):
            adapter.validate_python({"kind": "dog"})
        with pytest.raises(pydantic.ValidationError):
            adapter.validate_python({"barks": True})


# --- 4. request-only shapes are TypedDicts pydantic accepts on Python 3.11 --------------------


def test_request_only_typed_dicts_come_from_typing_extensions(shapes: Path) -> None:
    """Both spellings (class syntax, and the functional form for keys that are not names)."""
    texts = {p.name: p.read_text() for p in (shapes / PKG / "types").rglob("*.py")}
    typed = {name: text for name, text in texts.items() if "TypedDict" in text}
    assert typed, texts
    for name, text in typed.items():
        assert "from typing_extensions import" in text, (name, text)
        assert not re.search(r"from typing import .*TypedDict", text), (name, text)
    assert "typing-extensions" in (shapes / "pyproject.toml").read_text()
    with on_path(shapes, PKG):
        import importlib

        found = 0
        for name in typed:
            module = importlib.import_module(f"{PKG}.types.{name[:-3]}")
            for value in vars(module).values():
                if isinstance(value, type) and value.__module__ == module.__name__:
                    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(value)
                    assert adapter.validate_python({"name": "x"}) == {"name": "x"}
                    found += 1
        assert found >= 2


# --- 5. docstrings are escaped; bad code is named by file and line ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        'Ends with three quotes """',
        'four """" quotes inside, and "" two',
        "ends with a backslash \\",
        'ends with one quote "',
        'ends with two quotes ""',
        "a \\N{BULLET} escape, \\x41, \\u0041 and \\",
        '"starts with a quote',
        '"""',
        "line one\\\nline two \\",
    ],
)
def test_docstring_round_trips_any_text(text: str) -> None:
    for indent in ("", "    "):
        source = docstring(text, indent=indent)
        tree = ast.parse(f"if 1:\n{source}\n" if indent else source)
        node = tree.body[0].body[0] if indent else tree.body[0]  # type: ignore[attr-defined]
        assert inspect.cleandoc(node.value.value) == text.strip()


def test_descriptions_with_quotes_and_backslashes_build(shapes: Path) -> None:
    with on_path(shapes, PKG):
        from shapes.models import Quoted  # type: ignore[import-not-found]

        assert Quoted.__doc__ == 'Ends with three quotes """'


def test_invalid_generated_code_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "ok.py").write_text("x = 1\n")
    (tmp_path / "pkg" / "bad.py").write_text('x = 1\ny = """\n')
    with pytest.raises(GeneratedCodeError) as info:
        check_syntax(tmp_path)
    message = str(info.value)
    assert "pkg/bad.py" in message and "line 2" in message, message
    with pytest.raises(GeneratedCodeError):
        format_tree(tmp_path)  # compiled before ruff ever sees it


def test_formatter_failure_prints_ruffs_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Code that compiles is formatted; should ruff still fail, its own message is shown (the
    compile check is switched off here so that ruff meets a file it cannot parse)."""
    (tmp_path / "bad.py").write_text("x = (\n")
    monkeypatch.setattr("apigen.format.check_syntax", lambda root, sources=None: None)
    with pytest.raises(GeneratedCodeError) as info:
        format_tree(tmp_path)
    message = str(info.value)
    assert "bad.py" in message and "parse" in message, message


def test_cli_reports_generated_code_errors_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No 'internal error': the message names the file (a hostile description must not do this,
    so a broken renderer is simulated)."""
    from click.testing import CliRunner

    from apigen import cli, format

    def broken(root: Path, **_: object) -> None:
        raise GeneratedCodeError("shapes/models/x.py line 3: unterminated string literal")

    monkeypatch.setattr(format, "format_tree", broken)  # the build imports it when it runs
    result = CliRunner().invoke(cli.main, ["build", str(SPEC), "-o", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "internal error" not in result.output, result.output
    assert "shapes/models/x.py line 3" in result.output, result.output
    assert sys.version_info >= (3, 11)


# --- model modules evaluate annotations at class creation (no string annotations to compile) --


def test_forward_names_in_a_model_module_stay_quoted() -> None:
    from apigen.render.views import ClassView, FieldView, _evaluated_annotations

    first = ClassView(
        "A",
        "",
        [
            FieldView("b", "B | None", "None", ""),
            FieldView("me", "list[A]", None, ""),
            FieldView("kind", 'Literal["B"]', None, ""),  # a name only inside a string
            FieldView("other", "Leaf | int", None, ""),  # imported: bound at import
        ],
    )
    second = ClassView("B", "", [FieldView("a", "A", None, "")])
    _evaluated_annotations([first, second], {"A", "B"})
    assert [f.annotation for f in first.fields] == [
        "'B | None'",
        "'list[A]'",
        'Literal["B"]',
        "Leaf | int",
    ]
    assert second.fields[0].annotation == "A"  # created before B: evaluated as is


def test_model_modules_have_no_future_import_and_all_build(shapes: Path) -> None:
    modules = sorted(p for p in (shapes / PKG / "models").glob("*.py") if p.stem != "__init__")
    assert modules
    for path in modules:
        assert "from __future__ import annotations" not in path.read_text(), path.name
    with on_path(shapes, PKG):
        import importlib

        for path in modules:
            module = importlib.import_module(f"{PKG}.models.{path.stem}")
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, pydantic.BaseModel):
                    value.model_rebuild()
                    assert value.__pydantic_complete__, value


def test_a_multi_type_schema_with_array_and_object_keeps_every_type(tmp_path: Path) -> None:
    # Slack's `objs_user_profile.fields`: `type: [object, null, array]` with `items`; the array
    # member alone was kept, so a valid object value failed to parse
    spec = tmp_path / "multi.yaml"
    spec.write_text(
        """
openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Profile:
      type: object
      properties:
        fields:
          type: [object, "null", array]
          items: {type: object}
        sizes:
          type: [array, string]
          items: {type: integer}
"""
    )
    build_into(spec, tmp_path / "multi")
    with on_path(tmp_path / "multi", "multi"):
        from multi.models import Profile  # type: ignore[import-not-found]

        for value in ({"a": 1}, [{"a": 1}], None):
            assert Profile.model_validate({"fields": value}).fields_ == value
        assert Profile.model_validate({"sizes": [1, 2]}).sizes == [1, 2]
        assert Profile.model_validate({"sizes": "large"}).sizes == "large"


def test_a_null_only_schema_is_none_not_any() -> None:
    """3.1 `type: "null"` (or `const: null`) alone was typed `Any`: strict parsing took
    `{"n": 5}` for a property the spec allows only null in."""
    from apigen.ir.nodes import ListOf, ModelDef, Nullable
    from tests.builds import api_of

    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "T": {
                    "type": "object",
                    "required": ["n"],
                    "properties": {
                        "n": {"type": "null"},
                        "m": {"const": None},
                        "o": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                        "p": {"type": "array", "items": {"type": ["null"]}},
                    },
                }
            }
        },
    }
    (model,) = [d for d in api_of(doc).definitions.values() if isinstance(d, ModelDef)]
    types = {f.wire_name: f.type for f in model.fields}
    none = Prim("None")
    assert types == {
        "n": none,
        "m": none,
        "o": Nullable(Prim("str")),
        "p": ListOf(none),
    }


def test_an_answer_to_head_has_no_content() -> None:
    """A helper's download review: a HEAD operation whose spec documents its GET's body was
    typed `-> JsonHeadResponse`, and the call returned None (there is no body to read)."""
    from tests.builds import api_of

    answer = {"type": "object", "properties": {"size": {"type": "integer"}}}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/files/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "head": {
                    "operationId": "checkFile",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": answer}},
                        }
                    },
                },
            }
        },
    }
    (op,) = api_of(doc).operations
    assert op.returns == Prim("None") and [r.kind for r in op.responses] == ["empty"]
