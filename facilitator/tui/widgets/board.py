"""The live board: what the selected activity's method shows, drawn from its blocks, with
every note a row to move to, select and act on.

Drawn line by line (Textual's line API, as toolong draws a log): only the lines on screen
are rendered, and a method's long note lists (`NoteList`) are read from the store a page
at a time around what is visible. So a refresh costs the method's counts and the rows on
screen, not the notes stored: at 10,000 notes the old board's full re-read took 115 ms.

A note row is one line, cut to the board's width by terminal cells (emoji and wide
letters count double); the highlighted note's whole text is in the detail line below the
board. Participant text is never markup: it goes into Rich `Text` as plain strings.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text as RichText
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from facilitator.domain import Note
from facilitator.i18n import t
from facilitator.methods import (
    Bars,
    Block,
    Countdown,
    Heading,
    Item,
    Items,
    NoteList,
    Table,
    Text,
    clock,
    seconds_left,
)

#: The widest bar, in cells.
BAR_WIDTH = 30
#: Rows of a long list read from the store at a time.
PAGE = 200
#: Seconds of quiet after which the board's new height relays out the screen (a relayout
#: redraws everything, and a key pressed meanwhile waits for it).
RELAYOUT_AFTER = 1.5
#: The narrowest a table column gets when a table is fitted to the board.
MIN_COLUMN = 6


@dataclass
class _Chunk:
    """A run of the board's lines: fixed lines of a block, or rows of notes."""

    start: int  # the first line
    lines: list[RichText] = field(default_factory=list)  # fixed lines
    items: list[Item] | None = None  # rows held in memory
    source: NoteList | None = None  # rows read from the store when drawn
    count: int = 0  # rows (items or source)
    first_row: int = 0  # the chunk's first row among all rows

    @property
    def height(self) -> int:
        return self.count if self.items is not None or self.source is not None else len(
            self.lines)


