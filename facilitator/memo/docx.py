"""The memo as a Word document, in the structure of the Markdown memo.

Everything is drawn with the document's named styles (Title, Heading 1–3, List Bullet,
Quote, Strong, Emphasis, Table Grid), never with direct formatting, so whoever receives
the memo restyles it the Word way: change a style, the whole memo follows. The headings
are Word's, so the navigation pane lists the parts and activities; the language is set
(fi-FI or en-US), so the spell checker and hyphenation know what they read.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from facilitator.i18n import t
from facilitator.memo.markdown import BAR_WIDTH, _local_date
from facilitator.memo.model import Card, Memo, PartSection
from facilitator.methods import Bars, Block, Countdown, Heading, Items, Table, Text

LANGUAGES = {"fi": "fi-FI", "en": "en-US"}
#: Characters XML 1.0 cannot hold; a note cannot carry them into the document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TEXT_STYLES = {"muted": "Subtle Emphasis", "strong": "Strong"}


def _runs(paragraph: Paragraph, text: str, style: str | None = None) -> Paragraph:
    """Literal text into a paragraph; its line breaks as Word's line breaks."""
    for number, line in enumerate(_NOT_XML.sub("", text).split("\n")):
        run = paragraph.add_run(line, style)
        if number:
            run._r.insert(0, OxmlElement("w:br"))  # the break before this line
    return paragraph


def _para(doc, text: str = "", style: str | None = None, run_style: str | None = None):
    return _runs(doc.add_paragraph(style=style), text, run_style)


def _set_language(doc: DocumentObject, lang: str) -> None:
    """The document's default language, where Word's own templates keep it."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    element = rpr.find(qn("w:lang"))
    if element is None:
        element = OxmlElement("w:lang")
        rpr.append(element)
    code = LANGUAGES.get(lang, lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        element.set(qn(attr), code)
    doc.core_properties.language = code


def _header_row(table: DocxTable) -> None:
    """The first row repeats on every page a long table runs over."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _table(doc, headers, rows) -> DocxTable:
    table = doc.add_table(rows=1 if headers else 0, cols=len(headers) or len(rows[0]),
                          style="Table Grid")
    if headers:
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            _runs(cell.paragraphs[0], text, "Strong")
        _header_row(table)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            _runs(cell.paragraphs[0], str(text))
    doc.add_paragraph()  # Word joins two tables that touch
    return table


def _card(doc, lang: str, card: Card) -> None:
    """The three-column card: one row of three cells, each its own bulleted list."""
    if not card:
        return
    heads = [t(lang, key) for key in ("memo.aims", "memo.how", "memo.results")]
    table = doc.add_table(rows=2, cols=3, style="Table Grid")
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        _runs(cell.paragraphs[0], text, "Strong")
    _header_row(table)
    for cell, lines in zip(table.rows[1].cells, (card.aims, card.how, card.results),
                           strict=True):
        first = cell.paragraphs[0]
        for number, line in enumerate(lines):
            paragraph = first if number == 0 else cell.add_paragraph()
            paragraph.style = doc.styles["List Bullet"]
            _runs(paragraph, line)
    doc.add_paragraph()


def _block(doc, block: Block) -> None:
    if isinstance(block, Heading):
        count = f" ({block.count})" if block.count is not None else ""
        _runs(doc.add_heading(level=3), block.text + count)
    elif isinstance(block, Text):
        _para(doc, block.text, run_style=_TEXT_STYLES.get(block.style))
    elif isinstance(block, Items):
        for item in block.items:
            paragraph = doc.add_paragraph(style="List Bullet")
            if item.meta:
                _runs(paragraph, f"{item.meta}: ", "Emphasis")
            _runs(paragraph, item.text)
    elif isinstance(block, Table):
        _table(doc, block.headers, block.rows)
    elif isinstance(block, Bars):
        top = max((n for _, n in block.rows), default=0) or 1
        _table(doc, (), [(label + (" ◆" if label == block.marker else ""), str(n),
                          "█" * round(BAR_WIDTH * n / top)) for label, n in block.rows]
               or [("", "", "")])
    elif isinstance(block, Countdown):
        return  # a clock means nothing on paper
    else:
        raise TypeError(f"no DOCX for {type(block).__name__}")


def _part(doc, lang: str, number: int, section: PartSection) -> None:
    part = section.part
    title = f"{number}. {part.title}" + (f" ({part.time_range})" if part.time_range else "")
    heading = _runs(doc.add_heading(level=1), title)
    heading.paragraph_format.page_break_before = True  # each part starts a page
    if part.description:
        _para(doc, part.description)
    _card(doc, lang, section.card)
    for item in section.activities:
        activity = item.activity
        _runs(doc.add_heading(level=2), activity.title)
        _para(doc, t(lang, f"methods.name.{activity.method}"), run_style="Emphasis")
        if activity.prompt:
            _para(doc, activity.prompt, "Quote")
        if item.summary:  # what the facilitator wrote comes first, the material after
            _para(doc, t(lang, "memo.results"), run_style="Strong")
            for paragraph in item.summary.split("\n\n"):
                if paragraph.strip():
                    _para(doc, paragraph.strip("\n"))
            if item.blocks:
                _para(doc, t(lang, "memo.material"), run_style="Strong")
        if not item.blocks and not item.summary:
            _para(doc, t(lang, "memo.no_notes"), run_style="Subtle Emphasis")
        for block in item.blocks:
            _block(doc, block)


def render_docx(memo: Memo, lang: str = "fi") -> bytes:
    event = memo.event
    doc = Document()
    _set_language(doc, lang)
    doc.core_properties.title = _NOT_XML.sub("", event.title)
    _runs(doc.add_paragraph(style="Title"), event.title)
    basics = [
        (t(lang, "memo.date"), event.date or _local_date(event.created_at, lang)),
        (t(lang, "memo.time"), event.time_range),
        (t(lang, "memo.place"), event.place),
        (t(lang, "memo.organiser"), event.organiser),
        (t(lang, "memo.participants"), str(memo.participants)),
    ]
    for label, value in basics:
        if value:
            paragraph = doc.add_paragraph(style="List Bullet")
            _runs(paragraph, f"{label}: ", "Strong")
            _runs(paragraph, value)
    if event.description:
        _para(doc, event.description)

    _runs(doc.add_heading(level=1), t(lang, "memo.programme"))
    _table(doc, (t(lang, "memo.time"), t(lang, "memo.item")),
           [(s.part.time_range, s.part.title) for s in memo.parts])
    if memo.card:
        _runs(doc.add_heading(level=1), t(lang, "memo.overview"))
        _card(doc, lang, memo.card)
    for number, section in enumerate(memo.parts, start=1):
        _part(doc, lang, number, section)
    if memo.action_items:
        _runs(doc.add_heading(level=1), t(lang, "memo.actions"))
        _table(doc, (t(lang, "memo.what"), t(lang, "memo.who"), t(lang, "memo.due")),
               [(a.what, a.who, a.due) for a in memo.action_items])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
