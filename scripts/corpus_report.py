"""Totals and the Markdown report for `scripts/corpus.py`.

Why totals first: the report is read to answer "how much of the real world does apigen handle,
and how does that compare to openapi-python-client?"; the per-spec table and the failure list
are there to act on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from corpus_common import ApigenResult, MypyResult, OpcResult, ProbeResult, SpecResult

SHOW_PER_FAILURE = 5  # lines shown per problem kind in the Failures section


@dataclass
class Totals:
    """Sums over every spec for one tool; `None` fields mean "not run"."""

    specs: int = 0
    built: int = 0
    timeouts: int = 0
    import_ok: int = 0
    ops_spec: int = 0
    ops_generated: int = 0
    webhook_ops: int = 0
    op_mismatch: int = 0
    call_clash: int = 0
    calls: list[int] = field(default_factory=lambda: [0, 0])  # resolved, total
    models: list[int] = field(default_factory=lambda: [0, 0])
    warnings: int = 0
    dropped: int = 0
    mypy_run: int = 0
    mypy_clean: int = 0
    mypy_errors: int = 0
    seconds: float = 0.0


def _import_ok(probe: ProbeResult | None) -> bool:
    return probe is not None and probe["import_failures"] == 0


def _add_mypy(t: Totals, mypy: MypyResult | None) -> None:
    if mypy is None or mypy["errors"] is None:
        return
    t.mypy_run += 1
    t.mypy_clean += mypy["errors"] == 0
    t.mypy_errors += mypy["errors"]


def apigen_problems(a: ApigenResult) -> bool:
    """True when apigen's result on this spec needs the lead's attention."""
    probe = a["probe"]
    mypy = a["mypy"]
    return bool(
        a["build_rc"] != 0
        or a["probe_error"]
        or not _import_ok(probe)
        or (probe and (probe["unresolved_calls"] or probe["unresolved_models"]))
        or (probe and probe["client_errors"])
        or (probe and probe["calls_resolved"] != probe["calls_total"])
        or a["missing_ops"]
        or a["extra_ops"]
        or a["duplicate_ops"]
        or a["duplicate_calls"]
        or (mypy and mypy["errors"] != 0)
    )


def apigen_totals(results: list[SpecResult]) -> Totals:
    """Totals for apigen over every spec (a failed build counts as 0 operations)."""
    t = Totals(specs=len(results))
    for r in results:
        t.ops_spec += len(r["spec"]["ops"])
        t.webhook_ops += len(r["spec"]["webhook_ops"])
        a = r["apigen"]
        if a is None:
            continue
        t.built += a["build_rc"] == 0
        t.timeouts += a["build_rc"] is None
        t.seconds += a["build_s"]
        t.warnings += a["warnings"]
        t.ops_generated += a["ops"]
        t.import_ok += a["build_rc"] == 0 and _import_ok(a["probe"])
        t.op_mismatch += bool(a["missing_ops"] or a["extra_ops"] or a["duplicate_ops"])
        t.call_clash += bool(a["duplicate_calls"])
        if (probe := a["probe"]) is not None:
            t.calls[0] += probe["calls_resolved"]
            t.calls[1] += probe["calls_total"]
            t.models[0] += probe["models_resolved"]
            t.models[1] += probe["models_total"]
        _add_mypy(t, a["mypy"])
    return t


def opc_totals(results: list[SpecResult]) -> Totals | None:
    """Totals for openapi-python-client, or None when the peer was not run."""
    if all(r["opc"] is None for r in results):
        return None
    t = Totals(specs=len(results))
    for r in results:
        t.ops_spec += len(r["spec"]["ops"])
        o = r["opc"]
        if o is None:
            continue
        t.built += o["rc"] == 0
        t.timeouts += o["rc"] is None
        t.seconds += o["seconds"]
        t.warnings += o["warnings"]
        t.dropped += o["dropped"]
        t.ops_generated += o["ops"]
        t.import_ok += o["rc"] == 0 and _import_ok(o["probe"])
        _add_mypy(t, o["mypy"])
    return t


def _pct(part: int, whole: int) -> str:
    return f"{part:,} / {whole:,} ({100 * part / whole:.1f} %)" if whole else f"{part:,} / 0"


def totals_rows(a: Totals, o: Totals | None, mypy: bool) -> list[tuple[str, str, str]]:
    """(metric, apigen, opc) rows; shared by the Markdown and the stdout summary."""

    def row(
        metric: str, fmt: Callable[[Totals], str], ours: bool = True, peer: bool = True
    ) -> tuple[str, str, str]:
        theirs = "-" if not peer else ("not run" if o is None else fmt(o))
        return (metric, fmt(a) if ours else "-", theirs)

    rows = [
        row("specs generated (exit 0)", lambda t: _pct(t.built, t.specs)),
        row("timed out", lambda t: str(t.timeouts)),
        row("all modules import", lambda t: _pct(t.import_ok, t.specs)),
        row("operations generated / in specs", lambda t: _pct(t.ops_generated, t.ops_spec)),
        row("specs with operation mismatch", lambda t: str(t.op_mismatch), peer=False),
        row("specs with one call name for 2+ operations", lambda t: str(t.call_clash), peer=False),
        row("webhook operations (not counted)", lambda t: str(t.webhook_ops), peer=False),
        row("manifest calls resolved (sync+async)", lambda t: _pct(*t.calls), peer=False),
        row("manifest models resolved", lambda t: _pct(*t.models), peer=False),
        row("warnings printed", lambda t: f"{t.warnings:,}"),
        row("endpoints dropped ('will not be generated')", lambda t: f"{t.dropped:,}", ours=False),
        row("generation time, sum over specs (s)", lambda t: f"{t.seconds:,.0f}"),
    ]
    if mypy:
        rows += [
            row(
                "mypy --strict: 0 errors / specs type-checked",
                lambda t: _pct(t.mypy_clean, t.mypy_run),
            ),
            row("mypy --strict: total errors", lambda t: f"{t.mypy_errors:,}"),
        ]
    return rows


# --------------------------------------------------------------------------- Markdown


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _yes(flag: bool) -> str:
    return "ok" if flag else "**FAIL**"


def _mypy_cell(m: MypyResult | None) -> str:
    if m is None:
        return "-"
    if m["errors"] is None:
        return "**?**"
    return str(m["errors"]) if m["errors"] == 0 else f"**{m['errors']}**"


def _rc_cell(rc: int | None) -> str:
    return "timeout" if rc is None else ("ok" if rc == 0 else f"**{rc}**")


def _apigen_cells(r: SpecResult) -> list[str]:
    a = r["apigen"]
    if a is None:
        return ["**worker**"] + ["-"] * 6
    built = a["build_rc"] == 0
    probe = a["probe"]
    imports = _yes(_import_ok(probe)) if built else "-"
    if probe is not None:
        imports = f"{imports} ({probe['modules']})" if _import_ok(probe) else imports
    calls = "-"
    if probe is not None:
        c_ok = probe["calls_resolved"] == probe["calls_total"]
        m_ok = probe["models_resolved"] == probe["models_total"]
        calls = "ok" if c_ok and m_ok else "**FAIL**"
    ops = str(a["ops"]) if built else "-"
    if built and (a["missing_ops"] or a["extra_ops"] or a["duplicate_ops"] or a["duplicate_calls"]):
        ops = f"**{ops}**"
    return [
        _rc_cell(a["build_rc"]),
        f"{a['build_s']:.1f}",
        str(a["warnings"]),
        imports,
        ops,
        calls,
        _mypy_cell(a["mypy"]),
    ]


def _opc_cells(o: OpcResult | None, mypy: bool) -> list[str]:
    if o is None:
        return ["-"] * (5 if mypy else 4)
    ok = o["rc"] == 0
    cells = [
        "ok" if ok else ("timeout" if o["rc"] is None else str(o["rc"])),
        (("ok" if _import_ok(o["probe"]) else "**FAIL**") if ok else "-"),
        str(o["ops"]) if ok else "-",
        str(o["dropped"]),
    ]
    if mypy:
        cells.append(_mypy_cell(o["mypy"]))
    return cells


def table(results: list[SpecResult], peer: bool, mypy: bool) -> list[str]:
    """One row per spec."""
    head = ["file", "version", "origin", "ops in spec", "build", "s", "warn", "import"]
    head += ["ops", "calls+models", "mypy"]
    if peer:
        head += ["opc exit", "opc import", "opc ops", "opc dropped"] + (
            ["opc mypy"] if mypy else []
        )
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        spec_ops = str(len(r["spec"]["ops"]))
        if r["spec"]["webhook_ops"]:
            spec_ops += f" (+{len(r['spec']['webhook_ops'])} webhook)"
        cells = [f"`{r['file']}`", r["spec"]["version"], r["origin"], spec_ops]
        cells += _apigen_cells(r)
        if peer:
            cells += _opc_cells(r["opc"], mypy)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return lines


def _block(title: str, items: list[str], total: int | None = None) -> list[str]:
    """A list of problems: the first few, and how many more there are."""
    if not items:
        return []
    more = (total if total is not None else len(items)) - SHOW_PER_FAILURE
    shown = items[:SHOW_PER_FAILURE] + ([f"... and {more} more"] if more > 0 else [])
    return _fenced(title, shown)


def _tail_block(title: str, text: str) -> list[str]:
    """A tool's output tail: its last lines, where a traceback names the exception."""
    lines = text.splitlines()
    return _fenced(title, lines[-SHOW_PER_FAILURE:]) if lines else []


