"""Parse the source files of the graph: ontology/, data/ and shapes/.

A syntax error raises LoadError naming the file and line. Relative IRIs in every
file are resolved against the configured base IRI, so the base can change without
editing the data.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD

from ..core.errors import StrategiaverkkoError
from ..store.base import RdflibTerms

# Which named graph a data file goes to. Source facts are "asserted"; the others hold
# our own additions, kept apart so a query can leave them out.
DATA_GRAPH_OF_FILE: dict[str, str] = {
    # The strategic themes are our vocabulary and the links to them our reading of the
    # statements: curated judgements, not facts any source states.
    "themes.ttl": "curated",
    "theme-classification.ttl": "curated",
    # Our translations of source text: not the sources' words (stv:Translation).
    "translations.ttl": "translations",
}
DEFAULT_DATA_GRAPH = "asserted"


class LoadError(StrategiaverkkoError):
    status = 422
    title = "Cannot read a source file"

    def __init__(self, file: Path | str, line: int | None, message: str):
        self.file, self.line = str(file), line
        where = f"{file}:{line}" if line else str(file)
        super().__init__(f"{where}: {message}", details={"file": str(file), "line": line})


@dataclass
class Sources:
    """Everything parsed from one checkout, ready to check and build."""

    base: str
    ontology: Graph
    # Every data file's triples in one graph: what the check, the inference and the indexes
    # read. One graph, not one per named graph merged later: at 10 M triples each copy of the
    # data held about 6 GiB (bench/results/build-scaling.md).
    merged: Graph
    # The named graphs other than "asserted" (our curated files: small), each also in `merged`.
    apart: dict[str, Graph]
    shapes: Graph
    catalog_shapes: Graph
    files: list[Path] = field(default_factory=list)
    # IRI of a subject -> (file, line) where it is first written as a subject.
    subject_lines: dict[str, tuple[str, int]] = field(default_factory=dict)
    # Triples of `merged` that only files of the other named graphs state.
    only_apart: set = field(default_factory=set)

    def all_data(self) -> Graph:
        """All data graphs merged (the check and the inference only read it)."""
        return self.merged

    def graph_triples(self, name: str) -> Iterator[tuple]:
        """The triples of one named graph ("asserted", "curated", ...)."""
        if name != DEFAULT_DATA_GRAPH:
            return iter(self.apart[name])
        return (t for t in self.merged if t not in self.only_apart)

    def graph_names(self) -> list[str]:
        return [DEFAULT_DATA_GRAPH, *sorted(self.apart)]

    @cached_property
    def data(self) -> dict[str, Graph]:
        """Each named graph as a graph of its own (a copy of the asserted triples: for tests and
        tools on the real data, not for a build)."""
        asserted = Graph(namespace_manager=self.merged.namespace_manager)
        for triple in self.graph_triples(DEFAULT_DATA_GRAPH):
            asserted.add(triple)
        return {DEFAULT_DATA_GRAPH: asserted, **self.apart}

    def digest(self) -> str:
        """SHA-256 over the content of every source file, in path order."""
        h = hashlib.sha256()
        for f in sorted(self.files):
            h.update(f.name.encode())
            h.update(f.read_bytes())
        return h.hexdigest()


_SUBJECT_AT_LINE_START = re.compile(r"^(<[^>\s]*>|[A-Za-z][\w-]*:[\w\-./\\]*)")


def parse_file(path: Path, base: str, copy_to: BinaryIO | None = None) -> Graph:
    """The file as an rdflib graph, with the prefixes it declares bound; with `copy_to`, its
    triples are also written there as N-Triples, blank nodes named as in the graph.

    Oxigraph's Turtle parser (Rust) reads it; rdflib's took 23 s for the 1M benchmark's
    synthetic file, Oxigraph's and making rdflib terms of its triples 10 s (the same triples)."""
    g = Graph()
    # rdflib logs a traceback for every ill-typed literal (e.g. "2023-02-30"^^xsd:date);
    # the shapes report those with a readable message instead.
    term_log = logging.getLogger("rdflib.term")
    level = term_log.level
    term_log.setLevel(logging.CRITICAL)
    try:
        parser = ox.parse(input=_normalised_text(path), format=ox.RdfFormat.TURTLE, base_iri=base)
        term = RdflibTerms(fresh_blank_nodes=True)  # a label names a node within its file only
        if copy_to is None:
            add = g.add
            for quad in parser:
                add((term(quad.subject), term(quad.predicate), term(quad.object)))
        else:
            ox.serialize(_added_to(g, parser, term), output=copy_to, format=ox.RdfFormat.N_TRIPLES)
        for prefix, namespace in parser.prefixes.items():
            g.bind(prefix, namespace, override=True)
    except SyntaxError as e:
        raise LoadError(path, e.lineno, _syntax_error_reason(e)) from None
    except FileNotFoundError:
        raise LoadError(path, None, "file not found") from None
    except (OSError, ValueError) as e:
        raise LoadError(path, None, str(e)) from None
    finally:
        term_log.setLevel(level)
    return g


