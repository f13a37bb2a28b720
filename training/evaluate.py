"""Measure a model bundle: the corpus test split per language, and real comments.

Everything goes through ``Engine.analyze_thread`` without language hints, exactly as a
platform's request would, so the figures are the service's own.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import f1_score, precision_recall_fscore_support, roc_auc_score

from service.nlp.features import CommentInput
from service.nlp.text import n_words
from service.schemas.limits import MAX_TEXT
from service.validation import ThreadInput
from service.vocab import ACTS, FLAGS, LANGUAGES

from .examples import comment_inputs

YOUTUBE_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "youtube-spam"


def _r(x: float) -> float:
    return round(float(x), 4)


def _spearman(x: list, y: list) -> float | None:
    """Spearman's rho, None when it is undefined (fewer than 3 values, or one side constant)."""
    if len(x) < 3 or len(set(x)) < 2 or len(set(y)) < 2:
        return None
    return _r(spearmanr(x, y).statistic)


def analyse_corpus(engine, threads: list[dict]) -> list[dict]:
    """Analyses of corpus threads (no hints), in order."""
    return [engine.analyze_thread(ThreadInput(id=t["id"], language=None,
                                              comments=comment_inputs(t))) for t in threads]


def corpus_metrics(threads: list[dict], analyses: list[dict]) -> dict:
    """Per-language metrics of analyses against the corpus labels."""
    out = {}
    for lang in LANGUAGES:
        pairs = [(t, a) for t, a in zip(threads, analyses, strict=True) if t["language"] == lang]
        if not pairs:
            continue
        gold_c = [c for t, _ in pairs for c in t["comments"]]
        pred_c = [c for _, a in pairs for c in a["comments"]]
        y_act = [c["labels"]["act"] for c in gold_c]
        p_act = [c["act"]["label"] for c in pred_c]
        y_pro = np.array([c["labels"]["promotion"] == "self_promotion" for c in gold_c])
        s_pro = np.array([c["promotion"]["score"] for c in pred_c])
        p_pro = np.array([c["promotion"]["label"] == "self_promotion" for c in pred_c])
        prec, rec, f1, support = precision_recall_fscore_support(y_act, p_act, labels=list(ACTS),
                                                                 zero_division=0)
        gold_lang = [c["labels"].get("language", lang) for c in gold_c]
        right = [g == p["language"] for g, p in zip(gold_lang, pred_c, strict=True)]
        short = [n_words(c["text"]) <= 3 for c in gold_c]
        rated = [(t["labels"]["health"], a["health"]["score"]) for t, a in pairs
                 if t["labels"].get("health") is not None]
        flags = {}
        for flag in FLAGS:
            g = [flag in t["labels"]["flags"] for t, _ in pairs]
            p = [flag in a["health"]["flags"] for _, a in pairs]
            flags[flag] = _r(f1_score(g, p, zero_division=0))
        out[lang] = {
            "threads": len(pairs),
            "comments": len(gold_c),
            "act_macro_f1": _r(f1_score(y_act, p_act, labels=list(ACTS), average="macro",
                                        zero_division=0)),
            "act_per_class": {a: {"precision": _r(prec[i]), "recall": _r(rec[i]),
                                  "f1": _r(f1[i]), "support": int(support[i])}
                              for i, a in enumerate(ACTS)},
            "promotion_f1": _r(f1_score(y_pro, p_pro, zero_division=0)),
            "promotion_precision": _r((y_pro & p_pro).sum() / max(p_pro.sum(), 1)),
            "promotion_recall": _r((y_pro & p_pro).sum() / max(y_pro.sum(), 1)),
            "promotion_genuine_flagged": _r((~y_pro & p_pro).sum() / max((~y_pro).sum(), 1)),
            "promotion_roc_auc": _r(roc_auc_score(y_pro, s_pro)) if 0 < y_pro.sum() < len(y_pro)
            else None,
            "language_accuracy": _r(np.mean(right)),
            "language_accuracy_short": _r(np.mean([r for r, s in zip(right, short, strict=True)
                                                   if s])) if any(short) else None,
            "short_comments": int(sum(short)),
            "health_spearman": _spearman([s for _, s in rated], [r for r, _ in rated]),
            "flag_f1": flags,
            **_good_threads(pairs),
        }
    registers = sorted({t["register"] for t in threads if t.get("register")})
    if registers:
        out["registers"] = {r: register_metrics([(t, a) for t, a in zip(threads, analyses,
                                                                          strict=True)
                                                  if t.get("register") == r])
                            for r in registers}
    all_c = [(c, p) for t, a in zip(threads, analyses, strict=True)
             for c, p in zip(t["comments"], a["comments"], strict=True)]
    right = [c["labels"].get("language") == p["language"] for c, p in all_c]
    short = [n_words(c["text"]) <= 3 for c, _ in all_c]
    out["overall"] = {
        "language_accuracy": _r(np.mean(right)),
        "language_accuracy_short": _r(np.mean([r for r, s in zip(right, short, strict=True)
                                               if s])) if any(short) else None,
    }
    return out


