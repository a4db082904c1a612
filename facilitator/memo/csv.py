"""The contributions as CSV: one row per contribution, UTF-8 with a BOM, for tools.

The BOM tells Excel the file is UTF-8 (ä and ö survive). A Finnish Excel still splits
on `;`, so Excel users get the XLSX; the CSV is for scripts and other tools. A cell that
a spreadsheet would read as a formula gets a leading apostrophe: the text stays as typed.
"""

from __future__ import annotations

import csv
import io

from facilitator.memo.contributions import COLUMNS, FORMULA_START, as_tuple, contributions
from facilitator.memo.model import Memo
from facilitator.storage import Store


def neutral(value) -> str:
    """A cell's text, never a formula: `=HYPERLINK(…)` is written `'=HYPERLINK(…)`."""
    if isinstance(value, bool):
        return "1" if value else ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def render_csv(store: Store, memo: Memo, lang: str = "fi") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in contributions(store, memo, lang):
        writer.writerow([neutral(v) for v in as_tuple(row)])
    return out.getvalue().encode("utf-8-sig")
