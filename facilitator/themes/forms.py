"""Words to the forms that are compared: Voikko base forms and compound parts, or stems.

Two backends. `VoikkoForms` (Finnish, when the optional Voikko library and its dictionary are
installed) gives each word's base form plus its compound parts, so *tiimipalaverissa* becomes
"tiimipalaveri tiimi palaveri". `SnowballForms` (no Voikko, or an English event) stems each
word; the character n-grams over the stems then catch some of what compound splitting would.

Voikko is optional because its Finnish dictionary is GPL and this package is MIT: it is looked
up at run time and never imported at module level. Set ``FACILITATOR_THEMES_BACKEND=snowball``
(or pass ``backend="snowball"``) to force the fallback, as the tests do.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from dataclasses import dataclass
from typing import Literal, Protocol

import snowballstemmer

from facilitator.themes.stopwords import stop_words

Backend = Literal["voikko", "snowball"]

#: The environment variable that forces a backend ("snowball" or "voikko").
BACKEND_ENV = "FACILITATOR_THEMES_BACKEND"

# Letters only: digits ("40 oppilasta") and punctuation say nothing about a theme, and a
# hyphen splits "sote-puolen" into words Voikko knows.
_WORD = re.compile(r"[^\W\d_]+")
# One WORDBASES segment: "+surface(base)"; a base starting with "+" is a derivation suffix.
_SEGMENT = re.compile(r"\+([^+(]*)(?:\(([^)]*)\))?")
_SNOWBALL_LANG = {"fi": "finnish", "en": "english"}


def words(text: str) -> list[str]:
    """The lower-cased words of a note (letters only)."""
    return _WORD.findall(text.lower())


@dataclass(frozen=True)
class NoteForms:
    """One note's content forms: `forms` are compared, `shown` maps each to a readable word."""

    forms: tuple[str, ...]
    shown: dict[str, str]


class Forms(Protocol):
    """Turns a note into its content forms (stop words out)."""

    backend: Backend

    def note(self, text: str) -> NoteForms: ...


class SnowballForms:
    """Snowball stems; a stem is shown as the most common word that produced it."""

    backend: Backend = "snowball"

    def __init__(self, lang: str = "fi"):
        self._stemmer = snowballstemmer.stemmer(_SNOWBALL_LANG.get(lang, "finnish"))
        self._stop = stop_words(lang)
        self._cache: dict[str, str] = {}

    def note(self, text: str) -> NoteForms:
        forms: list[str] = []
        shown: dict[str, str] = {}
        for word in words(text):
            if word in self._stop or len(word) < 2:
                continue
            stem = self._cache.get(word)
            if stem is None:
                stem = self._cache[word] = self._stemmer.stemWord(word)
            if stem in self._stop:
                continue
            forms.append(stem)
            shown.setdefault(stem, word)
        return NoteForms(tuple(forms), shown)


class VoikkoForms:
    """Voikko base forms plus compound parts; words Voikko does not know are stemmed.

    Unknown words are mostly typos and spoken forms ("terkkari", "odottaan"); stemming them
    keeps their n-grams close to the dictionary words they resemble.
    """

    backend: Backend = "voikko"

    def __init__(self, voikko: object):
        self._voikko = voikko
        # A Voikko handle is not safe to share between threads; the console may call from a
        # worker while a test or a second worker does too.
        self._lock = threading.Lock()
        self._stop = stop_words("fi")
        self._fallback = SnowballForms("fi")
        # Analyses are cached per word: an event repeats its words, and one analysis costs
        # ~30 µs (measured), so 1,000 notes of ~7 words would spend a fifth of their 1 s
        # budget in Voikko alone; cached, the second run of the same board spends almost none.
        self._cache: dict[str, tuple[str, ...] | None] = {}

    def analyse(self, word: str) -> tuple[str, ...] | None:
        """A word's base forms and compound parts; None when Voikko does not know the word.

        Empty for a word that carries no theme (a numeral, a pronoun, a conjunction).
        """
        if word in self._cache:
            return self._cache[word]
        with self._lock:
            analyses = self._voikko.analyze(word)  # type: ignore[attr-defined]
        result: tuple[str, ...] | None = None if not analyses else ()
        readings = _likely_readings(analyses)
        if readings:
            bases: list[str] = []
            for reading in readings:
                base = reading.get("BASEFORM", word).lower()
                parts = compound_parts(reading.get("WORDBASES", ""))
                for form in (base, *parts) if len(parts) > 1 else (base,):
                    if form not in bases:
                        bases.append(form)
            result = tuple(bases)
        self._cache[word] = result
        return result

    def note(self, text: str) -> NoteForms:
        forms: list[str] = []
        shown: dict[str, str] = {}
        for word in words(text):
            if word in self._stop or len(word) < 2:
                continue
            analysed = self.analyse(word)
            if analysed is None:
                fallback = self._fallback.note(word)
                forms.extend(fallback.forms)
                for form, surface in fallback.shown.items():
                    shown.setdefault(form, surface)
                continue
            for form in analysed:
                if form in self._stop or len(form) < 2:
                    continue
                forms.append(form)
                shown.setdefault(form, form)
        return NoteForms(tuple(forms), shown)


