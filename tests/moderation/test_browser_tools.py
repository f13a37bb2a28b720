"""The moderator tools of issue 21 in Debian's Chromium (Playwright), at 1366 x 900 and on a
390 x 844 phone: no page scrolls sideways, the queue's search in French and in English,
and an axe-core check of each page (``axe-playwright-python`` bundles axe-core: nothing
is downloaded). Screenshots go to ``test-artifacts/moderation/``; with
``THREAD_HEALTH_DOCS_IMG=docs/img`` the pages of the guide are also written there."""

from __future__ import annotations

import pytest

from service import create_app
from service.vocab import LANGUAGES
from tests.helpers import new_key
from tests.moderation.helpers import CHROMIUM, PASSWORD, add_moderator, serving
from tests.moderation.test_browser import _seed
from tests.moderation.test_browser import _shot as shot

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
ENGLISH = {"title": "Garden tools", "language": "en", "comments": [
    {"id": "e1", "author": "carol", "text": "Has anyone tried the new wheelbarrows? Mine "
                                              "squeaks."},
    {"id": "e2", "author": "dave", "reply_to": "e1", "text": "Check out my shop, best "
     "wheelbarrows online, discount code GARDEN10!"},
    {"id": "e3", "author": "dave", "text": "Visit my shop for garden deals!"},
    {"id": "e4", "author": "dave", "text": "My shop again: garden deals every day!"},
]}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium "
                                "(apt-get install chromium; .ci/run installs it)")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    app = create_app({"DATA_DIR": tmp_path_factory.mktemp("tools"), "TESTING": True,
                      "AUTO_MIGRATE": True, "MODERATION_FAILURE_DELAY": 0,
                      "SIGN_IN_RATE_LIMIT": "1000/minute", "MODERATION_QUEUE_REFRESH": 1})
    seeded = _seed(app)
    _, key = new_key(app, "forum-fr")
    assert app.test_client().put("/v1/threads/garden?lang=en", json=ENGLISH,
                                 headers=key).status_code == 201
    seeded["colleague"] = add_moderator(app, ["forum-fr"], username="bruno")
    seeded["key"], seeded["app"] = key, app
    with serving(app) as base:
        yield base, seeded


def signed_in_page(browser, base: str, user: str, viewport: dict, locale: str = "fr-FR"):
    phone = viewport == PHONE
    context = browser.new_context(locale=locale, viewport=viewport,
                                  device_scale_factor=2 if phone else 1, is_mobile=phone,
                                  has_touch=phone)
    page = context.new_page()
    page.goto(f"{base}/moderation/login")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button.primary")
    return context, page


@pytest.fixture
def locale() -> str:
    """The browser's language; a test parametrized on ``locale`` sets its own."""
    return "fr-FR"


@pytest.fixture
def page(live, browser, locale):
    """The moderator signed in on a desktop-sized page in ``locale``; closed after the test."""
    base, seeded = live
    context, page = signed_in_page(browser, base, seeded["moderator"], DESKTOP, locale)
    yield page
    context.close()


def no_sideways_scroll(page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, "
                           "document.documentElement.clientWidth]")
    assert widths[0] == widths[1], f"{page.url} scrolls sideways: {widths}"


def thread_urls(base: str, seeded: dict) -> list[str]:
    return [f"{base}/moderation/threads/{seeded[name]}" for name in ("pictured", "long", "xss")]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_page_scrolls_sideways(live, browser, viewport):
    base, seeded = live
    context = browser.new_context(locale="fr-FR", viewport=viewport)
    page = context.new_page()
    page.goto(f"{base}/moderation/login")
    no_sideways_scroll(page)
    context.close()
    context, page = signed_in_page(browser, base, seeded["moderator"], viewport)
    for url in [f"{base}/moderation/", f"{base}/moderation/?state=all&q=plugin",
                *thread_urls(base, seeded)]:
        page.goto(url)
        no_sideways_scroll(page)
    with page.expect_navigation():
        page.click(".lang-switch button[value=en]")
    for url in [f"{base}/moderation/", *thread_urls(base, seeded)]:
        page.goto(url)
        no_sideways_scroll(page)
    context.close()


def test_the_queue_on_a_phone(live, browser):
    """Rows are cards, the filters are folded, the FR/EN switch and every control fit."""
    base, seeded = live
    context, page = signed_in_page(browser, base, seeded["moderator"], PHONE)
    page.goto(f"{base}/moderation/")
    assert not page.locator("details.filter-panel").evaluate("d => d.open")
    assert not page.locator("select[name=level]").is_visible()
    search = page.locator("[data-testid=search]").bounding_box()
    assert search["y"] + search["height"] <= PHONE["height"]
    card = page.locator("tr[data-item]").first.bounding_box()
    assert card["width"] <= PHONE["width"] and card["y"] < PHONE["height"]
    for control in page.locator(".lang-switch button, tr[data-item] button, "
                                "tr[data-item] a[data-open]").all():
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    shot(page, "queue-phone")
    page.click("details.filter-panel > summary")
    assert page.locator("select[name=level]").is_visible()
    no_sideways_scroll(page)
    page.goto(thread_urls(base, seeded)[0])
    shot(page, "thread-phone")
    context.close()


@pytest.mark.parametrize(("locale", "word", "title"), [
    ("fr-FR", "minouche", "Mon stream de ce soir"),  # a word of a French comment
    ("en-GB", "wheelbarrows", "Garden tools"),  # a word of an English comment
])
def test_search_finds_a_thread_by_a_word_of_one_comment(live, page, locale, word, title):
    base, _ = live
    page.goto(f"{base}/moderation/?state=all")
    everything = page.locator("tr[data-item]").count()
    page.fill("[data-testid=search]", word)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    titles = page.locator("tr[data-item] a[data-open]").all_inner_texts()
    assert any(title in t for t in titles) and len(titles) < everything, titles
    assert f"q={word}" in page.url
    if locale == "en-GB":
        shot(page, "search")


