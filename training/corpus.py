"""Read and check the labelled corpus (JSON Lines threads, ../shared/CONTRACT.md shape).

``check_corpus`` validates the schema, ids, ``reply_to``, labels, the fixed test split and
near-duplicate comments, and computes the counts table that the data card shows.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError as PydanticError

from service.nlp.text import n_words, normalise_for_duplicates
from service.schemas.corpus import CorpusThread
from service.schemas.errors import as_errors
from service.vocab import ACTS, FLAGS
from service.vocab import LANGUAGES as LANGS

SPLIT_FILE = "test_threads.txt"


@dataclass
class LoadedThread:
    """A thread as read from a corpus file, with where it came from."""

    data: dict
    path: Path
    line: int


@dataclass
class Report:
    """Outcome of a corpus check."""

    errors: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def corpus_files(paths: list[Path]) -> list[Path]:
    """The ``*.jsonl`` files named, or found in the folders named, sorted."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.jsonl")) if path.is_dir() else [path])
    return files


def load_threads(files: list[Path], errors: list[str]) -> list[LoadedThread]:
    """Every thread of the files; unreadable lines go to ``errors`` with their number."""
    threads = []
    for path in files:
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    errors.append(f"{path}:{lineno}: not valid JSON ({exc.msg})")
                    continue
                if not isinstance(data, dict):
                    errors.append(f"{path}:{lineno}: a thread must be a JSON object")
                    continue
                threads.append(LoadedThread(data, path, lineno))
    return threads


