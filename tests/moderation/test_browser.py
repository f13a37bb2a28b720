"""The moderation UI in a real headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright): sign in, the queue, a flagged thread, a correction, reviewed, sign out; XSS
payloads render as text and open no dialog; no Content-Security-Policy violation.

The app runs with the bundled model on a free 127.0.0.1 port, seeded through the API.
Screenshots go to ``test-artifacts/moderation/``; with ``THREAD_HEALTH_DOCS_IMG=docs/img``
the queue and thread pages (and a long thread on a phone) are also written there for the docs.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from service import create_app
from tests.helpers import corpus_thread, new_key
from tests.moderation.helpers import CHROMIUM, PASSWORD, add_moderator, serving

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "moderation"
FRENCH_THREADS = (145, 142, 151, 172, 171, 168, 175, 133)  # corpus lines, flagged ones
PICTURED = 145  # short comments with replies: the thread page of the README
# the screenshots that are pictures of the guide and the README (docs/img/)
DOCS = ("queue", "thread", "long-thread-phone", "queue-phone", "thread-phone", "search",
        "author", "author-phone", "bulk", "thread-tools", "reason-link")
XSS_COMMENTS = [
    {"id": "x1", "author": "ana",
     "text": "Quelqu'un a testé ce plugin ? <script>alert(1)</script>"},
    {"id": "x2", "author": "promo_bot", "reply_to": "x1",
     "text": "<img src=x onerror=alert(1)> Visitez ma boutique, -50 % avec le code PROMO50 !"},
    {"id": "x3", "author": "eve", "reply_to": "x1",
     "text": 'Voir <a href="javascript:alert(1)">ce lien</a> ou [ici](javascript:alert(1)) '
             "ou javascript:alert(document.cookie)"},
]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium "
                                "(apt-get install chromium; .ci/run installs it)")


def _seed(app) -> dict:
    """Threads of two platforms through the API; the moderator sees the first only."""
    client = app.test_client()
    _, fr = new_key(app, "forum-fr")
    _, en = new_key(app, "forum-en")
    for line in FRENCH_THREADS:
        thread = corpus_thread(line)
        comments, cut = thread["comments"], max(2, len(thread["comments"]) * 2 // 3)
        thread["comments"] = comments[:cut]
        assert client.put(f"/v1/threads/f{line}?lang=fr", json=thread,
                          headers=fr).status_code == 201
        for start in range(cut, len(comments), 2):  # appends build the score history
            assert client.post(f"/v1/threads/f{line}/comments?lang=fr", headers=fr,
                               json={"comments": comments[start:start + 2]}).status_code == 200
    long = {"title": "Un très long fil", "language": "fr", "comments": _long_comments(300)}
    assert client.put("/v1/threads/long?lang=fr", json=long, headers=fr).status_code == 201
    xss = {"title": "<script>alert('titre')</script> Plugin", "language": "fr",
           "url": "javascript:alert(1)", "comments": XSS_COMMENTS}
    assert client.put("/v1/threads/xss?lang=fr", json=xss, headers=fr).status_code == 201
    assert client.put("/v1/threads/other?lang=en", json=corpus_thread(0),
                      headers=en).status_code == 201
    from service.store import reading
    from service.store.models import Platform, Thread

    with app.app_context(), reading() as session:
        ids = {(p, t): i for i, p, t in session.query(Thread.id, Platform.name,
                                                      Thread.external_id).join(Platform)}
    return {"xss": ids[("forum-fr", "xss")], "other": ids[("forum-en", "other")],
            "pictured": ids[("forum-fr", f"f{PICTURED}")], "long": ids[("forum-fr", "long")],
            "moderator": add_moderator(app, ["forum-fr"], username="alice")}


def _long_comments(size: int) -> list[dict]:
    """``size`` comments taken in turn from the French corpus threads, with fresh ids; each
    reply still answers the comment it answered there."""
    out: list[dict] = []
    while len(out) < size:
        for line in FRENCH_THREADS:
            base = len(out)
            for c in corpus_thread(line)["comments"]:
                reply = c.get("reply_to")
                out.append({"id": f"{base}-{c['id']}", "author": c["author"], "text": c["text"],
                            "reply_to": f"{base}-{reply}" if reply else None})
    return out[:size]  # a reply answers an earlier comment: the prefix stays whole


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    app = create_app({"DATA_DIR": tmp_path_factory.mktemp("live"), "TESTING": True,
                      "AUTO_MIGRATE": True, "MODERATION_FAILURE_DELAY": 0,
                      "SIGN_IN_RATE_LIMIT": "1000/minute"})
    seeded = _seed(app)
    with serving(app) as base:
        yield base, seeded


def _shot(page, name: str, full_page: bool = False) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    docs = os.environ.get("THREAD_HEALTH_DOCS_IMG")
    if docs and name in DOCS:
        Path(docs).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(docs) / f"{name}.png")
    return path


def test_moderator_flow_in_chromium(live, browser):
    base, seeded = live
    context = browser.new_context(locale="fr-FR", viewport={"width": 1360, "height": 1000})
    page = context.new_page()
    dialogs, csp_errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: m.type == "error" and csp_errors.append(m.text))

    # Without a session, the queue sends the browser to sign-in.
    page.goto(f"{base}/moderation/")
    assert "/moderation/login" in page.url
    page.fill("#username", seeded["moderator"])
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button.primary")
    assert page.url == f"{base}/moderation/"
    assert page.locator("h1").inner_text() == "Fils à examiner"
    rows = page.locator("tr[data-item]")
    assert rows.count() >= 3
    assert "forum-en" not in page.content()  # another platform's thread is never listed
    _shot(page, "queue")

    # Keyboard: j selects the first (most urgent) thread, o opens it; ? shows the help.
    page.keyboard.press("j")
    page.keyboard.press("o")
    page.wait_for_url("**/moderation/threads/*")
    page.keyboard.press("?")
    assert page.locator("dialog#shortcuts").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("dialog#shortcuts").is_visible()
    assert page.locator("[data-testid=components-chart] rect").count() >= 12
    assert page.locator("[data-testid=history-chart] circle").count() >= 2
    opened = page.url
    page.goto(f"{base}/moderation/threads/{seeded['pictured']}")
    assert page.locator("li.comment.depth-1").count() >= 1  # replies sit under their parent
    _shot(page, "thread")
    page.goto(opened)

    # Correct the first comment's act with the keyboard (j, o) and the form.
    page.keyboard.press("j")
    page.keyboard.press("o")
    first = page.locator("li.comment").first
    act_select = first.locator("[data-testid=correct-act] select")
    current = act_select.input_value()
    new = "contribution" if current != "contribution" else "listening"
    act_select.select_option(new)
    with page.expect_navigation():
        first.locator("[data-testid=correct-act] button").click()
    assert "Correction enregistrée" in page.locator(".flashes").inner_text()
    assert "corrigé par alice" in page.locator("li.comment").first.inner_text()

    # d focuses a flag's reason; Enter dismisses it. r marks the thread reviewed.
    page.keyboard.press("d")
    page.keyboard.type("Discussion légitime, rien à retirer")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "écarté" in page.locator(".flashes").inner_text()
    with page.expect_navigation():
        page.keyboard.press("r")
    assert "Fil marqué comme traité" in page.locator(".flashes").inner_text()
    assert page.locator("[data-testid=review-state]").inner_text() == "Traité"
    _shot(page, "thread-reviewed", full_page=True)

    # Comments with XSS payloads are text; the javascript: thread URL is no link.
    page.goto(f"{base}/moderation/threads/{seeded['xss']}")
    texts = page.locator("[data-testid=comment-text]").all_inner_texts()
    assert any("<script>alert(1)</script>" in t for t in texts)
    assert any("<img src=x onerror=alert(1)>" in t for t in texts)
    assert any('<a href="javascript:alert(1)">' in t for t in texts)
    assert page.locator("main img, main script, a[href^='javascript']").count() == 0
    assert "<script>alert('titre')</script>" in page.locator("h1").inner_text()
    _shot(page, "xss")

    # Another platform's thread is missing for this moderator.
    assert page.goto(f"{base}/moderation/threads/{seeded['other']}").status == 404

    # The interface switches to English.
    page.goto(f"{base}/moderation/")
    with page.expect_navigation():
        page.click(".lang-switch button[value=en]")
    assert page.locator("h1").inner_text() == "Threads to review"

    # Sign out: back to sign-in, and the queue needs a session again.
    page.click("[data-testid=sign-out]")
    page.wait_for_url("**/moderation/login")
    page.goto(f"{base}/moderation/")
    assert "/moderation/login" in page.url
    _shot(page, "signed-out")

    assert dialogs == []
    assert [e for e in csp_errors if "Content Security Policy" in e] == []
    context.close()


def test_a_long_thread_on_a_desktop_and_on_a_phone(live, browser):
    """50 comments a page, the pager and the comment filter; on a 390 x 844 phone the
    score, the flags and the actions are on the first screen, above the comments."""
    base, seeded = live
    url = f"{base}/moderation/threads/{seeded['long']}"
    desktop = browser.new_context(locale="fr-FR", viewport={"width": 1360, "height": 1000})
    page = desktop.new_page()
    page.goto(f"{base}/moderation/login")
    page.fill("#username", seeded["moderator"])
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button.primary")
    page.goto(url)
    assert page.locator("li.comment").count() == 50
    assert "1–50 sur 300" in page.locator(".comment-pager").first.inner_text()
    _shot(page, "long-thread-desktop")
    with page.expect_navigation():
        page.locator(".comment-pager a[rel=next]").first.click()
    assert "page=2" in page.url and page.locator("li.comment").count() == 50
    with page.expect_navigation():
        page.click("[data-show=self_promotion]")
    shown = page.locator("[data-testid=promotion] .badge").all_inner_texts()
    assert shown and set(shown) == {"Autopromotion"}
    cookies = desktop.cookies()
    desktop.close()

    phone = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844},
                                device_scale_factor=2, is_mobile=True, has_touch=True)
    phone.add_cookies(cookies)
    page = phone.new_page()
    page.goto(url)
    for selector in ("[data-testid=health-score]", "#flags", ".actions button.primary"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844, (selector, box)
    first_comment = page.locator("li.comment").first.bounding_box()
    assert first_comment["y"] > page.locator(".actions").bounding_box()["y"]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width} px)"
    _shot(page, "long-thread-phone")
    phone.close()
