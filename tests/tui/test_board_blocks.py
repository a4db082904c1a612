"""The board draws each block a method returns; participant text is never markup, and
columns and cuts count terminal cells (emoji and wide letters take two)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rich.cells import cell_len
from textual.app import App
from textual.geometry import Region

from facilitator.domain import Note
from facilitator.methods import Bars, Countdown, Heading, Item, Items, Table, Text
from facilitator.tui.widgets.board import Board, fit_columns


class BoardApp(App):
    lang = "fi"

    def compose(self):
        yield Board(id="board")


async def drawn(blocks, width: int = 60) -> tuple[str, list[str]]:
    """The board's text (all of it) and the lines on screen, after showing `blocks`."""
    app = BoardApp()
    async with app.run_test(size=(width, 30)) as pilot:
        board = app.query_one(Board)
        board.show(blocks)
        await pilot.pause()
        w, h = board.size
        lines = [s.text.rstrip() for s in board.render_lines(Region(0, 0, w, h))]
        return board.text(), lines


def note(note_id: int, text: str, **kw) -> Note:
    return Note(id=note_id, activity_id=1, text=text, **kw)


async def test_note_rows_are_literal_newest_first_with_their_meta():
    text, _ = await drawn([Heading("[red]A[/]", 2),
                           Items((Item("[@click=app.quit]x[/]", "Ryhmä 1", note(1, "x")),
                                  Item("uusin", "", note(2, "uusin"))))])
    lines = text.splitlines()
    assert lines[0] == "[red]A[/] (2)"
    assert lines[1] == "• uusin"
    assert lines[2] == "• Ryhmä 1: [@click=app.quit]x[/]"


async def test_a_row_shows_its_state_and_a_long_or_wide_note_is_cut_by_cells():
    wide = "Ｗｉｄｅ 🙂 " * 20
    items = Items((Item(wide, "", note(1, wide)),
                   Item("piilossa", "", note(2, "piilossa", hidden=True)),
                   Item("odottaa", "", note(3, "odottaa", pending=True)),
                   Item("korjattu", "", note(4, "korjattu", original="korjatu", starred=True))),
                  newest_first=False)
    text, lines = await drawn([items], width=40)
    rows = text.splitlines()
    assert rows[0].rstrip().endswith("…") and cell_len(lines[0]) <= 40
    assert "[piilotettu] piilossa" in rows[1]
    assert "[odottaa] odottaa" in rows[2]
    assert "★" in rows[3] and "✎" in rows[3]


async def test_bars_scale_to_the_largest_and_mark_the_median_and_tables_align():
    text, _ = await drawn([Bars((("innostaa", 4), ("huolestuttaa", 2)), marker="innostaa"),
                           Table(("Sija", "Vaihtoehto"), (("1.", "Yhteistyö"),))])
    lines = text.splitlines()
    assert lines[0].startswith("innostaa ◆") and lines[0].endswith("█" * 30 + " 4")
    assert lines[1].endswith("█" * 15 + " 2")
    assert "Sija │ Vaihtoehto" in text and "1.   │ Yhteistyö" in text


async def test_a_countdown_shows_minutes_and_seconds_left_and_stops_at_zero():
    soon = (datetime.now(UTC) + timedelta(minutes=5, seconds=30)).isoformat()
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    text, _ = await drawn([Countdown(soon), Countdown(past, "Siirtoon:"),
                           Text("yhteenveto", "summary")])
    lines = [line for line in text.splitlines() if line]
    assert lines[0] in ("Aikaa jäljellä: 5:30", "Aikaa jäljellä: 5:29")
    assert lines[1] == "Siirtoon: 0:00"
    assert lines[2] == "yhteenveto"


async def test_a_wide_table_is_fitted_to_the_board_by_cells():
    table = Table(("Missä olemme nyt? 🙂", "Mistä olemme tähän tulleet?", "Kahden vuoden päästä"),
                  (("Yhteistyö on satunnaista", "Hankkeista", "Yhteinen suunnitelma"),))
    text, _ = await drawn([table], width=42)
    lines = text.splitlines()
    assert all(cell_len(line) <= 42 for line in lines), lines
    assert lines[0].startswith("Missä") and "…" in lines[0]
    assert fit_columns([30, 30, 30], 0) == [30, 30, 30]  # before layout: natural widths
    assert fit_columns([5, 50], 20) == [5, 12]


async def test_a_tab_in_a_note_takes_one_cell_and_shifts_nothing():
    text = "a\tb\t\t\tc"
    _, lines = await drawn([Items((Item(text, "", note(1, text)),))], width=30)
    assert "\t" not in lines[0] and lines[0].strip() == "• a b   c"
    assert cell_len(lines[0]) <= 30
