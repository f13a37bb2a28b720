"""The sign-in timing benchmark runs end to end on a few attempts (the timed target, the
medians of known and unknown names within 10 %, is checked by ``python -m bench.signin``)."""

from __future__ import annotations

from bench import signin


def test_bench_runs_and_reports_its_figures(tmp_path):
    figures = signin.run(tmp_path / "data", attempts=3)
    assert figures["statuses"] == {200: 6}  # every attempt a plain failure, none throttled
    assert {"known_p50_ms", "unknown_p50_ms", "known_p90_ms", "median_gap"} <= figures.keys()
    assert figures["known_p50_ms"] > 0 and figures["unknown_p50_ms"] > 0
    assert [t.name for t in signin.signin_targets(figures)] == [
        "sign-in failure, |known - unknown| median / known median",
        "sign-in failures answered 200"]
