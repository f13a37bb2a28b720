"""A seeded workload of realistic threads, recombined from the corpus.

Each generated thread borrows a corpus thread's language, title and shape (how many distinct
authors, how often comments reply), and is filled with whole comments drawn from every
corpus thread of that language, so comment lengths follow the corpus. @mentions are
rewritten to name participants of the new thread. French and English threads come in the
corpus's proportions; there are no language hints and no labels, as a platform would send.

    .venv/bin/python -m bench.workload --out /tmp/workload.jsonl   # 1,000 threads, 20,000 comments
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from service.nlp.text import MENTION_RE

CORPUS = Path(__file__).resolve().parent.parent / "data" / "samples" / "threads.jsonl"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def read_corpus(path: Path = CORPUS) -> list[dict]:
    """The corpus threads, in file order."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def thread_sizes(rng: random.Random, corpus_sizes: list[int], threads: int,
                 comments: int) -> list[int]:
    """``threads`` sizes drawn from the corpus's, scaled to sum exactly to ``comments``."""
    if comments < threads:
        raise ValueError(f"{comments} comments cannot fill {threads} threads")
    drawn = [rng.choice(corpus_sizes) for _ in range(threads)]
    scale = comments / sum(drawn)
    sizes = [max(1, round(s * scale)) for s in drawn]
    while (excess := sum(sizes) - comments) != 0:
        i = rng.randrange(threads)
        if excess > 0 and sizes[i] > 1:
            sizes[i] -= 1
        elif excess < 0:
            sizes[i] += 1
    return sizes


class Workload:
    """Draws threads from a corpus: comment pools per language, pseudonyms, thread shapes."""

    def __init__(self, corpus: list[dict]):
        if not corpus:
            raise ValueError("the corpus is empty")
        self.corpus = corpus
        self.pools = {}
        for thread in corpus:
            self.pools.setdefault(thread["language"], []).extend(
                c["text"] for c in thread["comments"])
        self.authors = sorted({c["author"] for t in corpus for c in t["comments"]})

    def thread(self, rng: random.Random, thread_id: str, size: int) -> dict:
        """One thread of ``size`` comments shaped like a random corpus thread."""
        template = rng.choice(self.corpus)
        shape = template["comments"]
        reply_rate = sum(c.get("reply_to") is not None for c in shape) / len(shape)
        voices = len({c["author"] for c in shape}) / len(shape)
        people = rng.sample(self.authors, min(len(self.authors), max(1, round(size * voices))))
        pool = self.pools[template["language"]]
        when = START + timedelta(days=rng.randrange(300))
        comments: list[dict] = []
        for i in range(size):
            author = people[0] if i == 0 else rng.choice(people)
            parent = None
            if i and rng.random() < reply_rate:
                parent = comments[-1] if rng.random() < 0.5 else rng.choice(comments)
            named = [parent["author"]] if parent else [c["author"] for c in comments[-5:]]
            text = _rename_mentions(rng, rng.choice(pool), named)
            when += timedelta(minutes=rng.randrange(1, 240))
            comments.append({"id": f"c{i + 1}", "author": author, "text": text,
                             "reply_to": parent["id"] if parent else None,
                             "created_at": when.strftime("%Y-%m-%dT%H:%M:%SZ")})
        return {"id": thread_id, "title": template.get("title"), "comments": comments}

    def threads(self, *, threads: int = 1000, comments: int = 20000,
                seed: int = 0) -> list[dict]:
        """``threads`` threads holding ``comments`` comments in all, sized like the corpus."""
        rng = random.Random(seed)
        sizes = thread_sizes(rng, [len(t["comments"]) for t in self.corpus], threads, comments)
        return [self.thread(rng, f"w{seed}-{i:05d}", size) for i, size in enumerate(sizes)]


def _rename_mentions(rng: random.Random, text: str, named: list[str]) -> str:
    """``text`` with each @mention naming one of ``named`` (as written, without spaces)."""
    if not named:
        return text
    return MENTION_RE.sub(lambda _match: "@" + "".join(rng.choice(named).split()), text)


def generate(*, threads: int = 1000, comments: int = 20000, seed: int = 0,
             corpus: Path = CORPUS) -> list[dict]:
    """The benchmark workload: deterministic for a given corpus and seed."""
    return Workload(read_corpus(corpus)).threads(threads=threads, comments=comments, seed=seed)


def write_jsonl(threads: Iterable[dict], path: Path) -> Path:
    """One thread per line, in the contract's input shape."""
    with Path(path).open("w", encoding="utf-8") as fh:
        for thread in threads:
            fh.write(json.dumps(thread, ensure_ascii=False) + "\n")
    return Path(path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="JSONL file to write")
    parser.add_argument("--threads", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    write_jsonl(generate(threads=args.threads, comments=args.comments, seed=args.seed), args.out)


if __name__ == "__main__":
    main()
