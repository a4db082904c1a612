"""Finnish and English catalogues stay in step, and every key the code names exists."""

from __future__ import annotations

import re
from pathlib import Path

from facilitator import i18n

PACKAGE = Path(__file__).resolve().parent.parent / "facilitator"


def test_both_languages_have_the_same_keys():
    assert set(i18n.catalogue("fi")) == set(i18n.catalogue("en"))
    assert i18n.catalogue("fi")


def test_every_literal_key_in_the_code_exists():
    # Every catalogue file's name is a prefix (web, tui, … and each method's own file).
    stems = sorted({p.stem for p in (PACKAGE / "locale" / "fi").glob("*.toml")})
    prefixes = "|".join(stems)
    pattern = re.compile(rf"""["']((?:{prefixes})(?:\.[a-z_0-9]+)+)["']""")
    used = set()
    for path in [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.html")]:
        used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert used, "the pattern found no keys at all"
    # Names of settings that share a catalogue's prefix (the discussion's read marker,
    # "discussion.seen.<activity>", which the archive renumbers) are not texts.
    settings = {"discussion.seen"}
    missing = sorted(used - settings - set(i18n.catalogue("fi")))
    assert missing == []


def test_methods_have_names_in_both_languages():
    from facilitator import methods

    for method_id in methods.known():
        for lang in i18n.LANGUAGES:
            assert f"methods.name.{method_id}" in i18n.catalogue(lang)


def test_unknown_language_falls_back_to_finnish():
    assert i18n.t("sv", "memo.aims") == "Mitä tavoittelimme"
    assert i18n.t("en", "memo.aims") == "What we aimed for"
