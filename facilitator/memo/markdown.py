"""The memo as Markdown, the canonical form.

Participant text is data: Markdown's special characters in notes are escaped so a note
`**x**` or `<b>` reads exactly as typed in any Markdown viewer.
"""

from __future__ import annotations

import re
from datetime import datetime

from facilitator.i18n import t
from facilitator.memo.model import Card, Memo, PartSection
from facilitator.methods import Bars, Block, Countdown, Heading, Items, Table, Text

_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_BLOCK_MARK = re.compile(r"^(\s*)([#>+=-])", re.MULTILINE)
_ORDERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def escape(text: str) -> str:
    """Literal text on one line after our own prefix (a cell, a heading, a label)."""
    return _INLINE.sub(r"\\\1", text)


def escape_block(text: str) -> str:
    """Literal text that may span lines: also what would start a block at a line start
    (a heading, quote, list or rule). Only punctuation can be escaped in Markdown, so an
    ordered list's delimiter is escaped, not its number (`1\\. kohta`)."""
    text = _BLOCK_MARK.sub(r"\1\\\2", escape(text))
    return _ORDERED.sub(r"\1\\\2", text)


def _authored(text: str) -> str:
    """Template text is the facilitator's own Markdown; only make its lists render.

    Descriptions copied from an invitation put a list right under a sentence; Markdown
    needs a blank line before the first item.
    """
    def is_item(line: str) -> bool:
        return line.lstrip().startswith(("- ", "* "))

    out: list[str] = []
    for line in text.split("\n"):
        # A blank line where a list starts after text or text resumes after a list.
        if out and out[-1].strip() and line.strip() and is_item(line) != is_item(out[-1]):
            out.append("")
        out.append(line)
    return "\n".join(out)


def _lines(text: str) -> str:
    """The facilitator's multi-line text, literal, its line breaks kept (a hard break
    at each: Markdown would join the lines into one paragraph)."""
    return "  \n".join(escape_block(line) for line in text.splitlines())


def _cell(text: str) -> str:
    return escape(" ".join(text.split()))


def _list_item(text: str, meta: str = "") -> str:
    """A note as one list item; its own line breaks stay, indented under the bullet."""
    lines = escape_block(text).split("\n")
    first = f"*{escape(meta)}:* {lines[0]}" if meta else lines[0]
    return "\n".join(["- " + first] + ["  " + line for line in lines[1:]])


def _card(lang: str, card: Card) -> list[str]:
    """The seed's three-column card: what we aimed at, how we worked, what resulted. One
    row of three cells, each its own list: the columns' lines do not pair up."""
    if not card:
        return []
    head = [t(lang, "memo.aims"), t(lang, "memo.how"), t(lang, "memo.results")]

    def cell(lines: tuple[str, ...]) -> str:
        return "<br>".join(f"• {_cell(line)}" for line in lines)

    return ["| " + " | ".join(head) + " |", "|---|---|---|",
            "| " + " | ".join(cell(c) for c in (card.aims, card.how, card.results)) + " |", ""]


def _part(lang: str, number: int, section: PartSection) -> list[str]:
    part = section.part
    title = escape(part.title)
    if part.time_range:
        title += f" ({part.time_range})"
    out = [f"## {number}. {title}", ""]
    if part.description:
        out += [_authored(part.description), ""]
    out += _card(lang, section.card)
    for item in section.activities:
        activity = item.activity
        method = t(lang, f"methods.name.{activity.method}")
        out += [f"### {escape(activity.title)}", "", f"*{method}*", ""]
        if activity.prompt:
            out += [f"> {_cell(activity.prompt)}", ""]
        if item.summary:  # what the facilitator wrote comes first, the material after
            out += [f"**{t(lang, 'memo.results')}**", "", _lines(item.summary), ""]
            if item.blocks:
                out += [f"**{t(lang, 'memo.material')}**", ""]
        if not item.blocks and item.summary:
            continue
        if not item.blocks:
            out += [t(lang, "memo.no_notes"), ""]
            continue
        for block in item.blocks:
            out += _block(block)
    return out


