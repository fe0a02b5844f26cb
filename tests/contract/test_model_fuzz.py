"""Model fuzzing: instances drawn from every component schema validate in the generated model.

For each component schema of petstore (ours), Stripe (current and 2022-04-12) and GitHub, the
schema is converted to JSON Schema (`model_fuzz.Converter`: `nullable` -> `null`, refs inlined,
discriminators ignored) and hypothesis-jsonschema draws valid instances. Each must:

1. validate, with no lenient fallback, in the model the manifest (`apigen.json` "models") names:
   `pydantic.TypeAdapter(model).validate_python(instance)` (for a component that itself accepts
   null, e.g. GitHub's `nullable-*` objects, `TypeAdapter(model | None)`: a class cannot be None);
2. survive `dump_python(mode="json", by_alias=True, exclude_unset=True)` unchanged, up to these
   normalisations (`model_fuzz.roundtrip_equal`), and no others:
   - `date-time` strings compare as instants: pydantic writes UTC as `Z` and may drop a
     `.000000` fraction or `+00:00` offset the instance spelled out;
   - `date` and `uuid` strings compare as values (UUIDs are written lower-case);
   - an integer in a `number` field comes back as the equal float (`1` -> `1.0`).

Bounds, all reported by each test (schemas, instances, accepted, pruned branches, skipped):
- refs are inlined up to `MAX_DEPTH` levels where an instance can do without them (optional
  properties, `anyOf` members with siblings, items of arrays that may be empty); a recursive
  ref is always cut there. A cut branch is `false`, so it is never drawn: counted as "pruned".
  A schema that cannot be drawn at all once cut is "skipped", and a skip fails the test;
- objects of the big specs are drawn without unknown extra keys (`additionalProperties` unset
  is read as `false`; drawing arbitrary extra JSON is ~8x slower on GitHub's webhooks); petstore
  is drawn with them, so keeping and round-tripping unknown keys is covered too.

Two sizes:
- CI slice (always): every petstore schema at `SLICE_EXAMPLES`, and a seeded sample of
  `SLICE_SCHEMAS` schemas of each big spec at `SLICE_EXAMPLES` instances each;
- full (`APIGEN_CONTRACT_FULL=1`, set by `make contract`; marked slow): every component schema
  of the four specs at `APIGEN_FUZZ_EXAMPLES` (default `FULL_EXAMPLES`) instances each.
`APIGEN_FUZZ_SEED` changes the seed (default 0), `APIGEN_FUZZ_REPORT=FILE` appends one JSON line
per run with the numbers.
"""

from __future__ import annotations

import importlib
import json
import os
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
import pytest

from tests.builds import build_into, manifest, on_path
from tests.conftest import ROOT, shared_specs

from .model_fuzz import Converter, SchemaResult, fuzz_component, load_document

FULL = os.environ.get("APIGEN_CONTRACT_FULL") == "1"
SEED = int(os.environ.get("APIGEN_FUZZ_SEED", "0"))
SLICE_SCHEMAS = 60
SLICE_EXAMPLES = 5
FULL_EXAMPLES = int(os.environ.get("APIGEN_FUZZ_EXAMPLES", "10"))
MAX_DEPTH = 2


@dataclass(frozen=True)
class Spec:
    file: str  # relative to ../shared/specs, or "ours:" + a path in the repo
    extras: bool  # draw unknown extra keys on objects


SPECS = {
    "petstore": Spec("ours:specs/petstore.yaml", extras=True),
    "github": Spec("github.json", extras=False),
    "stripe": Spec("stripe.json", extras=False),
    "stripe2022": Spec("stripe-spec3-official-2022-04-12.json", extras=False),
}


def spec_path(spec: Spec) -> Path:
    if spec.file.startswith("ours:"):
        return ROOT / spec.file[len("ours:") :]
    return shared_specs() / spec.file


