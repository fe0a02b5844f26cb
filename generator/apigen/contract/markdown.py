"""docs/contract.md from the reports of a `make contract` run."""

from __future__ import annotations

from collections import Counter, defaultdict

from .report import KLASSES, Baseline, Failure, RunReport

__all__ = ["contract_markdown"]


def _reason(baseline: Baseline, f: Failure) -> str:
    """The reason of the baseline entry that accepts `f` (the baseline's own matching, so an
    entry narrowed by `message` speaks only for the failures it accepted)."""
    entry = baseline.entry(f)
    return entry.get("reason", "") if entry is not None else ""


def contract_markdown(
    reports: dict[str, RunReport], baseline: Baseline, intro: str, command: str
) -> str:
    lines = [intro.rstrip(), "", "## Last run", "", f"`{command}`", ""]
    lines += [
        "| API | operations | cases | calls (sync+async) | wall time | client | sandbox | spec | new client |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in reports.items():
        counts = r.by_class()
        skipped = sum(1 for op in r.operations if op.skipped)
        ops = f"{len(r.operations) - skipped}" + (f" (+{skipped} skipped)" if skipped else "")
        lines.append(
            f"| {name} | {ops} | {r.cases()} | {r.calls()} | {r.seconds:.0f} s | "
            + " | ".join(str(counts[k]) for k in KLASSES)
            + f" | {len(r.new_failures('client'))} |"
        )
    lines.append("")
    for name, r in reports.items():
        lines += [f"## {name}: failures by class", ""]
        # One group per (class, check, reason): failures accepted by different entries show
        # each entry's own reason.
        groups: dict[tuple[str, str, str], list[Failure]] = defaultdict(list)
        for f in r.failures():
            groups[(f.klass, f.check, _reason(baseline, f))].append(f)
        if not groups:
            lines += ["None.", ""]
            continue
        for (klass, check, reason), items in sorted(groups.items()):
            by_op = Counter(f.operation_id for f in items)
            lines.append(
                f"- **{klass} / {check}**: {len(items)} in {len(by_op)} operation(s)"
                + (f" (e.g. {', '.join(o for o, _ in by_op.most_common(5))})" if by_op else "")
            )
            lines.append(
                f"  - reason: {reason or 'NOT ACCEPTED in the baseline: ' + items[0].message[:300]}"
            )
            lines.append(f"  - example: `{items[0].message[:240]}`")
            if klass == "client":
                lines.append(f"  - call: `{items[0].python[:240]}`")
                lines.append(f"  - http: `{items[0].http[:240]}`")
        lines.append("")
    return "\n".join(lines) + "\n"
