"""The memo against golden files: the seed's structure, literal participant text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from facilitator import templates
from facilitator.memo import build_memo, render_markdown
from tests.conftest import hide

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def fixed_event(store, name):
    """An event whose generated values (join code, date) are pinned for a stable memo."""
    event = store.create_event(templates.load(templates.resolve(name)))
    store.db["events"].update(event.id, {"join_code": "KOKEE", "date": "2026-12-10",
                                         "place": "Järvenpää"})
    return store.event(event.id)


def check_golden(name: str, text: str):
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text


def test_demo_memo_with_notes(store):
    event = fixed_event(store, "demo")
    first, second, _last = store.activities(event.id)
    alice = store.join(event.id, "a" * 43)
    bob = store.join(event.id, "b" * 43)
    store.add_note(first.id, "Uusia ideoita", participant_id=alice.id)
    store.add_note(first.id, "**tähdet** ja <b>tagit</b> [@click=app.quit]x[/]",
                   participant_id=bob.id)
    store.add_note(second.id, "Palaverit ovat lyhyitä\n- ja ne alkavat ajallaan",
                   heading=second.headings[0], participant_id=alice.id)
    hidden = store.add_note(second.id, "asiaton kommentti", heading=second.headings[1],
                            participant_id=bob.id)
    hide(store, hidden.id)
    store.add_note(second.id, "Tiedonkulku", heading=second.headings[1], participant_id=bob.id)
    check_golden("demo.md", render_markdown(build_memo(store, event.id)))


def test_seminar_2_memo_without_notes(store):
    event = fixed_event(store, "seminaari-2")
    check_golden("seminaari-2.md", render_markdown(build_memo(store, event.id)))


def test_english_headings(store):
    event = fixed_event(store, "demo")
    text = render_markdown(build_memo(store, event.id), lang="en")
    assert "| What we aimed for | How we worked | What resulted |" in text


def test_hidden_notes_are_left_out(store):
    event = fixed_event(store, "demo")
    activity = store.activities(event.id)[0]
    note = store.add_note(activity.id, "piilotettava")
    hide(store, note.id)
    assert "piilotettava" not in render_markdown(build_memo(store, event.id))


TRICKY = [
    "# otsikko", "1. lista\n2) toinen", "> lainaus", "a | b", "`koodi`", "**lihava**",
    "<b>tagi</b> <script>x</script>", "&copy; &amp;", "- viiva\n+ plus\n= yhtä", "[linkki](x)",
    "10.12.2026 klo 9.00", "rivi\\ kenoviiva", "~~yliviivattu~~ _alaviiva_",
    "[@click=app.quit]x[/]",
]


def _plain(html: str) -> str:
    import html as html_lib
    import re

    return html_lib.unescape(re.sub(r"<[^>]+>", "", html)).split()


@pytest.mark.parametrize("text", TRICKY)
def test_participant_text_reads_exactly_as_typed_when_rendered(text):
    """Rendered by a CommonMark renderer (the one rich uses), a note shows its own
    characters: no markup, no lost or extra backslashes."""
    from markdown_it import MarkdownIt

    from facilitator.memo.markdown import _list_item

    rendered = MarkdownIt("commonmark").enable("table").render(_list_item(text))
    assert rendered.count("<li>") == 1 and "<h" not in rendered and "<strong>" not in rendered
    assert _plain(rendered) == text.split()


@pytest.mark.parametrize("text", ["3. kerros", "a | b", "<i>x</i>", "1) Mitä"])
def test_table_cells_and_labels_stay_literal(text):
    from markdown_it import MarkdownIt

    from facilitator.memo.markdown import _cell

    table = f"| a |\n|---|\n| {_cell(text)} |\n"
    rendered = MarkdownIt("commonmark").enable("table").render(table)
    assert _plain(rendered) == ["a", *text.split()]


def test_a_written_summary_comes_first_and_fills_the_cards_results(store):
    event = fixed_event(store, "demo")
    first, second, _last = store.activities(event.id)
    who = store.join(event.id, "a" * 43)
    store.add_note(first.id, "Raaka-aineisto", participant_id=who.id)
    store.set_activity_summary(first.id, "Odotukset koskivat *aikataulua*.")
    text = render_markdown(build_memo(store, event.id))
    section = text.split(f"### {first.title}")[1].split("### ")[0]
    results, material = section.index("**Mitä tuloksena**"), section.index("**Aineisto**")
    assert results < section.index("Odotukset koskivat \\*aikataulua\\*.") < material
    assert material < section.index("Raaka-aineisto")
    # The part's card holds what was written (its one activity: untitled), not the
    # template's planned headings, which the event's card keeps until its own is written.
    part = text.split("## 1. ")[1].split("### ")[0]
    assert "|  |  | • Odotukset koskivat \\*aikataulua\\*. |" in part
    assert "| • Odotukset<br>• Mikä toimii" in text.split("## 1. ")[0]
    # A summary with no material: the summary alone, no "no notes" line, no "Aineisto".
    store.set_activity_summary(second.id, "Palaverit lyhyemmiksi.")
    text = render_markdown(build_memo(store, event.id))
    section = text.split(f"### {second.title}")[1].split("### ")[0]
    assert "Palaverit lyhyemmiksi." in section and "**Aineisto**" not in section


def test_results_cards_and_agreements_in_the_memo(store):
    """What the facilitator wrote in the cockpit: each activity's result before its
    material, a card rewritten after the day, the agreements as a table; a hidden note
    left out and a corrected one as corrected."""
    from facilitator.methods import moderation

    event = fixed_event(store, "seminaari-2")
    walk = next(a for a in store.activities(event.id) if a.method == "process_walk")
    store.set_activity_state(event.id, walk.id, "open")
    person = store.join(event.id, "c" * 43)
    group = store.groups(walk.id)[0]
    station = walk.config["stations"][0]
    notes = [store.add_note(walk.id, text, station, person.id, group_id=group.id)
             for text in ("Hyvinvointisuunnitelmat", "Rehtori X on idiootti",
                          "Tiedonkulku kodn kanssa")]
    moderation.hide(store, event.id, [notes[1].id])
    moderation.edit(store, event.id, notes[2].id, "Tiedonkulku kodin kanssa")
    store.set_activity_summary(walk.id, "Paljon puhutaan suunnitelmista,\nvähän kodeista.")
    store.set_card(event.id, walk.part_id, how=["Tunnerivi alussa ja lopussa",
                                               "Prosessikävely kolmella pysäkillä"])
    store.set_event_summary(event.id, "Alueellinen yhteistyö sai yhteisen suunnan.")
    store.add_action_item(event.id, "Kutsu koolle hyvinvointiryhmä", "Maija", "31.1.2027")
    store.add_action_item(event.id, "Jaa muistio osallistujille", "", "")
    text = render_markdown(build_memo(store, event.id))
    assert "idiootti" not in text and "kodn" not in text
    check_golden("cockpit.md", text)


def test_memo_with_themes_in_the_facilitators_order(store):
    """Notes under their themes, in the order the facilitator put the themes, "Muut" last;
    within a heading (an area, a sub-heading) the themes are a level below it."""
    from facilitator.methods import theming

    event = fixed_event(store, "demo")
    first, second, _last = store.activities(event.id)
    texts = ["Palaverit venyvät", "Kokouksia on liikaa", "Tiedote tulee myöhään",
             "Kukaan ei lue sähköpostia", "Kahvi on hyvää"]
    ids = [store.add_note(first.id, text).id for text in texts]
    theming.assign(store, event.id, first.id, "Kokoukset", ids[:2])
    theming.assign(store, event.id, first.id, "Tiedonkulku", ids[2:4])
    theming.move(store, event.id, first.id, "tiedonkulku", -1)  # first in the order now
    theming.assign(store, event.id, first.id, "Tyhjä", [ids[4]])
    theming.unassign(store, event.id, first.id, [ids[4]])  # an empty theme shows nothing
    a, b = second.headings[:2]
    mine = [store.add_note(second.id, "Lyhyet palaverit", heading=a).id,
            store.add_note(second.id, "Selkeä asialista", heading=a).id,
            store.add_note(second.id, "Ei teemaa", heading=a).id,
            store.add_note(second.id, "Vain tämä", heading=b).id]
    theming.assign(store, event.id, second.id, "Kokoukset", mine[:2])
    check_golden("demo_themes.md", render_markdown(build_memo(store, event.id)))
