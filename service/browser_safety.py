"""Browser-facing safety for the whole app: security headers, session cookie, CSRF.

Every response (HTML pages, JSON, static files, errors) carries a strict
Content-Security-Policy: scripts and styles only from this origin, no inline code, no
framing. Forms are CSRF-protected (Flask-WTF); the /v1 API, authenticated by bearer keys
and never by cookies, is exempt, and so are its Perspective-compatible twin /v1alpha1
and the Coral phase (authenticated by its HMAC signature).
"""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from .api import bp as api_bp
from .api.coral import bp as coral_bp
from .api.perspective import bp as perspective_bp

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # Flask-WTF checks the referrer on HTTPS
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# The session cookie's settings (Secure, HttpOnly, SameSite=Lax, lifetime) are in config.py.
CSRF_DEFAULTS = {"WTF_CSRF_TIME_LIMIT": None}  # a token lives as long as its session

csrf = CSRFProtect()


def _add_headers(response):
    for name, value in HEADERS.items():
        response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    """CSRF on every form (the bearer-key API exempt), headers on every response."""

    for key, value in CSRF_DEFAULTS.items():
        app.config.setdefault(key, value)
    csrf.init_app(app)
    csrf.exempt(api_bp)
    csrf.exempt(perspective_bp)
    csrf.exempt(coral_bp)
    app.after_request(_add_headers)