#: The widest bar in a memo's chart, in characters.
BAR_WIDTH = 20


def render_blocks(blocks: list[Block]) -> str:
    """One activity's method section as Markdown (as it appears inside the memo)."""
    out: list[str] = []
    for block in blocks:
        out += _block(block)
    return "\n".join(out).rstrip("\n") + "\n"


def _block(block: Block) -> list[str]:
    """One of a method's blocks as Markdown; every text in it is literal."""
    if isinstance(block, Heading):
        count = f" ({block.count})" if block.count is not None else ""
        marks = "#" * (3 + max(1, min(block.level, 2)))  # a theme within an area: #####
        return [f"{marks} {escape(block.text)}{count}", ""]
    if isinstance(block, Text):
        text = escape_block(block.text)
        return [f"**{text}**" if block.style == "strong" else
                f"*{text}*" if block.style == "muted" else text, ""]
    if isinstance(block, Items):
        if not block.items:  # what the memo may show: the memo's context decided
            return []
        return [_list_item(i.text, i.meta) for i in block.items] + [""]
    if isinstance(block, Table):
        out = ["| " + " | ".join(_cell(h) for h in block.headers) + " |",
               "|" + "---|" * len(block.headers)]
        out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
        return out + [""]
    if isinstance(block, Bars):
        # A chart in plain text: it reads the same in any viewer and on paper.
        top = max((n for _, n in block.rows), default=0) or 1
        out = []
        for label, n in block.rows:
            bar = "█" * round(BAR_WIDTH * n / top)
            mark = " ◆" if label == block.marker else ""
            out.append(f"| {_cell(label)}{mark} | {n} | {bar} |")
        return ["| | | |", "|---|--:|---|"] + out + [""]
    if isinstance(block, Countdown):
        return []  # a clock means nothing on paper
    raise TypeError(f"no Markdown for {type(block).__name__}")


def _local_date(stamp: str, lang: str) -> str:
    """The day the event was made, on the laptop's clock (stored in UTC)."""
    if not stamp:
        return ""
    day = datetime.fromisoformat(stamp).astimezone().date()
    return f"{day.day}.{day.month}.{day.year}" if lang == "fi" else day.isoformat()


def render_markdown(memo: Memo, lang: str = "fi") -> str:
    event = memo.event
    out = [f"# {escape(event.title)}", ""]
    basics = [
        (t(lang, "memo.date"), event.date or _local_date(event.created_at, lang)),
        (t(lang, "memo.time"), event.time_range),
        (t(lang, "memo.place"), event.place),
        (t(lang, "memo.organiser"), event.organiser),
        (t(lang, "memo.participants"), str(memo.participants)),
    ]
    out += [f"- **{label}:** {escape(value)}" for label, value in basics if value] + [""]
    if event.description:
        out += [_authored(event.description), ""]

    out += [f"## {t(lang, 'memo.programme')}", ""]
    out += [f"| {t(lang, 'memo.time')} | {t(lang, 'memo.item')} |", "|---|---|"]
    out += [f"| {s.part.time_range} | {_cell(s.part.title)} |" for s in memo.parts] + [""]

    card = _card(lang, memo.card)
    if card:
        out += [f"## {t(lang, 'memo.overview')}", ""] + card

    for number, section in enumerate(memo.parts, start=1):
        out += _part(lang, number, section)

    if memo.action_items:
        out += [f"## {t(lang, 'memo.actions')}", ""]
        out += [f"| {t(lang, 'memo.what')} | {t(lang, 'memo.who')} | {t(lang, 'memo.due')} |",
                "|---|---|---|"]
        out += [f"| {_cell(a.what)} | {_cell(a.who)} | {_cell(a.due)} |"
                for a in memo.action_items] + [""]
    return "\n".join(out).rstrip("\n") + "\n"
