"""The UI's HTML error pages: the layout, a sentence in the moderator's language, a link
back to the queue, and the status (and its headers: Retry-After, Allow) kept.

``service/errors.py`` calls ``page`` for a request under ``/moderation`` whose client
prefers HTML; other clients get problem+json there as everywhere.
"""

from __future__ import annotations

from flask import Response, make_response, render_template
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .blueprint import template_helpers
from .labels import N_

# status -> (title, sentence), English msgids translated when the page is drawn.
PAGES = {
    403: (N_("Access denied"), N_("Your account may not open this page.")),
    404: (N_("Not found"), N_("This page does not exist or is outside your scope.")),
    405: (N_("Not allowed here"), N_("This address does not accept this kind of request; "
                                     "use the buttons and links of the pages.")),
    429: (N_("Too many attempts"), N_("Too many attempts from this address. Wait a minute, "
                                      "then try again.")),
    500: (N_("Server error"), N_("The server failed while answering; the error was logged. "
                                 "Try again in a moment.")),
}
OTHER = (N_("Request failed"), N_("The request could not be completed."))
EXPIRED = (N_("Form expired"), N_("This form expired or was not sent by this page. Reload "
                                  "the page and try again."))


def page(exc: Exception) -> Response:
    """The HTML page of ``exc`` (an HTTP error, or any other exception: a 500)."""
    status = exc.code if isinstance(exc, HTTPException) and exc.code else 500
    title, message = EXPIRED if isinstance(exc, CSRFError) else PAGES.get(status, OTHER)
    html = render_template("moderation/error.html", title=gettext(title),
                           message=gettext(message), **template_helpers())
    response = make_response(html, status)
    if isinstance(exc, HTTPException):
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
    response.headers["Cache-Control"] = "no-store"  # as every page of the UI
    return response
