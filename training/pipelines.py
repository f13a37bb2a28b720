"""Build the bundled spaCy pipelines (blank tokenizer + lookup lemmatizer per language).

Run ``python -m training.pipelines`` after upgrading spaCy or spacy-lookups-data; the
result is committed under ``service/nlp/data/`` so the service needs no lookups package.

spaCy's French ``token_match`` is one alternation of 266 anchored patterns, 262 of which end
in the same large Unicode letter class; compiling it costs ~3 s in every process that
loads the pipeline. ``factored_token_match`` writes the same language as one alternative
per shared ending, which compiles in a fraction of that; ``tests/nlp/test_pipelines.py``
checks that it accepts exactly what the original accepts and that tokenization is equal.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from service.nlp.pipelines import PIPELINE_DIR
from service.vocab import LANGUAGES


def french_token_match_parts() -> tuple[str, list[str]]:
    """spaCy's French token_match: its flags and its alternatives, checked to be complete."""
    from spacy.lang.fr import tokenizer_exceptions as exceptions

    flags = "(?iu)"
    parts = list(exceptions._regular_exp)
    joined = flags + "|".join(f"(?:{m})" for m in parts)
    if joined != exceptions.TOKEN_MATCH.__self__.pattern:
        raise RuntimeError("spaCy's French token_match is no longer built from _regular_exp; "
                           "review training/pipelines.py before rebuilding")
    return flags, parts


def factored_token_match(flags: str, parts: list[str]) -> str:
    """One pattern accepting what ``flags + "|".join("(?:p)")`` accepts, with each shared
    ending and the shared ``^[letters]+[hyphens]`` head written once."""
    from spacy.lang.char_classes import ALPHA, ALPHA_LOWER
    from spacy.lang.fr.punctuation import ELISION, HYPHENS

    more = f"[{HYPHENS}{ALPHA_LOWER}{ELISION}]*$"
    tails = [f"[{HYPHENS}][{ALPHA_LOWER}]{more}", f"[{ELISION}][{ALPHA_LOWER}]{more}",
             f"[{HYPHENS}](?:l[{ELISION}])?[{ALPHA}]+$", f"[{ALPHA_LOWER}]+$",
             f"[{ALPHA_LOWER}]*$"]
    heads = [f"^[{ALPHA}]+[{HYPHENS}]", "^"]
    groups: dict[tuple[str, str], list[str]] = {}
    for part in parts:
        tail = next((t for t in tails if part.endswith(t)), None)
        head = next((h for h in heads if part.startswith(h)), None)
        if tail is None or head is None or len(part) < len(head) + len(tail):
            raise RuntimeError(f"unexpected French token_match part: {part[:60]!r}")
        groups.setdefault((head, tail), []).append(part[len(head):len(part) - len(tail)])
    return flags + "|".join(f"(?:{head}(?:{'|'.join(bodies)}){tail})"
                            for (head, tail), bodies in groups.items())


def build_pipeline(lang: str):
    """A blank ``lang`` pipeline with the lookup lemmatizer initialised from its tables."""
    import spacy

    nlp = spacy.blank(lang)
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    if lang == "fr":
        nlp.tokenizer.token_match = re.compile(
            factored_token_match(*french_token_match_parts())).match
    return nlp


def build_pipelines(directory: Path = PIPELINE_DIR) -> list[Path]:
    """Write every language's pipeline to ``directory/<lang>``, replacing old ones."""
    written = []
    for lang in LANGUAGES:
        target = directory / lang
        if target.exists():
            shutil.rmtree(target)
        directory.mkdir(parents=True, exist_ok=True)
        build_pipeline(lang).to_disk(target)
        written.append(target)
    return written


if __name__ == "__main__":
    for path in build_pipelines():
        print(path)
