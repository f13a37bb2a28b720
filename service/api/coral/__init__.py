"""Coral Talk external moderation phase, one per platform:
``POST /v1/integrations/coral/<platform>/phase``.

Coral authenticates by signing the raw body (``X-Coral-Signature``, see signing.py), not
by our bearer key, so this blueprint has its own guard. Errors are problem+json like the
rest of /v1; Coral only looks at the status (anything but 200/204 makes it carry on
without a decision). docs/coral.md tells an administrator how to configure Coral.
"""

from __future__ import annotations

from flask import Blueprint

from ...errors import problem
from .. import ServiceUnavailable

bp = Blueprint("coral", __name__, url_prefix="/v1/integrations/coral")


@bp.errorhandler(ServiceUnavailable)
def _unavailable(exc):
    return problem(503, "Service Unavailable", str(exc), kind="model-unavailable",
                   headers={"Retry-After": "30"})


from . import routes  # noqa: E402, F401  (routes register on bp)
