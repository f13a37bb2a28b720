"""The /moderation blueprint: who is looking, no caching, template helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import Blueprint, g, render_template
from werkzeug.routing import IntegerConverter

from ..store.models import iso
from ..vocab import UI_LANGUAGES
from .labels import label, reopen_reasons
from .language import current_language

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


@dataclass(frozen=True)
class Viewer:
    """The signed-in moderator and the platforms they may see (id -> name)."""

    id: int
    username: str
    is_admin: bool
    platforms: dict[int, str]

    @property
    def actor(self) -> str:
        return f"moderator:{self.username}"

    @property
    def platform_ids(self) -> list[int]:
        return list(self.platforms)


class RowIdConverter(IntegerConverter):
    """``<row_id:name>``: a row id the database can hold (1 .. 2^63-1); anything larger
    matches no route, so it is a 404 like any missing row, never an overflow."""

    def __init__(self, map):
        super().__init__(map, min=1, max=2**63 - 1)


def viewer() -> Viewer:
    return g.viewer


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a printable path inside the moderation UI (no open redirects,
    no CR/LF or other control characters for a Location header), else None."""
    if not target or "\\" in target or not target.isprintable():
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(bp.url_prefix + "/"):
        return None
    return target


def render(template: str, status: int = 200, **context):
    return render_template(f"moderation/{template}", **context), status


@bp.context_processor
def template_helpers() -> dict:
    """What every template of the UI may use (error pages outside a route pass it too)."""
    return {"label": label, "lang": current_language(), "viewer": g.get("viewer"),
            "languages": UI_LANGUAGES, "when": when, "iso": iso, "isolate": isolate,
            "reopen_reasons": reopen_reasons}


def isolate(text: str | None) -> str:
    """``text`` between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: the plain-text
    twin of ``<bdi>``, for places that take no markup (page title, attributes, a name
    inside a translated sentence), so right-to-left text or overrides in what users wrote
    cannot reorder the text around it."""
    return f"\u2068{text or ''}\u2069"


def when(moment: datetime | None) -> str:
    """A stored time as 'YYYY-MM-DD HH:MM' in UTC (same reading in both languages)."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


@bp.after_request
def _no_store(response):
    """Moderation pages hold people's comments: never cache them."""
    response.headers["Cache-Control"] = "no-store"
    return response
