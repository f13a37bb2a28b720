"""Every size limit of the service's inputs, stated once.

Validation, the OpenAPI document, the corpus checker and the CSV reader read them here;
``config.py`` starts the two comment limits from these defaults (an operator may change
them per instance).
"""

from __future__ import annotations

MAX_TEXT = 10_000  # characters of a comment's text (after trimming) or a title
MAX_ID = 200  # characters of a thread, comment or author id
MAX_URL = 2_048  # characters of a thread's url
MAX_DATETIME = 64  # characters of a created_at string
MAX_JSON_DEPTH = 64  # arrays and objects inside each other; a thread needs 3
MAX_COMMENTS_PER_REQUEST = 2_000  # comments in one PUT or append body
MAX_COMMENTS_PER_THREAD = 20_000  # comments of one stored thread
MAX_PAGE = 100  # threads in one page of a listing
MIN_CORPUS_COMMENTS = 2  # a labelled corpus thread is a conversation
HEALTH_RATINGS = (1, 2, 3, 4, 5)  # a corpus thread's health label
