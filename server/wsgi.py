"""Production serving: gunicorn with several workers and threads around `create_app()`.

`gunicorn 'server.wsgi:app'` works too; settings then come from the environment.
"""
from __future__ import annotations

import logging

from gunicorn.app.base import BaseApplication

from .app import create_app


class _Gunicorn(BaseApplication):
    def __init__(self, settings: dict, options: dict):
        self.settings, self.options = settings, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # Structured (JSON) access and slow-query logs on stderr, one line per request.
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        return create_app(self.settings)


def run_gunicorn(settings: dict, host: str, port: int, workers: int, threads: int) -> None:
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        # Queries have their own, shorter limit (query_timeout) enforced by killing the
        # query's process; this only catches a worker stuck for another reason.
        "timeout": max(30, int(settings["query_timeout"] * 3)),
        "accesslog": None,   # our own JSON access log has the request id and query time
        "preload_app": False,
        # GET /sparql?query=… of a long query (some canned queries) is longer than gunicorn's
        # default 4094-byte request line and would get 400; the query size is bounded by
        # max_request_bytes for POST, and by the proxy in front for GET.
        "limit_request_line": 0,
    }
    _Gunicorn(settings, options).run()


def __getattr__(name: str):
    # `server.wsgi:app` for plain gunicorn, created on first use (not at import).
    if name == "app":
        return create_app()
    raise AttributeError(name)
