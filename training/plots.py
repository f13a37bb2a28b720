"""The report's plots: confusion matrices, reliability diagrams, precision–recall and
threshold curves, health score by rating.

Figures are built with ``matplotlib.figure.Figure`` (no pyplot, no global backend), so
the report can be written from a test, a worker or a terminal alike.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from service.vocab import ACTS, PROMOTION

from .calibration import bin_index
from .predictions import ThreadPrediction, by_language

LANG_NAMES = {"fr": "French", "en": "English"}
PNG_METADATA = {"Software": None}  # no version string: same inputs, same bytes


def _save(fig: Figure, path: Path) -> str:
    fig.savefig(path, dpi=100, metadata=PNG_METADATA)
    return path.name


def confusion(gold: np.ndarray, pred: np.ndarray, labels: tuple[str, ...], title: str,
              path: Path) -> str:
    """Counts, coloured by share of the gold row (the recall of each class)."""
    matrix = np.zeros((len(labels), len(labels)), dtype=int)
    np.add.at(matrix, (gold, pred), 1)
    rows = matrix.sum(axis=1, keepdims=True)
    share = np.divide(matrix, rows, out=np.zeros(matrix.shape), where=rows > 0)
    fig = Figure(figsize=(4.2, 3.6), layout="constrained")
    ax = fig.add_subplot()
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    for (i, j), n in np.ndenumerate(matrix):
        ax.text(j, i, str(n), ha="center", va="center",
                color="white" if share[i, j] > 0.6 else "black")
    ax.set_xticks(range(len(labels)), labels, rotation=20)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("labelled")
    ax.set_title(title, fontsize=10)
    return _save(fig, path)


def confusions(preds: list[ThreadPrediction], folder: Path) -> list[tuple[str, str]]:
    """One confusion matrix per axis and language: ``[(caption, file name), …]``."""
    out = []
    for lang, mine in by_language(preds).items():
        name = LANG_NAMES[lang]
        act_gold = np.concatenate([p.act_gold for p in mine])
        act_pred = np.concatenate([p.act_pred for p in mine])
        out.append((f"act, {name}", confusion(act_gold, act_pred, ACTS, f"act — {name}",
                                             folder / f"confusion_act_{lang}.png")))
        promo_gold = np.concatenate([p.promo_gold for p in mine]).astype(int)
        promo_pred = np.concatenate([p.promo_pred for p in mine]).astype(int)
        out.append((f"promotion, {name}", confusion(promo_gold, promo_pred, PROMOTION,
                                                   f"promotion — {name}",
                                                   folder / f"confusion_promotion_{lang}.png")))
    return out


def _curve(score: np.ndarray, hit: np.ndarray, bins: int = 10) -> tuple[list, list, list]:
    """Mean predicted probability, observed frequency and count of each non-empty bin
    (the report's calibration bins)."""
    which = bin_index(score, bins)
    xs, ys, ns = [], [], []
    for b in range(bins):
        mask = which == b
        if mask.any():
            xs.append(float(score[mask].mean()))
            ys.append(float(hit[mask].mean()))
            ns.append(int(mask.sum()))
    return xs, ys, ns


def reliability(preds: list[ThreadPrediction], path: Path) -> str:
    """P(self_promotion) against the observed share, and act confidence against accuracy."""
    fig = Figure(figsize=(9, 4), layout="constrained")
    promo_ax, act_ax = fig.subplots(1, 2)
    for lang, mine in by_language(preds).items():
        score = np.concatenate([p.promo_score for p in mine])
        hit = np.concatenate([p.promo_gold for p in mine]).astype(float)
        xs, ys, _ = _curve(score, hit)
        promo_ax.plot(xs, ys, marker="o", label=LANG_NAMES[lang])
        proba = np.concatenate([p.act_proba for p in mine])
        right = (proba.argmax(axis=1) == np.concatenate([p.act_gold for p in mine]))
        xs, ys, _ = _curve(proba.max(axis=1), right.astype(float))
        act_ax.plot(xs, ys, marker="o", label=LANG_NAMES[lang])
    for ax, title, xlabel, ylabel in (
            (promo_ax, "promotion", "predicted P(self_promotion)", "share labelled self_promotion"),
            (act_ax, "act", "probability of the predicted act", "share predicted right")):
        ax.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1)
        ax.set(xlim=(0, 1), ylim=(0, 1), xlabel=xlabel, ylabel=ylabel, title=title)
        ax.legend(loc="upper left")
    return _save(fig, path)