def _fenced(title: str, shown: list[str]) -> list[str]:
    return [f"- {title}:", "", "  ```text", *[f"  {line}" for line in shown], "  ```", ""]


def apigen_failure(r: SpecResult) -> list[str]:
    """The Failures entry for one spec: the first lines of each kind of problem."""
    out = [f"### `{r['file']}`", ""]
    if r["worker_error"]:
        out += _tail_block("worker", r["worker_error"])
    a = r["apigen"]
    if a is None:
        return out
    if a["build_rc"] != 0:
        out += _tail_block(f"build (exit {_rc_cell(a['build_rc'])})", a["build_tail"])
    if a["probe_error"]:
        out += _tail_block("probe", a["probe_error"])
    if (probe := a["probe"]) is not None:
        out += _block("client construction", probe["client_errors"])
        out += _block(
            f"import failures ({probe['import_failures']} of {probe['modules']} modules)",
            probe["import_errors"],
            probe["import_failures"],
        )
        missing = probe["calls_total"] - probe["calls_resolved"]
        out += _block(
            f"unresolved calls ({missing} of {probe['calls_total']})",
            probe["unresolved_calls"],
            missing,
        )
        missing = probe["models_total"] - probe["models_resolved"]
        out += _block(
            f"unresolved models ({missing} of {probe['models_total']})",
            probe["unresolved_models"],
            missing,
        )
    out += _block(
        f"operations in spec, not in manifest ({len(a['missing_ops'])})", a["missing_ops"]
    )
    out += _block(f"manifest operations not in spec ({len(a['extra_ops'])})", a["extra_ops"])
    out += _block(f"duplicate manifest operations ({len(a['duplicate_ops'])})", a["duplicate_ops"])
    out += _block(
        f"one call name for several operations ({len(a['duplicate_calls'])})", a["duplicate_calls"]
    )
    if (m := a["mypy"]) is not None and m["errors"] != 0:
        title = f"mypy --strict: {m['errors']} errors" if m["errors"] else "mypy did not finish"
        out += (
            _block(title, m["lines"], m["errors"]) if m["lines"] else _tail_block(title, m["note"])
        )
    return out


