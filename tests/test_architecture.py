"""The package keeps its layers (docs/architecture.md): the import contracts hold and can fail, a web
worker loads no part of the build, the query service runs without Flask, no module dodges a circle
with an import inside a function, no SPARQL is pasted together from values, and ruff and mypy are clean."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from server.core.settings import PROJECT_ROOT, SETTINGS, Settings

SERVER = PROJECT_ROOT / "server"
LAYERS = ("core", "pipeline", "store", "query", "web")


def run(*command: str, cwd: Path = PROJECT_ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


# `lint-imports`, run with this interpreter so that it sees the package it is given on PYTHONPATH.
LINT_IMPORTS = (
    "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"
)


def python_files(root: Path = SERVER) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_tree_shows_the_layers():
    left_in_server = sorted(p.name for p in SERVER.glob("*.py"))
    assert left_in_server == ["__init__.py", "cli.py"]
    for layer in LAYERS:
        assert (SERVER / layer / "__init__.py").is_file(), layer
    assert (SERVER / "web" / "views").is_dir() and (SERVER / "web" / "presenters").is_dir()


def test_import_contracts_hold():
    result = run(sys.executable, "-c", LINT_IMPORTS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    "module, line",
    [
        # against the direction: the web layer reaching into the build
        ("web/views/home.py", "from ...pipeline import check as _check  # noqa"),
        # a circle between two siblings: store.manifest -> store.current -> store.manifest
        ("store/manifest.py", "from . import current as _current  # noqa"),
    ],
)
def test_import_contracts_fail_on_a_bad_import(tmp_path, module, line):
    """The contracts are not decoration: the same check on a copy with one bad import fails."""
    copy = tmp_path / "server"
    shutil.copytree(SERVER, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path), "HOME": str(tmp_path)}
    result = run(sys.executable, "-c", LINT_IMPORTS, cwd=tmp_path, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 broken" in result.stdout, result.stdout


def test_a_web_worker_loads_no_part_of_the_build(tmp_path):
    # `serve` starts in the CLI, and Granian forks its workers from that process: both count.
    script = textwrap.dedent(f"""
        import sys
        import server.cli
        from server.web.wsgi import create_app
        create_app({{"var_dir": {str(tmp_path)!r}, "warm_on_open": False}})
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("pyshacl", "owlrl", "reasonable")
                        or m.startswith("server.pipeline"))
        print(",".join(loaded) or "none")
    """)
    result = run(sys.executable, "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "none"


def test_the_query_service_answers_without_flask(real_settings):
    """The warm-up and /sparql call QueryService.run; here it runs in a process that has no Flask."""
    script = textwrap.dedent(f"""
        import json, sys
        from server.core.iris import Iris
        from server.core.namespaces import prefixes
        from server.core.settings import load_settings
        from server.query.sandbox import QueryPool
        from server.query.service import QueryService
        from server.store.current import BuildState

        if __name__ == "__main__":
            settings = load_settings({{"var_dir": {real_settings["var_dir"]!r}}})
            iris = Iris(settings["base_iri"])
            state = BuildState(settings["var_dir"], prefixes(iris), iris.base)
            pool = QueryPool(size=1)
            try:
                service = QueryService(state, pool, settings, prefixes(iris))
                query = "SELECT (COUNT(*) AS ?n) WHERE {{ ?s a stv:WellbeingServicesCounty }}"
                result = service.run(query, service.form_of(query), "json")
                n = json.loads(result.body)["results"]["bindings"][0]["n"]["value"]
                print(n, "flask" in sys.modules)
            finally:
                pool.close()
    """)
    result = run(sys.executable, "-c", script)
    assert result.returncode == 0, result.stderr
    count, flask_loaded = result.stdout.split()
    assert int(count) > 0 and flask_loaded == "False"


def _function_level_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (inner.level > 0 or (inner.module or "").startswith("server")):
                    found.append(f"{path.relative_to(PROJECT_ROOT)}:{inner.lineno}")
    return found


def test_no_module_imports_our_own_code_inside_a_function():
    """An import inside a function is for an optional heavy dependency (Granian, say), never to dodge
    a circle. The CLI is the exception: each command loads only its own layer (`build` no Flask,
    `serve` no pyshacl)."""
    offenders = [hit for p in python_files() if p.name != "cli.py" for hit in _function_level_imports(p)]
    assert offenders == []


SPARQL_WORDS = ("SELECT", "CONSTRUCT", "ASK {", "ASK WHERE", "DESCRIBE", "WHERE {")
# The one place that composes query text: the SHACL-SPARQL constraints of our own shape files, whose
# focus nodes (terms written by rdflib's n3()) are joined into the shapes' own SELECT.
COMPOSED_FROM_SHAPES = {"server/pipeline/shape_constraints.py"}


def _sparql_fstrings(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
            if any(word in text for word in SPARQL_WORDS):
                found.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    return found


def test_no_sparql_is_pasted_together_from_values():
    """Values reach queries as terms (Store.query(bind=…, values=…)), never through an f-string."""
    offenders = [
        hit
        for p in python_files()
        for hit in _sparql_fstrings(p)
        if str(p.relative_to(PROJECT_ROOT)) not in COMPOSED_FROM_SHAPES
    ]
    assert offenders == []


def test_settings_type_names_every_setting():
    assert set(Settings.__annotations__) == {s.name for s in SETTINGS}


def test_ruff_finds_nothing():
    lint = run(sys.executable, "-m", "ruff", "check", ".")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    formatted = run(sys.executable, "-m", "ruff", "format", "--check", ".")
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def test_mypy_is_clean_on_every_layer():
    result = run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr
