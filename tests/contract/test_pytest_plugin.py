"""Issue 7 item 2: the pytest plugin (entry point `apigen`) gives users an in-process sandbox
with recorded requests and per-test responses, generated clients bound to it, and the contract
cases to parametrize their own suites."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT

pytest_plugins = ["pytester"]

INI = f"""
[pytest]
apigen_spec = {ROOT / "specs/petstore.yaml"}
apigen_client_dir = {ROOT / "generated/petstore"}
asyncio_mode = auto
asyncio_default_fixture_loop_scope = function
"""


def test_fixtures_sandbox_client_recorded_requests_and_canned_responses(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(
        """
        import sys

        import pytest

        def status_error(client):
            # the client package's own APIStatusError (its runtime vendored or shared)
            return sys.modules[type(client).__module__.partition(".")[0]].APIStatusError

        def test_client_hits_the_sandbox(apigen_client, apigen_sandbox):
            assert apigen_sandbox.url.startswith("http://127.0.0.1:")
            pet = apigen_client.pets.get(pet_id=7)
            assert type(pet).__name__ == "Pet"
            (request,) = apigen_sandbox.requests
            assert request.method == "GET" and request.path.endswith("/pets/7")
            assert request.headers["x-api-key"]

        def test_canned_response_per_test(apigen_client, apigen_sandbox):
            apigen_sandbox.set_response("GET", "/pets/{petId}", 404, {"code": 404, "message": "gone"})
            with pytest.raises(status_error(apigen_client)) as raised:
                apigen_client.pets.get(pet_id=1)
            assert raised.value.status_code == 404

        def test_prefer_code(apigen_client):
            with pytest.raises(status_error(apigen_client)) as raised:
                apigen_client.pets.get(pet_id=1, extra_headers={"Prefer": "code=404"})
            assert raised.value.status_code == 404

        def test_fresh_sandbox_per_test(apigen_sandbox):
            assert apigen_sandbox.requests == []

        async def test_async_client(apigen_async_client, apigen_sandbox):
            pet = await apigen_async_client.pets.create(name="Rex", kind="dog")
            assert pet.name
            assert apigen_sandbox.requests[-1].json() == {"name": "Rex", "kind": "dog"}
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)


def test_contract_cases_in_a_users_suite(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(
        f"""
        import pytest
        from apigen.contract.pytest_plugin import contract_operations

        @pytest.mark.parametrize("operation", contract_operations({str(ROOT / "generated/petstore")!r}, "get*"))
        def test_contract(apigen_contract, operation):
            report = apigen_contract(operation, max_examples=2)
            assert [op.operation_id for op in report.operations] == [operation]
            assert report.cases() >= 2
            assert not report.new_failures("client")
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*test_contract?getPet? PASSED*", "*test_contract?getOwner? PASSED*"]
    )


def test_a_relative_client_folder_is_read_from_the_rootdir(pytester: pytest.Pytester) -> None:
    """A helper's review: the ini keys read relative paths from the rootdir, but
    `contract_operations("clients/zoo")` from the current folder: `pytest project/tests` run
    from the parent failed at collection. Both read from the rootdir."""
    import shutil

    shutil.copytree(ROOT / "generated" / "petstore", pytester.path / "clients" / "petstore")
    pytester.makeini(INI)
    pytester.mkdir("tests")
    (pytester.path / "tests" / "test_ops.py").write_text(
        "import pytest\n"
        "from apigen.contract.pytest_plugin import contract_operations\n\n"
        '@pytest.mark.parametrize("operation", contract_operations("clients/petstore", "get*"))\n'
        "def test_listed(operation):\n"
        "    assert operation.startswith('get')\n"
    )
    project = pytester.path
    pytester.chdir()
    import os

    os.chdir(project.parent)  # started elsewhere: the rootdir is still the project
    result = pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        f"--rootdir={project}",
        "-c",
        str(project / "tox.ini"),
        str(project / "tests"),
    )
    result.assert_outcomes(passed=2)


def test_missing_configuration_is_a_clear_failure(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_needs_spec(apigen_sandbox):
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*set the apigen_spec ini option*"])


def test_marker_overrides_the_ini(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import pytest

        @pytest.mark.apigen(spec={str(ROOT / "specs/petstore.yaml")!r}, client_dir={str(ROOT / "generated/petstore")!r})
        def test_marked(apigen_client, apigen_sandbox):
            apigen_client.health.retrieve()
            assert [r.path for r in apigen_sandbox.requests] == ["/v1/health"]
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


@pytest.mark.parametrize("edited", [False, True])
def test_an_installed_copy_of_the_client_imported_first(
    pytester: pytest.Pytester, edited: bool
) -> None:
    """A helper's install review: an app depends on its client (`pip install`), its tests
    import it, and the plugin then refused the client folder, "another package of that name
    shadows it", with a traceback. The same files installed are the same client; another
    build's are refused as a test failure saying why. The spec is found in the project's
    `specs/` with no `apigen_spec`, as `apigen contract` finds it."""
    import shutil

    site = pytester.path / "site"
    shutil.copytree(ROOT / "generated" / "petstore" / "petstore", site / "petstore")
    if edited:
        client = site / "petstore" / "_client.py"
        client.write_text(client.read_text() + "# another build\n")
    (pytester.path / "specs").mkdir()
    shutil.copy(ROOT / "specs" / "petstore.yaml", pytester.path / "specs" / "petstore.yaml")
    pytester.makeini(f"[pytest]\napigen_client_dir = {ROOT / 'generated/petstore'}\n")
    pytester.makeconftest(f"import sys\nsys.path.insert(0, {str(site)!r})\nimport petstore\n")
    pytester.makepyfile(
        """
        def test_client(apigen_client, apigen_sandbox):
            assert type(apigen_client).__module__.startswith("petstore")
            apigen_client.health.retrieve()
            assert [r.path for r in apigen_sandbox.requests] == ["/v1/health"]
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    if edited:
        result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines(["*another package of that name shadows it*"])
        assert "Traceback" not in result.stdout.str()
    else:
        result.assert_outcomes(passed=1)
