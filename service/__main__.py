"""``python -m service``: the ``thread-health`` command, for a checkout without the script."""

from .cli import main

main(prog_name="thread-health")
