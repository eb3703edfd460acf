"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser), offline."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (see the README's test command)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        # Chromium looks up a few Google hosts at start; keep every lookup on loopback.
        "args": ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"],
    }


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Finnish reader by default (Accept-Language: fi-FI); tests switch language themselves.
    return {**browser_context_args, "locale": "fi-FI"}
