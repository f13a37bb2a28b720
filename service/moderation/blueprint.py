"""The /moderation blueprint: who is looking, HTML error pages, no caching, helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import Blueprint, g, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from ..store.models import iso
from . import i18n

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
def _template_helpers() -> dict:
    return {"t": i18n.translate, "label": i18n.label, "lang": i18n.current_language(),
            "viewer": g.get("viewer"), "languages": i18n.LANGUAGES, "when": when, "iso": iso,
            "isolate": isolate, "reopen_reasons": i18n.reopen_reasons}


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


@bp.errorhandler(CSRFError)
def _csrf_error(exc: CSRFError):
    return render("error.html", 400, title=i18n.translate("error.csrf.title"),
                  message=i18n.translate("error.csrf.text"))


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    """HTML pages for the UI's errors (the API keeps problem+json)."""
    code = exc.code or 500
    key = f"error.{code}" if code in (404, 429) else "error.other"
    return render("error.html", code, title=i18n.translate(f"{key}.title"),
                  message=i18n.translate(f"{key}.text"))
