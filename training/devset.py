"""The blind development set: merge two labellers' passes, measure their agreement, apply
the adjudication, and write ``data/dev/threads.jsonl`` in the corpus format.

Layout of ``data/dev/`` (see its README):

- ``raw/<register>.jsonl``: the threads as their writer wrote them, without labels;
- ``labels/a/<register>.jsonl`` and ``labels/b/<register>.jsonl``: two independent passes;
- ``agreement/adjudication*.jsonl``: one line per disagreement, with the final label and why;
- ``threads.jsonl``: the merged set, what ``thread-health evaluate --data data/dev`` reads.

Run ``python -m training.devset [DEV_DIR]`` to rebuild ``threads.jsonl`` and print the
agreement table; it refuses to write while a disagreement has no adjudicated label.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from service.vocab import FLAGS

FIELDS = ("act", "promotion", "language")


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _by_id(path: Path) -> dict[str, dict]:
    return {t["id"]: t for t in _read(path)} if path.exists() else {}


def disagreements(raw: list[dict], a: dict[str, dict], b: dict[str, dict]) -> list[dict]:
    """Every item the two passes label differently: comment fields, health, each flag."""
    out = []
    for thread in raw:
        ta, tb = a[thread["id"]], b[thread["id"]]
        ca = {c["id"]: c for c in ta["comments"]}
        cb = {c["id"]: c for c in tb["comments"]}
        for c in thread["comments"]:
            for field in FIELDS:
                if ca[c["id"]][field] != cb[c["id"]][field]:
                    out.append({"thread": thread["id"], "comment": c["id"], "field": field,
                                "a": ca[c["id"]][field], "b": cb[c["id"]][field]})
        if ta["labels"]["health"] != tb["labels"]["health"]:
            out.append({"thread": thread["id"], "comment": None, "field": "health",
                        "a": ta["labels"]["health"], "b": tb["labels"]["health"]})
        for flag in FLAGS:
            fa, fb = flag in ta["labels"]["flags"], flag in tb["labels"]["flags"]
            if fa != fb:
                out.append({"thread": thread["id"], "comment": None, "field": f"flag:{flag}",
                            "a": fa, "b": fb})
    return out


def agreement(raw: list[dict], a: dict[str, dict], b: dict[str, dict]) -> dict:
    """Cohen's kappa and raw agreement per field, per language."""
    out: dict = {}
    for lang in ("fr", "en", "all"):
        threads = [t for t in raw if lang == "all" or t["language"] == lang]
        row = {}
        for field in FIELDS:
            ya, yb = [], []
            for t in threads:
                ca = {c["id"]: c[field] for c in a[t["id"]]["comments"]}
                cb = {c["id"]: c[field] for c in b[t["id"]]["comments"]}
                ya += [ca[c["id"]] for c in t["comments"]]
                yb += [cb[c["id"]] for c in t["comments"]]
            row[field] = {"kappa": _kappa(ya, yb),
                          "agreement": round(sum(x == y for x, y in zip(ya, yb, strict=True))
                                             / len(ya), 3), "n": len(ya)}
        ha = [a[t["id"]]["labels"]["health"] for t in threads]
        hb = [b[t["id"]]["labels"]["health"] for t in threads]
        row["health"] = {"kappa_quadratic": _kappa(ha, hb, weights="quadratic"),
            "within_one": round(sum(abs(x - y) <= 1 for x, y in zip(ha, hb, strict=True))
                                / len(ha), 3), "n": len(ha)}
        fa = [f in a[t["id"]]["labels"]["flags"] for t in threads for f in FLAGS]
        fb = [f in b[t["id"]]["labels"]["flags"] for t in threads for f in FLAGS]
        row["flags"] = {"kappa": _kappa(fa, fb), "n": len(fa)}
        out[lang] = row
    return out


def _kappa(a: list, b: list, **kwargs) -> float | None:
    """Cohen's kappa, None where it is undefined (both passes give one and the same label)."""
    if len(set(a) | set(b)) < 2:
        return None
    return round(float(cohen_kappa_score(a, b, **kwargs)), 3)


def _key(item: dict) -> tuple:
    return item["thread"], item["comment"], item["field"]


def merge(raw: list[dict], a: dict[str, dict], b: dict[str, dict],
          decided: dict[tuple, object]) -> tuple[list[dict], list[dict]]:
    """The labelled threads, and the disagreements that have no decision yet."""
    missing = [d for d in disagreements(raw, a, b) if _key(d) not in decided]
    merged = []
    for thread in raw:
        ta = a[thread["id"]]
        ca = {c["id"]: c for c in ta["comments"]}
        comments = []
        for c in thread["comments"]:
            labels = {f: decided.get((thread["id"], c["id"], f), ca[c["id"]][f])
                      for f in FIELDS}
            comments.append({**c, "labels": labels})
        health = decided.get((thread["id"], None, "health"), ta["labels"]["health"])
        flags = [f for f in FLAGS
                 if decided.get((thread["id"], None, f"flag:{f}"), f in ta["labels"]["flags"])]
        merged.append({**thread, "labels": {"health": int(health), "flags": flags},
                       "comments": comments})
    return merged, missing


def build(dev: Path) -> int:
    """Rebuild ``dev/threads.jsonl``; print agreement; 1 when decisions are missing."""
    raw = [t for p in sorted((dev / "raw").glob("*.jsonl")) for t in _read(p)]
    a = {k: v for p in sorted((dev / "labels" / "a").glob("*.jsonl"))
         for k, v in _by_id(p).items()}
    b = {k: v for p in sorted((dev / "labels" / "b").glob("*.jsonl"))
         for k, v in _by_id(p).items()}
    raw = [t for t in raw if t["id"] in a and t["id"] in b]
    decided = {_key(d): d["final"] for path in sorted((dev / "agreement").glob(
        "adjudication*.jsonl")) for d in _read(path)}
    merged, missing = merge(raw, a, b, decided)
    print(json.dumps(agreement(raw, a, b), indent=1))
    print(f"{len(raw)} threads, {sum(len(t['comments']) for t in raw)} comments;"
          f" {len(missing)} disagreements without a decision")
    if missing:
        pending = dev / "agreement" / "pending.jsonl"
        pending.parent.mkdir(exist_ok=True)
        pending.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in missing),
                           encoding="utf-8")
        print(f"written to {pending}")
        return 1
    with (dev / "threads.jsonl").open("w", encoding="utf-8") as fh:
        for t in merged:
            fh.write(json.dumps(t, ensure_ascii=False) + "\n")
    print(Counter(c["labels"]["act"] for t in merged for c in t["comments"]))
    return 0


if __name__ == "__main__":
    sys.exit(build(Path(sys.argv[1] if len(sys.argv) > 1 else "data/dev")))
