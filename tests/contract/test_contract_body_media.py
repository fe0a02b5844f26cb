"""The contract runner on tests/fixtures/contract-body-media.yaml: request bodies the APIs.guru
corpus sweep found reported as client or sandbox failures: octets that are not UTF-8 in a
urlencoded form, cases drawn for a media type the client does not send, a required `*/*` body,
an HTTP scheme computed per request, the token request of OAuth2 client credentials, a path
parameter serialised as JSON, a multipart body that is no object, a nullable body, and a response
schema schemathesis cannot use."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigen.contract import ContractConfig, RunReport, run_contract
from tests.builds import build_into
from tests.conftest import ROOT

SPEC = ROOT / "tests" / "fixtures" / "contract-body-media.yaml"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> RunReport:
    out: Path = tmp_path_factory.mktemp("media") / "media"
    build_into(SPEC, out)
    return run_contract(ContractConfig(out, spec=SPEC, max_examples=6))


def _checks(report: RunReport, operation_id: str) -> set[tuple[str, str]]:
    (op,) = [o for o in report.operations if o.operation_id == operation_id]
    assert op.cases > 0 and not op.skipped
    return {(f.klass, f.check) for f in op.failures}


def test_binary_form_fields_are_sent_as_their_octets(report: RunReport) -> None:
    # schemathesis draws PNG/GIF bytes for `format: binary`: the runtime once raised
    # UnicodeDecodeError, and the check compared text read back to the bytes given
    # (`form_key`: a drawn extra property whose name a form cannot spell)
    assert _checks(report, "attach") <= {("spec", "form_key")}


def test_only_cases_for_the_media_type_the_client_sends(report: RunReport) -> None:
    # a case drawn for the form was an array turned into key/value pairs, sent as JSON
    assert _checks(report, "putLabels") == set()


def test_a_response_schema_that_is_no_schema_object_is_the_spec_s(report: RunReport) -> None:
    assert _checks(report, "getItem") == {("spec", "schemathesis")}


def test_a_required_wildcard_body_with_no_property_given_is_sent(report: RunReport) -> None:
    # the runtime sent `{}` only for JSON and forms: "the required request body is not sent"
    assert _checks(report, "createNamespace") == set()


def test_a_per_request_http_scheme_is_the_spec_s(report: RunReport) -> None:
    # `scheme: oauth` wants `Authorization: OAuth <signature>`, which no generated client
    # computes: it was a client failure ("no credentials sent"), the sandbox's 401 with it
    assert _checks(report, "signedToken") == {
        ("spec", "security_requirement"),
        ("spec", "status_code_conformance"),
    }


def test_the_server_check_skips_the_token_request(report: RunReport) -> None:
    # the client's first request is the token's POST: it was checked as the operation's
    # ("client/server: sent to .../connect/token, the spec's server for it is ...")
    assert _checks(report, "listReports") == set()


def test_a_json_path_parameter_is_read_back_as_json(report: RunReport) -> None:
    # `"0"` percent-encoded is the spec's spelling of "0"; `"."` is no dot segment to refuse
    assert _checks(report, "updateCampaign") == set()


def test_a_multipart_body_that_is_no_object_is_the_spec_s(report: RunReport) -> None:
    # the runtime refuses bytes as a multipart body: it has no field name to send them under
    assert _checks(report, "uploadReceipt") == {("spec", "form_not_object")}


def test_a_null_body_for_flattened_properties_is_the_spec_s(report: RunReport) -> None:
    # schemathesis draws `null` for the nullable body: the call then misses `name`
    assert _checks(report, "createBlockList") <= {("spec", "nullable_body")}
