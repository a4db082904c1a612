"""Dialogs open with the cursor in their first field, with nothing chosen that the
facilitator did not choose, and never drop typed text silently."""

from __future__ import annotations

from textual.widgets import OptionList, Select, TextArea

from facilitator.methods import Field
from facilitator.tui import FacilitatorApp
from facilitator.tui.screens.dialogs import Confirm, FieldsDialog

FIELDS = (
    Field("station", "select", "Pysäkki", choices=("1", "2"), choice_labels=("Yksi", "Kaksi")),
    Field("text", "textarea", "Yhteenveto"),
)


async def test_the_cursor_is_in_the_first_field_and_typing_lands_there(store):
    answers = []
    fields = (Field("text", "textarea", "Yhteenveto"),)
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(FieldsDialog("Yhteenveto", fields), answers.append)
        await pilot.pause()
        assert isinstance(app.screen.focused, TextArea)
        await pilot.press(*"Hyvä", "ctrl+s")
        await pilot.pause()
    assert answers == [{"text": "Hyvä"}]


async def test_a_required_select_opens_on_no_choice_and_is_asked_for(store):
    answers = []
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(FieldsDialog("Yhteenveto", FIELDS), answers.append)
        await pilot.pause()
        dialog = app.screen
        assert dialog.values() == {"station": "", "text": ""}  # no guess
        dialog.query_one("#field-text", TextArea).text = "[b]ei muotoilua[/b]"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog and answers == []  # still asking: which station?
        assert "Pysäkki" in str(dialog.query_one("#dialog-error").render())
        dialog.query_one("#field-station", Select).value = "2"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert answers == [{"station": "2", "text": "[b]ei muotoilua[/b]"}]


async def test_escape_without_changes_cancels_at_once(store):
    answers = []
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(FieldsDialog("Yhteenveto", FIELDS, {"text": "jo kirjoitettu"}),
                        answers.append)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert answers == [None]


async def test_escape_with_typed_text_asks_first_and_keeps_it(store):
    answers = []
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(FieldsDialog("Yhteenveto", (FIELDS[1],)), answers.append)
        await pilot.pause()
        dialog = app.screen
        await pilot.press(*"Tärkeä ajatus")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("enter")  # the focused answer is "keep writing"
        await pilot.pause()
        assert app.screen is dialog
        assert dialog.values() == {"text": "Tärkeä ajatus"}
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
    assert answers == [None]


async def test_participant_text_in_a_select_is_literal_and_cannot_crash(store):
    """Labels of a place dialog quote what participants typed."""
    hostile = ("[/]", "[@click=app.quit]x[/]", "[b]lihava")
    fields = (Field("note", "select", "Kohta", choices=("1", "2", "3"), choice_labels=hostile),)
    answers = []
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(FieldsDialog("Paikka", fields), answers.append)
        await pilot.pause()
        select = app.screen.query_one("#field-note", Select)
        await pilot.press("enter")  # open the drop-down, as the facilitator would
        await pilot.pause()
        listing = select.query_one(OptionList)
        shown = [str(listing.get_option_at_index(i).prompt)
                 for i in range(listing.option_count)]
        assert shown[1:] == list(hostile)  # after the blank "—": no choice made for you
        await pilot.press("escape")
        select.value = "2"
        await pilot.click("#ok")
        await pilot.pause()
    assert app.return_code is None or app.return_code == 0
    assert answers == [{"note": "2"}]
