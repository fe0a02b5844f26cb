"""The `make bench` harness's own logic (issue #10): verdicts, the corpus fit, the docs block.

Only pure functions: the benchmark itself never runs in the test suite (it needs the bench venv
and ~20 minutes); these keep its arithmetic and its rewrite of docs/benchmarks.md honest.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import _bench_targets as targets
import bench


@pytest.mark.parametrize(
    ("measured", "target", "verdict"),
    [
        (0.15, "<= 0.15", "PASS"),
        (0.16, "<= 0.15", "FAIL"),
        (250.0, ">= 200", "PASS"),
        (21.0, ">= 200", "FAIL"),
        (0.0, "== 0", "PASS"),
        (3.0, "== 0", "FAIL"),
        (None, "<= 1.0", "n/a"),
        (float("nan"), ">= 0.9", "n/a"),
    ],
)
def test_target_verdict(measured: float | None, target: str, verdict: str) -> None:
    assert bench.Target("1", "x", measured, target).verdict == verdict


def _row(name: str, ops: int, cpu: float | None) -> targets.CorpusRow:
    return targets.CorpusRow(name, ops, 0, cpu, cpu or 0.0)


def test_fit_recovers_a_line_and_names_the_spec_above_it() -> None:
    rows = [_row(f"s{n}", n, 1.0 + 0.01 * n) for n in range(0, 500, 25)]
    rows.append(_row("slow", 100, 9.0))  # far above the line
    rows.append(_row("broken", 50, None))  # failed builds are left out of the fit
    fitted = targets.fit(rows)
    assert fitted.outliers[0][0].spec == "slow"
    assert fitted.outliers[0][1] > 3
    exact = targets.fit([r for r in rows if r.spec not in ("slow", "broken")])
    assert exact.r2 == pytest.approx(1.0)
    assert exact.slope_ms == pytest.approx(10.0)
    assert exact.intercept_s == pytest.approx(1.0)


def test_fit_without_data_is_nan_not_a_crash() -> None:
    fitted = targets.fit([_row("broken", 3, None)])
    assert fitted.r2 != fitted.r2
    assert fitted.outliers == []


def test_docs_block_is_replaced_between_markers_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "benchmarks.md"
    docs.write_text("# Benchmarks\n\nhand-written intro\n", encoding="utf-8")
    monkeypatch.setattr(bench, "DOCS", docs)
    bench.write_docs(f"{bench.BEGIN}\nrun one\n{bench.END}")
    bench.write_docs(f"{bench.BEGIN}\nrun two\n{bench.END}")
    text = docs.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n")
    assert "run two" in text
    assert "run one" not in text
    assert text.count(bench.BEGIN) == 1
    assert "hand-written intro" in text


def test_async_rows_include_the_faster_transport_ratio() -> None:
    """Target 3's second half: the async client on httpx / on httpx-aiohttp, >= 2 to pass."""
    state = {
        "percall": [
            targets.PerCall("petstore", "sync", 350.0, 355.0),
            targets.PerCall("petstore", "async", 900.0, 930.0, "", 310.0),
            targets.PerCall("stripe", "async", 1600.0, 1650.0, "", None),
        ]
    }
    rows = [r for r in bench.evaluate(state) if "faster transport" in r.what]
    assert [r.what.split(",")[1].split()[0] for r in rows] == ["petstore", "stripe"]
    assert rows[0].measured == pytest.approx(3.0) and rows[0].verdict == "PASS"
    assert rows[1].verdict == "n/a" and "not installed" in rows[1].detail


def test_first_response_floor_row_is_information_beside_the_targets() -> None:
    """The httpx + pydantic floor is shown against stripe-python, never judged as a target."""
    first = targets.FirstBench(
        wall={
            targets.FIRST_FLOOR: 0.140,
            "stripe-python default": 0.150,
            "apigen stripe default": 0.155,
        },
        cpu={
            targets.FIRST_FLOOR: 0.139,
            "stripe-python default": 0.149,
            "apigen stripe default": 0.154,
        },
    )
    rows = bench.evaluate({"first": first})
    floor = next(r for r in rows if "floor (import httpx" in r.what)
    assert floor.verdict == "info" and floor.measured == pytest.approx(140 / 150)
    default = next(r for r in rows if "API default shape" in r.what)
    assert default.verdict == "FAIL" and default.measured == pytest.approx(155 / 150)
