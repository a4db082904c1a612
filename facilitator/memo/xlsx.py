"""The memo's material as an Excel workbook: every contribution on one sheet, then a sheet
per activity with results (its tables and bar charts as rows: votes, positions, grids).

Every text cell is stored as text, never as a formula: a note `=HYPERLINK(…)` is a string
cell holding exactly that (openpyxl would otherwise write it as a formula).
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from facilitator.i18n import t
from facilitator.memo.contributions import COLUMNS, as_tuple, contributions
from facilitator.memo.model import Memo
from facilitator.methods import Bars, Heading, Table
from facilitator.storage import Store

_BOLD = Font(bold=True)
#: What Excel forbids in a sheet's name; it also allows at most 31 characters.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _cell(sheet, value, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, bool):
        value = int(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, even when it starts with "="
    if bold:
        cell.font = _BOLD
    return cell


def _sheet_name(title: str, taken: set[str]) -> str:
    base = " ".join(_SHEET_FORBIDDEN.sub(" ", title).split()).strip("'") or "Sheet"
    name, n = base[:31], 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def render_xlsx(store: Store, memo: Memo, lang: str = "fi") -> bytes:
    # Write-only: rows stream to the file, so 10,000 contributions stay quick and small.
    book = Workbook(write_only=True)
    taken: set[str] = set()
    sheet = book.create_sheet(_sheet_name(t(lang, "memo.contributions"), taken))
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, name, bold=True) for name in COLUMNS])
    for row in contributions(store, memo, lang):
        sheet.append([_cell(sheet, v) for v in as_tuple(row)])

    for section in memo.parts:
        for item in section.activities:
            if not any(isinstance(b, Table | Bars) for b in item.blocks):
                continue
            sheet = book.create_sheet(_sheet_name(item.activity.title, taken))
            sheet.append([_cell(sheet, item.activity.title, bold=True)])
            heading = ""
            for block in item.blocks:
                if isinstance(block, Heading):
                    heading = block.text
                    continue
                if not isinstance(block, Table | Bars):
                    continue
                sheet.append([])
                if heading:
                    sheet.append([_cell(sheet, heading, bold=True)])
                    heading = ""
                if isinstance(block, Table):
                    sheet.append([_cell(sheet, h, bold=True) for h in block.headers])
                    for values in block.rows:  # counts as numbers, to sort and sum
                        sheet.append([_cell(sheet, int(v) if v.isdigit() else v)
                                      for v in values])
                else:
                    for label, n in block.rows:
                        mark = " ◆" if label == block.marker else ""
                        sheet.append([_cell(sheet, label + mark), _cell(sheet, n)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
