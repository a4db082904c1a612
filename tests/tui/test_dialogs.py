"""A method action's dialog opens with empty fields and returns what was typed."""

from __future__ import annotations

from facilitator.methods import Action, Field
from facilitator.tui import FacilitatorApp
from facilitator.tui.screens.dialogs import ActionDialog

ACTION = Action("summary", "Pysäkin yhteenveto", (
    Field("station", "select", "Pysäkki", choices=("1", "2"), choice_labels=("Yksi", "Kaksi")),
    Field("text", "textarea", "Yhteenveto"),
))


async def test_a_required_select_without_a_value_opens_on_its_first_choice(store):
    answers = []
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ActionDialog(ACTION), answers.append)
        await pilot.pause()
        dialog = app.screen
        assert dialog.values() == {"station": "1", "text": ""}
        dialog.query_one("#field-station").value = "2"
        dialog.query_one("#field-text").text = "[b]ei muotoilua[/b]"
        await pilot.click("#ok")
        await pilot.pause()
    assert answers == [{"station": "2", "text": "[b]ei muotoilua[/b]"}]


async def test_escape_cancels(store):
    answers = []
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ActionDialog(ACTION), answers.append)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert answers == [None]


async def test_participant_text_in_a_select_is_literal_and_cannot_crash(store):
    """Labels of a merge or place dialog quote what participants typed."""
    hostile = ("[/]", "[@click=app.quit]x[/]", "[b]lihava")
    action = Action("merge", "Sama asia kuin…", (
        Field("note", "select", "Kohta", choices=("1", "2", "3"), choice_labels=hostile),
    ))
    answers = []
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ActionDialog(action), answers.append)
        await pilot.pause()
        select = app.screen.query_one("#field-note")
        assert [str(prompt) for prompt, _ in select._options if _ != select.NULL] == list(
            hostile)
        await pilot.click("#ok")
        await pilot.pause()
    assert app.return_code is None or app.return_code == 0
    assert answers == [{"note": "1"}]
