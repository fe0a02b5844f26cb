"""How the runtime reaches a generated client (`--runtime vendored|shared`) and what the client
is published as (distribution name, version, licence): issue 9 item 1."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from apigen.bundled import (
    RUNTIME_DEPENDENCIES,
    RUNTIME_EXTRAS,
    TYPING_EXTENSIONS,
    runtime_dir,
    runtime_requirement,
    runtime_version,
)
from apigen.distribution import OptionError, default_dist_name, default_version, spec_license
from apigen.pipeline import build
from tests.conftest import ROOT

PETSTORE = ROOT / "specs" / "petstore.yaml"


def python(code: str, cwd: Path, *path: Path) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter with `path` first on sys.path (nothing else added)."""
    prelude = "import sys; sys.path[:0] = " + repr([str(p) for p in path]) + "\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + code],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def pyproject(out: Path) -> dict[str, object]:
    return tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def vendored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("vendored") / "pets"
    build(PETSTORE, out, runtime="vendored")
    return out


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("shared") / "pets"
    build(PETSTORE, out, runtime="shared")
    return out


# -------------------------------------------------------------------------------- vendored


def test_vendored_runtime_is_a_verbatim_copy(vendored: Path) -> None:
    copy = vendored / "pets" / "_runtime"
    ours = sorted(
        p.name for p in runtime_dir().iterdir() if p.suffix == ".py" or p.name == "py.typed"
    )
    assert sorted(p.name for p in copy.iterdir()) == ours
    for name in ours:
        assert (copy / name).read_bytes() == (runtime_dir() / name).read_bytes(), name


def test_vendored_code_never_imports_apigen_runtime(vendored: Path) -> None:
    for path in (vendored / "pets").rglob("*.py"):
        if "_runtime" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from) apigen_runtime", text, re.M), path
    readme = (vendored / "README.md").read_text(encoding="utf-8")
    assert "pip install ." in readme and "apigen-runtime" not in readme


def test_vendored_pyproject_needs_only_the_public_index(vendored: Path) -> None:
    project = pyproject(vendored)["project"]
    assert isinstance(project, dict)
    assert project["dependencies"] == sorted({*RUNTIME_DEPENDENCIES, TYPING_EXTENSIONS})
    assert project["optional-dependencies"] == {k: list(v) for k, v in RUNTIME_EXTRAS.items()}
    assert project["name"] == "pets-apigen-client"
    assert project["version"] == "1.2.0"  # the spec's info.version
    assert project["readme"] == "README.md"
    assert project["requires-python"] == ">=3.11"
    tool = pyproject(vendored)["tool"]
    assert isinstance(tool, dict)
    assert tool["ruff"]["extend-exclude"] == ["pets/_runtime"]  # linted where it is written


def test_runtime_dependencies_mirror_the_runtime_distribution() -> None:
    runtime = tomllib.loads((ROOT / "runtime" / "pyproject.toml").read_text())["project"]
    assert runtime["dependencies"] == list(RUNTIME_DEPENDENCIES)
    assert runtime["optional-dependencies"] == {k: list(v) for k, v in RUNTIME_EXTRAS.items()}
    assert runtime["version"] == runtime_version()


def test_vendored_client_runs_without_apigen_runtime(vendored: Path, tmp_path: Path) -> None:
    code = """
import builtins, json
real = builtins.__import__
def guard(name, *args, **kwargs):
    if name == "apigen_runtime" or name.startswith("apigen_runtime."):
        raise ImportError("apigen_runtime must not be imported")
    return real(name, *args, **kwargs)
builtins.__import__ = guard
import httpx, pets
from pets.models import Pet
def answer(request):
    return httpx.Response(200, json={"id": 7, "name": "Rex", "kind": "dog",
                                     "created_at": "2024-01-02T03:04:05Z"})
client = pets.Client(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
pet = client.pets.get(7)
err = pets.NotFoundError
print(json.dumps({
    "pet": type(pet).__name__, "typed": isinstance(pet, Pet),
    "error_base": [c.__module__ for c in err.__mro__[1:3]],
    "logger": pets._runtime._logging.logger.name,
    "runtime_module": pets._runtime.SyncAPIClient.__module__,
    "loaded": sorted(m for m in sys.modules if m.startswith("apigen_runtime")),
}))
"""
    result = python(code, tmp_path, vendored)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["typed"] is True and seen["pet"] == "Pet"
    assert seen["error_base"] == ["pets._exceptions", "pets._exceptions"]
    assert seen["logger"] == "pets._runtime"  # the runtime names itself after where it lives
    assert seen["runtime_module"] == "pets._runtime"
    assert seen["loaded"] == []


