"""The contributions as CSV and XLSX, read back with the csv module and openpyxl: one row
per visible contribution, text as typed, and never a formula."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest

from facilitator.memo.contributions import COLUMNS
from facilitator.memo.csv import neutral, render_csv
from facilitator.memo.xlsx import render_xlsx
from tests.memo import seminar as fixture


def _visible_notes(store, event_id):
    return [n for n in store.event_notes(event_id)
            if not n.hidden and not n.pending and n.merged_into is None]


def _votes(store, event_id):
    """Dots on a vote's options (an open space's session choices are attendance, not
    contributions)."""
    return [v for a in store.activities(event_id) if a.method == "dot_vote"
            for v in store.votes(a.id)]


def test_csv_one_row_per_visible_contribution(seminar, seminar_memo):
    store, event_id = seminar
    data = render_csv(store, seminar_memo)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == COLUMNS == (
        "event", "part", "activity", "method", "heading", "group", "theme", "text",
        "original", "value", "created", "starred")
    notes = _visible_notes(store, event_id)
    assert len(rows) == len(notes) + len(_votes(store, event_id))
    texts = [r["text"] for r in rows]
    assert fixture.HIDDEN not in texts and fixture.PENDING not in texts
    assert texts.count("Sama asia kahdesti") == 1 and "Sama asia kahdesti!" not in texts
    edited = next(r for r in rows if r["text"] == fixture.EDITED)
    assert edited["original"] == fixture.ORIGINAL
    known = next(r for r in rows if r["text"] == fixture.KNOWN)
    assert known["group"] == "Ryhmä 1" and known["method"] == "Porinaryhmät"
    assert known["event"] == "Muistion testiseminaari" and known["created"]
    assert next(r for r in rows if r["text"] == "Sama asia kahdesti")["starred"] == "1"
    position = next(r for r in rows if r["method"] == "Tunnerivi")
    assert position["value"] == "1" and position["heading"]


def test_csv_cells_never_start_a_formula(seminar, seminar_memo):
    store, _ = seminar
    text = render_csv(store, seminar_memo).decode("utf-8-sig")
    texts = [r["text"] for r in csv.DictReader(io.StringIO(text, newline=""))]
    assert "<script>alert(1)</script>" in texts and "[bold]x[/]" in texts
    assert "'=HYPERLINK(\"http://x\")" in texts and "'+1 -2 @summa" in texts


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_neutral(text):
    assert neutral(text) == "'" + text


def test_neutral_leaves_plain_text():
    assert neutral("Hyvä = kiva") == "Hyvä = kiva" and neutral(3) == "3"
    assert neutral(True) == "1" and neutral(False) == ""


def test_xlsx_contributions_and_results(seminar, seminar_memo):
    store, event_id = seminar
    data = render_xlsx(store, seminar_memo)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    assert sheet.title == "Vastaukset"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert len(rows) - 1 == len(_visible_notes(store, event_id)) + len(_votes(store, event_id))
    text = COLUMNS.index("text")
    texts = [r[text] for r in rows[1:]]
    assert fixture.KNOWN in texts and fixture.HIDDEN not in texts
    for hostile in fixture.HOSTILE:  # as typed, and a string cell, not a formula
        row = texts.index(hostile) + 2
        cell = sheet.cell(row=row, column=text + 1)
        assert cell.value == hostile and cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name
    titles = book.sheetnames[1:]
    assert {"Tunnerivi", "Aihealueiden äänestys", "Open space"} <= set(titles)
    votes = list(book["Aihealueiden äänestys"].iter_rows(values_only=True))
    assert ("Sija", "Vaihtoehto", "Ääniä", "Äänestäjiä") in votes
    assert any(r[0] == "1." and r[2] == 1 for r in votes)


def test_sheet_names_are_valid_and_unique():
    from facilitator.memo.xlsx import _sheet_name

    taken: set[str] = set()
    names = [_sheet_name("Työpaja: 1/2 [a]*?", taken) for _ in range(3)]
    names.append(_sheet_name("x" * 40, taken))
    assert names[0] == "Työpaja 1 2 a" and names[1] == "Työpaja 1 2 a (2)"
    assert len(set(names)) == 4 and all(len(n) <= 31 for n in names)
