"""Shared fixtures: a source tree to break, a build of the real data, the app and its client."""
from __future__ import annotations

from pathlib import Path

import pytest

from server.app import create_app
from server.build import build
from server.config import PROJECT_ROOT, load_settings

@pytest.fixture(scope="session")
def real_settings(tmp_path_factory) -> dict:
    """Settings whose var_dir holds one build of the real data (built once per test run)."""
    settings = load_settings({"var_dir": str(tmp_path_factory.mktemp("var"))})
    build(settings)
    return settings


@pytest.fixture(scope="session")
def app(real_settings):
    application = create_app(real_settings)
    application.config["TESTING"] = True
    yield application
    application.extensions["strategiaverkko.pool"].close()


@pytest.fixture()
def client(app):
    return app.test_client()


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(real_settings):
    """`strategiaverkko serve` (gunicorn, production settings) on a free loopback port."""
    import subprocess
    import sys
    import time
    import urllib.request

    port = _free_port()
    log = open(Path(real_settings["var_dir"]) / "serve.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "--setting", f"var_dir={real_settings['var_dir']}",
         "serve", "--port", str(port), "--workers", "2", "--threads", "4"],
        stdout=log, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/sparql?query=ASK%7B%7D", timeout=2).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("server did not start:\n" + (Path(real_settings["var_dir"]) / "serve.log").read_text())
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=20)
    log.close()