def _added_to(graph: Graph, parser: Iterator[ox.Quad], term: RdflibTerms) -> Iterator[ox.Triple]:
    """Each parsed triple, once it is in `graph`, for the N-Triples copy: a blank node under the
    name the graph gives it (a file's labels are its own, and the parser invents the others)."""
    add = graph.add
    for quad in parser:
        s, p, o = term(quad.subject), term(quad.predicate), term(quad.object)
        add((s, p, o))
        if isinstance(s, BNode) or isinstance(o, BNode):
            yield ox.Triple(
                ox.BlankNode(str(s)) if isinstance(s, BNode) else quad.subject,
                quad.predicate,
                ox.BlankNode(str(o)) if isinstance(o, BNode) else quad.object,
            )
        else:
            yield quad.triple


def _normalised_text(path: Path) -> bytes:
    """The file's bytes as Turtle means them. A UTF-8 byte-order mark (editors on Windows write
    one) is dropped, not reported as an invisible character at line 1; CRLF line ends become LF,
    so a multi-line literal holds the text's line breaks, not a stray "\\r" (line numbers stay)."""
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    return data.replace(b"\r\n", b"\n") if b"\r\n" in data else data


def _syntax_error_reason(error: SyntaxError) -> str:
    # "Parser error at line 12 column 5: expected ..." -> "expected ... (column 5)"; the
    # LoadError names the file and line itself.
    reason = str(error.msg).split(": ", 1)[-1]
    return f"{reason} (column {error.offset})" if error.offset else reason


def _index_subject_lines(path: Path, graph: Graph, base: str, index: dict[str, tuple[str, int]]) -> None:
    """Remember where each subject is written, so findings can point at a line."""
    namespaces = dict(graph.namespaces())
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        m = _SUBJECT_AT_LINE_START.match(line)
        if not m:
            continue
        token = m.group(1)
        if token.startswith("<"):
            iri = token[1:-1]
            if ":" not in iri:
                iri = base + iri
        else:
            prefix, _, local = token.partition(":")
            if prefix not in namespaces:
                continue
            iri = str(namespaces[prefix]) + local.replace("\\", "")
        index.setdefault(iri, (str(path), number))


def _resolve_relative_namespaces(shapes: Graph, base: str) -> None:
    # sh:namespace must be a literal, which Turtle does not resolve against @base;
    # resolve relative ones ourselves so shapes follow the same base as the data.
    for decl, ns in list(shapes.subject_objects(SH.namespace)):
        if isinstance(ns, Literal) and ":" not in str(ns):
            shapes.remove((decl, SH.namespace, ns))
            shapes.add((decl, SH.namespace, Literal(base + str(ns), datatype=XSD.anyURI)))


def _turtle_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.ttl")) if folder.is_dir() else []


def load_sources(source_dir: Path | str, base: str, copy_to: Path | None = None) -> Sources:
    """Parse a source checkout. With `copy_to`, the ontology and data files' triples are also
    written to that file as N-Triples, blank nodes named as in the graphs: check_sources reads it
    (see check.validate_graph for why)."""
    root = Path(source_dir)
    for required in ("ontology", "data", "shapes"):
        if not (root / required).is_dir():
            raise LoadError(
                root / required, None, "folder missing: a source checkout needs ontology/, data/ and shapes/"
            )
    files: list[Path] = []
    subject_lines: dict[str, tuple[str, int]] = {}

    def read(paths: list[Path], into: Graph | None = None, copy: BinaryIO | None = None) -> Graph:
        # Each file's graph is added to the first one, not all copied into a new graph:
        # every copy of the 1M synthetic file took 9 s.
        for path in paths:
            g = parse_file(path, base, copy)
            _index_subject_lines(path, g, base, subject_lines)
            files.append(path)
            if into is None:
                into = g
            else:
                into += g
        return into if into is not None else Graph()

    merged: Graph | None = None
    apart: dict[str, Graph] = {}
    with copy_to.open("wb") if copy_to is not None else nullcontext() as copy:
        ontology = read(_turtle_files(root / "ontology"), copy=copy)
        data_files = _turtle_files(root / "data")
        if not data_files:
            raise LoadError(root / "data", None, "no Turtle files in data/")
        # The source data first: a finding about a thing points at the file that states it, not at
        # a curated or translations file that only adds to it (translations.ttl sorts before most).
        for path in sorted(data_files, key=lambda f: f.name in DATA_GRAPH_OF_FILE):
            name = DATA_GRAPH_OF_FILE.get(path.name, DEFAULT_DATA_GRAPH)
            if name == DEFAULT_DATA_GRAPH:
                merged = read([path], into=merged, copy=copy)
            else:
                apart[name] = read([path], into=apart.get(name), copy=copy)
    merged = merged if merged is not None else Graph()
    # Merged last, once every asserted file is in: a triple some asserted file states too
    # stays in the asserted graph.
    only_apart = set()
    for graph in apart.values():
        for triple in graph:
            if triple not in merged:
                only_apart.add(triple)
        merged += graph
        for prefix, namespace in graph.namespaces():
            merged.bind(prefix, namespace, override=False)
    shapes = read(_turtle_files(root / "shapes" / "data"))
    catalog_shapes = read(_turtle_files(root / "shapes" / "catalog"))
    _resolve_relative_namespaces(shapes, base)
    for g in [ontology, shapes, catalog_shapes, merged, *apart.values()]:
        _bind_prefixes(g, base)
    return Sources(base, ontology, merged, apart, shapes, catalog_shapes, files, subject_lines, only_apart)


def _bind_prefixes(graph: Graph, base: str) -> None:
    graph.bind("stv", URIRef(base + "ontology#"), replace=True)