# ---------------------------------------------------------------------------------- shared


def test_shared_mode_depends_on_a_compatible_runtime_range(shared: Path) -> None:
    requirement, low, high = runtime_requirement()
    # the runtime's own version is the floor: generated code may use what it added (0.1.1:
    # `Body(files=...)`, `part="path_start"`; an old 0.1.0 passed the gate, then a TypeError;
    # 0.1.3: `Body(needs=...)`, a review found 0.1.1 passing the gate; 0.1.4: its fixes, which
    # a shared runtime of 0.1.3 would leave out; 0.1.5: `Body(texts=...)`, `__sent_always__`;
    # 0.1.6: `provider_retry`)
    assert requirement == "apigen-runtime>=0.1.6,<0.2" and low == (0, 1, 6) and high == (0, 2)
    project = pyproject(shared)["project"]
    assert isinstance(project, dict)
    assert requirement in project["dependencies"]
    assert project["optional-dependencies"]["redis"] == ["apigen-runtime[redis]>=0.1.6,<0.2"]
    assert not (shared / "pets" / "_runtime").is_dir()
    assert (shared / "pets" / "_runtime.py").is_file()


def test_shared_mode_uses_the_installed_apigen_runtime(shared: Path, tmp_path: Path) -> None:
    code = (
        "import apigen_runtime, pets, pets._runtime as rt\n"
        "assert rt.Operation is apigen_runtime.Operation\n"
        "assert issubclass(pets.NotFoundError, apigen_runtime.NotFoundError)\n"
        "print('ok')\n"
    )
    result = python(code, tmp_path, shared)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


@pytest.mark.parametrize("found", ["0.0.9", "0.1.0", "0.1.1", "0.1.5", "0.2.0", "1.0.0"])
def test_shared_mode_refuses_an_incompatible_runtime(
    shared: Path, tmp_path: Path, found: str
) -> None:
    fake = tmp_path / "site" / "apigen_runtime"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(f'__version__ = "{found}"\n')
    result = python("import pets", tmp_path, tmp_path / "site", shared)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: pets needs apigen-runtime>=0.1.6,<0.2"), last
    assert f"apigen_runtime {found} is installed" in last
    assert "pip install 'apigen-runtime>=0.1.6,<0.2'" in last


