"""The README stays true: settings documented, CI runs its test command."""

from __future__ import annotations

import re

from server.core.settings import PROJECT_ROOT, SETTINGS

README = (PROJECT_ROOT / "README.md").read_text("utf-8")


def readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", README, re.DOTALL)


def test_every_setting_is_documented():
    for setting in SETTINGS:
        assert f"| `{setting.name}` | `{setting.env}` |" in README, setting.name


def test_ci_runs_the_readme_test_command():
    test_command = next(c for c in readme_commands() if "pytest" in c)
    ci = (PROJECT_ROOT / ".ci" / "run").read_text("utf-8")
    assert test_command in ci.splitlines()


def test_readme_serve_command_builds_and_serves():
    serve = readme_commands()[0]
    assert "strategiaverkko build" in serve and "strategiaverkko serve" in serve
