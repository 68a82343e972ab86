"""The production entry: `gunicorn quizapp.wsgi:app` (settings in gunicorn.conf.py).

Unlike `quizapp run`, it refuses to start without SECRET_KEY, since several app servers behind a
load balancer must sign sessions with one shared key; and, through gunicorn.conf.py's on_starting
hook, with several workers counting rate limits each in its own memory (`check_server`).

Behind a proxy that terminates HTTPS, set TRUSTED_PROXIES to the number of proxies in front, so
that the client's address (rate limits) and scheme (https URLs) come from their X-Forwarded-*
headers, and SESSION_COOKIE_SECURE=1.
"""

from __future__ import annotations

import sys

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config, create_app
from .config import MissingSecretKey, require_secret_key


def production_app() -> Flask:
    """The app as the production server runs it.

    :raise MissingSecretKey: when SECRET_KEY is not configured.
    """
    application = create_app()
    require_secret_key(application)
    hops = int(application.config.get("TRUSTED_PROXIES") or 0)
    if hops:
        application.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            application.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )
    return application


def check_server(workers: int) -> None:
    """Before gunicorn forks its workers (its on_starting hook, given the final worker count): stop
    with a message and exit status 4 when they would count rate limits each alone.

    Only the configuration is read (environment, instance/config.py): no app, no database opened
    before the fork.
    """
    bare = Flask("quizapp", instance_relative_config=True)
    config.configure(bare)
    try:
        config.require_shared_rate_limits(dict(bare.config), workers)
    except config.PerProcessRateLimits as err:
        print(err, file=sys.stderr)
        sys.exit(4)


def __getattr__(name: str) -> Flask:
    """`quizapp.wsgi:app`, built when gunicorn asks for it (importing the module builds nothing)."""
    if name != "app":
        raise AttributeError(name)
    try:
        application = production_app()
    except MissingSecretKey as err:
        # A plain message, not a traceback, and the exit status that makes gunicorn stop (not retry).
        print(err, file=sys.stderr)
        sys.exit(4)
    globals()["app"] = application
    return application