def opc_failure_lines(results: list[SpecResult]) -> list[str]:
    """One line per spec where openapi-python-client exited non-zero or its output broke."""
    lines = []
    for r in results:
        o = r["opc"]
        if o is None:
            continue
        if o["rc"] != 0:
            first = " / ".join(o["tail"].splitlines()[:2]) or "(no output)"
            lines.append(f"- `{r['file']}`: exit {_rc_cell(o['rc'])}: {first}")
        elif not _import_ok(o["probe"]):
            probe = o["probe"]
            why = (
                probe["import_errors"][0] if probe and probe["import_errors"] else o["probe_error"]
            )
            lines.append(f"- `{r['file']}`: import: {why.splitlines()[0] if why else '?'}")
    return lines


def render(results: list[SpecResult], header: list[str], peer: bool, mypy: bool) -> str:
    """The whole docs/corpus.md."""
    a, o = apigen_totals(results), opc_totals(results)
    lines = ["# Corpus report", "", *header, "", "## Totals", ""]
    lines += ["| | apigen | openapi-python-client 0.29.1 |", "|---|---|---|"]
    lines += [f"| {m} | {x} | {y} |" for m, x, y in totals_rows(a, o, mypy)]
    lines += ["", "## Per spec", "", *_legend(peer), "", *table(results, peer, mypy), ""]
    failing = [
        r for r in results if r["worker_error"] or (r["apigen"] and apigen_problems(r["apigen"]))
    ]
    lines += [
        "## Failures",
        "",
        f"apigen: {len(failing)} of {len(results)} specs need attention.",
        "",
    ]
    for r in failing:
        lines += apigen_failure(r)
    if peer:
        opc_lines = opc_failure_lines(results)
        lines += ["### openapi-python-client", "", f"{len(opc_lines)} spec(s).", "", *opc_lines, ""]
    counting = [f"- `{r['file']}`: {p}" for r in results for p in r["spec"]["problems"]]
    if counting:
        lines += ["## Spec counting problems", "", *counting, ""]
    return "\n".join(lines).rstrip() + "\n"


def _legend(peer: bool) -> list[str]:
    text = [
        "ops in spec: paths x HTTP methods, path-item `$ref`s followed; 3.1 `webhooks` shown "
        "apart. build: apigen exit code. s: build wall time (validation cache cold). warn: "
        "stderr lines with `: warning: `. import: every generated module imports (module "
        "count). ops: manifest operations (**bold** when they differ from the spec's, or two "
        "share one method name). "
        "calls+models: every manifest `call` resolves on `Client()` and `AsyncClient()` and "
        "every `models` entry imports. mypy: `mypy --strict` errors (**?**: did not finish)."
    ]
    if peer:
        text.append(
            "opc: openapi-python-client 0.29.1 `--meta none`; opc ops = modules under "
            "`api/<tag>/`; opc dropped = its 'Endpoint will not be generated' warnings; its "
            "output is probed and type-checked exactly like apigen's."
        )
    return text
