"""Theming in the console, by keyboard: notes into a theme, the board by theme, undo,
suggestions accepted, and the results draft offered (never saved by itself)."""

from __future__ import annotations

import pytest

from facilitator import templates
from facilitator.tui import FacilitatorApp
from facilitator.tui.screens.dialogs import FieldsDialog
from facilitator.tui.screens.suggestions import SuggestionsScreen
from tests.tui.test_cockpit import focus_note
from tests.tui.test_console import SIZE, board_text, wait_until

TEXTS = ["Kokouksia on liian paljon", "Liian paljon kokouksia viikossa",
         "Tiedonkulku on hidasta", "Tieto kulkee hitaasti", "Kahvi loppui"]


@pytest.fixture
def room(store):
    """Seminar 1 (its thirteen regional themes offered), its first activity open with five
    notes."""
    event = store.create_event(templates.load(templates.resolve("seminaari-1")))
    activity = store.activities(event.id)[0]
    store.set_activity_state(event.id, activity.id, "open")
    for text in TEXTS:
        store.add_note(activity.id, text)
    return event, store.activity(activity.id)


async def test_notes_go_into_a_theme_by_keys_and_u_takes_it_back(store, room):
    _event, activity = room
    app = FacilitatorApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await focus_note(pilot, app, TEXTS[0])
        await pilot.press("space")
        await focus_note(pilot, app, TEXTS[1])
        await pilot.press("space", "l")
        await wait_until(pilot, lambda: isinstance(app.screen, FieldsDialog))
        dialog = app.screen
        assert dialog.values() == {"theme": "", "title": ""}  # never a guess
        dialog.query_one("#field-title").focus()
        await pilot.press(*"Kokoukset [b]", "ctrl+s")
        await wait_until(pilot, lambda: store.themes(activity.id) != [])
        [theme] = store.themes(activity.id)
        assert theme.title == "Kokoukset [b]"
        assert store.count_notes(activity.id, theme_id=theme.id) == 2
        await pilot.press("T")
        await wait_until(pilot, lambda: "Kokoukset [b]" in board_text(app))
        text = board_text(app)
        assert text.index("Kokoukset [b]") < text.index("Ilman teemaa") < text.index(TEXTS[4])
        # The next note into the existing theme, chosen from the list.
        await focus_note(pilot, app, TEXTS[2])
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, FieldsDialog))
        app.screen.query_one("#field-theme").value = "Kokoukset [b]"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: store.count_notes(activity.id, theme_id=theme.id) == 3)
        await pilot.press("u")
        await wait_until(pilot, lambda: store.count_notes(activity.id, theme_id=theme.id) == 2)
        await pilot.press("u")
        await wait_until(pilot, lambda: store.themes(activity.id) == [])


async def test_a_suggestion_is_accepted_and_the_draft_is_offered_not_saved(store, room):
    _event, activity = room
    app = FacilitatorApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("S")
        await wait_until(pilot, lambda: isinstance(app.screen, SuggestionsScreen))
        screen = app.screen
        await wait_until(pilot, lambda: screen.found is not None, within=10)
        assert store.themes(activity.id) == []  # suggesting changes nothing
        groups = [sorted(ids) for _, ids in screen.groups]
        assert len(groups) >= 2
        first_label, first_ids = screen.groups[0]
        await pilot.press("a")
        await wait_until(pilot, lambda: store.themes(activity.id) != [])
        [theme] = store.themes(activity.id)
        assert theme.title == first_label
        assert {n.id for n in store.notes(activity.id, theme_id=theme.id)} == set(first_ids)
        await pilot.press("x")  # reject the next
        assert len(screen.groups) == len(groups) - 2
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, SuggestionsScreen))
        await pilot.press("R")
        await wait_until(pilot, lambda: isinstance(app.screen, FieldsDialog))
        draft = app.screen.values()["summary"]
        assert draft.startswith(f"{first_label} ({len(first_ids)}):")
        assert store.activity(activity.id).summary == ""  # offered, not saved


async def test_a_theme_is_renamed_moved_and_deleted_from_the_palette(store, room):
    from facilitator.methods import theming
    from facilitator.tui.screens.dialogs import Confirm

    event, activity = room
    notes = store.notes(activity.id)
    theming.assign(store, event.id, activity.id, "Kokoukset", [notes[0].id, notes[1].id])
    theming.assign(store, event.id, activity.id, "Tiedonkulku", [notes[2].id])
    app = FacilitatorApp(store)

    async def command(text: str) -> None:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*text)
        await pilot.pause(0.5)
        await pilot.press("enter")

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await command("nimeä teema uudelleen: Kokoukset")
        await wait_until(pilot, lambda: isinstance(app.screen, FieldsDialog))
        assert app.screen.values() == {"title": "Kokoukset"}  # its own title, to edit
        app.screen.query_one("#field-title").value = "Palaverit"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: [t.title for t in store.themes(activity.id)]
                         == ["Palaverit", "Tiedonkulku"])
        await command("siirrä teema ylemmäs: Tiedonkulku")
        await wait_until(pilot, lambda: [t.title for t in store.themes(activity.id)]
                         == ["Tiedonkulku", "Palaverit"])
        await command("poista teema: Palaverit")
        await wait_until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.click("#yes")
        await wait_until(pilot, lambda: [t.title for t in store.themes(activity.id)]
                         == ["Tiedonkulku"])
        assert store.note(notes[0].id).theme_id is None
        await pilot.press("u")  # the delete undone: the theme and its notes back
        await wait_until(pilot, lambda: [t.title for t in store.themes(activity.id)]
                         == ["Tiedonkulku", "Palaverit"])
        assert store.note(notes[0].id).theme_id is not None
