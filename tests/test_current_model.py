"""The engine follows promotions without a restart, refuses bad bundles and keeps serving."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

from service import create_app
from service.current_model import engine
from service.scoring.bundles import promote
from tests.training.helpers import copy_bundle, tamper


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> Path:
    models = tmp_path_factory.mktemp("models")
    for name in ("old", "new", "bad"):
        copy_bundle(models, name)
    tamper(models / "bad")
    return models


@pytest.fixture
def make_app(tmp_path, models):
    apps = []

    def make(pointer: str = "old", **config):
        (models / "current").write_text(pointer + "\n")
        app = create_app({"DATA_DIR": tmp_path, "TESTING": True, "MODELS_DIR": models,
                          "MODEL_CHECK_INTERVAL": 0, **config})
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["db_engine"].dispose()
        app.extensions["db_read_sessions"].kw["bind"].dispose()


def version(app) -> str:
    with app.app_context():
        return engine().model_version


def ready(app) -> tuple[int, str]:
    response = app.test_client().get("/readyz")
    return response.status_code, response.get_json()["checks"]["model"]["detail"]


def test_promotion_is_followed_without_restart(make_app, models):
    app = make_app()
    assert version(app) == "old"
    promote(models, "new")
    assert version(app) == "new"
    assert ready(app) == (200, "model new")


def _seen_by_collector(obj) -> bool:
    return any(o is obj for o in gc.get_objects())


def test_loaded_engine_is_out_of_the_collectors_sight(make_app, models):
    """The engine's objects are frozen once loaded, and again after a promotion: a full
    collection in a request does not walk the model (bench ``moderation_page``)."""
    app = make_app()
    with app.app_context():
        first = engine()
    assert gc.get_freeze_count() > 10_000
    assert not _seen_by_collector(first) and not _seen_by_collector(first.bundle)
    promote(models, "new")
    with app.app_context():
        second = engine()
    assert second is not first and second.model_version == "new"
    assert not _seen_by_collector(second) and not _seen_by_collector(second.bundle)


def test_refused_bundle_keeps_the_old_engine_and_says_why(make_app, models):
    app = make_app()
    (models / "current").write_text("bad\n")  # as if promoted by hand, without the checks
    assert version(app) == "old"
    status, detail = ready(app)
    assert status == 200 and detail.startswith("model old; promoted bundle refused")
    assert "SHA-256" in detail
    promote(models, "new")
    assert version(app) == "new" and ready(app) == (200, "model new")


def test_pinned_model_ignores_promotion(make_app, models):
    app = make_app(MODEL_PATH=models / "old")
    promote(models, "new")
    assert version(app) == "old"
    assert "pinned by THREAD_HEALTH_MODEL" in ready(app)[1]


def test_checks_at_most_once_per_interval(make_app, models):
    app = make_app(MODEL_CHECK_INTERVAL=3600)
    promote(models, "new")
    assert version(app) == "old"


@pytest.mark.parametrize("pointer", ["bad", "missing"])
def test_bad_bundle_at_start_fails_readiness_then_recovers(make_app, models, pointer):
    app = make_app(pointer=pointer)
    status, detail = ready(app)
    assert status == 503 and pointer in detail  # the bundle's name, not where it lies
    assert str(models) not in detail
    promote(models, "new")
    assert ready(app) == (200, "model new")


def test_requests_in_flight_keep_their_engine(make_app, models):
    app = make_app()
    errors, seen = [], set()

    def work():
        with app.app_context():
            for _ in range(15):
                try:
                    seen.add(engine().analyze_comment("Thanks Ana, did you try it?")
                             ["model_version"])
                except Exception as exc:  # any failure fails the test
                    errors.append(exc)

    workers = [threading.Thread(target=work) for _ in range(3)]
    for w in workers:
        w.start()
    promote(models, "new")
    for w in workers:
        w.join()
    assert not errors and seen <= {"old", "new"}
    assert version(app) == "new"