#: Word classes that carry no theme: numerals, pronouns, conjunctions, negation, particles,
#: adpositions, interjections. A word read only as one of these is left out.
_CONTENTLESS = frozenset(
    {"lukusana", "asemosana", "sidesana", "kieltosana", "suhdesana", "huudahdussana", "etuliite"}
)
_NAMES = frozenset({"etunimi", "sukunimi", "paikannimi", "nimi"})


def _likely_readings(analyses: list[dict[str, str]]) -> list[dict[str, str]]:
    """The readings worth keeping: fewest compound parts, names only if nothing else.

    Voikko lists readings in no order of likelihood ("oppilaita" first as oppi + laita,
    "hallinnollista" as halli + nolla). The reading with the fewest parts is the usual one;
    among equals every reading is kept ("kuulla": kuu, kuulla), as guessing costs more than a
    stray n-gram. A word whose readings are all contentless (see above) gives none.
    """
    if not analyses:
        return []
    common = [a for a in analyses if a.get("CLASS") not in _NAMES] or analyses
    fewest = min(len(compound_parts(a.get("WORDBASES", ""))) for a in common)
    readings = [a for a in common if len(compound_parts(a.get("WORDBASES", ""))) == fewest]
    return [a for a in readings if a.get("CLASS") not in _CONTENTLESS]


def compound_parts(wordbases: str) -> list[str]:
    """The parts of a compound from Voikko's WORDBASES attribute.

    "+tiimi(tiimi)+palaveri(palaveri)" gives tiimi, palaveri; a derivation suffix joins the
    part before it ("+opiskel(opiskella)+u(+u)+huolto(huolto)" gives opiskelu, huolto);
    hyphens are dropped and the "=" inside a part's base ("hyvin=vointi") is closed up.
    """
    segments = [(s, b) for s, b in _SEGMENT.findall(wordbases) if s not in ("", "-")]
    parts: list[str] = []
    i = 0
    while i < len(segments):
        surface, base = segments[i]
        i += 1
        if base.startswith("+"):  # a suffix with no part before it
            continue
        derived = surface
        while i < len(segments) and segments[i][1].startswith("+"):
            derived += segments[i][0]
            i += 1
        # A derivation rewrites the part it joins: "opiskella" + "u" is no word, "opiskelu" is.
        part = derived if derived != surface else (base or surface)
        parts.append(part.replace("=", "").lower())
    return parts


@functools.cache
def open_voikko() -> VoikkoForms | None:
    """The Voikko backend, or None when the module, its library or the dictionary is missing.

    Opened once per process and kept (with its word cache): opening reads the dictionary.
    """
    try:
        import libvoikko  # optional: GPL dictionary, found at run time
    except ImportError:
        return None
    try:
        handle = libvoikko.Voikko("fi")
    # The module is there but the shared library (OSError from ctypes) or the Finnish
    # dictionary (VoikkoException) is not; a foreign library may raise anything else too.
    except Exception:
        return None
    return VoikkoForms(handle)


def forms_for(lang: str = "fi", backend: Backend | None = None) -> Forms:
    """The best backend for an event language, or the one asked for.

    `backend` wins over the `FACILITATOR_THEMES_BACKEND` environment variable; asking for
    "voikko" where it cannot load falls back to Snowball (the caller sees `.backend`).
    Voikko is Finnish only, so an English event always gets Snowball.
    """
    wanted = backend or os.environ.get(BACKEND_ENV) or "voikko"
    if lang == "fi" and wanted == "voikko":
        voikko = open_voikko()
        if voikko is not None:
            return voikko
    return SnowballForms(lang)
