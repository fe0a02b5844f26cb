"""The contract runner (`apigen contract`, issue 7 item 1) pointed at Prism instead of our own
sandbox: schemathesis cases plus edge values, sync and async, for every petstore operation and
for the GitHub slice. Prism (--errors) is an independent judge of the requests the generated
client puts on the wire: its log must show no request violation."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest

from apigen.contract import ContractConfig, Failure, run_contract
from tests.conftest import ROOT

from .conftest import GITHUB_SLICE, PrismServer

SPEC = ROOT / "specs" / "petstore.yaml"

JS_SAFE_INTEGER = 2**53 - 1
# Failures the runner classes as the spec's own limits whoever answers (docs/contract.md): a
# free-form body key the bracketed form encoding cannot spell, drawn into `extra_body`.
SPEC_LIMITS = frozenset({"form_key", "unspellable_value", "empty_query_value"})


def prism_defect(failure: Failure, crashed: bool = False) -> str | None:
    """Why `failure` is Prism's fault (see docs/prism.md), or None when it is not known.
    `crashed`: Prism's log shows it died of its URIError (a form key or value holding `%`)."""
    if crashed and failure.check == "connection":
        return "Prism died of an uncaught URIError in decodeUriEntities (a `%` in a form key)"
    if failure.operation_id == "getOwner" and failure.check == "response_schema_conformance":
        return "Prism cuts the recursive Owner.referred_by with `{}` (no id, name, pets)"
    pet_id = re.search(r"/pets/(-?\d+)", failure.http)
    if (
        failure.check == "status_code_conformance"
        and "Received: 422" in failure.message
        and pet_id is not None
        and abs(int(pet_id.group(1))) > JS_SAFE_INTEGER
    ):
        return "Prism (JavaScript numbers) rejects int64 values above 2**53 - 1 with 422"
    return None


def test_contract_runner_against_prism(
    petstore_pkg: ModuleType, petstore_prism_own: PrismServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    petstore_prism = petstore_prism_own
    client_dir = Path(str(petstore_pkg.__file__)).parents[1]
    monkeypatch.setenv("PRISM_PETSTORE_API_KEY", "prism-test-key")  # Prism checks X-API-Key
    report = run_contract(
        ContractConfig(client_dir, spec=SPEC, base_url=petstore_prism.url, max_examples=5, seed=7)
    )
    text = report.text(verbose=True)
    ran = {op.operation_id: op for op in report.operations}
    assert set(ran) == {
        "listPets", "createPet", "getPet", "deletePet", "updatePet",
        "downloadPhoto", "uploadPhoto", "getOwner", "health",
    }  # fmt: skip
    assert all(not op.skipped and op.cases >= 2 for op in ran.values()), text
    assert report.calls() == 2 * report.cases(), "every case goes through sync and async"
    client = report.new_failures("client")
    assert not client, (
        f"client failures against Prism:\n{text}\n--- Prism log ---\n{petstore_prism.log()}"
    )
    crashed = "URIError: URI malformed" in petstore_prism.log_path.read_text(errors="replace")
    unexplained = [
        f
        for f in report.failures()
        if prism_defect(f, crashed) is None and not (f.klass == "spec" and f.check in SPEC_LIMITS)
    ]
    assert not unexplained, f"failures not explained by a known Prism defect:\n{text}"


#: Request violations in Prism's log that are not the client's fault.
ACCEPTED_REQUEST_VIOLATIONS = {
    # search.repos(q=""): the client sends `?q=`; OAS 3.0 `allowEmptyValue` defaults to false,
    # so Prism treats the empty value as absent. The spec's `q` has no `minLength: 1`, so
    # schemathesis draws "" (a spec defect; see docs/prism.md).
    "request.query Request query must have required property 'q'",
}


def prism_request_violations(server: PrismServer, since: int) -> list[str]:
    """`Violation: request...` lines Prism logged after byte `since` of its log."""
    with server.log_path.open("rb") as log:
        log.seek(since)
        text = log.read().decode("utf-8", "replace")
    return [
        line.split("Violation: ", 1)[1].strip()
        for line in text.splitlines()
        if "Violation: request" in line
    ]


def test_contract_runner_github_slice_against_prism(
    github_pkg: ModuleType, github_prism: PrismServer, github_slice: Path
) -> None:
    client_dir = Path(str(github_pkg.__file__)).parents[1]
    since = github_prism.log_path.stat().st_size
    report = run_contract(
        ContractConfig(
            client_dir,
            spec=github_slice,
            base_url=github_prism.url,
            operations=list(GITHUB_SLICE),
            max_examples=3,
            seed=11,
            time_budget=240,
        )
    )
    text = report.text(verbose=True)
    assert {op.operation_id for op in report.operations if not op.skipped} == set(GITHUB_SLICE)
    rejected = [
        v
        for v in prism_request_violations(github_prism, since)
        if v not in ACCEPTED_REQUEST_VIOLATIONS
    ]
    assert not rejected, "Prism rejected requests of the generated client:\n" + "\n".join(rejected)
    client = [f for f in report.new_failures("client") if not _prism_error_body(f)]
    assert not client, f"client failures against Prism:\n{text}"


def _prism_error_body(failure: Failure) -> bool:
    """The runner's strict parse of Prism's own 500 `application/problem+json` VIOLATIONS body
    (sent when a spec example breaks its schema) into the declared `basic-error`: that body is
    not the declared media type and its `status` is an integer, so it cannot parse; the runner
    calls it a client failure (it does not validate bodies of undeclared media types)."""
    return failure.check == "strict_parse" and failure.message.startswith("500 body")
