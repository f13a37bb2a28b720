"""The installed version of thread-health (``0.0.0`` in a source tree never installed)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("thread-health")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
