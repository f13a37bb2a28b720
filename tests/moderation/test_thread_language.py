"""A thread's language: the client's hint, else the language most of its comments were
detected in, recomputed as comments arrive; the queue's column and filter use it; migration
0006 fills it in for threads stored before."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from service.services.thread_language import dominant_language
from service.store import reading
from service.store.models import Thread
from service.vocab import LANGUAGES
from tests.helpers import corpus_thread, new_key
from tests.moderation.helpers import (
    append_to_thread,
    fixed_analyzer,
    store_thread,
    thread_row,
)

ROW_RE = re.compile(r'data-thread-id="(\d+)"')
FRENCH = ["Je confirme, chez nous aussi le pain retombe quand il fait très chaud dehors.",
          "Avez-vous essayé de réduire la levure de moitié ? Pour moi cela a tout changé.",
          "Merci pour vos conseils, je vais tester ce week-end et je vous dirai ce qu'il en est.",
          "Attention quand même à la température de l'eau, elle compte beaucoup en été.",
          "Je ne suis pas d'accord, le problème vient surtout de la farine que vous utilisez.",
          "Pour ma part je fais une pousse plus courte et le résultat est bien meilleur.",
          "Est-ce que quelqu'un a une recette qui marche avec une farine complète ?",
          "J'ai eu exactement le même souci l'an dernier, une pousse au frigo m'a sauvé."]


@pytest.mark.parametrize(("languages", "expected"), [
    (["fr", "fr", "en"], "fr"),
    (["en", "other", "en", "fr"], "en"),
    (["en", "fr"], "en"),            # a tie goes to the first seen
    (["fr", "en", "en", "fr"], "fr"),
    (["other", "other"], "other"),
    (["other", None, "fr"], "fr"),
    ([], None),
])
def test_dominant_language(languages, expected):
    assert dominant_language(languages) == expected


def _ids(response) -> list[int]:
    assert response.status_code == 200
    return [int(i) for i in ROW_RE.findall(response.get_data(as_text=True))]


def test_the_queue_column_and_filter_use_the_thread_language(app, signed_in, platform):
    detected = store_thread(app, platform, "det", language=None, flags=["dominated"])
    append_to_thread(app, platform, "det", [{"id": "e", "author": "x", "text": "Hi"}],
                     fixed_analyzer(["dominated"], 30, "unhealthy", language="en"))
    hinted = store_thread(app, platform, "hint", language="fr", flags=["dominated"])
    append_to_thread(app, platform, "hint", [{"id": "e", "author": "x", "text": "Hi"}],
                     fixed_analyzer(["dominated"], 30, "unhealthy", language="en"))
    assert (thread_row(app, detected).language, thread_row(app, detected).detected_language) \
        == (None, "en")
    assert (thread_row(app, hinted).language, thread_row(app, hinted).detected_language) \
        == LANGUAGES
    assert _ids(signed_in.get("/moderation/?language=en")) == [detected]
    assert _ids(signed_in.get("/moderation/?language=fr")) == [hinted]
    html = signed_in.get("/moderation/").get_data(as_text=True)
    cells = re.findall(r'data-testid="thread-language">([^<]*)<', html)
    assert sorted(cells) == ["anglais", "français"]
    page = signed_in.get(f"/moderation/threads/{detected}").get_data(as_text=True)
    assert "anglais <span class=\"muted\">(détectée dans les commentaires)" in page
    page = signed_in.get(f"/moderation/threads/{hinted}").get_data(as_text=True)
    assert "français <span class=\"muted\">(indiquée par la plateforme)" in page


def test_the_detected_language_follows_the_comments_as_they_arrive(db_app):
    """Real detection: an English thread without a hint turns French once most comments
    are French."""
    platform = f"lang-{uuid.uuid4().hex[:8]}"
    _, headers = new_key(db_app, platform)
    client = db_app.test_client()
    thread = corpus_thread(31)
    thread.pop("language", None)
    assert client.put("/v1/threads/mix", json=thread, headers=headers).status_code == 201

    def stored() -> Thread:
        with db_app.app_context(), reading() as session:
            return session.scalar(select(Thread).where(Thread.external_id == "mix",
                                                       Thread.platform.has(name=platform)))

    assert (stored().language, stored().thread_language) == (None, "en")
    french = [{"id": f"fr{i}", "author": f"auteur{i % 3}", "text": text}
              for i, text in enumerate(FRENCH)]
    response = client.post("/v1/threads/mix/comments", json={"comments": french},
                           headers=headers)
    assert response.status_code == 200
    languages = [c["language"] for c in response.get_json()["comments"]]
    assert languages.count("fr") > languages.count("en")
    assert stored().thread_language == "fr"
