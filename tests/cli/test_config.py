"""Issue 9, configuration: `apigen.toml` / `[tool.apigen]`, validated with located errors, and
every key's effect on the generated client; `apigen generate` end to end."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from apigen.config import ConfigError, discover, load_config
from apigen.config.command import CommandError, run_post_generate
from apigen.diagnostics import SpecError
from tests.builds import manifest, on_path
from tests.conftest import FIXTURES, ROOT

DEMO = FIXTURES / "config-demo.yaml"


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text))
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as err:
        load_config(path)
    return err.value.problems


def build_client(config: Path, name: str = "demo") -> Path:
    client = load_config(config).select([name])[0]
    assert client.problems() == []
    client.build()
    run_post_generate(client)
    return client.output


# --- the file: schema, locations, discovery, paths ---------------------------------------------


def test_schema_errors_name_the_file_and_the_key(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / "apigen.toml",
        f"""\
        [clients.demo]
        spec = "{DEMO}"
        output = "out"
        pakage = "x"
        version = 2023-10-16
        runtime = "bundled"
        post_generate = ["ruff"]
        [clients.demo.renames]
        methods = "list"
        [clients.demo.headers]
        "Bad Header" = "v"
        [clients.demo.include]
        tag = ["a"]
        [clients.other]
        output = "o"
        """,
    )
    assert problems(cfg) == [
        f'{cfg}: clients.demo.headers."Bad Header": expected an HTTP header name',
        f"{cfg}: clients.demo.include.tag: unknown key 'tag' (did you mean 'tags'?)",
        f"{cfg}: clients.demo.pakage: unknown key 'pakage' (did you mean 'package'?)",
        f"{cfg}: clients.demo.post_generate[0]: expected an array",
        f"{cfg}: clients.demo.renames.methods: expected a table",
        f"{cfg}: clients.demo.runtime: expected one of 'vendored', 'shared', not 'bundled'",
        f'{cfg}: clients.demo.version: expected a string (TOML read a date: quote it, "2023-10-16")',
        f"{cfg}: clients.other: needs `spec` (a file) or `url` (fetched)",
    ]


def test_package_name_and_version_are_checked_where_written(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / "apigen.toml",
        """\
        [clients.demo]
        spec = "s.yaml"
        output = "out"
        package = "class"
        dist_name = "-bad"
        version = "one"
        """,
    )
    found = problems(cfg)
    assert [line.split(": ", 2)[1] for line in found] == [
        "clients.demo.package",
        "clients.demo.dist_name",
        "clients.demo.version",
    ]
    assert "a Python keyword" in found[0] and "PEP 440" in found[2]


@pytest.mark.parametrize("url", ["spec.yaml", "ftp://example.com/spec.yaml", "file:///etc/x"])
def test_a_url_must_be_http(tmp_path: Path, url: str) -> None:
    """A helper's review: `url = "spec.yaml"` was read as a file relative to the current
    folder (not the config's) and recorded as the client's `spec_url`; `ftp://...` showed as a
    mangled path. `url` is http(s) only; a file is `spec`."""
    cfg = write(
        tmp_path / "apigen.toml",
        f'[clients.demo]\nurl = "{url}"\noutput = "out"\n',
    )
    assert problems(cfg) == [
        f"{cfg}: clients.demo.url: expected an http:// or https:// URL (a file is `spec`)"
        f" (got {url!r})"
    ]


def test_pyproject_locations_and_toml_syntax(tmp_path: Path) -> None:
    py = write(
        tmp_path / "pyproject.toml",
        """\
        [project]
        name = "x"
        [tool.apigen.clients.demo]
        spec = "s.yaml"
        output = "out"
        renames = { methods = { listWidgets = "list-all" } }
        """,
    )
    assert problems(py) == [
        f"{py}: tool.apigen.clients.demo.renames.methods.listWidgets: expected a public Python "
        "name or a dotted path of them (`issues.comments`; no part may start with `_`: those "
        "are the client's own) (got 'list-all')"
    ]
    broken = write(tmp_path / "apigen.toml", "[clients.demo\n")
    [message] = problems(broken)
    assert message.startswith(f"{broken}: not valid TOML:") and "line 1" in message
    # not UTF-8 (a review: a `UnicodeDecodeError` traceback from `apigen generate`)
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b"\xff\xfe [clients.demo]\n")
    [message] = problems(latin)
    assert message == f"{latin}: not valid TOML: not UTF-8 text (byte 0: invalid start byte)"


def test_discovery_prefers_apigen_toml_then_pyproject(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no configuration in"):
        discover(tmp_path)
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    with pytest.raises(ConfigError, match="no configuration in"):
        discover(tmp_path)  # a pyproject.toml without [tool.apigen] is not one
    write(tmp_path / "pyproject.toml", "[tool.apigen.clients.a]\nspec = 's'\noutput = 'o'\n")
    assert discover(tmp_path) == tmp_path / "pyproject.toml"
    write(tmp_path / "apigen.toml", "[clients.b]\nspec = 's'\noutput = 'o'\n")
    assert discover(tmp_path) == tmp_path / "apigen.toml"


def test_paths_are_relative_to_the_file_and_expand_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CFG_SPECS", str(tmp_path / "elsewhere"))
    monkeypatch.delenv("CFG_UNSET", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "sub").mkdir()
    cfg = write(
        tmp_path / "sub" / "apigen.toml",
        """\
        [clients.a]
        spec = "${CFG_SPECS}/a.json"
        output = "${CFG_UNSET:-../gen}/a"
        [clients.b]
        spec = "~/b.yaml"
        output = "gen/b"
        """,
    )
    a, b = load_config(cfg).clients
    assert a.spec == tmp_path / "elsewhere" / "a.json"
    assert a.output == tmp_path / "gen" / "a"
    assert b.spec == tmp_path / "home" / "b.yaml" and b.output == tmp_path / "sub" / "gen" / "b"
    assert a.problems() == [f"{cfg}: clients.a.spec: {a.spec} is not a file"]
    write(cfg, '[clients.a]\nspec = "${CFG_UNSET}/a.json"\noutput = "o"\n')
    # the client's problem, said when it is generated (another client runs without the variable)
    assert load_config(cfg).clients[0].problems() == [
        f"{cfg}: clients.a.spec: environment variable CFG_UNSET is not set "
        "(write ${CFG_UNSET:-...})"
    ]


def test_select_by_name(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / "apigen.toml",
        "[clients.one]\nspec='s'\noutput='o'\n[clients.two]\nspec='s'\noutput='p'\n",
    )
    config = load_config(cfg)
    assert [c.name for c in config.select([])] == ["one", "two"]
    assert [c.name for c in config.select(["two"])] == ["two"]
    with pytest.raises(ConfigError, match=r"no client named 'tow' \(did you mean 'two'\?\)"):
        config.select(["tow"])


# --- each key's effect on the generated client ---------------------------------------------------


@pytest.fixture(scope="module")
def configured(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("configured")
    overlay = root / "overlay"
    overlay.mkdir()
    (overlay / "README.md.jinja").write_text(
        '# {{ view.package }}: custom readme\n{% include "builtin/README.md.jinja" %}'
    )
    cfg = write(
        root / "apigen.toml",
        f"""\
        [clients.demo]
        spec = "{DEMO}"
        url = "https://example.test/specs/config-demo.yaml"
        output = "out/demo"
        package = "cfgdemo"
        templates = "overlay"
        idempotency_header = "Idempotency-Key"
        should_retry_header = "x-please-retry"
        post_generate = [["{sys.executable}", "-c", "open('post.txt', 'w').write('ran')"]]

        [clients.demo.headers]
        Stripe-Version = "2023-10-16"

        [clients.demo.exclude]
        tags = ["admin"]
        paths = ["DELETE /widgets/*"]

        [clients.demo.renames.methods]
        listWidgets = "all"
        "GET /widgets/{{id}}" = "fetch"
        doohickeysIndex = "everything"

        [clients.demo.renames.resources]
        widgets = "parts"

        [clients.demo.renames.models]
        Widget = "Part"
        """,
    )
    return build_client(cfg)


@pytest.fixture
def pkg(configured: Path) -> Iterator[ModuleType]:
    with on_path(configured, "cfgdemo") as module:
        yield module


def test_renames_filters_and_extensions_shape_the_calls(configured: Path) -> None:
    calls = {op["operation_id"]: op["call"] for op in manifest(configured)["operations"]}
    assert calls == {
        "listWidgets": "parts.all",  # renames.methods + renames.resources
        "createWidget": "parts.create",  # renames.resources
        "getWidget": "parts.fetch",  # keyed by `METHOD /path`
        # exclude: deleteWidget (path glob with a method), getStats (tag admin)
        "gadgetsIndex": "inventory.gadgets.enumerate",  # x-speakeasy-name-override / -group
        "gizmosIndex": "inventory.gizmos.browse",  # x-fern-sdk-group-name / -method-name
        "doohickeysIndex": "doohickeys.everything",  # config wins over x-fern-sdk-method-name
    }
    data = manifest(configured)
    assert data["models"] == {"Widget": "cfgdemo.models.Part"}
    assert data["spec_url"] == "https://example.test/specs/config-demo.yaml"


def test_regenerating_keeps_the_configured_names(configured: Path) -> None:
    before = manifest(configured)["operations"]
    build_client(configured.parents[1] / "apigen.toml")  # over the output: its names are locked
    assert manifest(configured)["operations"] == before


def test_template_overlay_replaces_one_template(configured: Path) -> None:
    readme = (configured / "README.md").read_text()
    assert readme.startswith("# cfgdemo: custom readme\n<!-- Generated by apigen")  # built-in
    assert "pip install" in readme
    assert "class Client(" in (configured / "cfgdemo" / "_client.py").read_text()


def test_post_generate_command_ran_in_the_output(configured: Path) -> None:
    assert (configured / "post.txt").read_text() == "ran"


def test_fixed_header_and_idempotency_header_are_sent(pkg: ModuleType) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"id": "w1"})

    client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    part = client.parts.create(id="w1")
    assert part.id == "w1" and type(part).__name__ == "Part"
    assert seen[-1].headers["Stripe-Version"] == "2023-10-16"
    assert seen[-1].headers["Idempotency-Key"]  # generated for a POST
    client.parts.create(id="w1", extra_headers={"Stripe-Version": "2024-01-01"})
    assert seen[-1].headers.get_list("Stripe-Version") == ["2024-01-01"]  # per call wins
    other = pkg.Client(
        default_headers={"Stripe-Version": "2022-11-15"},
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    other.parts.create(id="w1")
    assert seen[-1].headers["Stripe-Version"] == "2022-11-15"  # the client's own default wins
    assert other.with_options(max_retries=0).default_headers["Stripe-Version"] == "2022-11-15"


def test_should_retry_header_is_the_configured_one(pkg: ModuleType) -> None:
    answers = iter(
        [
            httpx.Response(400, headers={"x-please-retry": "true"}, json={}),
            httpx.Response(200, json=[]),
            httpx.Response(500, headers={"x-please-retry": "false"}, json={}),
        ]
    )
    count = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal count
        count += 1
        return next(answers)

    client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    assert client.parts.all() == []  # the 400 was retried because the server said so
    assert count == 2
    with pytest.raises(pkg.InternalServerError):
        client.parts.all()  # a 500 the server says not to retry
    assert count == 3


def test_unknown_names_in_renames_are_located_errors(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / "apigen.toml",
        f"""\
        [clients.demo]
        spec = "{DEMO}"
        output = "out"
        renames.methods = {{ listWidget = "x", getStats = "list_widgets" }}
        renames.resources = {{ widget = "parts" }}
        renames.models = {{ Widgets = "Part" }}
        exclude.tags = ["nosuch"]
        """,
    )
    with pytest.raises(SpecError) as err:
        build_client(cfg)
    assert sorted(d.format() for d in err.value.diagnostics) == [
        f"{cfg}: error: clients.demo.renames.methods.listWidget: names no operation "
        "(did you mean 'listWidgets'?)",
        f"{cfg}: error: clients.demo.renames.models.Widgets: names no component schema "
        "(did you mean 'Widget'?)",
        f"{cfg}: error: clients.demo.renames.resources.widget: names no resource "
        "(did you mean 'widgets'?)",
    ]
    assert not (tmp_path / "out").exists()


def test_a_rename_to_a_private_name_is_refused(tmp_path: Path) -> None:
    """A helper's hostile-input review: `getPet = "pets.__init__"` replaced the resource's
    constructor, `pets = "_client"` shadowed the client's own attribute: both built a client
    that broke at the first call. Names starting with `_` are the client's own."""
    cfg = write(
        tmp_path / "apigen.toml",
        """\
        [clients.demo]
        spec = "s.yaml"
        output = "out"
        [clients.demo.renames]
        methods = { getPet = "pets.__init__" }
        resources = { pets = "_client" }
        models = { Pet = "_Pet" }
        """,
    )
    found = problems(cfg)
    assert len(found) == 3 and all(
        "no part may start with `_`" in p or "not starting with `_`" in p for p in found
    ), found
    assert {p.split(": ")[1] for p in found} == {
        "clients.demo.renames.methods.getPet",
        "clients.demo.renames.resources.pets",
        "clients.demo.renames.models.Pet",
    }


@pytest.mark.parametrize("cls", ["class", "None", "True"])
def test_a_model_renamed_to_a_keyword_is_refused(tmp_path: Path, cls: str) -> None:
    """A helper's review: `renames.models = { Pet = "class" }` built `class class(...)`,
    reported as "apigen generated invalid Python (a bug in apigen)"."""
    cfg = write(
        tmp_path / "apigen.toml",
        f"""\
        [clients.demo]
        spec = "s.yaml"
        output = "out"
        [clients.demo.renames.models]
        Pet = "{cls}"
        """,
    )
    assert problems(cfg) == [
        f"{cfg}: clients.demo.renames.models.Pet: {cls!r} is a Python keyword, no class name"
    ]


def test_a_rename_that_collides_is_an_error(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / "apigen.toml",
        f"""\
        [clients.demo]
        spec = "{DEMO}"
        output = "out"
        renames.methods = {{ getWidget = "widgets.list" }}
        """,
    )
    with pytest.raises(SpecError, match=r"renames.methods.getWidget: 'widgets.list'"):
        build_client(cfg)


def test_a_model_or_resource_rename_onto_a_taken_name_is_an_error(tmp_path: Path) -> None:
    """A helper's review: `renames.models` `Widget = "Gadget"` beside a `Gadget` schema built,
    and the other schema's class became `GadgetSchema` without a word; `renames.resources`
    `widgets = "close"` became `close_api`, where the same for a method was an error."""
    spec = tmp_path / "two.yaml"
    schemas = DEMO.read_text().split("\n  schemas:\n", 1)
    spec.write_text(
        schemas[0]
        + "\n  schemas:\n    Gadget: {type: object, properties: {g: {type: string}}}\n"
        + schemas[1]
    )
    cfg = write(
        tmp_path / "apigen.toml",
        f"""\
        [clients.demo]
        spec = "{spec}"
        output = "out"
        renames.models = {{ Widget = "Gadget" }}
        renames.resources = {{ widgets = "close", inventory = "parts.with_raw_response" }}
        """,
    )
    with pytest.raises(SpecError) as err:
        build_client(cfg)
    assert sorted(d.format() for d in err.value.diagnostics) == [
        f"{cfg}: error: clients.demo.renames.models.Widget: 'Gadget' cannot be used: the "
        "schema 'Gadget' has that class name",
        f"{cfg}: error: clients.demo.renames.resources.inventory: 'parts.with_raw_response' cannot "
        "be used: 'with_raw_response' is a reserved name (it would become 'with_raw_response_api')",
        f"{cfg}: error: clients.demo.renames.resources.widgets: 'close' cannot be used: "
        "'close' is a reserved name (it would become 'close_api')",
    ]
    assert not (tmp_path / "out").exists()
    write(
        cfg,
        f"""\
        [clients.demo]
        spec = "{spec}"
        output = "out"
        renames.models = {{ Widget = "Gadget", Gadget = "Other" }}
        """,
    )
    build_client(cfg)  # a swap: each name is free once the other moves
    models = tmp_path / "out" / "out" / "models"
    assert "class Gadget(" in (models / "gadget.py").read_text()
    assert "class Other(" in (models / "other.py").read_text()


def test_overlay_file_that_replaces_nothing_is_reported(tmp_path: Path) -> None:
    (tmp_path / "overlay").mkdir()
    (tmp_path / "overlay" / "client.jinja").write_text("x")
    (tmp_path / "overlay" / "_macros.jinja").write_text("x")  # a helper: allowed
    cfg = write(
        tmp_path / "apigen.toml",
        f'[clients.demo]\nspec = "{DEMO}"\noutput = "out"\ntemplates = "overlay"\n',
    )
    [problem] = load_config(cfg).clients[0].problems()
    assert problem.startswith(
        f"{cfg}: clients.demo.templates: client.jinja replaces no built-in template "
        "(did you mean 'client.py.jinja'?)"
    )


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("# {% if %}\n", "TemplateSyntaxError"),
        ("ok\n{{ view.no_such.deeper }}\n", "UndefinedError"),
        ("ok\n{{ view.package() }}\n", "TypeError"),  # a call failing while rendering
    ],
)
def test_an_error_in_an_overlay_template_names_its_file_and_line(
    tmp_path: Path, text: str, error: str
) -> None:
    """A helper's review: a mistake in the user's own overlay template was reported as an
    apigen "internal error, please report it", with no file or line."""
    from apigen.distribution import OptionError

    (tmp_path / "overlay").mkdir()
    template = tmp_path / "overlay" / "README.md.jinja"
    template.write_text(text)
    cfg = write(
        tmp_path / "apigen.toml",
        f'[clients.demo]\nspec = "{DEMO}"\noutput = "out"\ntemplates = "overlay"\n',
    )
    with pytest.raises(OptionError) as caught:
        build_client(cfg)
    line = text.count("\n", 0, text.index("{")) + 1
    assert str(caught.value).startswith(f"template {template}:{line}: {error}"), caught.value
    assert not (tmp_path / "out").exists()


