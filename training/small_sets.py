"""Say when an evaluation set is too small for its figures to decide anything.

Below these sizes a 95% interval spans tens of points: the figure is printed, with a warning
naming the group and what is short, rather than left to be read as a result.
"""

from __future__ import annotations

import numpy as np

from service.vocab import ACTS, FLAGS

from .predictions import ThreadPrediction, group_name, groups

MIN_THREADS = 30  # threads of a language or register
MIN_CLASS = 20  # comments labelled with a class (act or self_promotion)
MIN_FLAG = 5  # threads labelled with a flag


def small_set_warnings(preds: list[ThreadPrediction], what: str) -> list[str]:
    """One line per group and shortage, e.g. ``French: 12 threads in the comparison …``."""
    out = []
    for key, mine in groups(preds).items():
        name = group_name(key)
        if len(mine) < MIN_THREADS:
            out.append(f"{name}: {len(mine)} threads in {what} (fewer than {MIN_THREADS}): "
                       "its intervals are wide; read them, not the point figures")
        if key.startswith("register:"):
            continue
        acts = np.bincount(np.concatenate([p.act_gold for p in mine]), minlength=len(ACTS))
        promo = int(sum(p.promo_gold.sum() for p in mine))
        short = [f"{a} {n}" for a, n in zip(ACTS, acts, strict=True) if n < MIN_CLASS]
        short += [f"self_promotion {promo}"] if promo < MIN_CLASS else []
        if short:
            out.append(f"{name}: few labelled comments in {what} ({', '.join(short)}; fewer "
                       f"than {MIN_CLASS}): the per-class figures of these rest on few examples")
        rated = [p for p in mine if p.rating is not None]
        if rated:
            rare = [f"{f} {n}" for f in FLAGS
                    if (n := sum(f in p.flags_gold for p in rated)) < MIN_FLAG]
            if rare:
                out.append(f"{name}: few threads labelled with a flag in {what} "
                           f"({', '.join(rare)}; fewer than {MIN_FLAG}): those flag F1 "
                           "figures say little")
    return out
