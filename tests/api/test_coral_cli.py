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
