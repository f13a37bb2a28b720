"""A participant's page: their comments on one of the moderator's platforms, the share
labelled self-promotion, the threads they dominate; bad inputs."""

from __future__ import annotations

import pytest

from tests.moderation.helpers import store_thread

DOMINATED = [{"id": f"c{i}", "author": "bob" if i % 4 else "ana", "text": f"texte {i}"}
             for i in range(8)]   # bob wrote 6 of 8


def test_the_page_of_a_participant(app, signed_in, platform):
    tid = store_thread(app, platform, "t1", comments=DOMINATED,
                       acts={"c1": "promo", "c2": "promo", "c3": "promo"})
    store_thread(app, platform, "t2", comments=[
        {"id": "a", "author": "bob", "text": "ailleurs"},
        {"id": "b", "author": "eve", "text": "oui", "reply_to": "a"}])
    store_thread(app, "elsewhere", "t3", comments=[
        {"id": "a", "author": "bob", "text": "une autre plateforme"},
        {"id": "b", "author": "eve", "text": "non", "reply_to": "a"}])
    response = signed_in.get("/moderation/authors", query_string={"platform": platform,
                                                                   "name": "bob"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    figures = html[html.index('data-testid="author-figures"'):html.index("</dl>")]
    assert [v for v in ("<dd>7</dd>", "<dd>2</dd>", "43\u00a0%", "<dd>1</dd>")
            if v not in figures] == []   # 7 comments, 2 threads, 3 of 7 promo, dominates 1
    assert f'href="/moderation/threads/{tid}"' in html and "75\u00a0% des 8 commentaires" in html
    assert "une autre plateforme" not in html   # another platform's comment
    thread = signed_in.get(f"/moderation/threads/{tid}").get_data(as_text=True)
    assert f'/moderation/authors?platform={platform}&amp;name=bob' in thread


def test_an_unknown_participant_has_an_empty_page(signed_in, platform):
    store_thread(signed_in.application, platform, "t1")
    html = signed_in.get("/moderation/authors", query_string={
        "platform": platform, "name": "nobody"}).get_data(as_text=True)
    assert "Aucun commentaire de ce participant" in html


@pytest.mark.parametrize(("query", "status", "message"), [
    ({"name": "bob"}, 400, "Une de vos plateformes est attendue"),
    ({"platform": "PLATFORM"}, 400, "Un nom de participant est attendu"),
    ({"platform": "PLATFORM", "name": ""}, 400, "Un nom de participant est attendu"),
    ({"platform": "PLATFORM", "name": "x" * 201}, 400, "Un nom de participant est attendu"),
    ({"platform": "elsewhere", "name": "bob"}, 404, "pas dans votre périmètre"),
    ({"platform": "PLATFORM\x00", "name": "bob"}, 404, "pas dans votre périmètre"),
])
def test_bad_inputs(signed_in, platform, query, status, message):
    query = {k: v.replace("PLATFORM", platform) for k, v in query.items()}
    response = signed_in.get("/moderation/authors", query_string=query)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


def test_signed_out_goes_to_sign_in(app, platform):
    response = app.test_client().get("/moderation/authors?platform=p&name=bob")
    assert response.status_code in (302, 303) and "/moderation/login" in response.headers[
        "Location"]
