"""Each block a method can return, as Markdown: literal text, tables, charts."""

from __future__ import annotations

from facilitator.memo.markdown import render_blocks
from facilitator.methods import Bars, Countdown, Heading, Item, Items, Table, Text


def test_every_block_kind_renders_and_participant_text_stays_literal():
    markdown = render_blocks([
        Heading("Pysäkki *1*", 2),
        Text("Fasilitaattorin yhteenveto", "summary"),
        Items((Item("**lihava** <b>", "Ryhmä | 2"), Item("piilotettu", hidden=True),
               Item("# ei otsikko\n1. ei lista"))),
        Table(("Sija", "Vaihtoehto"), (("1.", "A | B"),)),
        Bars((("innostaa", 4), ("huolestuttaa", 2)), marker="innostaa"),
        Countdown("2026-12-10T10:00:00+00:00"),
    ])
    assert markdown == (
        "#### Pysäkki \\*1\\* (2)\n\n"
        "Fasilitaattorin yhteenveto\n\n"
        "- *Ryhmä \\| 2:* \\*\\*lihava\\*\\* \\<b\\>\n"
        "- \\# ei otsikko\n  1\\. ei lista\n\n"
        "| Sija | Vaihtoehto |\n|---|---|\n| 1. | A \\| B |\n\n"
        "| | | |\n|---|--:|---|\n"
        "| innostaa ◆ | 4 | ████████████████████ |\n"
        "| huolestuttaa | 2 | ██████████ |\n"
    )


def test_a_list_with_only_hidden_notes_renders_nothing():
    assert render_blocks([Items((Item("pois", hidden=True),))]) == "\n"
