"""Words to base forms: Voikko's analysis, the Snowball fallback, and how a backend is chosen."""

from __future__ import annotations

import sys
import types

import pytest

from facilitator.themes import forms, suggest
from facilitator.themes.forms import compound_parts, forms_for, open_voikko
from tests.themes.conftest import VOIKKO_MISSING

needs_voikko = pytest.mark.skipif(open_voikko() is None, reason=VOIKKO_MISSING)


def test_compound_parts_from_wordbases():
    assert compound_parts("+tiimi(tiimi)+palaveri(palaveri)") == ["tiimi", "palaveri"]
    # a derivation suffix joins the part before it, "=" inside a base is closed up
    assert compound_parts("+opiskel(opiskella)+u(+u)+huolto(huolto)") == ["opiskelu", "huolto"]
    assert compound_parts("+hyvinvointi(hyvin=vointi)+alue(alue)") == ["hyvinvointi", "alue"]
    assert compound_parts("+sote(sote)+-+puoli(puoli)") == ["sote", "puoli"]
    assert compound_parts("+kuraattori(kuraattori)") == ["kuraattori"]


@needs_voikko
def test_voikko_gives_base_form_and_compound_parts():
    voikko = forms_for("fi", "voikko")
    assert voikko.backend == "voikko"
    assert voikko.note("tiimipalaverissa").forms == ("tiimipalaveri", "tiimi", "palaveri")
    assert voikko.note("palaverit tiimissä").forms == ("palaveri", "tiimi")
    # stop words and contentless classes (numerals, pronouns) are out
    assert voikko.note("Kuraattoreita on liian vähän").forms == ("kuraattori",)
    assert voikko.note("Yksi kuraattori kolmelle koululle").forms == ("kuraattori", "koulu")


@needs_voikko
def test_voikko_prefers_the_reading_with_fewest_parts():
    voikko = forms_for("fi", "voikko")
    # Voikko lists "oppi + laita" first; the plain noun is the likely reading
    assert voikko.note("oppilaita").forms == ("oppilas",)


@needs_voikko
def test_voikko_stems_words_it_does_not_know():
    voikko = forms_for("fi", "voikko")
    assert voikko.analyse("terkkari") is None
    assert voikko.note("terkkari").forms == ("terkkar",)
    assert voikko.note("terkkari").shown == {"terkkar": "terkkari"}


@needs_voikko
def test_analyses_are_cached_per_word(monkeypatch):
    voikko = forms_for("fi", "voikko")
    voikko.analyse("palaverissamme")
    calls = []
    monkeypatch.setattr(voikko, "_voikko", types.SimpleNamespace(analyze=calls.append))
    assert voikko.analyse("palaverissamme") == ("palaveri",)
    assert calls == []


def test_snowball_stems_and_shows_a_real_word():
    snowball = forms_for("fi", "snowball")
    assert snowball.backend == "snowball"
    note = snowball.note("Kuraattoreita on liian vähän")
    assert note.forms == ("kuraattor",)
    assert note.shown == {"kuraattor": "kuraattoreita"}


def test_environment_variable_forces_the_fallback(monkeypatch):
    monkeypatch.setenv(forms.BACKEND_ENV, "snowball")
    result = suggest([(1, "Kuraattoreita on liian vähän"), (2, "Kuraattorin aikoja ei saa")])
    assert result.backend == "snowball"
    assert result.better_with_voikko


@needs_voikko
def test_the_parameter_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv(forms.BACKEND_ENV, "snowball")
    result = suggest([(1, "Kuraattoreita on liian vähän")], backend="voikko")
    assert result.backend == "voikko"
    assert not result.better_with_voikko


def test_english_events_use_snowball_without_the_voikko_hint():
    result = suggest([(1, "Team meetings run long")], lang="en")
    assert result.backend == "snowball"
    assert not result.better_with_voikko


@pytest.fixture
def fresh_open(monkeypatch):
    """open_voikko as if for the first time in this process, without its cache."""
    return open_voikko.__wrapped__


def test_no_voikko_module_means_no_voikko(monkeypatch, fresh_open):
    monkeypatch.setitem(sys.modules, "libvoikko", None)  # import raises ImportError
    assert fresh_open() is None


def test_module_present_but_library_or_dictionary_missing(monkeypatch, fresh_open):
    for error in (OSError("libvoikko.so.1: cannot open"), RuntimeError("no dictionary")):

        def broken(language, error=error):
            raise error

        monkeypatch.setitem(sys.modules, "libvoikko", types.SimpleNamespace(Voikko=broken))
        assert fresh_open() is None


def test_suggest_falls_back_when_voikko_cannot_load(monkeypatch):
    monkeypatch.setattr(forms, "open_voikko", lambda: None)
    result = suggest([(1, "Kuraattoreita on liian vähän"), (2, "kuraattori")], backend="voikko")
    assert result.backend == "snowball"
    assert result.better_with_voikko
