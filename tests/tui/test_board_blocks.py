"""The board draws each block a method returns; participant text is never markup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from facilitator.methods import Bars, Countdown, Heading, Item, Items, Table, Text
from facilitator.tui.widgets.board import SHOWN_PER_LIST, blocks_content, fit_columns


def plain(blocks) -> str:
    return blocks_content("fi", blocks).plain


def test_items_are_literal_newest_first_with_their_meta():
    text = plain([Heading("[red]A[/]", 2),
                  Items((Item("[@click=app.quit]x[/]", "Ryhmä 1"), Item("uusin")))])
    assert text.splitlines() == ["[red]A[/] (2)", "• uusin", "• Ryhmä 1: [@click=app.quit]x[/]"]


def test_long_lists_are_cut_with_a_count_of_the_rest():
    items = Items(tuple(Item(f"n{i}") for i in range(SHOWN_PER_LIST + 5)))
    lines = plain([items]).splitlines()
    assert lines[0] == f"• n{SHOWN_PER_LIST + 4}"
    assert lines[-1] == "… ja 5 vanhempaa"


def test_bars_scale_to_the_largest_and_tables_align():
    text = plain([Bars((("innostaa", 4), ("huolestuttaa", 2))),
                  Table(("Sija", "Vaihtoehto"), (("1.", "Yhteistyö"),))])
    lines = text.splitlines()
    assert lines[0] == "innostaa     " + "█" * 30 + " 4"
    assert lines[1] == "huolestuttaa " + "█" * 15 + " 2"
    assert "Sija │ Vaihtoehto" in text and "1.   │ Yhteistyö" in text


def test_a_countdown_shows_minutes_and_seconds_left_and_stops_at_zero():
    soon = (datetime.now(UTC) + timedelta(minutes=5, seconds=30)).isoformat()
    assert plain([Countdown(soon)]) in ("Aikaa jäljellä: 5:30", "Aikaa jäljellä: 5:29")
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    assert plain([Countdown(past, "Siirtoon:")]) == "Siirtoon: 0:00"
    assert plain([Text("yhteenveto", "summary")]) == "yhteenveto"


def test_a_wide_table_is_fitted_to_the_board():
    table = Table(("Missä olemme nyt?", "Mistä olemme tähän tulleet?", "Kahden vuoden päästä"),
                  (("Yhteistyö on satunnaista", "Hankkeista", "Yhteinen suunnitelma"),))
    lines = plain_fitted([table], 40).splitlines()
    assert all(len(line) <= 40 for line in lines), lines
    assert lines[0].startswith("Missä") and "…" in lines[0]
    assert fit_columns([30, 30, 30], 0) == [30, 30, 30]  # before layout: natural widths
    assert fit_columns([5, 50], 20) == [5, 12]


def plain_fitted(blocks, width) -> str:
    return blocks_content("fi", blocks, width).plain
