"""The memo as one print-ready HTML file, in the structure of the Markdown memo.

Self-contained: the CSS is inline and nothing is fetched, so the file opens the same
offline, mailed, or years later. Printed on A4 each part starts a page and the pages are
numbered where the browser supports CSS page margin boxes (Chromium, WeasyPrint).
Participant text is escaped everywhere; only the template's own descriptions, which
the facilitator wrote in Markdown, are rendered as Markdown (with raw HTML off).
"""

from __future__ import annotations

from html import escape as _escape

from markdown_it import MarkdownIt

from facilitator.i18n import t
from facilitator.memo.markdown import _authored, _local_date
from facilitator.memo.model import Card, Memo, PartSection
from facilitator.methods import Bars, Block, Countdown, Heading, Items, Table, Text

#: The template's descriptions: CommonMark with raw HTML shown as text, never passed on.
_AUTHORED = MarkdownIt("commonmark", {"html": False})

CSS = """\
@page { size: A4; margin: 20mm 18mm 22mm;
  @bottom-center { content: counter(page) " / " counter(pages); font: 9pt sans-serif; } }
:root { color: #1a1a1a; background: #fff; }
body { font: 11pt/1.45 "Noto Sans", "DejaVu Sans", Arial, sans-serif; max-width: 48em;
  margin: 2em auto; padding: 0 1em; }
h1 { font-size: 20pt; margin: 0 0 .4em; }
h2 { font-size: 15pt; margin: 1.4em 0 .5em; border-bottom: 1px solid #999; }
h3 { font-size: 12.5pt; margin: 1.2em 0 .3em; }
h4 { font-size: 11pt; margin: 1em 0 .3em; }
h2, h3, h4 { break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; }
th, td { border: 1px solid #999; padding: .25em .45em; text-align: left;
  vertical-align: top; }
thead th { background: #eee; }
tr, li { break-inside: avoid; }
td ul, th ul { margin: 0; padding-left: 1.1em; }
.card td { width: 33%; }
.basics { list-style: none; padding: 0; }
.method { font-style: italic; color: #555; margin: 0 0 .4em; }
blockquote { margin: .4em 0; padding-left: .8em; border-left: 3px solid #bbb; }
.label { font-weight: bold; margin: .6em 0 .2em; }
.muted { color: #555; font-style: italic; }
.strong { font-weight: bold; }
.notes li { margin: .15em 0; }
.notes .meta { font-style: italic; color: #444; }
.bars th { font-weight: normal; width: 45%; }
.bars td.n { width: 3em; text-align: right; }
.bars td.bar { width: 45%; }
.bars svg { display: block; width: 100%; height: 1em; }
.bars rect { fill: #4a6fa5; }
.bars tr.marked rect { fill: #c0603a; }
* { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  section.part { break-before: page; }
}
"""


#: Added for the PDF (`pdf=True`). WeasyPrint lays out every box in Python: a list item
#: is a block, a marker (placed as an absolute box) and a line; a long table's cells are
#: measured twice. 10,000 contributions took 59 s. As runs of preformatted lines (one
#: text per run, each note a line with its bullet as text) and a smaller type for the
#: raw material, the same memo is laid out in a quarter of the time.
PDF_CSS = """\
.lines { white-space: pre-wrap; font-size: 9pt; line-height: 1.25; margin: 0; }
.lines-head { font-weight: bold; font-size: 9pt; margin: .4em 0 0; }
"""
#: Lines per run in the PDF: WeasyPrint copies a run's remaining text for every line it
#: breaks, so one run of 3,000 notes costs their square; 25 keep that negligible.
PDF_RUN = 25
#: A table longer than this is raw material (open space topics, a long list of answers):
#: in the PDF its rows are lines, "cell · cell · cell", under the column names.
PDF_TABLE_ROWS = 40


def esc(text: str) -> str:
    """Participant (or any stored) text as HTML text: every character as typed."""
    return _escape(text, quote=True)


