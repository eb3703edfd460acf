"""Source trees for tests: the real sources copied, or a minimal one to break.

A plain module (not conftest) so test files can import it by a name no other
conftest.py shadows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from server.core.settings import PROJECT_ROOT

FIXTURES = Path(__file__).parent / "fixtures"


def make_source_tree(target: Path, data_files: dict[str, str] | None = None) -> Path:
    """A source checkout in `target`: the real ontology and shapes, and the given data files
    (default: the minimal fixture)."""
    shutil.copytree(PROJECT_ROOT / "ontology", target / "ontology")
    shutil.copytree(PROJECT_ROOT / "shapes", target / "shapes")
    (target / "data").mkdir()
    files = data_files if data_files is not None else {"minimal.ttl": (FIXTURES / "minimal.ttl").read_text("utf-8")}
    for name, text in files.items():
        (target / "data" / name).write_text(text, encoding="utf-8")
    return target


def copy_real_sources(target: Path) -> Path:
    for folder in ("ontology", "data", "shapes"):
        shutil.copytree(PROJECT_ROOT / folder, target / folder)
    return target
