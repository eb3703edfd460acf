"""`strategiaverkko serve` with no options is sized to the machine: Granian has nothing to warn about."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from servers import running_server

from server.web.wsgi import default_threads, default_workers, usable_cores


def test_defaults_follow_the_cores():
    cores = usable_cores()
    assert default_workers() == min(2, cores) and default_threads() == 2 * cores + 1


def test_serve_with_defaults_starts_without_warnings(real_settings):
    with running_server(real_settings, workers=None, threads=None) as (url, process):
        assert urllib.request.urlopen(url + "/healthz", timeout=5).status == 200
        log = next(Path(real_settings["var_dir"]).glob(f"serve-{url.rsplit(':', 1)[1]}.log")).read_text()
    assert "Spawning worker-1" in log
    assert "[WARNING]" not in log, log
    assert log.count("Spawning worker-") == default_workers()


def test_a_second_server_on_a_taken_port_says_so_instead_of_sharing_it(real_settings, tmp_path):
    """Granian binds with SO_REUSEPORT: without a check, a second `serve` on the same port started
    and the kernel split the requests between two servers of different data."""
    import subprocess
    import sys

    from server.core.settings import PROJECT_ROOT

    with running_server(real_settings) as (url, _):
        port = url.rsplit(":", 1)[1]
        second = subprocess.run(
            [sys.executable, "-m", "server.cli", "--setting", f"var_dir={tmp_path}", "serve", "--port", port],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=PROJECT_ROOT,
        )
        assert second.returncode != 0
        assert f"127.0.0.1:{port} is already in use" in second.stderr, second.stderr
        assert urllib.request.urlopen(url + "/healthz", timeout=5).status == 200
