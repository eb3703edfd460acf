"""Score a served catalog as data.europa.eu's Metadata Quality Assessment (MQA) would.

The MQA grades each dataset out of 405 points in five dimensions; a catalog's score is the mean
of its datasets'. How it is computed here, and where each rule comes from:
- the indicators and their points: the MQA methodology as implemented by piveau (the software of
  data.europa.eu), piveau-data/piveau-vocabularies `piveau-dqv-vocabulary.ttl`;
- distribution indicators are those of the dataset's best-scoring distribution (piveau's scoring:
  "Find the best scored distribution"); issued and modified count from the dataset when the best
  distribution lacks them;
- a URL "answers" with a status 200–299, as piveau's check;
- non-proprietary and machine-readable formats: the lists of data.europa.eu's EDP vocabularies
  (`edp-non-proprietary-format.rdf`, `edp-machine-readable-format.rdf`, as cloned in
  YourOpenDAta/mqa-scoring; their last change there is from 2022);
- DCAT-AP compliance: the DCAT-AP 3.0.1 SHACL shapes (shapes/catalog), no violation on the dataset,
  its distributions or the catalog.
It reads the catalog over HTTP, as a harvester does, and asks every access and download URL.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SH, SKOS

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
EU = "http://publications.europa.eu/resource/authority/"
FILE_TYPE = EU + "file-type/"
IANA_MEDIA_TYPES = ("https://www.iana.org/assignments/media-types/", "http://www.iana.org/assignments/media-types/")

# (dimension, indicator) -> points, in the MQA's order.
INDICATORS: dict[tuple[str, str], int] = {
    ("findability", "keyword"): 30,
    ("findability", "theme"): 30,
    ("findability", "spatial"): 20,
    ("findability", "temporal"): 20,
    ("accessibility", "accessURL answers"): 50,
    ("accessibility", "downloadURL present"): 20,
    ("accessibility", "downloadURL answers"): 30,
    ("interoperability", "format"): 20,
    ("interoperability", "media type"): 10,
    ("interoperability", "format and media type from vocabulary"): 10,
    ("interoperability", "non-proprietary"): 20,
    ("interoperability", "machine-readable"): 20,
    ("interoperability", "DCAT-AP compliant"): 30,
    ("reusability", "licence"): 20,
    ("reusability", "licence from vocabulary"): 10,
    ("reusability", "access rights"): 10,
    ("reusability", "access rights from vocabulary"): 5,
    ("reusability", "contact point"): 20,
    ("reusability", "publisher"): 10,
    ("contextuality", "rights"): 5,
    ("contextuality", "byte size"): 5,
    ("contextuality", "issued"): 5,
    ("contextuality", "modified"): 5,
}
MAXIMUM = sum(INDICATORS.values())  # 405
DISTRIBUTION_INDICATORS = {
    "accessURL answers",
    "downloadURL present",
    "downloadURL answers",
    "format",
    "media type",
    "format and media type from vocabulary",
    "non-proprietary",
    "machine-readable",
    "licence",
    "licence from vocabulary",
    "rights",
    "byte size",
    "issued",
    "modified",
}
# EU file-type codes in the EDP lists (source: see the module docstring).
NON_PROPRIETARY = frozenset(
    "BMP CSV DBF GEOJSON GZIP HTML ICS JPEG2000 JSON JSON_LD KML KMZ NETCDF ODS PNG RDF_N_QUADS RDF_N_TRIPLES "
    "RDF_TRIG RDF_TURTLE RDF_XML RSS RTF TAR TIFF TSV TXT WMS_SRVC XML ZIP".split()
)
MACHINE_READABLE = frozenset(
    "CSV GEOJSON ICS JSON JSON_LD KML KMZ NETCDF ODS RDFA RDF_N_QUADS RDF_N_TRIPLES RDF_TRIG RDF_TURTLE RDF_XML RSS "
    "SHP XLS XLSX XML".split()
)
RATINGS = ((351, "excellent"), (221, "good"), (121, "sufficient"), (0, "bad"))


@dataclass
class DatasetScore:
    iri: str
    points: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.points.values())


@dataclass
class Report:
    datasets: list[DatasetScore]

    def mean(self, indicator: str) -> float:
        return sum(d.points.get(indicator, 0) for d in self.datasets) / max(1, len(self.datasets))

    @property
    def total(self) -> float:
        return sum(d.total for d in self.datasets) / max(1, len(self.datasets))

    @property
    def rating(self) -> str:
        return next(name for floor, name in RATINGS if self.total >= floor)


def fetch_catalog(base_url: str, timeout: float = 30) -> Graph:
    """The whole catalog as a harvester reads it: Turtle, every Hydra page."""
    graph, url, seen = Graph(), f"{base_url.rstrip('/')}/catalog", set()
    while url and url not in seen:
        seen.add(url)
        request = urllib.request.Request(url, headers={"Accept": "text/turtle"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            page = Graph().parse(data=response.read(), format="turtle")
        graph += page
        following = next(page.objects(None, HYDRA.next), None)
        url = str(following) if following is not None else ""
    return graph


def url_status(url: str, timeout: float = 30) -> int:
    """The status a URL answers with: HEAD, or GET where HEAD is not allowed; 0 when unreachable."""
    for method in ("HEAD", "GET"):
        try:
            with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=timeout) as response:
                return response.status
        except urllib.error.HTTPError as e:
            if e.code == 405 and method == "HEAD":
                continue
            return e.code
        except (urllib.error.URLError, OSError):
            return 0
    return 0


def shapes_graph(shapes_dir: Path) -> Graph:
    shapes = Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def violation_focus_nodes(catalog: Graph, shapes: Graph) -> set:
    _, report, _ = pyshacl.validate(catalog, shacl_graph=shapes, advanced=True, allow_warnings=True)
    return {
        report.value(result, SH.focusNode)
        for result in report.subjects(RDF.type, SH.ValidationResult)
        if report.value(result, SH.resultSeverity) == SH.Violation
    }


def _code(iri: URIRef | None) -> str | None:
    return str(iri)[len(FILE_TYPE) :] if iri is not None and str(iri).startswith(FILE_TYPE) else None


def _distribution_points(g: Graph, dist, answers: Callable[[str], bool]) -> dict[str, int]:
    def has(p) -> bool:
        return g.value(dist, p) is not None

    access = [str(u) for u in g.objects(dist, DCAT.accessURL)]
    download = [str(u) for u in g.objects(dist, DCAT.downloadURL)]
    fmt, media = g.value(dist, DCTERMS.format), g.value(dist, DCAT.mediaType)
    code = _code(fmt)
    fmt_known = code is not None and (fmt, SKOS.inScheme, URIRef(EU + "file-type")) in g
    media_known = media is not None and str(media).startswith(IANA_MEDIA_TYPES)
    licence = g.value(dist, DCTERMS.license)
    met = {
        "accessURL answers": any(answers(u) for u in access),
        "downloadURL present": bool(download),
        "downloadURL answers": any(answers(u) for u in download),
        "format": fmt is not None,
        "media type": media is not None,
        "format and media type from vocabulary": fmt_known and media_known,
        "non-proprietary": code in NON_PROPRIETARY,
        "machine-readable": code in MACHINE_READABLE,
        "licence": licence is not None,
        "licence from vocabulary": licence is not None and str(licence).startswith(EU + "licence/"),
        "rights": has(DCTERMS.rights),
        "byte size": has(DCAT.byteSize),
        "issued": has(DCTERMS.issued),
        "modified": has(DCTERMS.modified),
    }
    return {name: INDICATORS[(dim, name)] if met[name] else 0 for (dim, name) in INDICATORS if name in met}


def score_dataset(g: Graph, dataset, violations: set, answers: Callable[[str], bool]) -> DatasetScore:
    distributions = list(g.objects(dataset, DCAT.distribution))
    # piveau takes every distribution indicator from the single best-scoring distribution.
    best = max(
        (_distribution_points(g, d, answers) for d in distributions),
        key=lambda points: sum(points.values()),
        default={name: 0 for name in DISTRIBUTION_INDICATORS},
    )
    catalogs = set(g.subjects(DCAT.dataset, dataset))
    access_rights = g.value(dataset, DCTERMS.accessRights)
    met = {
        "keyword": g.value(dataset, DCAT.keyword) is not None,
        "theme": g.value(dataset, DCAT.theme) is not None,
        "spatial": g.value(dataset, DCTERMS.spatial) is not None,
        "temporal": g.value(dataset, DCTERMS.temporal) is not None,
        "DCAT-AP compliant": not (violations & ({dataset} | set(distributions) | catalogs)),
        "access rights": access_rights is not None,
        "access rights from vocabulary": access_rights is not None
        and str(access_rights).startswith(EU + "access-right/"),
        "contact point": g.value(dataset, DCAT.contactPoint) is not None,
        "publisher": g.value(dataset, DCTERMS.publisher) is not None,
    }
    points = {name: INDICATORS[(dim, name)] if met[name] else 0 for (dim, name) in INDICATORS if name in met}
    points.update(best)
    for name, prop in (("issued", DCTERMS.issued), ("modified", DCTERMS.modified)):
        if not points[name] and g.value(dataset, prop) is not None:
            points[name] = INDICATORS[("contextuality", name)]
    return DatasetScore(str(dataset), points)


def score_catalog(g: Graph, shapes: Graph, status: Callable[[str], int] = url_status) -> Report:
    known: dict[str, bool] = {}

    def answers(url: str) -> bool:
        if url not in known:
            known[url] = 200 <= status(url) < 300
        return known[url]

    violations = violation_focus_nodes(g, shapes)
    datasets = sorted(g.subjects(RDF.type, DCAT.Dataset), key=str)
    return Report([score_dataset(g, d, violations, answers) for d in datasets])


def report_table(report: Report) -> str:
    """Each indicator's mean points over the datasets, per dimension, and the total with its rating."""
    lines = [f"{'dimension':<17} {'indicator':<40} {'points':>7} {'of':>4}"]
    for dimension in dict.fromkeys(dim for dim, _ in INDICATORS):
        for (dim, name), maximum in INDICATORS.items():
            if dim == dimension:
                lines.append(f"{dim:<17} {name:<40} {report.mean(name):>7.1f} {maximum:>4}")
        subtotal = sum(report.mean(n) for d, n in INDICATORS if d == dimension)
        cap = sum(p for (d, _), p in INDICATORS.items() if d == dimension)
        lines.append(f"{dimension:<17} {'(dimension)':<40} {subtotal:>7.1f} {cap:>4}")
    lines.append(f"{'total':<17} {f'{len(report.datasets)} datasets, mean':<40} {report.total:>7.1f} {MAXIMUM:>4}")
    lines.append(f"rating: {report.rating}")
    return "\n".join(lines)
