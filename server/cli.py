"""The `strategiaverkko` command: a thin shell over the pipeline and the web app."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .core.errors import StrategiaverkkoError
from .core.formats import DOCUMENT_FORMATS, RESULT_FORMATS
from .core.settings import SETTINGS, Settings, SettingsError, load_settings

# A table for people, or any format the endpoint answers in (core/formats.py).
QUERY_FORMATS = ["table", *(f.key for f in RESULT_FORMATS), *(f.key for f in DOCUMENT_FORMATS)]


def _parse_settings(pairs: tuple[str, ...]) -> dict:
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="--setting")
        spec = next((s for s in SETTINGS if s.name == name), None)
        if spec is None:
            raise click.BadParameter(
                f"unknown setting {name!r} (see `strategiaverkko settings`)", param_hint="--setting"
            )
        overrides[name] = spec.parse(value)
    return overrides


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-s",
    "--setting",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a setting (see `strategiaverkko settings`). Repeatable.",
)
@click.pass_context
def main(ctx: click.Context, settings: tuple[str, ...]) -> None:
    """Strategiaverkko: the knowledge graph of Finnish wellbeing services counties' strategies."""
    try:
        ctx.obj = load_settings(_parse_settings(settings))
    except SettingsError as e:
        raise click.UsageError(str(e)) from None


@main.command("settings")
def show_settings() -> None:
    """List every setting with its default, environment variable and meaning."""
    for s in SETTINGS:
        click.echo(f"{s.name}\n    default: {s.default}\n    environment: {s.env}\n    {s.help}\n")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text", help="Report format.")
@click.pass_obj
def check(settings: Settings, fmt: str) -> None:
    """Parse everything and validate the data against the shapes.

    Exit code 0: no violations (warnings are printed); 1: violations; 2: a file cannot be read.
    """
    from .pipeline.build import check as run_check
    from .pipeline.load import LoadError  # here, not at the top: `serve` must not load the pipeline

    try:
        _, report = run_check(settings)
    except LoadError as e:
        click.echo(f"error: {e.message}", err=True)
        sys.exit(2)
    if fmt == "json":
        click.echo(report.as_json())
    elif fmt == "turtle":
        click.echo(report.report_graph.serialize(format="turtle") if report.report_graph is not None else "")
    else:
        click.echo(report.text)
    sys.exit(0 if report.conforms else 1)


@main.command()
@click.option(
    "--store",
    "store_url",
    metavar="URL",
    help="Also load the build into this remote SPARQL store (its query endpoint) and serve from it.",
)
@click.option(
    "--graph-store",
    "graph_store_url",
    metavar="URL",
    help="The remote store's Graph Store Protocol endpoint (default: --store with /query -> /store).",
)
@click.pass_obj
def build(settings: Settings, store_url: str | None, graph_store_url: str | None) -> None:
    """Check, infer, load the store and publish dumps into a new build; swap it in when all succeeded.

    A failed build leaves the previous build serving and nothing of itself behind. Exit code 1:
    violations; 2: unreadable source file; 3: anything else (var/ read-only, a full disk, the remote
    store refused the data).
    """
    from .pipeline.build import CheckFailed
    from .pipeline.build import build as run_build
    from .pipeline.load import LoadError

    if store_url:
        settings = {**settings, "store_url": store_url}
    if graph_store_url:
        settings = {**settings, "graph_store_url": graph_store_url}
    try:
        result = run_build(settings, progress=lambda message: click.echo(message, err=True))
    except CheckFailed as e:
        click.echo(e.report.text, err=True)
        click.echo("Build stopped: the data has violations. The previous build is still served.", err=True)
        sys.exit(1)
    except LoadError as e:
        click.echo(f"error: {e.message}\nBuild stopped. The previous build is still served.", err=True)
        sys.exit(2)
    except StrategiaverkkoError as e:
        click.echo(f"error: {e.message}\nBuild stopped. The previous build is still served.", err=True)
        sys.exit(3)
    for warning in result.report.warnings:
        click.echo(warning.as_text(), err=True)
    m = result.manifest
    click.echo(
        f"Built {m['id']}: {m['triples']} triples "
        + ", ".join(f"{name.rsplit('/', 1)[-1]} {n}" for name, n in sorted(m["graphs"].items()))
        + f" -> {result.path}"
    )


