"""The app factory and its configuration layers."""

from __future__ import annotations

import stat

import pytest

from service import create_app
from service.config import ConfigError, load_config


def test_overrides_win(tmp_path):
    app = create_app({"DATA_DIR": tmp_path, "SECRET_KEY": "given", "TESTING": True})
    assert app.config["SECRET_KEY"] == "given"
    assert app.testing


def test_default_database_is_sqlite_in_data_dir(tmp_path):
    config = load_config({"DATA_DIR": tmp_path}, environ={})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'thread-health.sqlite3'}"


def test_environment_layer(tmp_path):
    environ = {"THREAD_HEALTH_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgresql://x/y"}
    config = load_config(environ=environ)
    assert config["DATA_DIR"] == tmp_path.resolve()
    assert config["DATABASE_URL"] == "postgresql://x/y"


def test_secret_key_generated_once_and_private(tmp_path):
    first = load_config({"DATA_DIR": tmp_path}, environ={})["SECRET_KEY"]
    second = load_config({"DATA_DIR": tmp_path}, environ={})["SECRET_KEY"]
    assert first == second and len(first) == 64
    mode = (tmp_path / "secret_key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_instance_file_layer_and_env_precedence(tmp_path):
    (tmp_path / "config.toml").write_text('database_url = "sqlite:///from-file.db"\n')
    assert load_config({"DATA_DIR": tmp_path}, environ={})["DATABASE_URL"] == (
        "sqlite:///from-file.db"
    )
    env = {"DATABASE_URL": "sqlite:///from-env.db"}
    assert load_config({"DATA_DIR": tmp_path}, environ=env)["DATABASE_URL"] == (
        "sqlite:///from-env.db"
    )


def test_broken_instance_file_names_the_path(tmp_path):
    (tmp_path / "config.toml").write_text("this is = = not toml")
    with pytest.raises(ConfigError, match=r"config\.toml"):
        load_config({"DATA_DIR": tmp_path}, environ={})
