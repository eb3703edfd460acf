"""Two builds to switch between, for tests of what a server does when var/current moves.

A plain module (not conftest) so test files can import it by a name no conftest.py shadows.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from server.store.manifest import current_build


def two_builds(real_settings: dict, var: Path) -> tuple[Path, Path]:
    """(old, new): copies of the real build under var/builds, the new one with an id of its own;
    var/current points at the old one."""
    old, new = var / "builds" / "old", var / "builds" / "new"
    shutil.copytree(current_build(real_settings["var_dir"]), old)
    shutil.copytree(old, new)
    manifest = json.loads((new / "build.json").read_text())
    manifest["id"] += "-new"
    (new / "build.json").write_text(json.dumps(manifest))
    (var / "current").symlink_to("builds/old")
    return old, new


def switch_to(var: Path, name: str) -> None:
    """Point var/current at builds/NAME atomically, as a build does."""
    (var / "next").symlink_to(f"builds/{name}")
    (var / "next").replace(var / "current")
