"""Choose the thread flag rules (``service.scoring.health.FlagRules``) on the dev set.

A flag is what a moderator should look at, so the rules are judged on threads labelled by
people who read them: per flag, F1 against their flags, and how often a thread they rated
4–5 carries any flag (a false alarm in the queue). Few candidates, printed side by side:
``python -m training.flag_rules --model models/NAME --data data/dev``.
"""

from __future__ import annotations

import argparse
import itertools
import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from service.scoring.engine import Engine
from service.scoring.health import MOVED_ON, FlagRules, components_of, flags_of
from service.vocab import FLAGS

from .examples import comment_inputs

CANDIDATES = {
    "promotion_min": (2, 3),
    "promotion_share": (0.0, 0.1, 0.15, 0.2),
    "broadcast_share": (0.45, 0.5, 0.6),
    "unanswered_min": (1, 2, 3),
    "unanswered_share": (0.0, 0.34, 0.5),
    "opening_question": (False, True),
}
MOVED_ON_CANDIDATES = (0, 2, 3, 4)  # 0: any question never answered is open (the old rule)


def thread_views(engine: Engine, threads: list[dict]) -> list[list]:
    """The health function's inputs for every thread, from the model's predictions."""
    out = []
    for t in threads:
        comments = comment_inputs(t)
        results, prepared = engine.predict(comments)
        out.append(engine.views(comments, results, prepared))
    return out


def score_rules(rules: FlagRules, threads: list[dict], views: list[list],
                moved_on: int = MOVED_ON) -> dict:
    """Flag F1 per flag, their mean, and the share of 4–5 threads with no flag."""
    predicted = []
    for v in views:
        components, open_ = components_of(v, moved_on)
        predicted.append(flags_of(v, components, open_, rules))
    per_flag = {f: round(float(f1_score([f in t["labels"]["flags"] for t in threads],
                                        [f in p for p in predicted], zero_division=0)), 3)
                for f in FLAGS}
    good = [(t, p) for t, p in zip(threads, predicted, strict=True) if t["labels"]["health"] >= 4]
    return {"flag_f1": per_flag, "mean_f1": round(float(np.mean(list(per_flag.values()))), 3),
            "good_unflagged": round(float(np.mean([not p for _, p in good])), 3) if good
            else None,
            # a flag on a good thread that its readers gave too is not a false alarm
            "good_no_false_flag": round(float(np.mean([set(p) <= set(t["labels"]["flags"])
                                                       for t, p in good])), 3) if good
            else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True, help="dev threads.jsonl")
    args = parser.parse_args()
    path = args.data / "threads.jsonl" if args.data.is_dir() else args.data
    threads = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    views = thread_views(Engine.load(model_path=args.model), threads)
    rows = []
    for moved_on, *values in itertools.product(MOVED_ON_CANDIDATES, *CANDIDATES.values()):
        rules = FlagRules(**dict(zip(CANDIDATES, values, strict=True)))
        rows.append(({"moved_on": moved_on, **asdict(rules)},
                     score_rules(rules, threads, views, moved_on)))
    rows.sort(key=lambda r: r[1]["mean_f1"] + r[1]["good_no_false_flag"], reverse=True)
    print("default", json.dumps(score_rules(FlagRules(), threads, views)))
    for rules, result in rows[:15]:
        print(json.dumps(rules), json.dumps(result))


if __name__ == "__main__":
    main()