class Builds:
    """Each spec built once per session, on first use, into a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.outs: dict[str, Path] = {}

    def get(self, name: str) -> Path:
        if name not in self.outs:
            out = self.root / name
            build_into(spec_path(SPECS[name]), out, name=f"fuzz_{name}")
            self.outs[name] = out
        return self.outs[name]


@pytest.fixture(scope="session")
def fuzz_builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    return Builds(tmp_path_factory.mktemp("fuzz"))


def _model(dotted: str) -> Any:
    module, _, attr = dotted.rpartition(".")
    return getattr(importlib.import_module(module), attr)


@dataclass
class Run:
    spec: str
    schemas: int
    per_schema: int
    drawn: int
    accepted: int
    pruned_schemas: int
    pruned_branches: int
    skipped: dict[str, str]
    failures: dict[str, list[str]]
    seconds: float

    def summary(self) -> str:
        rate = 100.0 * self.accepted / self.drawn if self.drawn else 0.0
        return (
            f"model fuzz {self.spec}: {self.schemas} schemas x {self.per_schema} instances, "
            f"{self.accepted}/{self.drawn} accepted ({rate:.1f} %), "
            f"{len(self.failures)} schemas failing, {len(self.skipped)} skipped, "
            f"{self.pruned_schemas} with pruned branches ({self.pruned_branches} cuts), "
            f"{self.seconds:.1f}s"
        )


def fuzz_spec(builds: Builds, name: str, sample: int | None, count: int) -> Run:
    """Fuzz `sample` schemas (all if None) of spec `name`, `count` instances each."""
    out = builds.get(name)  # built once per session, not timed
    started = time.perf_counter()
    data = manifest(out)
    models: dict[str, str] = data["models"]
    doc = load_document(spec_path(SPECS[name]))
    names = sorted(models)
    if sample is not None and sample < len(names):
        names = sorted(random.Random(f"{SEED}:{name}").sample(names, sample))
    converter = Converter(doc, MAX_DEPTH, closed=not SPECS[name].extras)
    results: list[SchemaResult] = []
    with on_path(out, data["package"]):
        for i, schema in enumerate(names):
            results.append(
                fuzz_component(converter, schema, _model(models[schema]), count, SEED + i)
            )
    run = Run(
        spec=name,
        schemas=len(names),
        per_schema=count,
        drawn=sum(r.drawn for r in results),
        accepted=sum(r.accepted for r in results),
        pruned_schemas=sum(1 for r in results if r.pruned),
        pruned_branches=sum(r.pruned for r in results),
        skipped={r.name: r.skipped for r in results if r.skipped},
        failures={r.name: r.failures for r in results if r.failures},
        seconds=time.perf_counter() - started,
    )
    report = os.environ.get("APIGEN_FUZZ_REPORT")
    if report:
        with open(report, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({**run.__dict__, "seed": SEED, "full": FULL}) + "\n")
    return run


def _check(run: Run, capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print("\n" + run.summary())
    problems = [f"{name}: {'; '.join(f)}" for name, f in sorted(run.failures.items())]
    problems += [f"{name}: skipped ({why})" for name, why in sorted(run.skipped.items())]
    assert not problems, run.summary() + "\n" + "\n".join(problems[:30])
    assert run.drawn >= run.schemas  # every schema drew at least one instance


@pytest.mark.parametrize("spec", list(SPECS))
def test_model_fuzz_slice(
    spec: str, fuzz_builds: Builds, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = None if spec == "petstore" else SLICE_SCHEMAS
    _check(fuzz_spec(fuzz_builds, spec, sample, SLICE_EXAMPLES), capsys)


@pytest.mark.slow
@pytest.mark.skipif(not FULL, reason="every schema: set APIGEN_CONTRACT_FULL=1 (make contract)")
@pytest.mark.parametrize("spec", list(SPECS))
def test_model_fuzz_full(
    spec: str, fuzz_builds: Builds, capsys: pytest.CaptureFixture[str]
) -> None:
    _check(fuzz_spec(fuzz_builds, spec, None, FULL_EXAMPLES), capsys)


def _manifest_models(out: Path) -> Iterator[tuple[str, Any]]:
    data = manifest(out)
    with on_path(out, data["package"]):
        for name, dotted in sorted(data["models"].items()):
            yield name, _model(dotted)


@pytest.mark.parametrize("spec", list(SPECS))
def test_every_manifest_model_works_with_a_type_adapter(spec: str, fuzz_builds: Builds) -> None:
    """Python 3.11: no `typing.TypedDict`, no unresolvable forward reference, in any model."""
    broken: list[str] = []
    count = 0
    for name, model in _manifest_models(fuzz_builds.get(spec)):
        count += 1
        try:
            adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(model)
            assert adapter.core_schema is not None  # built now, not on first use
        except Exception as err:  # report every model that fails, not only the first
            broken.append(f"{name}: {type(err).__name__}: {str(err)[:200]}")
    assert count > 0
    assert not broken, "\n".join(broken[:30])