def pr_curves(curves: dict, path: Path) -> str | None:
    """Precision against recall per language, the chosen threshold marked on each curve."""
    if not curves:
        return None
    fig = Figure(figsize=(5, 4.2), layout="constrained")
    ax = fig.add_subplot()
    for lang, c in curves.items():
        line, = ax.plot(c["curve"]["recall"], c["curve"]["precision"],
                        label=f"{LANG_NAMES[lang]} (AP {c['average_precision']:.3f})")
        ax.plot([c["chosen"]["recall"]], [c["chosen"]["precision"]], marker="o", markersize=8,
                color=line.get_color(), markeredgecolor="black",
                label=f"threshold {c['chosen']['threshold']}, {LANG_NAMES[lang]}")
    ax.set(xlim=(0, 1.02), ylim=(0, 1.02), xlabel="recall", ylabel="precision",
           title="self_promotion: precision–recall")
    ax.legend(loc="lower left", fontsize=8)
    return _save(fig, path)


def threshold_curves(curves: dict, path: Path) -> str | None:
    """Precision, recall and F1 against the cut, per language, the chosen one a line."""
    if not curves:
        return None
    fig = Figure(figsize=(4.5 * len(curves), 4), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(curves), sharey=True))
    for ax, (lang, c) in zip(axes, curves.items(), strict=True):
        cuts = np.array(c["curve"]["thresholds"])
        precision, recall = np.array(c["curve"]["precision"]), np.array(c["curve"]["recall"])
        f1 = np.divide(2 * precision * recall, precision + recall,
                       out=np.zeros(len(cuts)), where=precision + recall > 0)
        for values, name in ((precision, "precision"), (recall, "recall"), (f1, "F1")):
            ax.plot(cuts, values, label=name)
        ax.axvline(c["chosen"]["threshold"], color="black", linestyle="--", linewidth=1,
                   label=f"chosen {c['chosen']['threshold']}")
        ax.set(xlim=(0, 1), ylim=(0, 1.02), xlabel="threshold on P(self_promotion)",
               title=LANG_NAMES[lang])
        ax.legend(loc="lower left", fontsize=8)
    return _save(fig, path)


def health_by_rating(preds: list[ThreadPrediction], levels: dict, path: Path) -> str | None:
    """Health scores per human rating, per language, with the level thresholds."""
    langs = {lang: [p for p in mine if p.rating is not None]
             for lang, mine in by_language(preds).items()}
    langs = {lang: mine for lang, mine in langs.items() if mine}
    if not langs:
        return None
    fig = Figure(figsize=(4.5 * len(langs), 4), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(langs), sharey=True))
    for ax, (lang, mine) in zip(axes, langs.items(), strict=True):
        ratings = sorted({p.rating for p in mine})
        groups = [[p.score for p in mine if p.rating == r] for r in ratings]
        ax.boxplot(groups, positions=ratings, widths=0.5)
        for r, group in zip(ratings, groups, strict=True):
            ax.scatter(np.full(len(group), r), group, s=10, alpha=0.5, color="tab:blue")
        for key, style in (("healthy_at", "-"), ("at_risk_at", ":")):
            if key in levels:
                ax.axhline(levels[key], color="grey", linestyle=style, linewidth=1,
                           label=f"{key} {levels[key]}")
        ax.set(xlim=(0.5, 5.5), ylim=(-2, 102), xlabel="human rating (1–5)",
               title=f"{LANG_NAMES[lang]} ({len(mine)} threads)")
        ax.set_xticks(range(1, 6))
        ax.legend(loc="upper left", fontsize=8)
    axes[0].set_ylabel("health score")
    return _save(fig, path)
