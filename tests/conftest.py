"""Shared fixtures: a build of the real data, the app, its test client and a live server over it."""

from __future__ import annotations

import pytest
from servers import running_server

from server.core.settings import load_settings
from server.pipeline.build import build
from server.web.app import create_app


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory) -> dict:
    """Settings whose var_dir holds one build of the real data (built once per test run)."""
    # Rendering every whole-graph page in the background of each of the suite's apps only costs
    # time here: tests/test_warm_pages.py turns it on where it is what is tested.
    settings = load_settings({"var_dir": str(tmp_path_factory.mktemp("var")), "warm_pages": False})
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


@pytest.fixture(scope="session")
def live_server(real_settings):
    """`strategiaverkko serve` (Granian, production settings) on a free loopback port."""
    with running_server(real_settings) as (url, _process):
        yield url
