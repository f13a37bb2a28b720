"""``evaluate --live`` and ``models promote``: what a candidate would change on the stored
threads, counted on a seeded database (SQLite and PostgreSQL), the threshold warning and
the confirmation."""

from __future__ import annotations

import contextlib
import json
import os
import shutil

import pytest

from service import create_app
from service.cli import main
from service.scoring.bundles import current_bundle_path, load_bundle, save_bundle
from tests.conftest import dispose, fresh_schema
from tests.helpers import CORPUS, corpus_thread, new_key

PROMOTED = current_bundle_path(CORPUS.parents[2] / "models")
# corpus lines stored on two platforms: a mix of languages, with and without promotion
STORED = {"live-a": [0, 1, 2, 3, 5, 8], "live-b": [13, 21]}


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """prod (the promoted bundle), same (a copy of it) and strict (the same classifiers
    with a promotion threshold no probability reaches: nothing is self-promotion)."""
    folder = tmp_path_factory.mktemp("models")
    for name in ("prod", "same"):
        (folder / name).mkdir()
        for part in ("model.json", "model.npz", "metadata.json"):
            shutil.copy(PROMOTED / part, folder / name / part)
    model = load_bundle(PROMOTED).model
    meta = json.loads((PROMOTED / "metadata.json").read_text())
    model["promotion_threshold"] = meta["promotion_threshold"] = 1.01
    save_bundle(folder / "strict", model, {**meta, "model_version": "strict-version"})
    return folder


def store(app, platform_threads: dict) -> dict:
    """PUT every thread; {(platform, id): the analysis answered}."""
    client, out = app.test_client(), {}
    for platform, lines in platform_threads.items():
        _, headers = new_key(app, platform)
        for line in lines:
            response = client.put(f"/v1/threads/t{line}", headers=headers,
                                  json=corpus_thread(line))
            assert response.status_code in (200, 201), response.get_json()
            out[(platform, f"t{line}")] = response.get_json()
    return out


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live_app(request, tmp_path_factory, worker_id):
    """An app on a database of its own (every stored thread is this module's)."""
    config = {"DATA_DIR": tmp_path_factory.mktemp(f"live-{request.param}"), "TESTING": True,
              "AUTO_MIGRATE": True}
    with contextlib.ExitStack() as stack:
        if request.param == "postgresql":
            config["DATABASE_URL"] = stack.enter_context(
                fresh_schema(f"th_live_{worker_id}_{os.getpid()}"))
        app = create_app(config)
        yield app
        dispose(app)


@pytest.fixture(scope="module")
def stored(live_app):
    return store(live_app, STORED)


@pytest.fixture(scope="module")
def strict_analyses(models, tmp_path_factory):
    """What the strict bundle answers for the same threads, from an app serving it."""
    app = create_app({"DATA_DIR": tmp_path_factory.mktemp("strict"), "TESTING": True,
                      "MODEL_PATH": models / "strict"})
    try:
        return store(app, STORED)
    finally:
        dispose(app)


