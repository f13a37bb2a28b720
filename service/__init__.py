"""thread-health: listening, contribution and self-promotion in discussion threads."""

from __future__ import annotations

from .version import __version__

__all__ = ["__version__", "create_app"]


def _running_database():
    """The database of the app handling the request or command: the store's ``bind``."""
    # Flask only once an app runs: importing a leaf of the package must not load it.
    from flask import current_app

    return current_app.extensions["database"]


def create_app(config: dict | None = None):
    """Application factory: configuration layers, components, blueprints."""
    # Imported when an app is built: importing a leaf such as service.vocab must not load Flask and
    # every part of the app.
    from flask import Flask

    from . import (
        bodies,
        browser_safety,
        current_model,
        errors,
        jobs,
        metrics,
        moderation,
        probes,
        ratelimit,
        store,
        webhooks,
    )
    from .api import bp as api_bp
    from .api.coral import bp as coral_bp
    from .api.perspective import bp as perspective_bp
    from .api.reference import bp as reference_bp
    from .config import load_config
    from .files import private_dir

    app = Flask(__name__, instance_relative_config=False)
    app.config.update(load_config(config))
    private_dir(app.config["DATA_DIR"])
    app.extensions["readiness"] = {}

    errors.init_app(app)
    bodies.init_app(app)
    metrics.init_app(app)
    ratelimit.init_app(app)
    store.init_app(app)
    store.bind(_running_database)
    current_model.init_app(app)
    webhooks.init_app(app)
    jobs.init_app(app)
    app.register_blueprint(probes.bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(perspective_bp)
    app.register_blueprint(coral_bp)
    app.register_blueprint(reference_bp)
    browser_safety.init_app(app)
    moderation.init_app(app)
    return app
