"""Synthetic organisations with strategies shaped like the real ones, for benchmarks at scale.

    python bench/generate.py N [--seed S] [--output FILE]

writes N synthetic wellbeing services counties as Turtle, each with its source document,
council, member municipalities, several strategy periods (vision, mission, values,
priorities, goals), programmes, decisions, consultations and reports, in the same
ontology and passing the same shapes as data/*.ttl. Text is Finnish-like: real strategy
vocabulary put together by templates.

Synthetic things live under their own IRI space, `{base}id/synthetic/{kind}/{slug}`
(written relative to the base, like the data files), so they can be told from real ones
at a glance, and they are never written under data/: the default output is
var/bench/synthetic-n{N}-s{S}.ttl, and `source_tree()` puts them into a copy of the
sources in a temporary folder for a benchmark build.

Deterministic: the same N and seed give byte-identical output. Each organisation has its
own random generator seeded by (seed, index), so the first K organisations of a run with
N > K are the same as those of a run with N = K.

Sizes (a build of the real data plus N synthetic organisations, all its graphs; exact
counts are in bench/results/): N = ORGS_FOR_SIZE["10k"], ["100k"], ["1M"], ["10M"].
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SPACE = "id/synthetic/"  # relative to the base IRI, like the data files
SYNTHETIC_FILE = "synthetic.ttl"  # its name in a benchmark source tree
DEFAULT_SEED = 1
# N per benchmark size; calibrated so a build (real data + N organisations, asserted +
# inferred + ontology) holds about that many triples. bench/results/ gives exact counts.
# The smaller three were calibrated before the base-forms graph came (973 now give 1.42 M);
# "10M" is calibrated on today's builds, about 1,435 triples per organisation (issue 28's
# "~9,700 organisations" counted 1,000 each).
ORGS_FOR_SIZE = {"10k": 7, "100k": 95, "1M": 973, "10M": 6960}

# --- Word banks: Finnish strategy vocabulary ------------------------------------------

DIRECTIONS = ["", "Pohjois-", "Etelä-", "Itä-", "Länsi-", "Keski-", "Ylä-", "Ala-"]
FIRST = [
    "Kos",
    "Jär",
    "Mä",
    "Har",
    "Nie",
    "Sal",
    "Ran",
    "Lah",
    "Vaa",
    "Kan",
    "Pel",
    "Hon",
    "Kui",
    "Sii",
    "Tuo",
    "Lep",
    "Kii",
    "Ruo",
    "Hau",
    "Ori",
    "Va",
    "Ky",
    "Pih",
    "Leh",
    "Kar",
    "Sor",
    "Ton",
    "Uk",
]
SECOND = [
    "kela",
    "vaara",
    "harju",
    "salo",
    "ranta",
    "koski",
    "järvi",
    "saari",
    "niemi",
    "pelto",
    "linna",
    "maa",
    "lampi",
    "vuori",
]
SWEDISH = {
    "Pohjois-": "Norra ",
    "Etelä-": "Södra ",
    "Itä-": "Östra ",
    "Länsi-": "Västra ",
    "Keski-": "Mellersta ",
    "Ylä-": "Övre ",
    "Ala-": "Nedre ",
    "": "",
}
ENGLISH = {
    "Pohjois-": "North ",
    "Etelä-": "South ",
    "Itä-": "East ",
    "Länsi-": "West ",
    "Keski-": "Central ",
    "Ylä-": "Upper ",
    "Ala-": "Lower ",
    "": "",
}

VALUES = [
    "YHDENVERTAISUUS",
    "VAIKUTTAVUUS",
    "ASIAKASLÄHTÖISYYS",
    "ROHKEUS",
    "TURVALLISUUS",
    "AVOIMUUS",
    "LUOTETTAVUUS",
    "VASTUULLISUUS",
    "ARVOSTUS",
    "YHTEISTYÖ",
    "UUDISTUMINEN",
    "INHIMILLISYYS",
    "Mie turvaan.",
    "Mie uskallan.",
    "Mie välitän.",
    "Myö yhessä.",
    "Me kuuntelemme.",
    "Me kehitymme.",
]
ADJECTIVES = [
    "Kestävä",
    "Sujuva",
    "Vaikuttava",
    "Turvallinen",
    "Osallistava",
    "Uudistuva",
    "Joustava",
    "Saavutettava",
    "Vetovoimainen",
    "Ennakoiva",
    "Oikea-aikainen",
    "Yhdenvertainen",
    "Haluttu",
    "Mahdollistava",
    "Asiakaslähtöinen",
    "Digitaalinen",
]
NOUNS = [
    "talous",
    "palvelurakenne",
    "työyhteisö",
    "kumppanuus",
    "johtaminen",
    "asiakaskokemus",
    "palveluverkko",
    "hyvinvointi",
    "osaaminen",
    "työnantaja",
    "yhteistyö",
    "palveluketju",
    "ennaltaehkäisy",
    "tiedolla johtaminen",
    "pelastustoimi",
    "sote-keskus",
]
SUBJECTS = [
    "Palvelumme",
    "Toimintamme",
    "Henkilöstömme",
    "Johtamisemme",
    "Yhteistyömme",
    "Talouden suunnittelu",
    "Digitaaliset palvelut",
    "Ennaltaehkäisevä työ",
    "Palveluverkko",
    "Hyvinvointialue",
    "Asiakastiedon hyödyntäminen",
    "Monituottajaympäristö",
]
VERBS = [
    "vahvistaa",
    "tukee",
    "edistää",
    "lisää",
    "turvaa",
    "uudistaa",
    "kehittää",
    "parantaa",
    "mahdollistaa",
    "varmistaa",
]
OBJECTS = [
    "asukkaiden hyvinvointia",
    "palveluiden saatavuutta",
    "terveyttä ja turvallisuutta",
    "henkilöstön osaamista",
    "kestävää taloutta",
    "asiakaslähtöisiä palvelupolkuja",
    "alueellista yhdenvertaisuutta",
    "tiedolla johtamista",
    "ennaltaehkäiseviä palveluita",
    "monituottajaympäristön kehittämistä",
    "sujuvaa yhteistyötä kuntien kanssa",
    "digitaalisten palveluiden käyttöä",
    "työnantajavetovoimaa",
    "toimintakykyä läpi elämän",
]
PLACES = [
    "koko alueella",
    "lähellä asukkaita",
    "yhdessä kumppaneiden kanssa",
    "vastuullisesti",
    "tiedolla johtaen",
    "läpi elämän",
    "kaikissa elämänvaiheissa",
    "kustannustehokkaasti",
    "asiakkaan kanssa",
    "palveluverkon kaikissa osissa",
]
GROUPS = [
    "asukkaat",
    "sidosryhmät",
    "henkilöstö",
    "järjestöt",
    "kunnat",
    "nuorisovaltuusto",
    "vanhusneuvosto",
    "vammaisneuvosto",
    "yrittäjät",
]


# --- Turtle writing ---------------------------------------------------------------------

PREFIXES = """@prefix stv:  <ontology#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix org:  <http://www.w3.org/ns/org#> .
"""


def lit(text: str, lang: str = "fi") -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"@{lang}'


def typed(text: str, datatype: str) -> str:
    return f'"{text}"^^xsd:{datatype}'


def iri(kind: str, slug: str) -> str:
    return f"<{SPACE}{kind}/{slug}>"


# A resource's properties: each with one value or several, as Turtle terms.
Props = list[tuple[str, str | list[str]]]


def resource(subject: str, types: str, props: Props) -> str:
    lines = [f"{subject} a {types}"]
    for prop, value in props:
        values = value if isinstance(value, list) else [value]
        lines.append(f"    {prop} {' , '.join(values)}")
    return " ;\n".join(lines) + " .\n"


# --- Names ----------------------------------------------------------------------------


def slugify(text: str) -> str:
    from server.core.iris import slugify as real_slugify  # the project's own slug rule

    return real_slugify(text)


def place_name(index: int) -> tuple[str, str]:
    """(direction, stem) of the index-th place: distinct for every index below the number of
    combinations, then repeated with a number (still distinct)."""
    combos = len(DIRECTIONS) * len(FIRST) * len(SECOND)
    # A fixed odd stride spreads consecutive indexes over the banks.
    k = (index * 7919) % combos
    direction = DIRECTIONS[k % len(DIRECTIONS)]
    k //= len(DIRECTIONS)
    stem = FIRST[k % len(FIRST)] + SECOND[k // len(FIRST)]
    lap = index // combos
    return direction, stem + (f" {lap + 1}" if lap else "")


def genitive(name: str) -> str:
    """A Finnish-like genitive: Koskela -> Koskelan, Salokoski -> Salokosken."""
    if name[-1].isdigit():
        return name + ":n"
    if name.endswith("i"):
        return name[:-1] + "en"
    return name + "n"


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)}."


def paragraph(rng: random.Random, low: int = 1, high: int = 3) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(low, high)))


def heading(rng: random.Random) -> str:
    first, second = rng.sample(ADJECTIVES, 2)
    return f"{first} ja {second.lower()} {rng.choice(NOUNS)}"


def a_date(rng: random.Random, year: int, as_month: bool) -> str:
    month = rng.randint(1, 12)
    if as_month:
        return typed(f"{year}-{month:02d}", "gYearMonth")
    return typed(f"{year}-{month:02d}-{rng.randint(1, 28):02d}", "date")


# --- One organisation ------------------------------------------------------------------


def organisation(index: int, seed: int) -> str:
    """The Turtle of the index-th synthetic organisation (0-based)."""
    rng = random.Random(f"strategiaverkko-synthetic:{seed}:{index}")
    direction, stem = place_name(index)
    name = direction + stem
    slug = slugify(name)
    gen = genitive(name)
    out: list[str] = [f"# --- {index + 1}: {gen} hyvinvointialue (synthetic) ---\n"]

    org = iri("organisation", slug)
    council = iri("organisation", f"{slug}-aluevaltuusto")
    source = iri("source", f"{slug}-strategia")
    src = [("prov:wasDerivedFrom", source)]

    out.append(
        resource(
            source,
            "stv:SourceDocument",
            [
                ("skos:prefLabel", lit(f"{gen} hyvinvointialueen strategiasivu")),
                ("dct:title", lit(f"{gen} hyvinvointialueen strategia")),
                (
                    "dct:description",
                    lit(
                        f"{gen} hyvinvointialueen strategiasivu: strategiat, visio, missio, arvot, "
                        "kärjet, tavoitteet, ohjelmat ja päätökset (synteettinen aineisto)."
                    ),
                ),
                ("dct:publisher", org),
                ("dct:language", "<http://publications.europa.eu/resource/authority/language/FIN>"),
                ("dct:modified", a_date(rng, rng.randint(2023, 2026), as_month=False)),
                # Citable like the real sources; no such file exists: the organisation is made up.
                ("stv:archivedCopy", f'"synthetic/{slug}-strategia.txt"'),
            ],
        )
    )
    out.append(
        resource(
            org,
            "stv:WellbeingServicesCounty",
            [
                (
                    "skos:prefLabel",
                    [
                        lit(f"{gen} hyvinvointialue"),
                        lit(f"{SWEDISH[direction]}{stem} välfärdsområde", "sv"),
                        lit(f"{ENGLISH[direction]}{stem} wellbeing services county", "en"),
                    ],
                ),
                ("stv:areaCode", f'"S{index + 1:05d}"'),
                *src,
            ],
        )
    )
    out.append(
        resource(
            council,
            "stv:RegionalCouncil",
            [
                ("skos:prefLabel", lit(f"{gen} hyvinvointialueen aluevaltuusto")),
                ("org:unitOf", org),
                *src,
            ],
        )
    )

    # Member municipalities, each a member for the years 2023-2026.
    municipalities = set()
    for k in range(rng.randint(3, 8)):
        m_name = rng.choice(FIRST) + rng.choice(SECOND)
        m_slug = f"{slug}-{slugify(m_name)}"
        if m_slug in municipalities:
            continue
        municipalities.add(m_slug)
        municipality = iri("municipality", m_slug)
        out.append(
            resource(
                municipality,
                "stv:Municipality",
                [
                    ("skos:prefLabel", [lit(m_name), lit(m_name, "sv")]),
                    ("stv:areaCode", f'"M{index + 1:05d}{k + 1:02d}"'),
                    ("stv:region", lit(name)),
                    *src,
                ],
            )
        )
        out.append(
            resource(
                iri("membership", f"{m_slug}-{slug}"),
                "stv:MunicipalityMembership",
                [
                    ("org:member", municipality),
                    ("org:organization", org),
                    ("stv:validInYear", [typed(str(y), "gYear") for y in range(2023, 2027)]),
                    *src,
                ],
            )
        )

    # Several strategy periods, one after the other.
    year = rng.randint(2015, 2019)
    for period_number in range(rng.randint(2, 4)):
        length = rng.randint(2, 4)
        start, end = year, year + length
        year = end + 1
        out.extend(strategy(rng, slug, gen, org, council, src, start, end))
    return "\n".join(out)


def strategy(
    rng: random.Random, slug: str, gen: str, org: str, council: str, src: list, start: int, end: int
) -> Iterator[str]:
    years = f"{start}–{end}"
    key = f"{slug}-{start}-{end}"
    plan = iri("strategy", key)
    period = iri("period", key)
    owned = [("stv:organisation", org), *src]

    props: Props = [("skos:prefLabel", lit(f"{gen} hyvinvointialueen strategia vuosille {years}"))]
    if rng.random() < 0.5:
        props.append(("skos:altLabel", [lit("Hyvinvointialueen kokonaisstrategia"), lit("päästrategia")]))
    props += [("dct:description", lit(paragraph(rng, 2, 4))), ("dct:temporal", period), *owned]
    yield resource(plan, "stv:Strategy", props)

    precise = rng.random() < 0.3
    yield resource(
        period,
        "dct:PeriodOfTime",
        [
            ("skos:prefLabel", lit(years)),
            ("dcat:startDate", typed(f"{start}-01-01", "date") if precise else typed(str(start), "gYear")),
            ("dcat:endDate", typed(f"{end}-12-31", "date") if precise else typed(str(end), "gYear")),
            *src,
        ],
    )

    # The decisions on the strategy: a draft sometimes, then the final one.
    decided = start - 1
    statuses = ["stv:Draft", "stv:Final"] if rng.random() < 0.4 else ["stv:Final"]
    for status in statuses:
        word = "luonnoksen" if status == "stv:Draft" else "strategian"
        yield resource(
            iri("decision", f"{key}-{status[4:].lower()}"),
            "stv:Decision",
            [
                ("dct:description", lit(f"Aluevaltuusto hyväksyi {word} vuosille {years}.")),
                ("stv:decidedBy", council),
                ("stv:approves", plan),
                ("stv:documentStatus", status),
                ("stv:date", a_date(rng, decided, as_month=rng.random() < 0.3)),
                *src,
            ],
        )

    statement = [("stv:partOfPlan", plan), *owned]
    yield resource(iri("vision", key), "stv:Vision", [("skos:prefLabel", lit(paragraph(rng, 1, 2))), *statement])
    yield resource(iri("mission", key), "stv:Mission", [("skos:prefLabel", lit(sentence(rng))), *statement])
    for order, value in enumerate(rng.sample(VALUES, rng.randint(3, 6)), start=1):
        props = [("skos:prefLabel", lit(value))]
        if rng.random() < 0.7:
            props.append(("stv:text", lit(sentence(rng))))
        yield resource(
            iri("value", f"{key}-{slugify(value)}"), "stv:Value", [*props, ("stv:order", str(order)), *statement]
        )
    for kind, cls, low, high in (("priority", "stv:StrategicPriority", 2, 5), ("goal", "stv:QualitativeGoal", 2, 6)):
        for order in range(1, rng.randint(low, high) + 1):
            yield resource(
                iri(kind, f"{key}-{order}"),
                cls,
                [
                    ("skos:prefLabel", lit(heading(rng))),
                    ("stv:order", str(order)),
                    ("stv:text", lit(paragraph(rng, 2, 4))),
                    *statement,
                ],
            )

    # Programmes that refine, implement or build on the strategy, with their decisions.
    programmes: list[str] = []
    for kind, cls, prop, label, p in (
        ("palvelustrategia", "stv:ServiceStrategy", "stv:refines", "Palvelustrategia", 0.6),
        ("toimeenpano-ohjelma", "stv:ImplementationProgramme", "stv:implements", "Strategian toimeenpano-ohjelma", 0.5),
        (
            "henkilostoohjelma",
            "stv:PersonnelProgramme",
            "stv:basedOn",
            f"{gen} hyvinvointialueen henkilöstöohjelma",
            0.4,
        ),
    ):
        if rng.random() >= p:
            continue
        programme = iri("programme", f"{key}-{kind}")
        props = [
            ("skos:prefLabel", lit(f"{label} {years}")),
            ("dct:description", lit(paragraph(rng, 1, 3))),
            (prop, plan),
        ]
        if programmes and kind == "toimeenpano-ohjelma":
            props.append(("stv:complements", programmes[0]))
        yield resource(programme, cls, [*props, *owned])
        programmes.append(programme)
        if kind == "henkilostoohjelma":
            yield resource(
                iri("employer-promise", key),
                "stv:EmployerPromise",
                [
                    (
                        "skos:prefLabel",
                        lit(
                            rng.choice(
                                [
                                    "Myö välitetään toisistamme.",
                                    "Meillä on hyvä tehdä työtä.",
                                    "Kasvamme yhdessä.",
                                    "Sinä olet meille tärkeä.",
                                ]
                            )
                        ),
                    ),
                    ("stv:partOfPlan", programme),
                    *owned,
                ],
            )
        yield resource(
            iri("decision", f"{key}-{kind}"),
            "stv:Decision",
            [
                ("dct:description", lit(f"Aluevaltuusto hyväksyi ohjelman: {label.lower()}.")),
                ("stv:decidedBy", council),
                ("stv:approves", programme),
                ("stv:documentStatus", "stv:Final" if rng.random() < 0.8 else "stv:Draft"),
                ("stv:date", a_date(rng, start, as_month=rng.random() < 0.3)),
                *src,
            ],
        )
    if programmes and rng.random() < 0.5:
        yield resource(
            iri("consultation", key),
            "stv:Consultation",
            [
                ("dct:description", lit("Asukkaiden ja sidosryhmien kuuleminen ohjelmien valmistelussa.")),
                ("stv:consultedGroup", [lit(g) for g in sorted(rng.sample(GROUPS, rng.randint(1, 3)))]),
                ("stv:informs", programmes),
                ("prov:wasAssociatedWith", org),
                ("stv:date", a_date(rng, start, as_month=True)),
                *src,
            ],
        )
    if rng.random() < 0.3:
        yield resource(
            iri("report", f"{key}-taustaselvitys"),
            "stv:Report",
            [
                ("skos:prefLabel", lit("Taustaselvitys")),
                ("dct:description", lit(paragraph(rng, 1, 2))),
                ("stv:submittedTo", ["<id/organisation/stm>", "<id/organisation/thl>"]),
                ("stv:legalBasis", "<id/legislation/612-2021-29-2>"),
                ("stv:date", a_date(rng, start, as_month=True)),
                *owned,
            ],
        )
    if rng.random() < 0.2:
        title = lit(f"{gen} hyvinvointialue: strategia {years}")
        yield resource(
            iri("video", key),
            "stv:StrategyVideo",
            [("skos:prefLabel", title), ("dct:title", title), ("stv:presents", plan), *owned],
        )


# --- Whole files and source trees --------------------------------------------------------


def generate(n: int, seed: int = DEFAULT_SEED) -> Iterator[str]:
    """The Turtle text of N synthetic organisations, in chunks."""
    yield (
        "# Synthetic organisations for benchmarks (bench/generate.py "
        f"{n} --seed {seed}). NOT real data: never put this file under data/.\n"
    )
    yield PREFIXES
    for index in range(n):
        yield "\n" + organisation(index, seed)


def write(n: int, seed: int, output: Path) -> Path:
    output = Path(output)
    real_data = (PROJECT_ROOT / "data").resolve()
    if output.resolve().is_relative_to(real_data):
        raise ValueError(f"refusing to write synthetic data under {real_data}: it would be published")
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="\n") as f:
        for chunk in generate(n, seed):
            f.write(chunk)
    return output


def copy_sources(
    target: Path, folders: tuple[str, ...] = ("ontology", "shapes", "data"), commit: str | None = "HEAD"
) -> str:
    """Copy the project's source folders into `target`, as committed at `commit` (so that work in
    progress in the checkout cannot break or change a benchmark), or from the working tree when
    commit is None or this is not a git checkout. Returns what was copied ("commit abc123" or
    "working tree")."""
    target.mkdir(parents=True, exist_ok=True)
    if commit is not None:
        try:
            archive = subprocess.run(
                ["git", "-C", str(PROJECT_ROOT), "archive", "--format=tar", commit, *folders],
                capture_output=True,
                check=True,
                timeout=60,
            ).stdout
            sha = subprocess.run(
                ["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short", commit],
                capture_output=True,
                text=True,
                check=True,
                timeout=10,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
        else:
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                tar.extractall(target, filter="data")
            return f"commit {sha}"
    for folder in folders:
        shutil.copytree(PROJECT_ROOT / folder, target / folder)
    return "working tree"


def source_tree(
    target: Path, n: int, seed: int = DEFAULT_SEED, real_data: bool = True, commit: str | None = "HEAD"
) -> str:
    """A source checkout in `target` (a temporary folder) for a benchmark build: the ontology,
    shapes and real data (see copy_sources), plus data/synthetic.ttl with N organisations.
    Without real_data, only the two real files the synthetic data refers to (the authorities
    and the sources) are copied. Returns what copy_sources copied."""
    target = Path(target)
    copied = copy_sources(target, commit=commit)
    if not real_data:
        for path in (target / "data").glob("*.ttl"):
            if path.name not in ("authorities.ttl", "sources.ttl"):
                path.unlink()
    write(n, seed, target / "data" / SYNTHETIC_FILE)
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "n",
        type=int,
        help="number of synthetic organisations "
        f"({', '.join(f'{v} for ~{k} triples' for k, v in ORGS_FOR_SIZE.items())})",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument(
        "--output",
        type=Path,
        help="Turtle file to write (default var/bench/synthetic-n{N}-s{SEED}.ttl; '-' for stdout)",
    )
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be 0 or more")
    if str(args.output) == "-":
        for chunk in generate(args.n, args.seed):
            sys.stdout.write(chunk)
        return 0
    output = args.output or PROJECT_ROOT / "var" / "bench" / f"synthetic-n{args.n}-s{args.seed}.ttl"
    try:
        path = write(args.n, args.seed, output)
    except ValueError as e:
        parser.error(str(e))
    print(path, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT_ROOT))
    sys.exit(main())
