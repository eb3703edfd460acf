"""Words of Finnish (and Swedish and English) text as search matches them.

Finnish inflects: "strategiat", "palveluiden", "talouden" must find "strategia", "palvelut",
"talous". Each word is matched by its forms: the word itself folded (case and accents: "etela"
finds "Etelä-"), and its dictionary base forms with the roots they are built from, as Voikko's
morphology gives them ("taloudellinen" is built on "talous", "hyvinvointialue" on "hyvinvointi"
and "alue"). Voikko needs Debian's libvoikko1 and voikko-fi (the test setup installs them); where
they are missing the Snowball Finnish stemmer (pure Python) stands in, which matches fewer forms
(docs/search.md). The build records which analyser made its index, and queries use the same one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

# A word: letters and digits, with inner hyphens split off ("Etelä-Savon" is "etelä" and "savon").
WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Voikko's WORDBASES: "+taloude(talous)+lli+nen(+nen)" -> the roots in parentheses, not affixes ("+nen").
ROOT = re.compile(r"\(([^)+][^)]*)\)")


@lru_cache(maxsize=131072)
def fold(text: str) -> str:
    """Lowercase without accents: "Etelä-Savo" -> "etela-savo" (SQLite's remove_diacritics 2 agrees)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return WORD.findall(text)


class Analyser(Protocol):
    name: str

    def bases(self, word: str) -> frozenset[str]: ...


class VoikkoAnalyser:
    """Base forms and roots from Voikko's morphology (all of them, where a form is ambiguous)."""

    def __init__(self) -> None:
        import libvoikko  # optional: only where Debian's libvoikko1 and voikko-fi are installed

        self._voikko = libvoikko.Voikko("fi")
        self.name = "voikko"

    @lru_cache(maxsize=65536)  # one analyser per process, kept for its whole life
    def bases(self, word: str) -> frozenset[str]:
        found = set()
        for analysis in self._voikko.analyze(word):
            if analysis.get("BASEFORM"):
                found.add(analysis["BASEFORM"].casefold())
            for root in ROOT.findall(analysis.get("WORDBASES", "")):
                found.add(root.replace("=", "").casefold())
        return frozenset(found)


class SnowballAnalyser:
    """The Snowball Finnish stemmer: no system packages needed, fewer word forms matched."""

    def __init__(self) -> None:
        import snowballstemmer

        self._stemmer = snowballstemmer.stemmer("finnish")
        self.name = "snowball"

    @lru_cache(maxsize=65536)
    def bases(self, word: str) -> frozenset[str]:
        return frozenset({self._stemmer.stemWord(word.casefold())})


def forms(word: str, using: Analyser) -> frozenset[str]:
    """The word folded, and its base forms folded: what an index holds and a query matches."""
    return _forms(word, using.name)


@lru_cache(maxsize=131072)
def _forms(word: str, analyser_name: str) -> frozenset[str]:
    return frozenset({fold(word)} | {fold(base) for base in analyser(analyser_name).bases(word)})


@lru_cache(maxsize=2)
def analyser(prefer: str = "voikko") -> Analyser:
    """Voikko where it is installed (or asked for), else Snowball."""
    if prefer == "voikko":
        try:
            return VoikkoAnalyser()
        except (ImportError, OSError):
            pass
    return SnowballAnalyser()


def terms(text: str, using: Analyser) -> list[str]:
    """Every form of every word of `text`, for an index: each as the words the index tokeniser
    sees in it (a base form such as "Etelä-Savo" is two), each once (order kept). So a text holds
    each term once, and its length is the number of its terms."""
    return list(
        dict.fromkeys(token for word in words(text) for form in sorted(forms(word, using)) for token in words(form))
    )


# Words that join others in fi, sv and en: matched by almost every text, they only slow a search.
FUNCTION_WORDS = frozenset(
    "ja sekä tai eli on ei se ne että kuin myös and or the of in to for och eller att som på av".split()
)


def query_forms(text: str, using: Analyser) -> list[tuple[str, frozenset[str]]]:
    """For each word of a query, (the word folded, the forms any of which may match it). Function
    words are left out where the query has other words."""
    asked = words(text)
    content = [w for w in asked if fold(w) not in FUNCTION_WORDS] or asked
    return [(fold(word), forms(word, using)) for word in content]


def matches(word: str, wanted: Iterable[tuple[str, frozenset[str]]], using: Analyser) -> bool:
    """Whether a word of a text shares a form with a word of the query, or starts with it as typed."""
    mine = forms(word, using)
    folded = fold(word)
    return any(mine & wanted_forms or (len(typed) >= 4 and folded.startswith(typed)) for typed, wanted_forms in wanted)
