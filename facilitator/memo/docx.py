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


class _StyleIds(dict):
    """Style name → the id a paragraph or run refers to it by, looked up once per memo.

    python-docx looks a style name up by scanning every style, for every paragraph and
    run: 28 s for a memo of 10,000 notes. Setting the id ourselves is the same named
    style, at the cost of a dictionary lookup."""

    def __init__(self, doc: DocumentObject):
        super().__init__()
        self.doc = doc
        #: The body's last child, its section properties: new paragraphs go before it.
        self.end = doc.element.body.sectPr

    def __missing__(self, name: str) -> str:
        style_id = self[name] = self.doc.styles[name].style_id
        return style_id


_IDS: dict[int, _StyleIds] = {}


def _ids(paragraph: Paragraph) -> _StyleIds:
    return _IDS[id(paragraph.part)]


def _runs(paragraph: Paragraph, text: str, style: str | None = None) -> Paragraph:
    """Literal text into a paragraph; its line breaks as Word's line breaks.

    The runs are made as elements: python-docx's `add_run` reads its text a character at
    a time (for tabs and breaks), a second of a 10,000-note memo."""
    style_id = _ids(paragraph)[style] if style else None
    for number, line in enumerate(_NOT_XML.sub("", text).split("\n")):
        run = OxmlElement("w:r")
        if style_id:
            properties = OxmlElement("w:rPr")
            reference = OxmlElement("w:rStyle")
            reference.set(qn("w:val"), style_id)
            properties.append(reference)
            run.append(properties)
        if number:
            run.append(OxmlElement("w:br"))  # the break before this line
        element = OxmlElement("w:t")
        element.text = line
        element.set(qn("xml:space"), "preserve")
        run.append(element)
        paragraph._p.append(run)
    return paragraph


def _styled(paragraph: Paragraph, style: str | None) -> Paragraph:
    if style:
        if paragraph._p.pPr is None:  # a new paragraph: its properties made directly
            properties = OxmlElement("w:pPr")
            reference = OxmlElement("w:pStyle")
            reference.set(qn("w:val"), _ids(paragraph)[style])
            properties.append(reference)
            paragraph._p.insert(0, properties)
        else:
            paragraph._p.pPr.style = _ids(paragraph)[style]
    return paragraph


def _new(doc: DocumentObject) -> Paragraph:
    """A paragraph at the end of the body. python-docx's `add_paragraph` looks for the
    section properties among all the body's children each time (quadratic: seconds for a
    big memo); they are the body's last child, so the paragraph goes right before them."""
    paragraph = OxmlElement("w:p")
    _IDS[id(doc.part)].end.addprevious(paragraph)
    return Paragraph(paragraph, doc._body)


def _para(doc, text: str = "", style: str | None = None, run_style: str | None = None):
    return _runs(_styled(_new(doc), style), text, run_style)


def _heading(doc, level: int, text: str) -> Paragraph:
    return _para(doc, text, f"Heading {level}")


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
    _new(doc)  # Word joins two tables that touch
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
            _runs(_styled(paragraph, "List Bullet"), line)
    _new(doc)


def _block(doc, block: Block) -> None:
    if isinstance(block, Heading):
        count = f" ({block.count})" if block.count is not None else ""
        _heading(doc, 4 if block.level >= 2 else 3, block.text + count)  # a theme in an area
    elif isinstance(block, Text):
        _para(doc, block.text, run_style=_TEXT_STYLES.get(block.style))
    elif isinstance(block, Items):
        for item in block.items:
            paragraph = _styled(_new(doc), "List Bullet")
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
    heading = _heading(doc, 1, title)
    heading.paragraph_format.page_break_before = True  # each part starts a page
    if part.description:
        _para(doc, part.description)
    _card(doc, lang, section.card)
    for item in section.activities:
        activity = item.activity
        _heading(doc, 2, activity.title)
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
    doc = Document()
    _IDS[id(doc.part)] = _StyleIds(doc)
    try:
        return _render(doc, memo, lang)
    finally:
        del _IDS[id(doc.part)]


def _render(doc: DocumentObject, memo: Memo, lang: str) -> bytes:
    event = memo.event
    _set_language(doc, lang)
    doc.core_properties.title = _NOT_XML.sub("", event.title)
    _para(doc, event.title, "Title")
    basics = [
        (t(lang, "memo.date"), event.date or _local_date(event.created_at, lang)),
        (t(lang, "memo.time"), event.time_range),
        (t(lang, "memo.place"), event.place),
        (t(lang, "memo.organiser"), event.organiser),
        (t(lang, "memo.participants"), str(memo.participants)),
    ]
    for label, value in basics:
        if value:
            paragraph = _styled(_new(doc), "List Bullet")
            _runs(paragraph, f"{label}: ", "Strong")
            _runs(paragraph, value)
    if event.description:
        _para(doc, event.description)

    _heading(doc, 1, t(lang, "memo.programme"))
    _table(doc, (t(lang, "memo.time"), t(lang, "memo.item")),
           [(s.part.time_range, s.part.title) for s in memo.parts])
    if memo.card:
        _heading(doc, 1, t(lang, "memo.overview"))
        _card(doc, lang, memo.card)
    for number, section in enumerate(memo.parts, start=1):
        _part(doc, lang, number, section)
    if memo.action_items:
        _heading(doc, 1, t(lang, "memo.actions"))
        _table(doc, (t(lang, "memo.what"), t(lang, "memo.who"), t(lang, "memo.due")),
               [(a.what, a.who, a.due) for a in memo.action_items])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
