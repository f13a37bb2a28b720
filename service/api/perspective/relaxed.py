"""JSON as Perspective's documentation writes it: bare object keys (``{comment: {text:
"…"}}``), which Google's front end accepts and its quickstart ``curl`` sends.

Only that one relaxation: bare identifier keys are quoted outside strings, then the text
is parsed as strict JSON, so anything else malformed is still refused.
"""

from __future__ import annotations

import json
import re

BARE_KEY = re.compile(r"([A-Za-z_$][A-Za-z0-9_$]*)(\s*:)")
MAX_RELAXED = 2 * 1024 * 1024


def quote_bare_keys(text: str) -> str:
    """``text`` with every bare key after ``{`` or ``,`` quoted; strings left alone."""
    out, i, expect_key = [], 0, False
    while i < len(text):
        char = text[i]
        if char in "\"'":
            end = i + 1
            while end < len(text) and text[end] != char:
                end += 2 if text[end] == "\\" else 1
            piece = text[i:end + 1]
            if char == "'":  # a single-quoted string becomes a JSON string
                piece = json.dumps(piece[1:-1].replace("\\'", "'"))
            out.append(piece)
            i, expect_key = end + 1, False
            continue
        if char in "{,":
            expect_key = True
        elif expect_key and not char.isspace():
            match = BARE_KEY.match(text, i)
            if match:
                out.append(f'"{match.group(1)}"{match.group(2)}')
                i, expect_key = match.end(), False
                continue
            expect_key = False
        out.append(char)
        i += 1
    return "".join(out)


def loads(text: str):
    """Strict JSON first; else the same text with its bare keys quoted. ValueError when
    neither parses."""
    try:
        return json.loads(text)
    except ValueError:
        if len(text) > MAX_RELAXED:
            raise
    return json.loads(quote_bare_keys(text))
