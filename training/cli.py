"""Research commands of ``thread-health``: ``data check``, ``train``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data" / "samples"
DEFAULT_CONFIG = Path(__file__).resolve().parent / "config.toml"


@click.group()
def data() -> None:
    """The labelled corpus."""


def print_counts(counts: dict) -> None:
    """The data card's counts table, as a terminal table."""
    from rich.console import Console
    from rich.table import Table

    console = Console(width=110)
    table = Table(title="corpus counts", show_lines=False)
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in counts.items():
        if key == "languages":
            continue
        table.add_row(key, json.dumps(value, ensure_ascii=False) if isinstance(value, dict)
                      else str(value))
    console.print(table)
    per_lang = Table(title="per language")
    per_lang.add_column("figure")
    for lang in counts["languages"]:
        per_lang.add_column(lang, justify="right")
    keys = next(iter(counts["languages"].values())).keys()
    for key in keys:
        per_lang.add_row(key, *(str(v[key]) for v in counts["languages"].values()))
    console.print(per_lang)


@data.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def check(paths: tuple[Path, ...], as_json: bool) -> None:
    """Validate corpus files (default: data/samples) and print the counts table."""
    from .corpus import check_corpus

    report = check_corpus(list(paths) or [DEFAULT_DATA])
    if not report.ok:
        for error in report.errors:
            click.echo(error, err=True)
        click.echo(f"{len(report.errors)} error(s)", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(report.counts, indent=2, ensure_ascii=False))
    else:
        print_counts(report.counts)
        click.echo("corpus OK")


def register(group: click.Group) -> None:
    """Add the research commands to the ``thread-health`` group."""
    group.add_command(data)
