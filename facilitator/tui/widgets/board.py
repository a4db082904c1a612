"""The live board: what the selected activity's method shows, drawn from its blocks."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from facilitator.domain import Activity
from facilitator.i18n import t
from facilitator.methods import (
    Bars,
    Block,
    Countdown,
    Heading,
    Items,
    Table,
    Text,
    clock,
    seconds_left,
)
from facilitator.tui.widgets.programme import method_name, state_label

#: Items drawn per list. A room can send hundreds; drawing them all on every refresh
#: would cost more than it shows, and the newest are the ones the facilitator reads live.
SHOWN_PER_LIST = 100
#: The widest bar, in cells.
BAR_WIDTH = 30


class Board(VerticalScroll):
    """Shows what `show()` is given; participant text is always literal, never markup."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple | None = None
        self._last: tuple | None = None

    def compose(self):
        yield Static(id="board-title")
        yield Static(id="board-meta")
        yield Static(Content(t(self.app.lang, "tui.board.choose")), id="board-notes")

    def show(self, activity: Activity | None, blocks: list[Block], count: int = 0) -> None:
        self._last = (activity, blocks, count)
        has_clock = any(isinstance(b, Countdown) for b in blocks)
        width = self._width()
        # A countdown changes every second by itself; the rest only when the data does.
        key = (activity, tuple(blocks), count, width, _now_second() if has_clock else None)
        if key == self._shown:
            return  # nothing new: skip the relayout, which is the costly part
        self._shown = key
        lang = self.app.lang
        title = self.query_one("#board-title", Static)
        meta = self.query_one("#board-meta", Static)
        body = self.query_one("#board-notes", Static)
        if activity is None:
            title.update(Content(""))
            meta.update(Content(""))
            body.update(Content(t(lang, "tui.board.choose")))
            return
        title.update(Content.assemble((activity.title, "bold")))
        meta_parts: list = [
            state_label(lang, activity.state),
            " · ",
            method_name(lang, activity.method),
            " · ",
            t(lang, "tui.board.count", count=count),
        ]
        if activity.prompt:
            meta_parts += ["\n", (activity.prompt, "italic")]
        meta.update(Content.assemble(*meta_parts))
        body.update(blocks_content(lang, blocks, width))

    def _width(self) -> int:
        # Tables are fitted to this; 0 before the first layout (then they keep their size).
        return max(0, self.scrollable_content_region.width - 1)

    def on_resize(self) -> None:
        if self._last is not None:
            self.show(*self._last)


def _now_second() -> int:
    return int(datetime.now(UTC).timestamp())


def blocks_content(lang: str, blocks: list[Block], width: int = 0) -> Content:
    """The blocks as one text; tables are fitted to `width` cells when it is given."""
    parts: list = []
    for block in blocks:
        parts += _table_pieces(block, width) if isinstance(block, Table) else (
            _block_pieces(lang, block, width))
    return Content.assemble(*parts).rstrip()


def _block_pieces(lang: str, block: Block, board_width: int = 0) -> list:
    # Every text goes in as a plain string or (text, style) pair: Content never parses it
    # as markup, so a note like "[@click=app.quit]x[/]" shows as typed.
    if isinstance(block, Heading):
        pieces: list = [(block.text, "bold $text-accent")]
        if block.count is not None:
            pieces.append((f" ({block.count})", "$text-muted"))
        return [*pieces, "\n"]
    if isinstance(block, Text):
        style = {"muted": "$text-muted", "strong": "bold", "summary": "italic"}.get(block.style, "")
        return [(block.text, style) if style else block.text, "\n\n"]
    if isinstance(block, Items):
        items = list(block.items)
        if block.newest_first:
            items = items[::-1]
        pieces = []
        for item in items[:SHOWN_PER_LIST]:
            pieces += _item_pieces(lang, item)
        if len(items) > SHOWN_PER_LIST:
            older = t(lang, "tui.board.older", count=len(items) - SHOWN_PER_LIST)
            pieces += [(older, "$text-muted"), "\n"]
        return [*pieces, "\n"]
    if isinstance(block, Bars):
        top = max((n for _, n in block.rows), default=0) or 1
        width = max((len(label) for label, _ in block.rows), default=0)
        # Labels take what the bars and counts leave of the board (28 before layout);
        # on a narrow board the bars shorten too, so a row never wraps.
        room = board_width - BAR_WIDTH - 6 if board_width else 28
        width = min(width, max(12, room))
        bar_width = min(BAR_WIDTH, max(8, board_width - width - 6)) if board_width else BAR_WIDTH
        pieces = []
        for label, n in block.rows:
            shown = label if len(label) <= width else label[: width - 1] + "…"
            bar = "█" * round(bar_width * n / top)
            style = "bold $text-warning" if label == block.marker else ""
            pieces += [(shown.ljust(width), style), " ", (bar, "$text-accent"), f" {n}\n"]
        return [*pieces, "\n"]
    if isinstance(block, Countdown):
        left = seconds_left(block.deadline)
        if left is None:
            return []
        style = "bold $text-error" if left == 0 else "bold $text-success"
        label = block.label or t(lang, "tui.board.time_left")
        return [(f"{label} ", "bold"), (clock(left), style), "\n\n"]
    return []


def _item_pieces(lang: str, item) -> list:
    # A hanging indent keeps a multi-line note visibly one note.
    text = item.text.replace("\n", "\n  ")
    meta = [(f"{item.meta}: ", "$text-muted")] if item.meta else []
    if item.hidden:
        return ["• ", *meta, (f"({t(lang, 'tui.board.hidden')}) {text}", "$text-muted strike"),
                "\n"]
    return ["• ", *meta, text, "\n"]


#: The narrowest a table column gets when a table is fitted to the board.
MIN_COLUMN = 6


def fit_columns(natural: list[int], width: int) -> list[int]:
    """Column widths that fit `width` cells with the " │ " separators: the widest
    columns give way first, none below MIN_COLUMN (then the line is simply long)."""
    widths = [min(30, w) for w in natural]
    if width <= 0:
        return widths
    room = width - 3 * (len(widths) - 1)
    while sum(widths) > room:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= MIN_COLUMN:
            break
        widths[widest] -= 1
    return widths


def _table_pieces(table: Table, width: int = 0) -> list:
    rows = [table.headers, *table.rows]
    natural = [max(len(" ".join(row[i].split())) if i < len(row) else 0 for row in rows)
               for i in range(len(table.headers))]
    widths = fit_columns(natural, width)

    def cell(text: str, width: int) -> str:
        text = " ".join(text.split())
        return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)

    pieces: list = []
    for n, row in enumerate(rows):
        line = " │ ".join(cell(row[i] if i < len(row) else "", w) for i, w in enumerate(widths))
        pieces += [(line.rstrip(), "bold") if n == 0 else line.rstrip(), "\n"]
        if n == 0:
            pieces += [("─┼─".join("─" * w for w in widths), "$text-muted"), "\n"]
    return [*pieces, "\n"]
