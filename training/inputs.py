"""What ``train`` and ``evaluate`` read: corpus JSON Lines and flat CSV, checked first.

Every file is validated before anything is trained; all the errors come back together,
each with its file and line, so one run shows everything to fix.
"""

from __future__ import annotations

from pathlib import Path

from .corpus import SPLIT_FILE, Report, check_corpus, counts_of, read_split, tagged_threads
from .csv_input import read_csv_threads

SUFFIXES = (".jsonl", ".csv")


class DataError(ValueError):
    """The data does not check; ``errors`` lists every problem as ``path:line: …``."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = "\n".join(errors[:50])
        more = f"\n… and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(f"{len(errors)} error(s) in the data:\n{shown}{more}")


def data_files(paths: list[Path]) -> list[Path]:
    """The files named, and the ``*.jsonl``/``*.csv`` files of the folders named, sorted."""
    files: set[Path] = set()
    for path in map(Path, paths):
        if path.is_dir():
            files.update(p for p in path.iterdir() if p.suffix in SUFFIXES)
        else:
            files.add(path)
    return sorted(files)


def read_data(paths: list[Path]) -> list[dict]:
    """Threads of every file, tagged ``_split`` ("train" | "test") and ``_file``.

    Raises DataError listing every bad line; the fixed test split is the
    ``test_threads.txt`` beside each file.
    """
    files = data_files(paths)
    if not files:
        raise DataError([f"no *.jsonl or *.csv files in {', '.join(map(str, paths))}"])
    errors = [f"{f}: not a .jsonl or .csv file" for f in files if f.suffix not in SUFFIXES]
    threads: list[dict] = []
    for path in (f for f in files if f.suffix == ".csv"):
        test_ids = read_split(path.parent)
        for thread in read_csv_threads(path, errors):
            thread["_split"] = "test" if thread["id"] in test_ids else "train"
            threads.append(thread)
    jsonl = [f for f in files if f.suffix == ".jsonl"]
    if jsonl:
        in_csv = {f"{SPLIT_FILE}: thread {t['id']!r} is not in the corpus" for t in threads}
        corpus_errors = [e for e in check_corpus(jsonl).errors if e not in in_csv]
        errors.extend(corpus_errors)
        if not corpus_errors:
            threads.extend(tagged_threads(jsonl))
    seen: dict[str, str] = {}
    for thread in threads:
        where = seen.setdefault(thread["id"], thread["_file"])
        if where != thread["_file"]:
            errors.append(f"{thread['_file']}: thread id {thread['id']!r} also in {where}")
    if errors:
        raise DataError(errors)
    return threads


def check_data(paths: list[Path]) -> Report:
    """What ``thread-health data check`` prints: the errors ``train`` would refuse the data
    for (the very same reading, ``read_data``), else the counts table of its threads."""
    try:
        threads = read_data(paths)
    except DataError as exc:
        return Report(errors=exc.errors)
    test_ids = {t["id"] for t in threads if t["_split"] == "test"}
    return Report(counts=counts_of(threads, test_ids))
