"""What the service creates for its data is its own user's only: folders 0700, files 0600."""

from __future__ import annotations

import stat

from service import create_app
from service.cli.server import metrics_dir
from service.store import transaction
from service.store.keys import get_or_create_platform
from tests.conftest import dispose


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_directory_and_database_files_are_private(tmp_path):
    data_dir = tmp_path / "new" / "data"
    app = create_app({"DATA_DIR": data_dir, "TESTING": True, "LOAD_MODEL": False,
                      "AUTO_MIGRATE": True})
    with app.app_context(), transaction() as session:  # a write: the WAL is in use
        get_or_create_platform(session, "p1")
        files = sorted(p.name for p in data_dir.glob("thread-health.sqlite3*"))
        assert files == ["thread-health.sqlite3", "thread-health.sqlite3-shm",
                         "thread-health.sqlite3-wal"]
        modes = {name: _mode(data_dir / name) for name in files}
    dispose(app)
    assert modes == dict.fromkeys(files, 0o600)
    assert _mode(data_dir / "secret_key") == 0o600
    assert _mode(data_dir) == 0o700 and _mode(data_dir.parent) == 0o700


def test_a_database_elsewhere_is_private_too(tmp_path):
    database = tmp_path / "db" / "th.sqlite3"
    app = create_app({"DATA_DIR": tmp_path / "data", "TESTING": True, "LOAD_MODEL": False,
                      "AUTO_MIGRATE": True, "DATABASE_URL": f"sqlite:///{database}"})
    dispose(app)
    assert _mode(database) == 0o600 and _mode(database.parent) == 0o700


def test_an_existing_folder_keeps_its_mode(tmp_path):
    data_dir = tmp_path / "shared"
    data_dir.mkdir(mode=0o750)
    data_dir.chmod(0o750)
    dispose(create_app({"DATA_DIR": data_dir, "TESTING": True, "LOAD_MODEL": False}))
    assert _mode(data_dir) == 0o750


def test_the_metrics_folder_is_private(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", "")  # metrics_dir sets it; undone after
    folder = metrics_dir(tmp_path / "data")
    assert _mode(folder) == 0o700
