"""``python -m service.cli``: the ``thread-health`` command."""

from . import main

main(prog_name="thread-health")