class Board(ScrollView, can_focus=True):
    """Shows what `show()` is given. Posts `NoteHighlighted` when the cursor moves."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "board--heading", "board--muted", "board--strong", "board--summary",
        "board--cursor", "board--selected", "board--hidden", "board--pending",
        "board--bar", "board--marker", "board--time", "board--time-up", "board--meta",
        "board--star",
    }
    DEFAULT_CSS = """
    Board { background: $surface; }
    Board > .board--heading { color: $text-accent; text-style: bold; }
    Board > .board--muted { color: $text-muted; }
    Board > .board--meta { color: $text-muted; }
    Board > .board--strong { text-style: bold; }
    Board > .board--summary { text-style: italic; }
    Board > .board--cursor { background: $block-cursor-blurred-background; }
    Board:focus > .board--cursor { background: $block-cursor-background;
        color: $block-cursor-foreground; }
    Board > .board--selected { background: $accent 30%; }
    Board > .board--hidden { color: $text-muted; text-style: strike; }
    Board > .board--pending { color: $text-warning; text-style: bold; }
    Board > .board--bar { color: $text-accent; }
    Board > .board--marker { color: $text-warning; text-style: bold; }
    Board > .board--time { color: $text-success; text-style: bold; }
    Board > .board--time-up { color: $text-error; text-style: bold; }
    Board > .board--star { color: $text-warning; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", id="note_up", show=False,
                tooltip="The note above."),
        Binding("down", "cursor(1)", "Down", id="note_down", show=False,
                tooltip="The note below."),
        Binding("pageup", "page(-1)", "Page up", id="note_page_up", show=False,
                tooltip="A screenful up."),
        Binding("pagedown", "page(1)", "Page down", id="note_page_down", show=False,
                tooltip="A screenful down."),
        Binding("home", "edge(-1)", "First", id="note_first", show=False,
                tooltip="The first note (the newest)."),
        Binding("end", "edge(1)", "Last", id="note_last", show=False,
                tooltip="The last note."),
        Binding("space", "toggle_select", "Select", id="select_note",
                tooltip="Select the highlighted note (or unselect it)."),
        # The moderation of the notes on the board: run by the screen, which has the store.
        Binding("h", "screen.hide_notes", "Hide", id="hide_notes",
                tooltip="Hide the note(s) from phones, the projector and the memo; again: show."),
        Binding("e", "screen.edit_note", "Edit", id="edit_note",
                tooltip="Correct the note's text; the original is kept."),
        Binding("s", "screen.star_notes", "Star", id="star_notes", tooltip="Star the note(s)."),
        Binding("y", "screen.approve_notes", "Approve", id="approve_notes",
                tooltip="Let notes waiting for approval through to everyone."),
        Binding("m", "screen.merge_notes", "Merge", id="merge_notes",
                tooltip="Fold the selected notes under the highlighted one."),
        Binding("M", "screen.unmerge_notes", "Unmerge", id="unmerge_notes", show=False,
                tooltip="Take the note out of its merge."),
        Binding("x", "screen.hide_device", "Spam", id="hide_device", show=False,
                tooltip="Hide everything the device that wrote this note sent."),
    ]

    @dataclass
    class NoteHighlighted(Message):
        """The cursor is on another note (None: on none)."""

        board: Board
        note: Note | None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._blocks: list = []
        self._chunks: list[_Chunk] = []
        self._starts: list[int] = []
        self._rows = 0
        self._cursor = 0
        self._cursor_note: int | None = None
        self.selected: set[int] = set()
        self._pages: dict[tuple[int, int], list[Item]] = {}
        self._cache: dict[tuple, Strip] = {}
        self._width = 0
        self._has_clock = False
        self._highlighted: Note | None = None
        self._relayout = None

    # -- what to show ----------------------------------------------------------------------

    def show(self, blocks: list[Block]) -> None:
        """Lay out the blocks again (the data changed); the cursor stays on its note."""
        self._blocks = list(blocks)
        self._has_clock = any(isinstance(b, Countdown) for b in blocks)
        self._layout()

    def tick(self) -> None:
        """A second went by: only a countdown changes."""
        if self._has_clock:
            self._layout()

    @property
    def rows(self) -> int:
        """How many note rows the board has."""
        return self._rows

    @property
    def highlighted(self) -> Note | None:
        return self._highlighted

    def targets(self) -> list[int]:
        """The notes an action applies to: the selected ones, else the highlighted one."""
        if self.selected:
            return sorted(self.selected)
        return [self._highlighted.id] if self._highlighted is not None else []

    def clear_selection(self) -> bool:
        had = bool(self.selected)
        self.selected.clear()
        self._repaint()
        return had

    def text(self) -> str:
        """Everything on the board as plain text, lists read in full (for the help screen's
        neighbours and for tests reading the board as a person would scroll through it)."""
        out = []
        for chunk in self._chunks:
            if chunk.items is None and chunk.source is None:
                out += [line.plain for line in chunk.lines]
            else:
                out += [self._row_text(item, False, False, self._width).plain
                        for item in self._chunk_items(chunk, 0, chunk.count)]
        return "\n".join(line.rstrip() for line in out)

    # -- layout ----------------------------------------------------------------------------

    def _layout(self) -> None:
        width = max(20, self.scrollable_content_region.width or 80)
        if width != self._width:
            self._cache.clear()
        self._width = width
        self._pages.clear()
        if len(self._cache) > 4000:  # strips of rows long gone; cheap to draw again
            self._cache.clear()
        chunks: list[_Chunk] = []
        line = row = 0
        pending_lines: list[RichText] = []

        def flush() -> None:
            nonlocal line
            if pending_lines:
                chunks.append(_Chunk(line, list(pending_lines)))
                line += len(pending_lines)
                pending_lines.clear()

        for block in self._blocks:
            if isinstance(block, Items) and any(i.note is not None for i in block.items):
                items = list(block.items)[::-1] if block.newest_first else list(block.items)
                flush()
                chunks.append(_Chunk(line, items=items, count=len(items), first_row=row))
                line += len(items)
                row += len(items)
                pending_lines.append(RichText(""))
            elif isinstance(block, NoteList):
                count = block.count()
                if not count:
                    continue
                flush()
                chunks.append(_Chunk(line, source=block, count=count, first_row=row))
                line += count
                row += count
                pending_lines.append(RichText(""))
            else:
                pending_lines.extend(self._block_lines(block, width))
        while pending_lines and not pending_lines[-1].plain:
            pending_lines.pop()
        flush()
        self._chunks = chunks
        self._starts = [c.start for c in chunks]
        self._rows = row
        self._set_height(width, line)
        self._place_cursor()
        self.refresh()

    def _set_height(self, width: int, lines: int) -> None:
        """The board's height in lines. Setting it relays out the whole screen, which under
        a room posting 200 notes a second was a third of the console's CPU and the slowest
        key presses; so while the scroll bar neither appears nor goes it is set without a
        relayout, and the relayout (the scroll bar's thumb catching up) waits until the
        notes pause. Scrolling itself always knows the height."""
        size = Size(width, lines)
        if size == self.virtual_size:
            return
        viewport = self.scrollable_content_region.height
        crosses = (self.virtual_size.height > viewport) != (lines > viewport)
        if crosses or size.width != self.virtual_size.width:
            self.virtual_size = size
            return
        self.set_reactive(Board.virtual_size, size)
        if self._relayout is not None:
            self._relayout.stop()
        self._relayout = self.set_timer(RELAYOUT_AFTER, self._catch_up)

    def _catch_up(self) -> None:
        self._relayout = None
        self.refresh(layout=True)

    def _place_cursor(self) -> None:
        """Keep the cursor on its note when rows move (new ones arrive on top); on the
        newest when it was there and the board was at the top."""
        if not self._rows:
            self._cursor = 0
            self._set_highlighted(None)
            return
        at_top = self._cursor == 0 and self.scroll_y == 0
        if self._cursor_note is not None and not at_top:
            found = self._row_of(self._cursor_note)
            if found is not None:
                self._cursor = found
        self._cursor = min(self._cursor, self._rows - 1)
        self._set_highlighted(self._item_at(self._cursor))

    def _row_of(self, note_id: int) -> int | None:
        for chunk in self._chunks:
            if chunk.items is not None:
                for i, item in enumerate(chunk.items):
                    if item.note_id == note_id:
                        return chunk.first_row + i
            elif chunk.source is not None:
                source = chunk.source
                store, ctx = source.ctx.store, source.ctx
                where = dict(source.where)
                if not store.count_notes(ctx.activity.id, visible=ctx.visible,
                                         viewer=ctx.viewer, id=note_id, **where):
                    continue
                newer = store.count_notes(ctx.activity.id, visible=ctx.visible,
                                          viewer=ctx.viewer, after_id=note_id, **where)
                index = newer if source.newest_first else chunk.count - newer - 1
                return chunk.first_row + index
        return None

    # -- rows ------------------------------------------------------------------------------

    def _chunk_of_row(self, row: int) -> _Chunk | None:
        for chunk in self._chunks:
            if (chunk.items is not None or chunk.source is not None) and (
                    chunk.first_row <= row < chunk.first_row + chunk.count):
                return chunk
        return None

    def _chunk_items(self, chunk: _Chunk, start: int, end: int) -> list[Item]:
        """Rows `start`…`end` of a chunk; a long list is read a page at a time, once per
        refresh (the pages are dropped when the data changes)."""
        if chunk.items is not None:
            return chunk.items[start:end]
        if end <= start:
            return []
        first, last = start // PAGE, (end - 1) // PAGE
        out: list[Item] = []
        for page in range(first, last + 1):
            key = (chunk.start, page)
            if key not in self._pages:
                source = chunk.source
                notes = source.notes(offset=page * PAGE, limit=PAGE)
                folded = source.ctx.store.merged_counts(n.id for n in notes)
                self._pages[key] = [source.item(n, folded.get(n.id, 0)) for n in notes]
            out += self._pages[key]
        return out[start - first * PAGE:end - first * PAGE]

    def _item_at(self, row: int) -> Item | None:
        chunk = self._chunk_of_row(row)
        if chunk is None:
            return None
        index = row - chunk.first_row
        found = self._chunk_items(chunk, index, index + 1)
        return found[0] if found else None

    def _line_of_row(self, row: int) -> int:
        chunk = self._chunk_of_row(row)
        return chunk.start + row - chunk.first_row if chunk else 0

    # -- drawing ---------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        """A piece's colour and weight, without a background: the cursor's or the
        selection's shows through every piece of a row, its meta and marks too."""
        full = self.get_component_rich_style(f"board--{name}")
        return Style(color=full.color, bold=full.bold, italic=full.italic, strike=full.strike)

    def _line_style(self, name: str) -> Style:
        return self.rich_style + self.get_component_rich_style(f"board--{name}")

    def render_line(self, y: int) -> Strip:
        line = y + round(self.scroll_y)
        width = self.size.width
        if not self._chunks or line >= self.virtual_size.height:
            return Strip.blank(width, self.rich_style)
        index = bisect.bisect_right(self._starts, line) - 1
        chunk = self._chunks[index]
        offset = line - chunk.start
        if chunk.items is None and chunk.source is None:
            if offset >= len(chunk.lines):
                return Strip.blank(width, self.rich_style)
            text = chunk.lines[offset]
            # By what the line says: a refresh that changed a count redraws that line only.
            key: tuple = ("line", text.plain, tuple(text.spans), text.style, width)
            if key not in self._cache:
                self._cache[key] = self._strip(text, width, self.rich_style)
            return self._cache[key]
        row = chunk.first_row + offset
        items = self._chunk_items(chunk, offset, offset + 1)
        if not items:
            return Strip.blank(width, self.rich_style)
        item = items[0]
        cursor = row == self._cursor
        selected = item.note_id in self.selected
        # By the note and how it shows, not its place: when new notes push the rows down
        # only the new ones are drawn.
        note = item.note
        key = ("row", item.text, item.meta, item.folded, note.id if note else None,
               note.hidden if note else None, note.pending if note else None,
               note.starred if note else None, note.merged_into if note else None,
               note.original if note else None, cursor, selected, width, self.has_focus)
        if key not in self._cache:
            style = self.rich_style
            if cursor:
                style = self._line_style("cursor")
            elif selected:
                style = self._line_style("selected")
            self._cache[key] = self._strip(self._row_text(item, cursor, selected, width),
                                           width, style)
        return self._cache[key]

    def _strip(self, text: RichText, width: int, style: Style) -> Strip:
        """A line on the board's background (or the cursor's), padded to its width."""
        strip = Strip(Segment.simplify(text.render(self.app.console))).apply_style(style)
        return strip.adjust_cell_length(width, style)

    def _row_text(self, item: Item, cursor: bool, selected: bool, width: int) -> RichText:
        """One note on one line: marks, who or where it is from, its text cut to fit."""
        lang = self.app.lang
        note = item.note
        marks = RichText("◉ " if selected else "• ")
        if note is not None and note.starred:
            marks.append("★ ", self._style("star"))
        if item.pending:
            marks.append(f"[{t(lang, 'tui.board.pending')}] ", self._style("pending"))
        if item.hidden:
            marks.append(f"[{t(lang, 'tui.board.hidden')}] ", self._style("muted"))
        if note is not None and note.merged_into is not None:
            marks.append(f"[{t(lang, 'tui.board.merged', id=note.merged_into)}] ",
                         self._style("muted"))
        if note is not None and note.edited:
            marks.append("✎ ", self._style("muted"))
        if item.meta:
            marks.append(f"{item.meta}: ", self._style("meta"))
        # A tab would move the terminal's cursor past the cells counted: one space here.
        first, _, rest = item.text.replace("\t", " ").partition("\n")
        tail = ""
        if item.folded:
            tail = f"  (+{item.folded})"
        room = max(1, width - marks.cell_len - cell_len(tail))
        body = first + (" …" if rest else "")
        if cell_len(body) > room:
            body = set_cell_size(body, room - 1) + "…"
        marks.append(body, self._style("hidden") if item.hidden else "")
        if tail:
            marks.append(tail, self._style("muted"))
        return marks

    def _block_lines(self, block: Block, width: int) -> list[RichText]:
        """A fixed block as lines fitted to the board (wrapped text, fitted tables)."""
        lang = self.app.lang
        if isinstance(block, Heading):
            line = RichText(block.text, self._style("heading"))
            if block.count is not None:
                line.append(f" ({block.count})", self._style("muted"))
            return [*self._wrap(line, width)]
        if isinstance(block, Text):
            style = {"muted": "muted", "strong": "strong", "summary": "summary"}.get(block.style)
            line = RichText(block.text, self._style(style) if style else "")
            return [*self._wrap(line, width), RichText("")]
        if isinstance(block, Items):  # a list of no notes (a vote's options): plain lines
            items = list(block.items)[::-1] if block.newest_first else list(block.items)
            lines: list[RichText] = []
            for item in items:
                line = RichText("• ")
                if item.meta:
                    line.append(f"{item.meta}: ", self._style("meta"))
                line.append(item.text)
                lines += self._wrap(line, width)
            return [*lines, RichText("")] if lines else []
        if isinstance(block, Table):
            return [*self._table_lines(block, width), RichText("")]
        if isinstance(block, Bars):
            return [*self._bar_lines(block, width), RichText("")]
        if isinstance(block, Countdown):
            left = seconds_left(block.deadline)
            if left is None:
                return []
            label = block.label or t(lang, "tui.board.time_left")
            line = RichText(f"{label} ", self._style("strong"))
            line.append(clock(left), self._style("time-up" if left == 0 else "time"))
            return [line, RichText("")]
        return []

    def _wrap(self, text: RichText, width: int) -> list[RichText]:
        text.expand_tabs(4)  # as cells, so a tab in a note never shifts what follows it
        return list(text.wrap(self.app.console, width)) or [RichText("")]

    def _bar_lines(self, block: Bars, width: int) -> list[RichText]:
        top = max((n for _, n in block.rows), default=0) or 1
        label_width = max((cell_len(label) + 2 for label, _ in block.rows), default=0)
        # The labels first (a cut option is unreadable), the bars shorten down to 10.
        label_width = min(label_width, max(12, width - 10 - 6))
        bar_width = min(BAR_WIDTH, max(4, width - label_width - 6))
        lines = []
        for label, n in block.rows:
            shown = f"{label} ◆" if label == block.marker else label
            if cell_len(shown) > label_width:
                shown = set_cell_size(shown, label_width - 1) + "…"
            line = RichText(set_cell_size(shown, label_width),
                            self._style("marker") if label == block.marker else "")
            line.append(" ")
            line.append("█" * round(bar_width * n / top), self._style("bar"))
            line.append(f" {n}")
            lines.append(line)
        return lines

    def _table_lines(self, table: Table, width: int) -> list[RichText]:
        rows = [table.headers, *table.rows]
        natural = [max(cell_len(" ".join(row[i].split())) if i < len(row) else 0 for row in rows)
                   for i in range(len(table.headers))]
        widths = fit_columns(natural, width)

        def cell(text: str, w: int) -> str:
            text = " ".join(text.split())
            if cell_len(text) > w:
                text = set_cell_size(text, w - 1) + "…"
            return set_cell_size(text, w)

        lines = []
        for n, row in enumerate(rows):
            line = " │ ".join(cell(row[i] if i < len(row) else "", w)
                              for i, w in enumerate(widths)).rstrip()
            lines.append(RichText(line, self._style("strong") if n == 0 else ""))
            if n == 0:
                lines.append(RichText("─┼─".join("─" * w for w in widths), self._style("muted")))
        return lines

    # -- the cursor ------------------------------------------------------------------------

    def _set_highlighted(self, item: Item | None) -> None:
        note = item.note if item is not None else None
        self._cursor_note = note.id if note is not None else None
        if note != self._highlighted:
            self._highlighted = note
            self.post_message(self.NoteHighlighted(self, note))

    def _move_to(self, row: int) -> None:
        if not self._rows:
            return
        self._cursor = max(0, min(self._rows - 1, row))
        self._set_highlighted(self._item_at(self._cursor))
        line = self._line_of_row(self._cursor)
        height = self.scrollable_content_region.height or 1
        if line < self.scroll_y:
            self.scroll_to(y=max(0, line - 1), animate=False)
        elif line >= self.scroll_y + height:
            self.scroll_to(y=line - height + 1, animate=False)
        self._repaint()

    def _repaint(self) -> None:
        self.refresh()

    def action_cursor(self, step: int) -> None:
        self._move_to(self._cursor + step)

    def action_page(self, step: int) -> None:
        self._move_to(self._cursor + step * max(1, self.scrollable_content_region.height - 2))

    def action_edge(self, step: int) -> None:
        self._move_to(0 if step < 0 else self._rows - 1)

    def action_toggle_select(self) -> None:
        note = self._highlighted
        if note is None:
            return
        self.selected ^= {note.id}
        self._move_to(self._cursor + 1)

    def on_focus(self) -> None:
        self._repaint()

    def on_blur(self) -> None:
        self._repaint()

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._width:
            self._layout()


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


def now_second() -> int:
    return int(datetime.now(UTC).timestamp())
