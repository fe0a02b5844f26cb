"""Contract run results: failures classified client / sandbox / spec, per-operation summaries,
the baseline of accepted failures, and the text, JSON and JUnit XML renderings."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

__all__ = ["Baseline", "BaselineError", "Failure", "OperationResult", "RunReport"]

Klass = Literal["client", "sandbox", "spec"]
KLASSES: tuple[Klass, ...] = ("client", "sandbox", "spec")


@dataclass
class Failure:
    operation_id: str
    call: str
    check: str
    klass: Klass
    message: str
    variant: str = ""  # sync / async / "" (both or before calling)
    case: str = ""
    python: str = ""  # the call that reproduces it
    http: str = ""  # the request on the wire
    accepted: bool = False  # listed in the baseline

    def key(self) -> tuple[str, str, str]:
        return (self.operation_id, self.check, self.klass)


@dataclass
class OperationResult:
    operation_id: str
    call: str
    method: str
    path: str
    cases: int = 0
    calls: int = 0
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)
    skipped: str = ""


@dataclass
class RunReport:
    client: str
    spec: str
    base_url: str
    seed: int
    max_examples: int
    variants: list[str]
    operations: list[OperationResult] = field(default_factory=list)
    seconds: float = 0.0
    budget_exhausted: bool = False
    interrupted: bool = False  # stopped by Ctrl-C: the operations not checked are skipped
    # the classes whose new failures fail the run (exit 1, JUnit failures): the client's by
    # default; `spec` too for a run against the caller's own API (`--fail-on client,spec`),
    # where "spec" means the API and its spec disagree
    fail_on: tuple[Klass, ...] = ("client",)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunReport:
        """The report `to_json` wrote (e.g. build/contract/stripe.json)."""
        report = cls(
            client=data["client"],
            spec=data["spec"],
            base_url=data["base_url"],
            seed=data["seed"],
            max_examples=data["max_examples"],
            variants=list(data["variants"]),
            seconds=data["seconds"],
            budget_exhausted=data["budget_exhausted"],
            interrupted=data.get("interrupted", False),
            fail_on=tuple(data.get("fail_on", ("client",))),
        )
        for op in data["operations"]:
            fields = {k: v for k, v in op.items() if k != "failures"}
            result = OperationResult(**fields)
            result.failures = [Failure(**f) for f in op["failures"]]
            report.operations.append(result)
        return report

    # -- figures ------------------------------------------------------------------------------

    def failures(self) -> list[Failure]:
        return [f for op in self.operations for f in op.failures]

    def new_failures(self, klass: Klass | None = None) -> list[Failure]:
        return [
            f for f in self.failures() if not f.accepted and (klass is None or f.klass == klass)
        ]

    def by_class(self) -> dict[str, int]:
        counts = Counter(f.klass for f in self.failures())
        return {k: counts.get(k, 0) for k in KLASSES}

    def cases(self) -> int:
        return sum(op.cases for op in self.operations)

    def calls(self) -> int:
        return sum(op.calls for op in self.operations)

    def exit_code(self) -> int:
        """1 on a new failure of a `fail_on` class; 130 (the shell's code for SIGINT) when the
        run was interrupted, so that no script reads a partial run as a pass."""
        if self.interrupted:
            return 130
        return 1 if any(self.new_failures(k) for k in self.fail_on) else 0

    # -- renderings ---------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "spec": self.spec,
            "base_url": self.base_url,
            "seed": self.seed,
            "max_examples": self.max_examples,
            "variants": self.variants,
            "seconds": round(self.seconds, 2),
            "budget_exhausted": self.budget_exhausted,
            "interrupted": self.interrupted,
            "fail_on": list(self.fail_on),
            "summary": {
                "operations": len(self.operations),
                "cases": self.cases(),
                "calls": self.calls(),
                "failures": self.by_class(),
                "new_client_failures": len(self.new_failures("client")),
            },
            "operations": [
                {
                    **{k: v for k, v in asdict(op).items() if k != "failures"},
                    "seconds": round(op.seconds, 3),
                    "failures": [asdict(f) for f in op.failures],
                }
                for op in self.operations
            ],
        }

    def text(self, verbose: bool = False) -> str:
        lines: list[str] = []
        for op in self.operations:
            status = "SKIP" if op.skipped else ("FAIL" if op.failures else "ok")
            lines.append(
                f"{status:4} {op.operation_id} ({op.call}): {op.cases} cases, {op.calls} calls, "
                f"{op.seconds:.2f}s" + (f" - {op.skipped}" if op.skipped else "")
            )
            shown = op.failures if verbose else _distinct(op.failures)
            for f in shown:
                mark = "accepted " if f.accepted else ""
                lines.append(f"     [{mark}{f.klass}] {f.check}: {f.message}")
                if f.python:
                    lines.append(f"        call: {f.python}")
                if f.http:
                    lines.append(f"        http: {f.http}")
        counts = self.by_class()
        lines.append(
            f"{len(self.operations)} operations, {self.cases()} cases, {self.calls()} calls "
            f"({'+'.join(self.variants)}) in {self.seconds:.1f}s, seed {self.seed}; failures: "
            + ", ".join(f"{counts[k]} {k}" for k in KLASSES)
            + f"; {len(self.new_failures('client'))} new client failure(s)"
            + (" [time budget exhausted]" if self.budget_exhausted else "")
            + (" [interrupted]" if self.interrupted else "")
        )
        return "\n".join(lines)

    def junit(self) -> str:
        suite = ET.Element(
            "testsuite",
            name=f"apigen contract {self.client}",
            tests=str(len(self.operations)),
            failures=str(sum(1 for op in self.operations if _new(op, self.fail_on))),
            skipped=str(sum(1 for op in self.operations if op.skipped)),
            time=f"{self.seconds:.3f}",
        )
        for op in self.operations:
            case = ET.SubElement(
                suite, "testcase", classname=op.call, name=op.operation_id, time=f"{op.seconds:.3f}"
            )
            if op.skipped:
                ET.SubElement(case, "skipped", message=op.skipped)
            new = _new(op, self.fail_on)
            if new:
                failure = ET.SubElement(
                    case, "failure", message=f"{len(new)} failure(s): " + new[0].message[:200]
                )
                failure.text = "\n\n".join(
                    f"[{f.klass}] {f.check} ({f.variant or 'both'}, {f.case}): {f.message}\n"
                    f"call: {f.python}\nhttp: {f.http}"
                    for f in new
                )
            accepted = [f for f in op.failures if f.accepted]
            if accepted:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(
                    f"accepted [{f.klass}] {f.check}: {f.message}" for f in accepted
                )
        return ET.tostring(suite, encoding="unicode", xml_declaration=True)

    def write(self, path: Path, fmt: str | None = None) -> None:
        fmt = fmt or {".json": "json", ".xml": "junit"}.get(path.suffix.lower(), "text")
        path.write_text(self.render(fmt) + "\n", encoding="utf-8")

    def render(self, fmt: str) -> str:
        """The report as `fmt` says: `json`, `junit`, else text (every failure)."""
        if fmt == "json":
            return json.dumps(self.to_json(), indent=2, ensure_ascii=False)
        if fmt == "junit":
            return self.junit()
        return self.text(verbose=True)


def _new(op: OperationResult, fail_on: tuple[Klass, ...] = ("client",)) -> list[Failure]:
    return [f for f in op.failures if not f.accepted and f.klass in fail_on]


def _distinct(failures: list[Failure]) -> list[Failure]:
    """The first failure per (check, class), counting the others: a summary, not a log."""
    firsts: dict[tuple[str, Klass], Failure] = {}
    counts: Counter[tuple[str, Klass]] = Counter()
    for f in failures:
        key = (f.check, f.klass)
        counts[key] += 1
        firsts.setdefault(key, f)
    out: list[Failure] = []
    for key, f in firsts.items():
        more = counts[key] - 1
        out.append(replace(f, message=f.message + (f" (+{more} more like it)" if more else "")))
    return out


class BaselineError(Exception):
    pass


@dataclass
class Baseline:
    """Accepted known failures: a JSON list of {"operation_id", "check", "class", "reason"}
    (`operation_id` and `check` may be `*`), optionally narrowed by `"message"`, a text the
    failure's message must contain.

    `"found_as"` (optional) is the class the runner gave the failure when it differs from the
    entry's `"class"`: the run can only say that the sandbox refused a request its own checks
    found valid, while the reason may be the spec's (a value the encoding cannot spell). The
    matched failure is then counted under `"class"`.
    """

    entries: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path | None) -> Baseline:
        if path is None:
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise BaselineError(f"cannot read baseline {path}: {exc.strerror}") from None
        except ValueError as exc:
            raise BaselineError(f"baseline {path} is not JSON: {exc}") from None
        if not isinstance(data, list) or not all(
            isinstance(e, dict) and {"operation_id", "check", "class"} <= set(e) for e in data
        ):
            raise BaselineError(
                f"baseline {path} must be a JSON list of objects with operation_id, check, class"
            )
        entries = [{k: str(v) for k, v in e.items()} for e in data]
        for e in entries:
            for key in ("class", "found_as"):
                if key in e and e[key] not in KLASSES:
                    raise BaselineError(
                        f"baseline {path}: {key} {e[key]!r} is not one of {', '.join(KLASSES)}"
                    )
        return cls(entries)

    def entry(self, failure: Failure) -> dict[str, str] | None:
        """The first entry accepting `failure` (classified by the runner, or already by this
        baseline: applying it again to a saved report changes nothing), if any."""
        for e in self.entries:
            if _matches(e, failure):
                return e
        return None

    def unused(self, report: RunReport, selected: bool = False) -> list[dict[str, str]]:
        """The entries no failure of `report` matched although their operation was checked in
        both variants (a `*` entry: every operation ran, none `selected` out by --operation or
        --tag): a failure fixed since, or an entry that no longer says what fails. Kept, they
        would accept the failure should it come back."""
        if len(set(report.variants)) < 2:
            return []  # a failure of the variant not run would not show
        ran = {op.operation_id for op in report.operations if not op.skipped}
        whole = not (report.interrupted or report.budget_exhausted or selected)
        failures = report.failures()
        return [
            e
            for e in self.entries
            if (e["operation_id"] in ran or (e["operation_id"] == "*" and whole and ran))
            and not any(_matches(e, f) for f in failures)
        ]

    def accepts(self, failure: Failure) -> bool:
        return self.entry(failure) is not None

    def apply(self, report: RunReport) -> None:
        for f in report.failures():
            e = self.entry(f)
            f.accepted = e is not None
            if e is not None:
                f.klass = e["class"]  # type: ignore[assignment]  # checked in `load`


def _matches(entry: dict[str, str], failure: Failure) -> bool:
    """Whether baseline `entry` accepts `failure` (see `Baseline`)."""
    return (
        failure.klass in (entry["class"], entry.get("found_as", entry["class"]))
        and entry["operation_id"] in ("*", failure.operation_id)
        and entry["check"] in ("*", failure.check)
        and entry.get("message", "") in failure.message
    )
