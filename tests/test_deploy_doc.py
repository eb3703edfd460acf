"""docs/deploy.md stays true: the settings it names exist, and its serve options are the CLI's."""

from __future__ import annotations

import re

from click.testing import CliRunner

from server.cli import main
from server.core.settings import PROJECT_ROOT, SETTINGS_BY_NAME

DOC = (PROJECT_ROOT / "docs" / "deploy.md").read_text("utf-8")


def test_every_setting_named_in_a_table_exists():
    named = re.findall(r"^\| `([a-z_]+)` \|", DOC, re.M)
    assert named, "the guide's tables name settings"
    assert [n for n in named if n not in SETTINGS_BY_NAME] == []
    for env in re.findall(r"STRATEGIAVERKKO_([A-Z_]+)=", DOC):
        assert env.lower() in SETTINGS_BY_NAME, env


def test_serve_and_build_options_exist():
    serve = CliRunner().invoke(main, ["serve", "--help"]).output
    for option in re.findall(r"^\| `(--[a-z-]+)` \|", DOC, re.M):
        assert option in serve, option
    assert "--store" in CliRunner().invoke(main, ["build", "--help"]).output
