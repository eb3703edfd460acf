"""Run `strategiaverkko serve` (Granian, production settings) on a free loopback port for a test."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from server.core.settings import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(
    settings: dict, workers: int | None = 2, threads: int | None = 4
) -> Iterator[tuple[str, subprocess.Popen]]:
    """(base URL, process) of a server over settings' var_dir; stopped (by its pid) on exit.
    workers or threads None: the server's own defaults."""
    port = free_port()
    overrides = [
        arg for key in ("var_dir", "source_dir") if key in settings for arg in ("--setting", f"{key}={settings[key]}")
    ]
    log_path = Path(settings["var_dir"]) / f"serve-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "server.cli",
                *overrides,
                "serve",
                "--port",
                str(port),
                *(["--workers", str(workers)] if workers is not None else []),
                *(["--threads", str(threads)] if threads is not None else []),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=PROJECT_ROOT,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    raise RuntimeError("server did not start:\n" + log_path.read_text())
                time.sleep(0.2)
        try:
            yield url, process
        finally:
            process.terminate()
            process.wait(timeout=20)
