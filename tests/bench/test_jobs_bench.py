"""The queue benchmark runs end to end on a small workload with one worker (its timed
targets are checked by ``python -m bench --parts jobs``, not here)."""

from __future__ import annotations

import pytest

from bench import jobs
from bench.workload import generate


@pytest.mark.slow
def test_bench_runs_and_reports_its_figures(tmp_path):
    from redis import Redis, RedisError

    try:
        Redis.from_url(jobs.REDIS, socket_timeout=2).ping()
    except RedisError as exc:
        pytest.skip(f"no Redis on 127.0.0.1:6379 ({exc})")
    figures = jobs.run(generate(threads=30, comments=300, seed=3), tmp_path, counts=(1,))
    assert figures["identical"] is True
    assert figures["comments"] == 300 and set(figures["queue_s"]) == {"1"}
    assert figures["queue_s"]["1"] > 0 and "1" in figures["overhead"]
    names = [t.name for t in jobs.jobs_targets(figures)]
    assert names[0] == "jobs: 2 workers over 1 (throughput)" and len(names) == 3
