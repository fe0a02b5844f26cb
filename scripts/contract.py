"""`make contract`: every operation of petstore, Stripe and GitHub through the generated sync and
async clients against the in-process sandbox; writes docs/contract.md (and JSON reports under
build/contract/). Exit 1 when a client failure is not in tests/contract/baseline.json.

Environment: APIGEN_SHARED_SPECS (the real specs), APIGEN_CONTRACT_EXAMPLES (drawn cases per
operation, default 3), APIGEN_CONTRACT_SEED (default 0), APIGEN_CONTRACT_CLIENTS (the folder
holding petstore/, stripe/ and github/ clients; default generated/).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from apigen.contract import Baseline, ContractConfig, RunReport, run_contract
from apigen.contract.markdown import contract_markdown

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("APIGEN_SHARED_SPECS", ROOT.parent / "shared" / "specs"))
BASELINE = ROOT / "tests/contract/baseline.json"

INTRO = """# Contract runs

Written by `make contract` (scripts/contract.py); do not edit by hand.

`apigen contract CLIENT_DIR` (generator/apigen/contract/) loads the spec into schemathesis, draws
positive cases per operation and adds edge values (path values `.`, `..` and `""`, which the
client must refuse with `ValueError` before sending, and `/ ? # % ` non-ASCII ones that must
arrive as one percent-encoded segment; `null` where nullable; optionals omitted; minimum and
maximum numbers and lengths; one plain value per `anyOf`/`oneOf` branch). Each case is mapped
onto the generated method's keyword arguments through the method's `_rt.Operation` constant
(`Param(py_name, wire_name, location)`: path/query/header/cookie by wire name, `field` = one body
property, `body` = the whole body; values converted to the annotated types with pydantic, so a
spec-valid value the annotation refuses is a client failure) and sent through the sync and the
async client. Checks: (a) the request on the wire (path segments, parameter styles, no
undeclared parameters, credentials, body media type, encoding and JSON schema, and that every
value arrives as given), (b) the response parses strictly into the declared type (the runtime's
lenient fallback is not needed), (c) schemathesis' status code, content type, header and
response schema conformance checks, (d) the mapping itself: every parameter the spec declares
has an argument of its wire name, and every drawn body property the schema declares goes
through an argument, not `extra_body` (a misspelt name would otherwise leave a value unsent,
or sent by the runner's own fallback, and pass).

Classes: **client** (a bug of the generated client or runtime: fix it), **sandbox** (our
sandbox answered wrongly or refused a valid request), **spec** (the spec cannot be satisfied as
written, or a real server disagrees with it). Accepted sandbox/spec failures are listed with
their reason in tests/contract/baseline.json; below, each group of failures shows the reason of
the baseline entry that accepted it. An empty value drawn for a required query parameter (`q=`)
is a spec failure (`empty_query_value`): OpenAPI 3.0's `allowEmptyValue` defaults to false, so
`q=` means no value, and a schema that admits `""` asks for a value the parameter cannot carry.
A free-form key that bracketed form keys cannot spell (`""`, read back as an array item, or a key
holding `]`) is a spec failure too (`form_key`): the client sends the only spelling there is.

CI (tests/contract/test_contract_runs.py, through the runner's Python API): petstore fully; Stripe
and GitHub on fixed lists of about 20 risky operations each plus 5 operations rotating by date
(seed printed; `APIGEN_CONTRACT_SEED=...` replays a day); 0 new client failures allowed. The
runner's own checks are tested in test_contract_checks.py (a sabotaged runtime is caught) and
the pytest plugin in test_pytest_plugin.py. Prism, the independent second sandbox, and where it
and ours disagree: [docs/prism.md](prism.md).
"""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--docs-only",
        action="store_true",
        help="only re-render docs/contract.md from build/contract/*.json",
    )
    if parser.parse_args().docs_only:
        return write_docs()
    examples = int(os.environ.get("APIGEN_CONTRACT_EXAMPLES", "3"))
    seed = int(os.environ.get("APIGEN_CONTRACT_SEED", "0"))
    clients = Path(os.environ.get("APIGEN_CONTRACT_CLIENTS", ROOT / "generated"))
    runs = {
        "petstore": (clients / "petstore", ROOT / "specs/petstore.yaml"),
        "stripe": (clients / "stripe", SHARED / "stripe.json"),
        "github": (clients / "github", SHARED / "github.json"),
    }
    reports: dict[str, RunReport] = {}
    out = ROOT / "build/contract"
    out.mkdir(parents=True, exist_ok=True)
    for name, (client, spec) in runs.items():
        print(f"== {name}: every operation, {examples} drawn cases each, seed {seed}", flush=True)
        report = run_contract(
            ContractConfig(client, spec=spec, max_examples=examples, seed=seed, baseline=BASELINE)
        )
        print(report.text().splitlines()[-1], flush=True)
        report.write(out / f"{name}.json")
        reports[name] = report
    command = f"APIGEN_CONTRACT_EXAMPLES={examples} APIGEN_CONTRACT_SEED={seed} make contract"
    if clients != ROOT / "generated":
        command = f"APIGEN_CONTRACT_CLIENTS={clients} {command}"
    (out / "command.txt").write_text(command, encoding="utf-8")
    write_docs()
    return 1 if any(r.new_failures("client") for r in reports.values()) else 0


def write_docs() -> int:
    out = ROOT / "build/contract"
    baseline = Baseline.load(BASELINE)
    reports: dict[str, RunReport] = {}
    for name in ("petstore", "stripe", "github"):
        report = RunReport.from_json(json.loads((out / f"{name}.json").read_text(encoding="utf-8")))
        baseline.apply(report)
        reports[name] = report
    command = (out / "command.txt").read_text(encoding="utf-8")
    text = contract_markdown(reports, baseline, INTRO, command)
    (ROOT / "docs/contract.md").write_text(text, encoding="utf-8")
    print(f"wrote docs/contract.md from {out}/*.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