def test_shared_mode_without_the_runtime_says_what_to_install(shared: Path, tmp_path: Path) -> None:
    """A helper's review: with `apigen-runtime` not installed the import failed with a bare
    `ModuleNotFoundError`; only a wrong version got the message saying what to install."""
    result = python(
        "import sys\nsys.modules['apigen_runtime'] = None\nimport pets", tmp_path, shared
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: pets needs apigen-runtime>=0.1.6,<0.2, which is not"), last
    assert "pip install 'apigen-runtime>=0.1.6,<0.2'" in last


# ------------------------------------------------------------------ names, version, licence


def test_default_distribution_names_do_not_reuse_the_import_name() -> None:
    assert default_dist_name("stripe") == "stripe-apigen-client"
    assert (
        default_dist_name("stripe_client") == "stripe-apigen-client"
    )  # not ...-client-apigen-client
    assert default_dist_name("github") == "github-apigen-client"
    assert default_dist_name("My_API") == "my-api-apigen-client"


def test_default_version_is_the_specs_when_pep440() -> None:
    assert default_version("1.2.0") == "1.2.0"
    assert default_version("2022-11-15") == "0.1.0"  # not a version (Stripe's API versions)
    assert default_version("Wed Oct 15 2025 13:53:19 GMT+0000") == "0.1.0"
    assert default_version("v2.1") == "2.1"  # normalised


def test_licence_from_the_spec() -> None:
    assert spec_license({"info": {"license": {"name": "MIT"}}}) == "MIT"
    assert spec_license({"info": {"license": {"name": "apache-2.0"}}}) == "Apache-2.0"
    assert spec_license({"info": {"license": {"name": "Proprietary, see site"}}}) == (
        "Proprietary, see site"
    )
    assert spec_license({"info": {}}) is None
    # 3.1's SPDX `identifier` is the licence (helper 176: the name's free text was taken)
    both = {"name": "Apache 2.0", "identifier": "apache-2.0"}
    assert spec_license({"info": {"license": both}}) == "Apache-2.0"
    assert spec_license({"info": {"license": {"name": "x", "identifier": "Not SPDX"}}}) == "x"


def test_options_reach_the_pyproject(tmp_path: Path) -> None:
    spec = yaml.safe_load(PETSTORE.read_text())
    spec["info"]["license"] = {"name": "MIT"}
    path = tmp_path / "petstore.yaml"
    path.write_text(yaml.safe_dump(spec))
    out = tmp_path / "acme"
    build(path, out, dist_name="acme-pets", version="2.0.0rc1")
    project = pyproject(out)["project"]
    assert isinstance(project, dict)
    assert (project["name"], project["version"], project["license"]) == (
        "acme-pets",
        "2.0.0rc1",
        "MIT",
    )
    client = (out / "acme" / "_client.py").read_text()
    assert '_PACKAGE_NAME = "acme-pets"' in client and '_PACKAGE_VERSION = "2.0.0rc1"' in client

    spec["info"]["license"] = {"name": "Apache 2.0"}  # not SPDX: kept as text
    path.write_text(yaml.safe_dump(spec))
    build(path, out)
    assert pyproject(out)["project"]["license"] == {"text": "Apache 2.0"}  # type: ignore[index]


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--dist-name", "-acme", "invalid distribution name"),
        # Python's `$` matched before a final line break: `name = "acme\n"` was written
        ("--dist-name", "acme\n", "invalid distribution name"),
        # helper 213: installed, the client replaced the dependency of that name
        ("--dist-name", "HTTPX", "the client depends on"),
        ("--dist-name", "apigen_runtime", "the client depends on"),
        ("--package-version", "banana", "invalid package version"),
        ("--runtime", "both", "Invalid value for '--runtime'"),
    ],
)
def test_bad_options_are_usage_errors(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "apigen",
            "build",
            str(PETSTORE),
            "-o",
            str(tmp_path / "o"),
            option,
            value,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not (tmp_path / "o").exists()


def test_pipeline_refuses_bad_options_before_reading(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match="invalid package version"):
        build(tmp_path / "missing.yaml", tmp_path / "o", version="x.y")


def test_shared_mode_output_passes_ruff(shared: Path) -> None:
    """A helper's hostile-spec review: every `--runtime shared` build failed `ruff check` (two
    I001 in `_runtime.py`: its names in plain `sorted` order, not isort's); no test ran ruff
    on shared-mode output (the vendored copy is excluded from it)."""
    ruff = Path(sys.executable).with_name("ruff")
    for args in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
        done = subprocess.run(
            [str(ruff), *args], cwd=shared, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_a_name_the_shared_runtime_lacks_is_a_type_checker_s_error(
    shared: Path, tmp_path: Path
) -> None:
    """A review: the shim's lazy `__getattr__ -> Any` was visible to type checkers, so a
    misspelt name imported from `<pkg>._runtime` passed mypy and raised ImportError at run
    time (the vendored runtime's was hidden already)."""
    from tests.ir.test_strict_enums import _mypy_errors  # pyright: ignore[reportPrivateUsage]

    snippet = tmp_path / "use_shim.py"
    snippet.write_text(
        "from pets._runtime import AsyncRawResponse, SyncPage\n\nprint(AsyncRawResponse, SyncPage)\n"
    )
    errors, output = _mypy_errors(shared, snippet)
    assert len(errors) == 1 and '"AsyncRawResponse"' in errors[0], output


def test_pyproject_strings_are_toml_with_any_character() -> None:
    """Helper 174: an emoji in `info.title` went out as a JSON surrogate pair escape, which TOML
    refuses (pip, tomllib and ruff could not read the package's pyproject.toml)."""
    from apigen.render import _toml  # pyright: ignore[reportPrivateUsage]

    for text in [
        "Dogs \U0001f436 API",
        'say "hi" \\ o/',
        "tab\tnew\nline\x00\x7f",
        "\ud800x",
        "\U0001d518",
    ]:
        parsed = tomllib.loads(f"v = {_toml(text)}\n")["v"]
        assert parsed == text.replace("\ud800", "\ufffd"), (text, parsed)
    assert _toml("Dogs \U0001f436") == '"Dogs \U0001f436"'  # as written, not escaped


def test_an_emoji_title_builds_a_readable_pyproject(tmp_path: Path) -> None:
    spec = yaml.safe_load(PETSTORE.read_text())
    spec["info"]["title"] = "Pets \U0001f436 API"
    spec["info"]["license"] = {"name": "Dogs \U0001f436 licence"}
    path = tmp_path / "petstore.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "pets"
    build(path, out)
    project = pyproject(out)["project"]
    assert isinstance(project, dict)
    assert project["description"] == "Python client for Pets \U0001f436 API"
    assert project["license"] == {"text": "Dogs \U0001f436 licence"}