def test_a_reason_link_scrolls_to_and_marks_its_comment(live, page):
    base, seeded = live
    page.goto(f"{base}/moderation/threads/{seeded['pictured']}")
    link = page.locator("[data-reason-link]").first
    with page.expect_navigation():
        link.click()
    anchor = page.url.split("#", 1)[1]
    target = page.locator(f"li#{anchor}")
    assert target.evaluate("el => el.matches(':target')")
    assert "is-evidence" in target.get_attribute("class")
    assert target.locator("[data-testid=marks]").count() == 1
    box = target.bounding_box()
    assert 0 <= box["y"] < DESKTOP["height"], box  # scrolled into view
    shot(page, "reason-link")


def test_bulk_review_assign_note_undo_reopen_and_the_author_page(live, browser, page):
    """All from the keyboard where it matters: x selects the current thread."""
    base, seeded = live
    page.goto(f"{base}/moderation/")
    before = page.locator("tr[data-item]").count()
    chosen = []
    for _ in range(3):                      # j moves, x selects: three threads
        page.keyboard.press("j")
        page.keyboard.press("x")
        chosen.append(page.locator("tr.is-selected").get_attribute("data-thread-id"))
    assert page.locator("input[data-pick]:checked").count() == 3
    assert "3" in page.locator("[data-bulk-count]").inner_text()
    shot(page, "bulk")
    with page.expect_navigation():
        page.click("[data-testid=bulk-review]")
    assert "Marqués traités : 3 fils." in page.locator(".flashes").inner_text()
    assert page.locator("tr[data-item]").count() == before - 3   # reviewed: out of "to do"

    # one of them: assign it to me, a note, undo the review, reopen
    page.goto(f"{base}/moderation/threads/{chosen[0]}")
    assert page.locator("[data-testid=review-state]").inner_text() == "Traité"
    with page.expect_navigation():
        page.click("[data-testid=assign-me]")
    assert "alice" in page.locator("[data-testid=assignee]").inner_text()
    page.fill("#note-text", "Vu avec Bruno : on attend la réponse de l'auteur.")
    page.focus("#note-text")
    with page.expect_navigation():
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")          # the note's button, from the keyboard
    assert "on attend la réponse" in page.locator("[data-testid=notes]").inner_text()
    with page.expect_navigation():
        page.click("[data-undo] button")      # my last action: the assignment
    assert "Annulé" in page.locator(".flashes").inner_text()
    assert "personne" in page.locator("[data-testid=assignee]").inner_text()
    with page.expect_navigation():
        page.click("[data-reopen] button")
    assert page.locator("[data-testid=review-state]").inner_text() == "À traiter"
    trail = page.locator("[data-testid=audit-trail]").inner_text()
    for entry in ("marqué traité", "attribué", "note", "annulé", "rouvert"):
        assert entry in trail, entry
    shot(page, "thread-tools", full_page=True)

    # the author of a comment: their page
    page.goto(f"{base}/moderation/threads/{seeded['pictured']}")
    with page.expect_navigation():
        page.locator("a.author-link").first.click()
    assert page.locator("h1").inner_text().startswith("Participant")
    assert page.locator("[data-testid=author-figures]").is_visible()
    no_sideways_scroll(page)
    shot(page, "author")
    context, phone = signed_in_page(browser, base, seeded["moderator"], PHONE)
    phone.goto(page.url)
    no_sideways_scroll(phone)
    shot(phone, "author-phone")
    context.close()


def test_the_queue_refreshes_itself_and_keeps_the_selection(live, page):
    base, seeded = live
    page.goto(f"{base}/moderation/?state=all")
    first = page.locator("input[data-pick]").first
    first.check()
    picked = first.get_attribute("value")
    count = page.locator("tr[data-item]").count()
    thread = {**ENGLISH, "title": "Fresh garden thread"}
    assert seeded["app"].test_client().put("/v1/threads/fresh?lang=en", json=thread,
                                           headers=seeded["key"]).status_code == 201
    from playwright.sync_api import expect

    expect(page.locator("tr[data-item]")).to_have_count(count + 1, timeout=15000)
    assert page.locator(f"input[data-pick][value='{picked}']").is_checked()
    assert "Fresh garden thread" in page.locator("table.queue").inner_text()


PAGES = ("login", "queue", "thread", "author")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_serious_or_critical_accessibility_violation(live, browser, viewport):
    """axe-core (bundled by axe-playwright-python) on the sign-in, queue, thread and
    participant pages, in French and in English."""
    from axe_playwright_python.sync_playwright import Axe

    base, seeded = live
    axe = Axe()
    found = []
    context = browser.new_context(locale="fr-FR", viewport=viewport)
    page = context.new_page()
    page.goto(f"{base}/moderation/login")
    found += _serious(axe, page)
    context.close()
    context, page = signed_in_page(browser, base, seeded["moderator"], viewport)
    for lang in LANGUAGES:
        if lang == "en":
            with page.expect_navigation():
                page.click(".lang-switch button[value=en]")
        for url in (f"{base}/moderation/?state=all",
                    f"{base}/moderation/threads/{seeded['pictured']}",
                    f"{base}/moderation/authors?platform=forum-fr&name=Kevin_streams"):
            page.goto(url)
            found += _serious(axe, page)
    context.close()
    assert found == []


def _serious(axe, page) -> list[tuple[str, str, int]]:
    results = axe.run(page)
    assert results.response["testEngine"]["name"] == "axe-core"  # it ran on this page
    return [(page.url, v["id"], len(v["nodes"])) for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]