@main.command()
@click.argument("sparql")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table", help="Output format.")
@click.pass_obj
def query(settings: Settings, sparql: str, fmt: str) -> None:
    """Run a SPARQL query against the current build. SPARQL may be '-' (stdin) or @FILE.

    The query goes through the same /sparql endpoint the server answers with, so the
    output is what an HTTP client would get.
    """
    import logging

    if sparql == "-":
        sparql = sys.stdin.read()
    elif sparql.startswith("@"):
        sparql = Path(sparql[1:]).read_text(encoding="utf-8")
    from .web.app import create_app

    # Logs (a slow query, a build that cannot be opened) go to stderr, never into the answer on
    # stdout that a pipe (`… --format csv > answer.csv`) takes. One query needs no warm-up.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(name)s: %(message)s")
    app = create_app({**settings, "warm_on_open": False})
    try:
        with app.test_client() as client:
            wire = "json" if fmt == "table" else fmt
            response = client.post("/sparql", data={"query": sparql, "format": wire}, headers={"Accept": "text/plain"})
    finally:
        app.extensions["strategiaverkko.pool"].close()
    body = response.get_data(as_text=True)
    if response.status_code != 200:
        click.echo(body.rstrip(), err=True)
        sys.exit(1)
    if fmt == "table" and response.mimetype == "application/sparql-results+json":
        click.echo(format_table(json.loads(body)))
    else:
        click.echo(body.rstrip("\n"))


def format_table(results: dict) -> str:
    if "boolean" in results:
        return "true" if results["boolean"] else "false"
    variables = results["head"]["vars"]
    rows = [[_cell(b.get(v)) for v in variables] for b in results["results"]["bindings"]]
    widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(variables)]
    line = lambda cells: " | ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    out = [line(variables), "-+-".join("-" * w for w in widths)] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _cell(term: dict | None) -> str:
    if term is None:
        return ""
    value = term["value"].replace("\n", " / ")
    if term.get("xml:lang"):
        return f"{value} @{term['xml:lang']}"
    return value


@main.command("import-reference")
@click.argument("reference_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.pass_obj
def import_reference(settings: Settings, reference_dir: Path) -> None:
    """Regenerate data/areas.ttl from Statistics Finland's tables in REFERENCE_DIR."""
    from .pipeline.reference import write

    target = Path(settings["source_dir"]) / "data" / "areas.ttl"
    write(reference_dir, target)
    click.echo(f"wrote {target}")


@main.command("import-stratml")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", help="The strategy's identifier (default: from the plan's name).")
@click.option("--organisation", help="Slug of the organisation in data/ (default: found by its name, else new).")
@click.option(
    "--lang", default="fi", show_default=True, type=click.Choice(["fi", "sv", "en"]), help="The texts' language."
)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Where to write (default data/SLUG.ttl)."
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.pass_obj
def import_stratml_command(
    settings: Settings,
    file: Path,
    slug: str | None,
    organisation: str | None,
    lang: str,
    output: Path | None,
    force: bool,
) -> None:
    """Turn a StratML Part 1 or Part 2 FILE into a Turtle file under data/ (then fill in its source and `check`)."""
    from .core.iris import Iris
    from .pipeline.stratml_import import import_stratml

    try:
        result = import_stratml(
            file,
            Path(settings["source_dir"]) / "data",
            Iris(settings["base_iri"]),
            slug=slug,
            organisation=organisation,
            lang=lang,
            output=output,
            force=force,
        )
    except StrategiaverkkoError as e:
        click.echo(f"error: {e.message}", err=True)
        sys.exit(2)
    plan = result.plan
    click.echo(
        f"wrote {result.path}: {plan.name} ({plan.part}); {len(plan.values)} values, {len(plan.goals)} goals"
        + (", vision" if plan.vision else "")
        + (", mission" if plan.mission else "")
    )
    for name, count in sorted(plan.left_out.items()):
        click.echo(f"not imported (not modelled yet): {count} × {name}", err=True)
    click.echo("next: fill in the source's TODO lines in the file, then run `strategiaverkko check`", err=True)


@main.command()
@click.argument("url", default="http://127.0.0.1:8080")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON (per dataset and indicator).")
@click.pass_obj
def mqa(settings: Settings, url: str, as_json: bool) -> None:
    """Score the catalog served at URL by data.europa.eu's Metadata Quality Assessment (405 points)."""
    from .audit.mqa import fetch_catalog, report_table, score_catalog, shapes_graph

    report = score_catalog(fetch_catalog(url), shapes_graph(Path(settings["source_dir"]) / "shapes" / "catalog"))
    if as_json:
        click.echo(
            json.dumps(
                {
                    "total": round(report.total, 1),
                    "rating": report.rating,
                    "datasets": [{"iri": d.iri, "total": d.total, "points": d.points} for d in report.datasets],
                },
                indent=2,
            )
        )
    else:
        click.echo(report_table(report))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--workers", type=int, help="Worker processes [default: one a core, at most 2].")
@click.option("--threads", type=int, help="Threads per worker that run requests [default: 2 x cores + 1].")
@click.pass_obj
def serve(settings: Settings, host: str, port: int, workers: int | None, threads: int | None) -> None:
    """Serve the current build with Granian (SPARQL endpoint, pages, catalog, downloads)."""
    from .web.wsgi import PortInUse, default_threads, default_workers, run_server

    try:
        run_server(
            settings,
            host=host,
            port=port,
            workers=workers or default_workers(),
            threads=threads or default_threads(),
        )
    except PortInUse as e:
        raise click.ClickException(str(e)) from None


if __name__ == "__main__":
    main()
