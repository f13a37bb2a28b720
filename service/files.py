"""Files and folders the service creates for its data (databases, secret key, metrics):
readable by the service's own user only, since they hold password and key hashes and
every comment. Existing ones keep the mode their operator gave them."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create the folder ``path`` as 0700 unless it exists (missing parents too)."""
    path = Path(path)
    for folder in reversed([path, *path.parents]):
        if not folder.is_dir():
            with contextlib.suppress(FileExistsError):  # another worker made it first
                folder.mkdir(mode=DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create the empty file ``path`` as 0600 unless it exists (its folder as 0700)."""
    path = Path(path)
    private_dir(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    return path
