"""The moderation-page benchmark runs end to end on a small thread (the timed targets, a
5,000-comment thread's page within 500 KB and 300 ms, are checked by
``python -m bench.moderation_page``, not here)."""

from __future__ import annotations

from bench import moderation_page


def test_bench_runs_and_reports_its_figures(tmp_path):
    figures = moderation_page.run(tmp_path, size=120, requests=2)
    assert figures["size"] == 120 and "sqlite" in figures["databases"]
    for pages in figures["databases"].values():
        assert {"first", "middle", "self_promotion"} <= pages.keys()
        assert all(pages[p]["bytes"] > 10_000 and pages[p]["p50_ms"] > 0
                   for p in ("first", "middle", "self_promotion"))
    names = [t.name for t in moderation_page.page_targets(figures)]
    assert "moderation page, 120 comments, sqlite: largest page" in names
    assert "moderation page, 120 comments, sqlite: slowest page p95" in names
