"""Each block a method can return, as Markdown: literal text, tables, charts."""

from __future__ import annotations

import pytest

from facilitator import methods, templates
from facilitator.memo.markdown import render_blocks
from facilitator.methods import Bars, Countdown, Heading, Item, Items, Table, Text
from tests.conftest import hide


def test_every_block_kind_renders_and_participant_text_stays_literal():
    markdown = render_blocks([
        Heading("Pysäkki *1*", 2),
        Text("Fasilitaattorin yhteenveto", "summary"),
        Items((Item("**lihava** <b>", "Ryhmä | 2"), Item("# ei otsikko\n1. ei lista"))),
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


def test_an_empty_list_renders_nothing():
    # What the memo may show was decided by its context (audience "memo") in the query:
    # the renderer draws the items it is given, and an empty list as nothing.
    assert render_blocks([Items(())]) == "\n"


def test_a_note_list_is_resolved_before_it_is_drawn(store):
    event = store.create_event(templates.load(templates.resolve("demo")))
    activity = store.activities(event.id)[0]
    shown = store.add_note(activity.id, "näkyy")
    hide(store, store.add_note(activity.id, "piilotettu").id)
    ctx = methods.Context(store, activity, audience="memo")
    blocks = [ctx.note_list(newest_first=False)]
    with pytest.raises(TypeError):
        render_blocks(blocks)
    assert render_blocks(methods.resolve(blocks)) == f"- {shown.text}\n"
