"""Scale: one thread of 10 to 5,000 comments through ``Engine.analyze_thread``.

Each size runs in a fresh process (``bench.probe thread``) so its memory is its own. The
time per comment should not grow with the thread: a least-squares line ``t = a + b n`` is
fitted, and the time per comment at the largest size is compared with the one at 1,000.
"""

from __future__ import annotations

import math

from bench.batch import probe

SIZES = (10, 100, 1000, 5000)


def fit_line(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares intercept and slope of ``y = a + b x``."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    b = sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0
    return my - b * mx, b


def loglog_slope(points: list[tuple[float, float]]) -> float:
    """Slope of log(time) against log(size): 1 for linear, 2 for quadratic."""
    return fit_line([(math.log(x), math.log(y)) for x, y in points if x > 0 and y > 0])[1]


def run(sizes: tuple[int, ...] = SIZES) -> dict:
    """Time and memory per size, the fitted line and the linearity figures."""
    rows = [probe("thread", "--size", str(n)) for n in sizes]
    points = [(r["size"], r["seconds"]) for r in rows]
    intercept, slope = fit_line(points)
    per_comment = {r["size"]: r["seconds"] / r["size"] for r in rows}
    largest = max(sizes)
    reference = 1000 if 1000 in per_comment and largest > 1000 else None
    drift = (per_comment[largest] / per_comment[reference] - 1) if reference else None
    return {
        "rows": rows,
        "fit": {"intercept_s": round(intercept, 4), "ms_per_comment": round(1e3 * slope, 3),
                "loglog_slope": round(loglog_slope(points), 3)},
        "ms_per_comment": {str(n): round(1e3 * v, 3) for n, v in per_comment.items()},
        "per_comment_drift": round(drift, 3) if drift is not None else None,
        "largest": largest,
        "largest_seconds": round(rows[-1]["seconds"], 2),
    }
