"""The memo from the console: `w` exports it to a file while the console keeps answering,
`J` publishes it on the participants' page (after asking) and takes it off again."""

from __future__ import annotations

import threading

import docx
import pytest
from textual.widgets import Input, Select

from facilitator import templates
from facilitator.memo.formats import FORMATS
from facilitator.tui import FacilitatorApp
from facilitator.tui.screens import memo as memo_screen
from facilitator.tui.screens.dialogs import Confirm
from facilitator.tui.screens.help import HelpScreen
from facilitator.tui.screens.memo import ExportDialog
from tests.tui.test_cockpit import toasts
from tests.tui.test_console import SIZE, wait_until

KNOWN = "Tiedonkulku kouluissa paranee"


@pytest.fixture
def event(store):
    event = store.create_event(templates.load(templates.resolve("demo")))
    activity = store.activities(event.id)[0]
    store.add_note(activity.id, KNOWN, "", None)
    return event


async def _export(pilot, app, fmt: str, path) -> None:
    await pilot.press("w")
    await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
    dialog = app.screen
    dialog.query_one("#export-format", Select).value = fmt
    await pilot.pause()
    field = dialog.query_one("#export-path", Input)
    field.value = str(path)
    field.focus()
    await pilot.press("enter")


async def test_the_dialog_offers_every_format_and_a_name_in_the_data_folder(store, event,
                                                                           db_path):
    app = FacilitatorApp(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        select = app.screen.query_one("#export-format", Select)
        assert [value for _, value in select._options if value is not Select.BLANK] == \
            list(FORMATS)
        path = app.screen.query_one("#export-path", Input)
        assert path.value == str(db_path.parent / "muistio-kokeiluseminaari-demo.docx")
        select.value = "pdf"  # the suggested name follows the format
        await pilot.pause()
        assert path.value.endswith("muistio-kokeiluseminaari-demo.pdf")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportDialog))


@pytest.mark.parametrize("fmt", ["md", "docx"])
async def test_export_writes_the_file_and_says_where(store, event, tmp_path, fmt):
    out = tmp_path / f"muistio.{fmt}"
    app = FacilitatorApp(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await _export(pilot, app, fmt, out)
        await wait_until(pilot, lambda: str(out) in toasts(app), within=20)
    if fmt == "md":
        text = out.read_text(encoding="utf-8")
    else:
        text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert KNOWN in text


async def test_the_console_answers_while_an_export_runs(store, event, tmp_path,
                                                         monkeypatch):
    started, release = threading.Event(), threading.Event()
    build = memo_screen.render_file

    def slow(database, event_id, fmt, lang, progress):
        build_result = build(database, event_id, fmt, lang, progress)
        started.set()
        release.wait(10)  # a PDF of a big seminar takes seconds
        return build_result

    monkeypatch.setattr(memo_screen, "render_file", slow)
    out = tmp_path / "iso.md"
    app = FacilitatorApp(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await _export(pilot, app, "md", out)
        await wait_until(pilot, started.is_set, within=10)
        status = app.screen.query_one("#export-status")
        assert status.has_class("-running") and "Viedään muistiota" in str(status.render())
        await pilot.press("question_mark")  # the console still answers a key
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), within=1)
        await pilot.press("escape")
        assert not out.exists()
        release.set()
        await wait_until(pilot, lambda: str(out) in toasts(app), within=10)
        assert not app.screen.query_one("#export-status").has_class("-running")
    assert KNOWN in out.read_text(encoding="utf-8")


async def test_an_unwritable_path_is_one_line(store, event, tmp_path):
    app = FacilitatorApp(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await _export(pilot, app, "md", tmp_path / "ei-ole" / "muistio.md")
        await wait_until(pilot, lambda: "Muistiota ei voitu viedä" in toasts(app), within=10)
        assert "no such directory" in toasts(app)
        assert app.is_running


async def test_publish_asks_then_publishes_and_takes_it_off(store, event):
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("J")
        await wait_until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.click("#yes")
        await wait_until(pilot, lambda: store.memo_published(event.id))
        assert f"http://192.168.1.20:8080/e/{event.join_code}/memo" in toasts(app)
        await pilot.press("J")  # taking it off needs no question
        await wait_until(pilot, lambda: not store.memo_published(event.id))
