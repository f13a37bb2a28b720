"""The engine with the bundled model: output shape, calibration maths, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from service.config import DEFAULT_MODELS_DIR
from service.scoring.engine import Engine
from service.validation import parse_thread
from service.vocab import ACTS

THREAD = {
    "id": "t-1",
    "comments": [
        {"id": "c1", "author": "claire", "text": "Comment avez-vous recruté vos premiers "
                                                 "membres ? On plafonne à 12 depuis un an."},
        {"id": "c2", "author": "marc", "reply_to": "c1",
         "text": "@claire On a fait du parrainage : chaque nouveau a un ancien pendant un mois, "
                 "parce que personne n'ose écrire le premier. On est passés de 12 à 30."},
        {"id": "c3", "author": "promo_max",
         "text": "Abonnez-vous à ma chaîne pour 10 astuces visibilité 👉 maxpromo.example"},
        {"id": "c4", "author": "claire", "reply_to": "c2", "text": "Merci Marc, super idée"},
    ],
}


@pytest.fixture(scope="module")
def engine():
    return Engine.load(models_dir=DEFAULT_MODELS_DIR)


def test_thread_analysis_has_contract_shape(engine):
    out = engine.analyze_thread(parse_thread(THREAD), "fr")
    assert out["id"] == "t-1" and out["model_version"] == engine.model_version
    assert [c["id"] for c in out["comments"]] == ["c1", "c2", "c3", "c4"]
    for c in out["comments"]:
        assert c["language"] == "fr"
        assert set(c["act"]["scores"]) == set(ACTS)
        assert abs(sum(c["act"]["scores"].values()) - 1) < 1e-9
        assert c["act"]["label"] == max(c["act"]["scores"], key=c["act"]["scores"].get)
        assert 0 <= c["promotion"]["score"] <= 1
        assert all(isinstance(code, str) for code in c["cues"])
    health = out["health"]
    assert 0 <= health["score"] <= 100 and health["level"] in ("healthy", "at_risk", "unhealthy")
    assert set(health["components"]) == {"reciprocity", "responsiveness", "balance",
                                         "listening_contribution", "self_promotion", "debate"}


def test_obvious_cases(engine):
    out = engine.analyze_thread(parse_thread(THREAD), "fr")
    by_id = {c["id"]: c for c in out["comments"]}
    assert by_id["c3"]["promotion"]["label"] == "self_promotion"
    assert by_id["c2"]["promotion"]["label"] == "dialogue"
    assert by_id["c2"]["act"]["label"] == "contribution"
    assert by_id["c1"]["act"]["label"] == "listening"


def test_other_language_is_reported_with_warning(engine):
    out = engine.analyze_comment("Hola amigos, ¿cómo están todos ustedes hoy en la fiesta?")
    assert out["language"] == "other"
    assert any("low_confidence" in w for w in out["warnings"])
    assert abs(sum(out["act"]["scores"].values()) - 1) < 1e-9


@pytest.mark.parametrize("text", ["😂😂😂", "https://x.example/a", "+1"])
def test_wordless_comments_do_not_raise(engine, text):
    out = engine.analyze_comment(text)
    assert out["language"] == "other" and out["warnings"]


ANALYSE_IN_A_NEW_PROCESS = """
import json, sys
from service.config import DEFAULT_MODELS_DIR
from service.scoring.engine import Engine
from service.validation import parse_thread
engine = Engine.load(models_dir=DEFAULT_MODELS_DIR)
sys.stdout.write(json.dumps(engine.analyze_thread(parse_thread(json.loads(sys.argv[1])))))
"""


def test_same_input_same_bytes_across_processes(engine):
    """A new process (another hash seed, a fresh model load) writes the very bytes this
    one writes: nothing depends on set order, memory addresses or a warm cache."""
    here = json.dumps(engine.analyze_thread(parse_thread(THREAD)))
    outputs = []
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", ANALYSE_IN_A_NEW_PROCESS,
                               json.dumps(THREAD)], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=300)
        outputs.append(done.stdout)
    assert outputs == [here, here]


def test_renaming_comment_ids_changes_nothing(engine):
    renamed = json.loads(json.dumps(THREAD))
    mapping = {"c1": "zz9", "c2": "a0", "c3": "m5", "c4": "b"}
    for c in renamed["comments"]:
        c["id"] = mapping[c["id"]]
        if c.get("reply_to"):
            c["reply_to"] = mapping[c["reply_to"]]
    a = engine.analyze_thread(parse_thread(THREAD))
    b = engine.analyze_thread(parse_thread(renamed))
    strip = [{k: v for k, v in c.items() if k != "id"} for c in a["comments"]]
    assert strip == [{k: v for k, v in c.items() if k != "id"} for c in b["comments"]]
    assert a["health"] == b["health"]


def test_prior_weights_move_probability_between_classes_and_keep_the_sum():
    from service.scoring.engine import reweigh

    proba = np.array([[0.5, 0.3, 0.2], [0.2, 0.2, 0.6]])
    moved = reweigh(proba, np.array([0.5, 1.0, 1.0]))
    assert np.allclose(moved.sum(axis=1), 1.0)
    assert moved[0, 0] < proba[0, 0] and moved[0, 1] > proba[0, 1]
    assert reweigh(proba, None) is proba
