"""Geometry of the two small inline SVG charts (no scripts, no external assets).

The templates draw what these functions compute: the health components as horizontal
bars, and the thread's score over its analyses as a line.
"""

from __future__ import annotations

from flask_babel import format_decimal

from ..scoring.health import COMPONENTS
from ..store.models import iso

BAR = {"width": 360, "row": 26, "label": 170, "track": 130}
LINE = {"width": 360, "height": 150, "left": 34, "right": 12, "top": 10, "bottom": 26}


def component_bars(components: dict[str, float]) -> dict:
    """One bar per component in the documented order (its value written for the locale:
    0,75 in French); ``worse`` marks self-promotion."""
    names = [n for n in COMPONENTS if n in components] + sorted(set(components) - set(COMPONENTS))
    rows = []
    for i, name in enumerate(names):
        value = min(1.0, max(0.0, float(components[name])))
        rows.append({"name": name, "value": value, "text": format_decimal(value, "0.00"),
                     "y": i * BAR["row"], "width": round(value * BAR["track"], 1),
                     "worse": name == "self_promotion"})
    return {**BAR, "x_bar": BAR["label"], "x_value": BAR["label"] + BAR["track"] + 8,
            "height": max(1, len(rows)) * BAR["row"], "rows": rows}


def score_line(history: list) -> dict:
    """Points of the score (0..100) over the analyses, oldest left; gridlines at 0/50/100."""
    g = LINE
    plot_w = g["width"] - g["left"] - g["right"]
    plot_h = g["height"] - g["top"] - g["bottom"]
    n = len(history)
    points = []
    for i, record in enumerate(history):
        x = g["left"] + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)
        y = g["top"] + plot_h * (100 - record.score) / 100
        points.append({"x": round(x, 1), "y": round(y, 1), "score": record.score,
                       "level": record.level, "when": iso(record.analysed_at),
                       "comments": record.comment_count})
    grid = [{"value": v, "y": round(g["top"] + plot_h * (100 - v) / 100, 1)}
            for v in (100, 50, 0)]
    return {**g, "points": points, "grid": grid, "x_end": g["width"] - g["right"],
            "y_axis": g["height"] - 8, "ends": _end_labels(points),
            "polyline": " ".join(f"{p['x']},{p['y']}" for p in points)}


def _end_labels(points: list[dict]) -> list[str]:
    """Labels under the first and last points: days, or times when both are on one day."""
    if not points:
        return []
    first, last = points[0]["when"], points[-1]["when"]
    if len(points) == 1:
        return [first[:10]]
    if first[:10] == last[:10]:
        return [first[11:16], last[11:16]]
    return [first[:10], last[:10]]