@pytest.fixture
def live_env(live_app, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", live_app.config["DATABASE_URL"])


def live(runner, bundle, *args) -> dict:
    result = runner.invoke(main, ["evaluate", "--model", str(bundle), "--live", "--json",
                                  *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_same_model_changes_nothing(runner, live_env, stored, models):
    changes = live(runner, models / "same")
    assert changes["threads"] == len(stored)
    assert changes["comments"] == sum(len(a["comments"]) for a in stored.values())
    assert changes["stored_by"] == {PROMOTED.name: len(stored)}
    assert changes["threads_changing_level"] == changes["threads_changing_score"] == 0
    assert all(v == {"gained": 0, "lost": 0} for v in changes["flags"].values())
    assert changes["comments_changing_act"] == changes["comments_to_dialogue"] == 0
    assert changes["shares"]["before"] == changes["shares"]["after"]
    assert changes["examples"] == []


def test_counts_against_what_the_candidate_answers(runner, live_env, stored, strict_analyses,
                                                   models):
    changes = live(runner, models / "strict", "--examples", "20")
    before, after = stored, strict_analyses
    promo = [c["promotion"]["label"] for a in before.values() for c in a["comments"]]
    assert changes["comments_to_dialogue"] == promo.count("self_promotion") > 0
    assert changes["comments_to_self_promotion"] == 0
    assert changes["shares"]["after"]["self_promotion"] == 0
    assert changes["comments_changing_act"] == 0  # same act model
    lost = sum("self_promotion" in a["health"]["flags"] for a in before.values())
    assert changes["flags"]["self_promotion"] == {"gained": 0, "lost": lost}
    moved = {k for k in before if before[k]["health"]["level"] != after[k]["health"]["level"]}
    assert changes["threads_changing_level"] == len(moved)
    rescored = {k for k in before if before[k]["health"]["score"] != after[k]["health"]["score"]}
    assert changes["threads_changing_score"] == len(rescored) > 0
    assert {(e["platform"], e["thread"]) for e in changes["examples"]} == rescored
    for e in changes["examples"]:
        key = (e["platform"], e["thread"])
        assert e["score"] == [before[key]["health"]["score"], after[key]["health"]["score"]]
        assert e["level"] == [before[key]["health"]["level"], after[key]["health"]["level"]]


def test_one_platform(runner, live_env, stored, models):
    changes = live(runner, models / "same", "--platform", "live-b")
    assert changes["threads"] == len(STORED["live-b"]) and changes["platform"] == "live-b"
    assert live(runner, models / "same", "--platform", "nobody")["threads"] == 0


def test_the_terminal_summary(runner, live_env, stored, models):
    result = runner.invoke(main, ["evaluate", "--model", str(models / "strict"), "--live"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"on {len(stored)} stored threads (")
    assert lines[0].endswith("strict-version would change:")
    assert any(line.startswith("  flags: self_promotion +0/-") for line in lines)
    assert any(line.startswith("  e.g. live-") for line in lines)


def _promote(runner, models, *args, answer: str | None = None):
    (models / "current").write_text("prod\n")
    (models / "history.jsonl").unlink(missing_ok=True)
    return runner.invoke(main, ["models", "promote", "strict", "--models-dir", str(models),
                                *args], input=answer)


def test_promote_warns_summarises_and_wants_yes_off_a_terminal(runner, live_env, stored,
                                                               models):
    refused = _promote(runner, models)
    assert refused.exit_code == 1
    assert "run again with --yes" in refused.output
    assert (models / "current").read_text() == "prod\n"
    assert "strict-version would change:" in refused.output
    before = json.loads((PROMOTED / "metadata.json").read_text())["promotion_threshold"]
    assert (f"WARNING: the promotion threshold moves from {before:.4f} to 1.01 "
            f"({1.01 - before:+.4f}, more than 0.03)") in refused.output
    assert "WARNING: on the stored comments, a class's share moves more than 0.02: " \
           "self_promotion: " in refused.output
    done = _promote(runner, models, "--yes")
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    at = next(i for i, line in enumerate(lines)
              if line.startswith("promoted strict (model strict-version)"))
    # then a re-score job for each platform with stored threads (docs/jobs.md)
    assert sorted(line.split(":")[0] for line in lines[at + 1:]) == [
        "re-score of platform live-a", "re-score of platform live-b"]
    assert (models / "current").read_text() == "strict\n"


@pytest.mark.parametrize(("answer", "promoted"), [("n\n", False), ("y\n", True)])
def test_promote_asks_on_a_terminal(runner, live_env, stored, models, monkeypatch, answer,
                                    promoted):
    monkeypatch.setattr("training.models_cli._interactive", lambda: True)
    result = _promote(runner, models, answer=answer)
    assert "promote strict (was prod)? [y/N]" in result.output
    assert (result.exit_code == 0) is promoted
    assert (models / "current").read_text() == ("strict\n" if promoted else "prod\n")
    if not promoted:
        assert "not promoted: not confirmed" in result.output
