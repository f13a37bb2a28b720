"""``thread-health webhooks …``: a platform's endpoints from the command line, and the
standalone delivery worker."""

from __future__ import annotations

import click
from sqlalchemy import select

from ..config import load_config
from ..store import is_sqlite, make_engine, session_factory, upgrade
from ..store.keys import get_or_create_platform
from ..store.models import Platform, WebhookEndpoint
from ..validation import ValidationError
from ..webhooks import EVENT_TYPES, endpoints
from ..webhooks.settings import from_config
from ..webhooks.worker import Worker
from .common import database, grace_option, platform_name

PLATFORM = click.option("--platform", required=True, help="Platform name.")


@click.group()
def webhooks() -> None:
    """Signed webhooks to platforms (docs/webhooks.md)."""


def _settings():

    return from_config(load_config())


def _platform_id(session, name: str, *, create: bool = False) -> int | None:


    name = platform_name(name)
    if create:
        return get_or_create_platform(session, name).id
    return session.scalar(select(Platform.id).where(Platform.name == name))


def _endpoint(session, platform: str, endpoint_id: str, lock: bool = False):

    platform_id = _platform_id(session, platform)
    found = (endpoints.find_endpoint(session, platform_id, endpoint_id, lock=lock)
             if platform_id else None)
    if found is None:
        raise click.ClickException(f"platform {platform!r} has no webhook endpoint "
                                   f"{endpoint_id!r}")
    return found


def _line(item: dict) -> str:
    state = "enabled" if item["enabled"] else f"DISABLED {item['disabled_at']}: " \
                                              f"{item['disabled_reason']}"
    return f"{item['id']}  {item['url']}  {','.join(item['events'])}  {state}"


@webhooks.command("add")
@PLATFORM
@click.argument("url")
@click.option("--event", "events", multiple=True, type=click.Choice(EVENT_TYPES),
              help="An event type to send (repeat for several; default: all).")
def add(platform: str, url: str, events: tuple[str, ...]) -> None:
    """Register URL for the platform (created if new); its signing secret is printed once,
    alone on the last line."""
    try:
        new = endpoints.parse_endpoint({"url": url, "events": list(events or EVENT_TYPES)},
                                       _settings().allowed_networks)
        with database() as session:
            platform_id = _platform_id(session, platform, create=True)
            endpoint, secret = endpoints.create_endpoint(session, platform_id, new, "cli")
            line = _line(endpoints.describe(endpoint))
    except ValidationError as exc:
        raise click.BadParameter(str(exc), param_hint="URL") from exc
    click.echo(line, err=True)
    click.echo("Signing secret (shown once; the receiver verifies with it):", err=True)
    click.echo(secret)


@webhooks.command("list")
@click.option("--platform", default=None, help="Only this platform's endpoints.")
def list_(platform: str | None) -> None:
    """Endpoints with their events and state (the reason when disabled)."""
    with database() as session:
        query = (select(WebhookEndpoint, Platform.name)
                 .join(Platform, Platform.id == WebhookEndpoint.platform_id)
                 .order_by(Platform.name, WebhookEndpoint.id))
        if platform:
            query = query.where(Platform.name == platform)
        rows = [(name, endpoints.describe(e)) for e, name in session.execute(query)]
    for name, item in rows:
        click.echo(f"{name}  {_line(item)}")
    if not rows:
        click.echo("no webhook endpoints", err=True)


@webhooks.command("remove")
@PLATFORM
@click.argument("endpoint_id")
def remove(platform: str, endpoint_id: str) -> None:
    """Remove an endpoint and the events still queued for it."""
    with database() as session:
        found = _endpoint(session, platform, endpoint_id, lock=True)
        endpoints.delete_endpoint(session, found, "cli")
    click.echo(f"removed {endpoint_id}")


@webhooks.command("rotate")
@PLATFORM
@click.argument("endpoint_id")
@grace_option("Seconds the previous secret keeps signing too.")
def rotate(platform: str, endpoint_id: str, grace: int) -> None:
    """A new signing secret, printed once; the old one also signs for --grace seconds."""
    from datetime import timedelta


    with database() as session:
        found = _endpoint(session, platform, endpoint_id, lock=True)
        secret = endpoints.rotate_secret(session, found, timedelta(seconds=grace), "cli")
    click.echo(f"new signing secret of {endpoint_id} (shown once):", err=True)
    click.echo(secret)


@webhooks.command("enable")
@PLATFORM
@click.argument("endpoint_id")
def enable_(platform: str, endpoint_id: str) -> None:
    """Enable an endpoint disabled after repeated failures; its undelivered events are
    sent again."""
    with database() as session:
        found = _endpoint(session, platform, endpoint_id, lock=True)
        count = endpoints.enable(session, found, "cli")
    click.echo(f"enabled {endpoint_id}; {count} deliveries queued")


@webhooks.command("deliveries")
@PLATFORM
@click.argument("endpoint_id")
@click.option("--status", type=click.Choice(["pending", "delivered", "failed"]), default=None)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
def deliveries_(platform: str, endpoint_id: str, status: str | None, limit: int) -> None:
    """The endpoint's latest deliveries: event, status, attempts, next try, last error."""
    with database() as session:
        items, _ = endpoints.deliveries(session, _endpoint(session, platform, endpoint_id),
                                        status, limit, None)
    for d in items:
        when = d["delivered_at"] or d["next_attempt_at"] or d["last_attempt_at"] or "-"
        click.echo(f"{d['event_id']}  {d['type']}  {d['status']}  attempts={d['attempts']}  "
                   f"{when}  {d['last_error'] or ''}".rstrip())
    if not items:
        click.echo("no deliveries", err=True)


@webhooks.command("worker")
@click.option("--once", is_flag=True, help="Send what is due now, then exit.")
def worker(once: bool) -> None:
    """Send webhook deliveries until stopped (SIGTERM/Ctrl-C). Run it when the service is
    configured with THREAD_HEALTH_WEBHOOK_WORKER=external; several may run at once."""
    import signal


    config = load_config()
    settings = from_config(config)
    url = config["DATABASE_URL"]
    engine = make_engine(url)
    reader = make_engine(url, write=False) if is_sqlite(url) else engine
    upgrade(engine)
    sender = Worker(session_factory(engine), settings, readers=session_factory(reader))
    try:
        if once:
            total = 0
            while (sent := sender.run_once()):
                total += sent
            click.echo(f"{total} delivery attempts", err=True)
            return
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: sender.stopping.set())
        click.echo("webhook worker running (Ctrl-C stops it)", err=True)
        sender.run()
    finally:
        engine.dispose()
        reader.dispose()


def register(main: click.Group) -> None:
    main.add_command(webhooks)