def test_invalid_python_from_an_overlay_names_the_overlay(tmp_path: Path) -> None:
    """A helper's review: an overlay `client.py.jinja` rendering invalid Python was reported
    as "a bug in apigen, please report it", naming no overlay. The overlay is named as the
    first suspect; nothing is written."""
    from apigen.bundled import templates_dir
    from apigen.format import GeneratedCodeError

    (tmp_path / "overlay").mkdir()
    original = (templates_dir() / "client.py.jinja").read_text()
    (tmp_path / "overlay" / "client.py.jinja").write_text(original + "\ndef broken(:\n")
    cfg = write(
        tmp_path / "apigen.toml",
        f'[clients.demo]\nspec = "{DEMO}"\noutput = "out"\ntemplates = "overlay"\n',
    )
    with pytest.raises(GeneratedCodeError) as caught:
        build_client(cfg)
    message = str(caught.value)
    assert f"with the template overlay {tmp_path / 'overlay'} (check its templates" in message
    assert "_client.py" in message
    assert not (tmp_path / "out").exists()


def test_a_failing_post_generate_command_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    cfg = write(
        tmp_path / "apigen.toml",
        f"""\
        [clients.demo]
        spec = "{DEMO}"
        output = "out"
        post_generate = [["{sys.executable}", "-c", "import sys; print('bad'); sys.exit(3)"],
                         ["no-such-command-apigen"]]
        """,
    )
    client = load_config(cfg).clients[0]
    with pytest.raises(CommandError) as err:
        run_post_generate(client)
    assert str(err.value).startswith(f"{cfg}: clients.demo.post_generate[0]: `")
    assert "exited with status 3" in str(err.value) and str(err.value).endswith("bad")
    missing = load_config(cfg).clients[0]
    object.__setattr__(missing, "post_generate", missing.post_generate[1:])
    with pytest.raises(CommandError, match=r"post_generate\[0\]: cannot run `no-such-command"):
        run_post_generate(missing)