def _good_threads(pairs: list[tuple[dict, dict]]) -> dict:
    """How often threads rated 4–5 carry no flag (a flag there is a false alarm)."""
    good = [a for t, a in pairs if (t["labels"].get("health") or 0) >= 4]
    if not good:
        return {}
    return {"good_threads": len(good),
            "good_threads_unflagged": _r(np.mean([not a["health"]["flags"] for a in good]))}


def register_metrics(pairs: list[tuple[dict, dict]]) -> dict:
    """Act and promotion figures of one register (both languages; dev set)."""
    gold = [c for t, _ in pairs for c in t["comments"]]
    pred = [c for _, a in pairs for c in a["comments"]]
    y_act = [c["labels"]["act"] for c in gold]
    p_act = [c["act"]["label"] for c in pred]
    y_pro = np.array([c["labels"]["promotion"] == "self_promotion" for c in gold])
    p_pro = np.array([c["promotion"]["label"] == "self_promotion" for c in pred])
    rated = [(t["labels"]["health"], a["health"]["score"]) for t, a in pairs]
    return {"threads": len(pairs), "comments": len(gold),
            "act_macro_f1": _r(f1_score(y_act, p_act, labels=list(ACTS), average="macro",
                                        zero_division=0)),
            "act_accuracy": _r(np.mean([y == p for y, p in zip(y_act, p_act, strict=True)])),
            "self_promotion": int(y_pro.sum()),
            "promotion_recall": _r((y_pro & p_pro).sum() / y_pro.sum()) if y_pro.any()
            else None,
            "promotion_genuine_flagged": _r((~y_pro & p_pro).sum() / max((~y_pro).sum(), 1)),
            "health_spearman": _spearman([s for _, s in rated], [r for r, _ in rated]),
            **_good_threads(pairs)}


def read_youtube_file(path: Path) -> tuple[ThreadInput, list[int]]:
    """One comment section of the YouTube Spam Collection as a thread, and its labels."""
    comments, labels = [], []
    with path.open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            text = (row["CONTENT"] or "").strip()[:MAX_TEXT]
            if not text:
                continue
            comments.append(CommentInput(id=f"{i}", author=row["AUTHOR"] or f"anon{i}",
                                         text=text))
            labels.append(int(row["CLASS"]))
    return ThreadInput(id=path.stem, language=None, comments=comments), labels


def youtube_metrics(engine, folder: Path = YOUTUBE_DIR) -> dict | None:
    """P(self_promotion) on real comments (never trained on); None when absent."""
    files = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    if not files:
        return None
    y, scores, labels, sections = [], [], [], {}
    for path in files:
        thread, gold = read_youtube_file(path)
        analysis = engine.analyze_thread(thread)
        y.extend(gold)
        scores.extend(c["promotion"]["score"] for c in analysis["comments"])
        labels.extend(c["promotion"]["label"] == "self_promotion" for c in analysis["comments"])
        sections[path.stem] = {"comments": len(gold),
                               "flagged_self_promotion":
                                   "self_promotion" in analysis["health"]["flags"],
                               "score": analysis["health"]["score"]}
    y_arr, l_arr = np.array(y, dtype=bool), np.array(labels)
    return {
        "comments": len(y),
        "roc_auc": _r(roc_auc_score(y_arr, scores)),
        "f1": _r(f1_score(y_arr, l_arr)),
        "precision": _r((y_arr & l_arr).sum() / max(l_arr.sum(), 1)),
        "recall": _r((y_arr & l_arr).sum() / max(y_arr.sum(), 1)),
        "genuine_flagged": _r((~y_arr & l_arr).sum() / max((~y_arr).sum(), 1)),
        "threshold": engine.threshold,
        "sections": sections,
        "sections_flagged": sum(s["flagged_self_promotion"] for s in sections.values()),
    }