def _lines(text: str) -> str:
    """Text that may span lines: escaped, each line break kept as a break."""
    return "<br>".join(esc(line) for line in text.split("\n"))


def _paragraphs(text: str) -> str:
    """Written text (a summary): paragraphs at blank lines, line breaks kept."""
    paras = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{_lines(p.strip(chr(10)))}</p>\n" for p in paras)


def _list(lines: tuple[str, ...]) -> str:
    if not lines:
        return ""
    return "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>"


def _card(lang: str, card: Card) -> list[str]:
    """The three-column card as a real table: one row, three cells, each its own list."""
    if not card:
        return []
    head = "".join(f"<th scope=\"col\">{esc(t(lang, key))}</th>"
                   for key in ("memo.aims", "memo.how", "memo.results"))
    cells = "".join(f"<td>{_list(c)}</td>" for c in (card.aims, card.how, card.results))
    return [f'<table class="card"><thead><tr>{head}</tr></thead>'
            f"<tbody><tr>{cells}</tr></tbody></table>"]


def _table(headers: tuple[str, ...], rows, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_lines(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _runs(lines: list[str]) -> str:
    """Lines (already escaped) as preformatted runs of at most `PDF_RUN` lines each."""
    return "".join('<div class="lines">' + "\n".join(lines[i:i + PDF_RUN]) + "</div>"
                   for i in range(0, len(lines), PDF_RUN))


def _line(text: str) -> str:
    """One note or row as a line of a run: escaped, its own line breaks indented under it."""
    return esc(text).replace("\r\n", "\n").replace("\n", "\n   ")


def _bars(block: Bars) -> str:
    """A bar chart: each row's label, count and an inline SVG bar scaled to the largest."""
    top = max((n for _, n in block.rows), default=0) or 1
    rows = []
    for label, n in block.rows:
        marked = label == block.marker
        width = round(100 * n / top, 1)
        mark = " ◆" if marked else ""
        svg = (f'<svg viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
               f'aria-label="{n}"><rect x="0" y="1" width="{width:g}" height="8"/></svg>')
        cls = ' class="marked"' if marked else ""
        rows.append(f'<tr{cls}><th scope="row">{esc(label)}{mark}</th>'
                    f'<td class="n">{n}</td><td class="bar">{svg}</td></tr>')
    return f'<table class="bars"><tbody>{"".join(rows)}</tbody></table>'


def _block(block: Block, pdf: bool = False) -> str:
    """One of a method's blocks as HTML; every text in it is literal. For the PDF, lists
    and long tables are runs of lines (`PDF_CSS`)."""
    if pdf and isinstance(block, Items) and block.items:
        return _runs([_line(f"• {item.meta}: {item.text}" if item.meta else f"• {item.text}")
                      for item in block.items])
    if pdf and isinstance(block, Table) and len(block.rows) > PDF_TABLE_ROWS:
        head = " · ".join(esc(h) for h in block.headers)
        return (f'<p class="lines-head">{head}</p>'
                + _runs([_line(" · ".join(c or "–" for c in row)) for row in block.rows]))
    if isinstance(block, Heading):
        count = f" ({block.count})" if block.count is not None else ""
        tag = "h5" if block.level >= 2 else "h4"  # a theme within an area or a station
        return f"<{tag}>{esc(block.text)}{count}</{tag}>"
    if isinstance(block, Text):
        cls = f' class="{block.style}"' if block.style else ""
        return f"<p{cls}>{_lines(block.text)}</p>"
    if isinstance(block, Items):
        if not block.items:
            return ""
        items = []
        for item in block.items:
            meta = f'<span class="meta">{esc(item.meta)}:</span> ' if item.meta else ""
            items.append(f"<li>{meta}{_lines(item.text)}</li>")
        return '<ul class="notes">' + "".join(items) + "</ul>"
    if isinstance(block, Table):
        return _table(block.headers, block.rows)
    if isinstance(block, Bars):
        return _bars(block)
    if isinstance(block, Countdown):
        return ""  # a clock means nothing on paper
    raise TypeError(f"no HTML for {type(block).__name__}")


def render_blocks(blocks: list[Block], pdf: bool = False) -> str:
    """One activity's method section as HTML (as it appears inside the memo)."""
    return "\n".join(filter(None, (_block(b, pdf) for b in blocks))) + "\n"


def _part(lang: str, number: int, section: PartSection, pdf: bool = False) -> list[str]:
    part = section.part
    title = esc(part.title) + (f" ({esc(part.time_range)})" if part.time_range else "")
    out = ['<section class="part">', f"<h2>{number}. {title}</h2>"]
    if part.description:
        out.append(_AUTHORED.render(_authored(part.description)).rstrip("\n"))
    out += _card(lang, section.card)
    for item in section.activities:
        activity = item.activity
        out += ['<section class="activity">', f"<h3>{esc(activity.title)}</h3>",
                f'<p class="method">{esc(t(lang, f"methods.name.{activity.method}"))}</p>']
        if activity.prompt:
            out.append(f"<blockquote><p>{_lines(activity.prompt)}</p></blockquote>")
        if item.summary:  # what the facilitator wrote comes first, the material after
            out += [f'<p class="label">{esc(t(lang, "memo.results"))}</p>',
                    _paragraphs(item.summary).rstrip("\n")]
            if item.blocks:
                out.append(f'<p class="label">{esc(t(lang, "memo.material"))}</p>')
        if not item.blocks and not item.summary:
            out.append(f'<p class="muted">{esc(t(lang, "memo.no_notes"))}</p>')
        out += [html for html in (_block(b, pdf) for b in item.blocks) if html]
        out.append("</section>")
    out.append("</section>")
    return out


def render_html(memo: Memo, lang: str = "fi", pdf: bool = False) -> str:
    """The whole memo as one self-contained HTML document; `pdf`: the variant WeasyPrint
    lays out quickly (`PDF_CSS`), the same content."""
    event = memo.event
    css = CSS + PDF_CSS if pdf else CSS
    out = ["<!DOCTYPE html>", f'<html lang="{esc(lang)}">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{esc(event.title)}</title>", f"<style>\n{css}</style>", "</head>",
           "<body>", "<main>", "<header>", f"<h1>{esc(event.title)}</h1>"]
    basics = [
        (t(lang, "memo.date"), event.date or _local_date(event.created_at, lang)),
        (t(lang, "memo.time"), event.time_range),
        (t(lang, "memo.place"), event.place),
        (t(lang, "memo.organiser"), event.organiser),
        (t(lang, "memo.participants"), str(memo.participants)),
    ]
    out.append('<ul class="basics">' + "".join(
        f"<li><strong>{esc(label)}:</strong> {esc(value)}</li>"
        for label, value in basics if value) + "</ul>")
    if event.description:
        out.append(_AUTHORED.render(_authored(event.description)).rstrip("\n"))
    out.append("</header>")

    out += ['<section class="programme">', f"<h2>{esc(t(lang, 'memo.programme'))}</h2>",
            _table((t(lang, "memo.time"), t(lang, "memo.item")),
                   [(s.part.time_range, s.part.title) for s in memo.parts]), "</section>"]

    card = _card(lang, memo.card)
    if card:
        out += ['<section class="overview">', f"<h2>{esc(t(lang, 'memo.overview'))}</h2>",
                *card, "</section>"]

    for number, section in enumerate(memo.parts, start=1):
        out += _part(lang, number, section, pdf)

    if memo.action_items:
        out += ['<section class="actions">', f"<h2>{esc(t(lang, 'memo.actions'))}</h2>",
                _table((t(lang, "memo.what"), t(lang, "memo.who"), t(lang, "memo.due")),
                       [(a.what, a.who, a.due) for a in memo.action_items]), "</section>"]
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
