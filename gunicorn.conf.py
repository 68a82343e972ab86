"""gunicorn settings for `gunicorn quizapp.wsgi:app` (read from the working directory).

Every setting can be overridden on the command line or through GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Sync workers: each request holds one; the database does the waiting. Two per CPU plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
# Recycle workers now and then, so a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# Each worker builds its own app and database pool (nothing opened before the fork). A worker that
# cannot load the app (no SECRET_KEY: exit status 4) makes gunicorn stop instead of respawning it.
# X-Forwarded-* headers are read by the app itself (TRUSTED_PROXIES, see quizapp/wsgi.py).


def on_starting(server):  # type: ignore[no-untyped-def]
    """Before any worker: refuse several workers that would each count rate limits alone (memory://),
    unless RATELIMIT_STORAGE_URI names a shared store or RATELIMIT_PER_PROCESS_OK=1 (quizapp/wsgi.py)."""
    from quizapp.wsgi import check_server

    check_server(server.cfg.workers)
