"""The job settings: defaults, and a bad value refused at start-up naming its variable."""

from __future__ import annotations

import pytest

from service.config import ConfigError
from service.jobs.settings import from_config


def test_defaults_use_the_database_queue():
    settings = from_config({})
    assert not settings.redis and settings.chunk == 25 and settings.max_attempts == 3


@pytest.mark.parametrize(("config", "variable"), [
    ({"JOB_CHUNK": 0}, "THREAD_HEALTH_JOB_CHUNK"),
    ({"JOB_CHUNK": True}, "THREAD_HEALTH_JOB_CHUNK"),
    ({"JOB_LEASE": "soon"}, "THREAD_HEALTH_JOB_LEASE"),
    ({"JOB_MAX_BODY": 10}, "THREAD_HEALTH_JOB_MAX_BODY"),
    ({"JOB_MAX_ATTEMPTS": 1000}, "THREAD_HEALTH_JOB_MAX_ATTEMPTS"),
    ({"JOB_QUEUE": "http://127.0.0.1:6379"}, "THREAD_HEALTH_JOB_QUEUE"),
    ({"JOB_QUEUE_NAME": "two words"}, "THREAD_HEALTH_JOB_QUEUE_NAME"),
])
def test_bad_settings_name_their_variable(config, variable):
    with pytest.raises(ConfigError, match=variable):
        from_config(config)


def test_the_service_refuses_to_start_with_a_bad_setting(tmp_path):
    from service import create_app

    with pytest.raises(ConfigError, match="THREAD_HEALTH_JOB_CHUNK"):
        create_app({"DATA_DIR": tmp_path, "LOAD_MODEL": False, "JOB_CHUNK": -1})