def test_what_a_failing_post_generate_changed_is_still_the_build_s(tmp_path: Path) -> None:
    """A helper's review: a `post_generate` command that changed files and then failed (what
    `ruff check --fix .` does when some errors cannot be fixed) left its changes unrecorded,
    so every later generate refused them as local edits. They are recorded; the failure is
    still reported."""
    cfg = write(
        tmp_path / "apigen.toml",
        f"""\
        [clients.demo]
        spec = "{DEMO}"
        output = "out"
        post_generate = [["{sys.executable}", "-c",
          "import pathlib, sys; p = pathlib.Path('README.md'); p.write_text(p.read_text() + 'x'); sys.exit(1)"]]
        """,
    )
    client = load_config(cfg).clients[0]
    client.build()
    with pytest.raises(CommandError, match="exited with status 1"):
        run_post_generate(client)
    from apigen.write import local_changes

    assert local_changes(client.output) == ([], [])
    client.build()  # not refused


def test_what_post_generate_changed_before_a_ctrl_c_is_still_the_build_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Helper 210: Ctrl-C during `post_generate` skipped the recording, so the next generate
    refused the changes the finished commands had made as "edited since apigen wrote them"."""
    from apigen.config import command
    from apigen.write import local_changes

    cfg = write(
        tmp_path / "apigen.toml",
        f"""\
        [clients.demo]
        spec = "{DEMO}"
        output = "out"
        post_generate = [["fmt"], ["slow"]]
        """,
    )
    client = load_config(cfg).clients[0]
    client.build()

    def run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        if argv == ["fmt"]:  # finishes, changing a file
            readme = client.output / "README.md"
            readme.write_text(readme.read_text() + "formatted\n")
            return subprocess.CompletedProcess(argv, 0, "", "")
        raise KeyboardInterrupt  # the user gives up on the slow one

    monkeypatch.setattr(command.subprocess, "run", run)
    with pytest.raises(KeyboardInterrupt):
        run_post_generate(client)
    assert local_changes(client.output) == ([], [])


# --- `apigen generate` end to end -----------------------------------------------------------------


def apigen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apigen", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def test_apigen_generate_end_to_end(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "demo.yaml").write_text(DEMO.read_text())
    write(
        tmp_path / "pyproject.toml",
        """\
        [tool.apigen.clients.first]
        spec = "specs/demo.yaml"
        output = "gen/first"
        package = "first_api"
        dist_name = "acme-first"
        version = "2.1.0"
        runtime = "shared"
        exclude.tags = ["admin"]
        [tool.apigen.clients.second]
        spec = "specs/demo.yaml"
        output = "gen/second"
        post_generate = [["false"]]
        [tool.apigen.clients.partner]
        spec = "${APIGEN_TEST_UNSET_SPECS}/partner.yaml"
        output = "gen/partner"
        [tool.apigen.clients.legacy]
        spec = "specs/not-checked-out.yaml"
        output = "gen/legacy"
        """,
    )
    # a helper's review: another client's unset `${VAR}` failed `generate first`
    only = apigen("generate", "first", "--quiet", cwd=tmp_path)
    assert only.returncode == 0, only.stderr
    # `--no-lock`, `build`'s and `diff`'s other spelling of `--fresh-names` (helper 213: refused)
    again = apigen("generate", "first", "--quiet", "--no-lock", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in (tmp_path / "gen").iterdir()) == ["first"]
    calls = [
        op["call"]
        for op in json.loads((tmp_path / "gen/first/apigen.json").read_text())["operations"]
    ]
    assert "admin.get_stats" not in calls and "widgets.list" in calls
    pyproject = (tmp_path / "gen/first/pyproject.toml").read_text()
    assert 'name = "acme-first"' in pyproject and 'version = "2.1.0"' in pyproject
    assert '"apigen-runtime>=' in pyproject  # runtime = "shared"
    assert (tmp_path / "gen/first/first_api/_client.py").is_file()

    # ... and a missing spec (or unset variable) of one client stopped every other one
    both = apigen("generate", cwd=tmp_path)
    assert both.returncode == 1 and "Traceback" not in both.stderr
    assert "tool.apigen.clients.second.post_generate[0]: `false` exited with status 1" in (
        both.stderr
    )
    assert "tool.apigen.clients.partner.spec: environment variable APIGEN_TEST_UNSET_SPECS" in (
        both.stderr
    )
    assert "tool.apigen.clients.legacy.spec:" in both.stderr and "is not a file" in both.stderr
    assert "3 of 4 client(s) failed: second, partner, legacy" in both.stderr
    assert (tmp_path / "gen/second/apigen.json").is_file()  # written; the command failed after
    assert sorted(p.name for p in (tmp_path / "gen").iterdir()) == ["first", "second"]

    usage = apigen("generate", "thrid", cwd=tmp_path)
    assert usage.returncode == 2 and "no client named 'thrid'" in usage.stderr

    write(tmp_path / "apigen.toml", "[clients.x]\nspec = 'specs/demo.yaml'\nouput = 'o'\n")
    bad = apigen("generate", cwd=tmp_path)  # apigen.toml is found before pyproject.toml
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "apigen.toml: clients.x.ouput: unknown key 'ouput' (did you mean 'output'?)" in (
        bad.stderr
    )
    assert "apigen.toml: clients.x: missing required key 'output'" in bad.stderr


def test_the_repository_config_drives_the_committed_clients() -> None:
    config = load_config(ROOT / "apigen.toml")
    by_name = {c.name: c for c in config.clients}
    assert set(by_name) == {"petstore", "github", "stripe"}
    assert by_name["petstore"].output == ROOT / "generated" / "petstore"
    assert by_name["github"].output == ROOT / "generated" / "github"
    stripe = by_name["stripe"].options
    assert stripe.headers == {"Stripe-Version": "2022-11-15"}
    assert stripe.idempotency_header == "Idempotency-Key"
    assert stripe.should_retry_header == "Stripe-Should-Retry"
    [token] = by_name["github"].options.security
    assert dict(token.env) == {"api_key": "GITHUB_TOKEN"}


# --- security from the configuration ---------------------------------------------------------------


def test_configured_bearer_token_replaces_the_implicit_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = write(
        tmp_path / "apigen.toml",
        f"""\
        [clients.demo]
        spec = "{DEMO}"
        output = "out/sec_demo"
        [[clients.demo.security]]
        name = "token"
        type = "http"
        scheme = "bearer"
        env = "CFG_DEMO_TOKEN"
        [[clients.demo.security]]
        name = "key"
        type = "apiKey"
        parameter = "X-Api-Key"
        keyword = "app_key"
        """,
    )
    out = build_client(cfg)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    transport = httpx.MockTransport(handler)
    with on_path(out, "sec_demo") as pkg:
        assert set(pkg._client._SECURITY_SCHEMES) == {"token", "key"}  # no implicit "bearer"
        assert pkg._client._DEFAULT_SECURITY == (("token",), ("key",), ())
        monkeypatch.delenv("CFG_DEMO_TOKEN", raising=False)
        pkg.Client(http_client=httpx.Client(transport=transport)).widgets.list()
        assert "Authorization" not in seen[-1].headers  # optional: sent without
        monkeypatch.setenv("CFG_DEMO_TOKEN", "from-env")
        pkg.Client(http_client=httpx.Client(transport=transport)).widgets.list()
        assert seen[-1].headers["Authorization"] == "Bearer from-env"
        monkeypatch.delenv("CFG_DEMO_TOKEN")
        client = pkg.Client(app_key="k1", http_client=httpx.Client(transport=transport))
        client.widgets.list()
        assert seen[-1].headers["X-Api-Key"] == "k1" and "Authorization" not in seen[-1].headers
        client = pkg.Client(api_key="given", http_client=httpx.Client(transport=transport))
        client.widgets.list()
        assert seen[-1].headers["Authorization"] == "Bearer given"


def test_an_include_that_selects_nothing_is_an_error(tmp_path: Path) -> None:
    """A helper's review: `include.tags = ["widget"]` for a spec tagging `widgets` built an
    empty client, exit 0, with only a warning that the pattern "has no effect"."""
    cfg = write(
        tmp_path / "apigen.toml",
        f"""\
        [clients.demo]
        spec = "{DEMO}"
        output = "out/empty"
        [clients.demo.include]
        tags = ["no-such-tag"]
        """,
    )
    with pytest.raises(SpecError) as caught:
        build_client(cfg)
    messages = [d.format() for d in caught.value.diagnostics if d.severity == "error"]
    assert any("clients.demo.include" in m and "the client would be empty" in m for m in messages)
    assert not (tmp_path / "out" / "empty").exists()


def test_a_configured_scheme_cannot_share_a_keyword_with_the_spec_s(tmp_path: Path) -> None:
    """A helper's review: a configured `apiKey` scheme left at the default keyword `api_key`
    beside the spec's bearer scheme (whose keyword is `api_key` too): one `api_key=` fed both,
    and the key meant for `X-Api-Key` went out as `Authorization: Bearer ...`. A located error."""
    spec = write(
        tmp_path / "s.yaml",
        """\
        openapi: 3.0.3
        info: {title: zoo, version: "1"}
        components:
          securitySchemes:
            bearer: {type: http, scheme: bearer}
        security: [{bearer: []}]
        paths:
          /animals:
            get:
              operationId: listAnimals
              responses: {"200": {description: ok}}
        """,
    )
    cfg = write(
        tmp_path / "apigen.toml",
        f"""\
        [clients.zoo]
        spec = "{spec}"
        output = "out/zoo"
        [[clients.zoo.security]]
        name = "apikey"
        type = "apiKey"
        parameter = "X-Api-Key"
        """,
    )
    with pytest.raises(SpecError) as caught:
        build_client(cfg, "zoo")
    messages = [d.format() for d in caught.value.diagnostics]
    assert any(
        "clients.zoo.security[0].keyword" in m and "already the keyword of the scheme 'bearer'" in m
        for m in messages
    ), messages
    assert not (tmp_path / "out" / "zoo").exists()


def test_a_required_configured_scheme_must_be_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = write(
        tmp_path / "apigen.toml",
        f"""\
        [clients.demo]
        spec = "{DEMO}"
        output = "out/req_demo"
        security = [{{ name = "token", type = "http", env = "CFG_REQ_TOKEN", required = true }}]
        """,
    )
    out = build_client(cfg)
    monkeypatch.delenv("CFG_REQ_TOKEN", raising=False)
    with on_path(out, "req_demo") as pkg:
        client = pkg.Client(base_url="http://127.0.0.1:9")
        with pytest.raises(pkg.MissingCredentialsError, match="CFG_REQ_TOKEN"):
            client.widgets.list()


def test_security_keys_are_checked(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / "apigen.toml",
        f"""\
        [clients.demo]
        spec = "{DEMO}"
        output = "out"
        security = [
          {{ name = "a", type = "apiKey" }},
          {{ name = "b", type = "http", scheme = "basic", env = {{ user = "X" }} }},
          {{ name = "c", type = "http", keyword = "timeout" }},
          {{ name = "d", type = "oauth2" }},
        ]
        """,
    )
    here = f"{cfg}: clients.demo.security"
    assert problems(cfg) == [f"{here}[3].type: expected one of 'http', 'apiKey', not 'oauth2'"]
    write(cfg, cfg.read_text().replace('{ name = "d", type = "oauth2" },', ""))
    assert problems(cfg) == [
        f"{here}[0]: an apiKey scheme needs `parameter` (the header or query name)",
        f"{here}[1].env.user: not a keyword of this scheme (username, password)",
        f"{here}[2].keyword: 'timeout' is taken by the client itself",
    ]
    # every keyword of the generated client, not the first fourteen: `cache` was accepted, to
    # give the generated `__init__` two parameters of that name (one list now, naming.py)
    write(cfg, cfg.read_text().replace('keyword = "timeout"', 'keyword = "cache"'))
    assert problems(cfg)[-1] == f"{here}[2].keyword: 'cache' is taken by the client itself"


def test_ref_root_and_strict_keys(tmp_path: Path) -> None:
    monorepo = ROOT / "tests" / "spec" / "specs" / "monorepo"
    cfg = write(
        tmp_path / "apigen.toml",
        f"""\
        [clients.narrow]
        spec = "{monorepo}/services/pets/openapi.yaml"
        output = "out/narrow"
        [clients.wide]
        spec = "{monorepo}/services/pets/openapi.yaml"
        output = "out/wide"
        ref_root = "{monorepo}"
        """,
    )
    narrow, wide = load_config(cfg).clients
    with pytest.raises(SpecError):
        narrow.build()  # `../../common/...` is outside the spec's folder
    wide.build()
    assert (tmp_path / "out" / "wide" / "apigen.json").is_file()
    strict = write(
        tmp_path / "strict.toml",
        f'[clients.s]\nspec = "{FIXTURES / "recoverable.yaml"}"\noutput = "out/s"\nstrict = true\n',
    )
    with pytest.raises(SpecError):
        load_config(strict).clients[0].build()  # warnings fail under strict
    write(strict, strict.read_text().replace("strict = true", "strict = false"))
    assert load_config(strict).clients[0].build().report.warnings  # built, with warnings


def test_header_names_and_shared_outputs_are_refused(tmp_path: Path) -> None:
    """A hand sweep of hostile configurations: an idempotency or should-retry header, or an
    apiKey header parameter, that is no header name was written into the client and failed at
    its first call (a final line break passed every pattern: Python's `$` matches before it,
    ECMA-262's does not); two clients writing to one folder (or one inside the other) replaced
    each other's files at every `apigen generate`."""
    cfg = write(
        tmp_path / "apigen.toml",
        f"""\
        [clients.demo]
        spec = "{DEMO}"
        output = "out"
        idempotency_header = "Idempotency Key"
        should_retry_header = "x-retry\\n"
        security = [
          {{ name = "a", type = "apiKey", parameter = "X Key" }},
          {{ name = "b", type = "apiKey", in = "query", parameter = "key\\r\\n" }},
        ]
        """,
    )
    here = f"{cfg}: clients.demo"
    assert problems(cfg) == [
        f"{here}.idempotency_header: expected an HTTP header name (got 'Idempotency Key')",
        f"{here}.should_retry_header: expected an HTTP header name (or empty) (got 'x-retry\\n')",
    ]
    write(cfg, cfg.read_text().replace('"Idempotency Key"', '"Idempotency-Key"'))
    write(cfg, cfg.read_text().replace('"x-retry\\n"', '""'))
    assert problems(cfg) == [
        f"{here}.security[0].parameter: expected an HTTP header name (got 'X Key')",
        f"{here}.security[1].parameter: a line break or control character (got 'key\\r\\n')",
    ]
    for inner in ("out", "out/inner", "."):
        write(
            cfg,
            f"""\
            [clients.demo]
            spec = "{DEMO}"
            output = "out"
            [clients.other]
            spec = "{DEMO}"
            output = "{inner}"
            """,
        )
        (found,) = problems(cfg)
        assert "clients demo and other write to" in found and "its own folder" in found


def test_a_final_line_break_fails_every_anchored_pattern(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / "apigen.toml",
        f"""\
        [clients.demo]
        spec = "{DEMO}"
        output = "out"
        [clients.demo.headers]
        "X-Tenant" = "acme\\n"
        """,
    )
    found = problems(cfg)
    assert any(
        p.startswith(f"{cfg}: clients.demo.headers.X-Tenant: a header value holds printable ASCII")
        and p.endswith("(got 'acme\\n')")
        for p in found
    ), found


@pytest.mark.parametrize(
    ("table", "key", "value", "expected"),
    [
        ("headers", '"X-App"', '"Café"', "a header value holds printable ASCII"),
        ("headers", '"X-App"', '"a\\u0000b"', "a header value holds printable ASCII"),
        # a review: h11 refuses a value with a space or tab at either end (every call failed)
        ("headers", '"X-App"', '" lead"', "a header value holds printable ASCII"),
        ("headers", '"X-App"', '"trail\\t"', "a header value holds printable ASCII"),
        ("", "post_generate", '[["echo", "a\\u0000b"]]', "cannot hold a NUL character"),
        ("", "output", '"out\\u0000x"', "a path cannot hold a NUL character"),
        ("", "templates", '"t\\u0000"', "a path cannot hold a NUL character"),
    ],
)
def test_values_the_client_or_the_system_would_refuse_are_config_errors(
    tmp_path: Path, table: str, key: str, value: str, expected: str
) -> None:
    """Helper 213: a header value of `Café` passed the check and every call of the generated
    client raised (nothing sent); a NUL in a `post_generate` argument or in a path key was a
    traceback (`embedded null byte`), stopping the clients after it."""
    section = f"[clients.demo.{table}]\n" if table else ""
    body = f'[clients.demo]\nspec = "{DEMO}"\n' + ('output = "out"\n' if key != "output" else "")
    cfg = tmp_path / "apigen.toml"
    cfg.write_text(body + section + f"{key} = {value}\n")
    found = problems(cfg)
    assert any(expected in p for p in found), found


def test_a_configured_query_key_is_redacted_in_contract_reports(tmp_path: Path) -> None:
    """A helper's review: `apigen contract` redacted the query API keys of the spec's
    `securitySchemes` only: a key a configuration file added (`[[clients.x.security]]`, `in =
    "query"`) was printed in the text, JSON and JUnit reports. The client's own schemes say
    which query parameters carry keys."""
    from apigen.contract import ContractConfig, run_contract
    from apigen.contract.client import load_client

    cfg = write(
        tmp_path / "apigen.toml",
        f"""\
        [clients.demo]
        spec = "{DEMO}"
        output = "out/qkey"
        [[clients.demo.security]]
        name = "key"
        type = "apiKey"
        parameter = "k"
        in = "query"
        keyword = "app_key"
        required = true
        """,
    )
    out = build_client(cfg)
    assert load_client(out).query_secrets() == {"k"}
    report = run_contract(ContractConfig(out, spec=DEMO, max_examples=1, variants=["sync"]))
    text = json.dumps(report.to_json()) + report.text(verbose=True) + report.junit()
    assert report.calls() > 0
    assert "contract-app-key" not in text  # the (dummy) key the client sent
