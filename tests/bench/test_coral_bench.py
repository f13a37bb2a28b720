"""The Coral latency benchmark runs end to end on a small count (the timed target, p99 under
100 ms over 500 calls, is checked by ``python -m bench.coral``, not here)."""

from __future__ import annotations

from bench import coral


def test_bench_runs_and_reports_its_figures(tmp_path):
    figures = coral.run(tmp_path, calls=12, stories=3)
    assert figures["calls"] == 12 and sum(figures["statuses"].values()) == 12
    assert set(figures["statuses"]) <= {200, 204} and 200 in figures["statuses"]
    assert {"p50_ms", "p99_ms", "max_ms"} <= figures.keys()
    assert [t.name for t in coral.coral_targets(figures)] == [
        "coral phase p99 over 12 calls", "coral phase errors"]


def test_bodies_are_distinct_and_spread_over_the_stories():
    raws = coral.bodies(40, 4)
    assert len(set(raws)) == 40
    assert len({r.split(b'"story"')[1][:40] for r in raws}) == 4
