"""A bounded slice of `make readme-examples` (scripts/readme_examples.py): every README block
of generated clients for real specs runs, as written, against the sandbox of its API.

Chosen for what broke before (docs/decisions.md §77): Azure (client parameters, next links,
long-running operations in split resources, `api-version` on raw requests), Twilio (versioned
tags, patterned ids, next-page URLs), Lufthansa (a token endpoint on the API's host), beezup
(examples of the wrong type, a 202's monitor), Codat (next-page URLs), urlbox (a `oneOf` of
required lists), amadeus (examples of the wrong format), nytimes (a cached list page), and
four of corpus2's generator test specs; and the names of decisions §78: Slack (dotted tags
as nested resources), VisageCloud (Springfox ids and tags)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from tests.builds import load_script

SPECS = [
    "corpus/azure.com__web-service.json",
    "corpus/azure.com__hardwaresecuritymodules-dedicatedhsm.json",
    "corpus2/providers/twilio/twilio_messaging_v1.yaml",
    "corpus/lufthansa.com__partner.json",
    "corpus/beezup.com.json",
    "corpus/codat.io__assess.json",
    "corpus/urlbox.io.json",
    "corpus/amadeus.com__amadeus-flight-delay-prediction.json",
    "corpus/nytimes.com__geo_api.json",
    # a body's discriminator value (implicit mapping), a tagged union's tag, object query
    # parameters without required properties, a raw GET of an event stream (corpus2)
    "corpus2/oag/3_0/oneof_polymorphism_and_inheritance.yaml",
    "corpus2/oag/3_0/rust/discriminator-reserved-keyword.yaml",
    "corpus2/opc/baseline_openapi_3.0.json",
    "corpus2/dcg/item_schema_31.yaml",
    "corpus2/providers/slack/slack_web_openapi_v2.json",
    "corpus/visagecloud.com.json",
]


def _runner() -> ModuleType:
    return load_script("readme_examples")


@pytest.mark.slow
@pytest.mark.parametrize("name", SPECS)
def test_every_readme_block_runs_against_the_sandbox(
    name: str, specs_dir: Path, tmp_path: Path
) -> None:
    outcome = _runner().run_spec(specs_dir / name, tmp_path)
    assert outcome.build_error is None
    assert outcome.blocks >= 8
    assert outcome.failures == []
