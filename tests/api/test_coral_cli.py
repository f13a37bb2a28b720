"""``thread-health coral secret create|rotate`` and ``coral threshold``."""

from __future__ import annotations

from service.cli import main


def test_create_prints_the_secret_once_then_refuses_a_second(runner):
    result = runner.invoke(main, ["coral", "secret", "create", "--platform", "news"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    assert secret.startswith("whsec_") and len(secret) > 40
    again = runner.invoke(main, ["coral", "secret", "create", "--platform", "news"])
    assert again.exit_code != 0 and "rotate" in again.output


def test_rotate_prints_a_new_secret(runner):
    first = runner.invoke(main, ["coral", "secret", "create", "--platform", "news"])
    rotated = runner.invoke(main, ["coral", "secret", "rotate", "--platform", "news",
                                   "--grace", "0"])
    assert rotated.exit_code == 0, rotated.output
    assert rotated.stdout.strip().splitlines()[-1] != first.stdout.strip().splitlines()[-1]
    missing = runner.invoke(main, ["coral", "secret", "rotate", "--platform", "nobody"])
    assert missing.exit_code != 0 and "create" in missing.output


def test_threshold_accepts_a_probability_or_default(runner):
    runner.invoke(main, ["coral", "secret", "create", "--platform", "news"])
    for value in ("0.7", "default"):
        result = runner.invoke(main, ["coral", "threshold", "--platform", "news", value])
        assert result.exit_code == 0, result.output
    for value in ("1.5", "-0.1", "high", "nan"):
        result = runner.invoke(main, ["coral", "threshold", "--platform", "news", value])
        assert result.exit_code == 2, (value, result.output)
    missing = runner.invoke(main, ["coral", "threshold", "--platform", "nobody", "0.5"])
    assert missing.exit_code == 1


def test_platform_name_is_checked(runner):
    result = runner.invoke(main, ["coral", "secret", "create", "--platform", "  "])
    assert result.exit_code == 2


def test_set_stores_coral_s_own_secret_from_the_environment(runner, monkeypatch):
    monkeypatch.setenv("THREAD_HEALTH_CORAL_SECRET", "ems_generated-by-coral-0123456789")
    result = runner.invoke(main, ["coral", "secret", "set", "--platform", "news"])
    assert result.exit_code == 0, result.output
    assert "ems_generated" not in result.output
    monkeypatch.setenv("THREAD_HEALTH_CORAL_SECRET", "short")
    assert runner.invoke(main, ["coral", "secret", "set", "--platform", "news"]).exit_code == 2


def test_set_secret_signs_calls_and_keeps_the_old_one_for_the_grace(tmp_path):
    from datetime import timedelta

    from service import create_app
    from service.store import transaction
    from service.store.coral import set_secret
    from tests.api.coral_helpers import coral_body, new_phase, post

    app = create_app({"DATA_DIR": tmp_path, "TESTING": True, "LOAD_MODEL": False,
                      "AUTO_MIGRATE": True})
    platform, ours = new_phase(app)
    with app.app_context(), transaction() as session:
        set_secret(session, platform, "ems_coral-made-secret-0123456789", timedelta(hours=1))
    client = app.test_client()
    for secret in (ours, "ems_coral-made-secret-0123456789"):  # 503: signed, no model
        assert post(client, platform, coral_body(), secret).status_code == 503
    assert post(client, platform, coral_body(), "ems_other").status_code == 401