def read_split(folder: Path) -> set[str]:
    """Thread ids of the fixed test split (``test_threads.txt``, one id a line)."""
    path = folder / SPLIT_FILE
    if not path.exists():
        return set()
    return {ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")}


def _check_thread(t: LoadedThread, errors: list[str]) -> None:
    """The thread against ``CorpusThread`` (the contract's thread with labels), then the
    order of its comments: unique ids, each ``reply_to`` naming an earlier comment."""
    try:
        CorpusThread.model_validate(t.data)
        problems: list[dict] = []
    except PydanticError as exc:
        problems = as_errors(exc)
    comments = t.data.get("comments")
    seen: set = set()
    for i, c in enumerate(comments if isinstance(comments, list) else []):
        if not isinstance(c, dict):
            continue
        if c.get("id") in seen:
            problems.append({"field": f"comments[{i}].id",
                             "message": f"duplicate id {c.get('id')!r}"})
        if c.get("reply_to") is not None and c.get("reply_to") not in seen:
            problems.append({"field": f"comments[{i}].reply_to",
                             "message": f"{c.get('reply_to')!r} is not an earlier comment"})
        if isinstance(c.get("id"), str):
            seen.add(c["id"])
    errors.extend(f"{t.path}:{t.line}: {p['field']}: {p['message']}" for p in problems)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def counts_of(threads: list[dict], test_ids: set[str]) -> dict:
    """The counts table of the data card."""
    comments = [(t, c) for t in threads for c in t["comments"]]
    n = len(comments)
    per_lang: dict = {}
    for lang in LANGS:
        mine = [c for t, c in comments if t["language"] == lang]
        acts = Counter(c["labels"]["act"] for c in mine)
        per_lang[lang] = {
            "threads": sum(t["language"] == lang for t in threads),
            "comments": len(mine),
            "share_of_comments": _share(len(mine), n),
            **{f"act_{a}": _share(acts[a], len(mine)) for a in ACTS},
            "self_promotion": _share(sum(c["labels"]["promotion"] == "self_promotion"
                                         for c in mine), len(mine)),
            "test_threads": sum(t["language"] == lang and t["id"] in test_ids for t in threads),
        }
    health = Counter(t["labels"]["health"] for t in threads)
    sizes = [len(t["comments"]) for t in threads]
    hard = Counter(c["labels"].get("hard") for _, c in comments if c["labels"].get("hard"))
    return {
        "threads": len(threads),
        "comments": n,
        "languages": per_lang,
        "replies": _share(sum(c.get("reply_to") is not None for _, c in comments), n),
        "thread_size_min": min(sizes, default=0),
        "thread_size_max": max(sizes, default=0),
        "health_1_2": _share(health[1] + health[2], len(threads)),
        "health_3": _share(health[3], len(threads)),
        "health_4_5": _share(health[4] + health[5], len(threads)),
        "flags": {f: sum(f in t["labels"]["flags"] for t in threads) for f in FLAGS},
        "settings": len({t.get("setting") for t in threads if t.get("setting")}),
        "short_3_words": _share(sum(n_words(c["text"]) <= 3 for _, c in comments), n),
        "long_120_words": _share(sum(n_words(c["text"]) > 120 for _, c in comments), n),
        "hard_cases": sum(hard.values()),
        "hard_kinds": dict(sorted(hard.items())),
        "test_threads": sum(t["id"] in test_ids for t in threads),
    }


def _check_duplicates(loaded: list[LoadedThread], errors: list[str]) -> None:
    """Near-duplicate comments (same text once case, accents, spaces and punctuation are
    gone) are errors, except one author pasting the same text again in the same thread:
    that is copy-paste spam, a real pattern the ``repeats_text`` feature learns from."""
    first: dict[str, tuple[str, str, str]] = {}
    for t in loaded:
        for i, c in enumerate(t.data.get("comments") or []):
            if not isinstance(c, dict) or not isinstance(c.get("text"), str):
                continue
            key = normalise_for_duplicates(c["text"])
            if len(key.split()) < 4:  # "+1", "merci !" repeat naturally
                continue
            where = f"{t.path}:{t.line} comments[{i}]"
            seen = first.get(key)
            if seen is None:
                first[key] = (where, t.data.get("id"), c.get("author"))
            elif seen[1:] != (t.data.get("id"), c.get("author")):
                errors.append(f"{where}: near-duplicate of {seen[0]}")


def check_corpus(paths: list[Path]) -> Report:
    """Validate the corpus files and compute the counts table."""
    report = Report()
    files = corpus_files(paths)
    if not files:
        report.errors.append(f"no *.jsonl corpus files in {', '.join(map(str, paths))}")
        return report
    loaded = load_threads(files, report.errors)
    ids: dict[str, LoadedThread] = {}
    for t in loaded:
        before = len(report.errors)
        _check_thread(t, report.errors)
        tid = t.data.get("id")
        if isinstance(tid, str) and tid in ids:
            report.errors.append(f"{t.path}:{t.line}: thread id {tid!r} already used at "
                                 f"{ids[tid].path}:{ids[tid].line}")
        ids.setdefault(tid, t)
        t.data["_valid"] = len(report.errors) == before
    folders = {f.parent for f in files}
    test_ids: set[str] = set().union(*(read_split(f) for f in folders))
    for missing in sorted(test_ids - set(ids)):
        report.errors.append(f"{SPLIT_FILE}: thread {missing!r} is not in the corpus")
    _check_duplicates(loaded, report.errors)
    valid = [t.data for t in loaded if t.data.pop("_valid")]
    if valid and not report.errors:
        report.counts = counts_of(valid, test_ids)
    return report


def split_ids(threads: list[dict]) -> tuple[list[dict], list[dict]]:
    """(train, test) threads by the fixed split of the folder they came from."""
    test = [t for t in threads if t.get("_split") == "test"]
    return [t for t in threads if t.get("_split") != "test"], test


def read_corpus(paths: list[Path]) -> list[dict]:
    """Threads of valid corpus files, each tagged ``_split`` ("train" | "test") and
    ``_file``; raises ValueError listing the errors when the corpus does not check."""
    report = check_corpus(paths)
    if not report.ok:
        raise ValueError("corpus check failed:\n" + "\n".join(report.errors[:50]))
    return tagged_threads(corpus_files(paths))


def tagged_threads(files: list[Path]) -> list[dict]:
    """Threads of checked corpus files, tagged ``_split`` by the split beside each file."""
    test_ids = set().union(*(read_split(f.parent) for f in files))
    out = []
    for t in load_threads(files, []):
        t.data["_split"] = "test" if t.data["id"] in test_ids else "train"
        t.data["_file"] = t.path.name
        out.append(t.data)
    return out


def group_by_language(threads: list[dict]) -> dict[str, list[dict]]:
    """Threads per language."""
    out: dict[str, list[dict]] = defaultdict(list)
    for t in threads:
        out[t["language"]].append(t)
    return out
