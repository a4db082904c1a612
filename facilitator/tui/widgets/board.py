"""The live board: one activity's notes, grouped under its headings, newest first."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from facilitator.domain import Activity, Note
from facilitator.i18n import t
from facilitator.methods import Results
from facilitator.tui.widgets.programme import method_name, state_label

#: Notes drawn per heading. A room can send hundreds; drawing them all on every refresh
#: would cost more than it shows, and the newest are the ones the facilitator reads live.
SHOWN_PER_HEADING = 100


class Board(VerticalScroll):
    """Shows what `show()` is given; participant text is always literal, never markup."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple | None = None

    def compose(self):
        yield Static(id="board-title")
        yield Static(id="board-meta")
        yield Static(Content(t(self.app.lang, "tui.board.choose")), id="board-notes")

    def show(self, activity: Activity | None, results: Results) -> None:
        key = (activity, tuple((h, tuple(n)) for h, n in results.groups))
        if key == self._shown:
            return  # nothing new: skip the relayout, which is the costly part
        self._shown = key
        lang = self.app.lang
        title = self.query_one("#board-title", Static)
        meta = self.query_one("#board-meta", Static)
        notes = self.query_one("#board-notes", Static)
        if activity is None:
            title.update(Content(""))
            meta.update(Content(""))
            notes.update(Content(t(lang, "tui.board.choose")))
            return
        title.update(Content.assemble((activity.title, "bold")))
        meta_parts: list = [
            state_label(lang, activity.state),
            " · ",
            method_name(lang, activity.method),
            " · ",
            t(lang, "tui.board.count", count=results.total),
        ]
        if activity.prompt:
            meta_parts += ["\n", (activity.prompt, "italic")]
        meta.update(Content.assemble(*meta_parts))
        notes.update(self._notes_content(lang, results))

    @staticmethod
    def _notes_content(lang: str, results: Results) -> Content:
        parts: list = []
        if results.total == 0:
            parts += [(t(lang, "tui.board.empty"), "$text-muted"), "\n\n"]
        for heading, notes in results.groups:
            if heading or len(results.groups) > 1:
                label = heading or t(lang, "tui.board.other")
                parts += [(label, "bold $text-accent"), (f" ({len(notes)})", "$text-muted"), "\n"]
            for note in reversed(notes[-SHOWN_PER_HEADING:]):
                parts += _note_pieces(lang, note)
            if len(notes) > SHOWN_PER_HEADING:
                older = t(lang, "tui.board.older", count=len(notes) - SHOWN_PER_HEADING)
                parts += [(older, "$text-muted"), "\n"]
            parts.append("\n")
        return Content.assemble(*parts).rstrip()


def _note_pieces(lang: str, note: Note) -> list:
    # A hanging indent keeps a multi-line note visibly one note.
    text = note.text.replace("\n", "\n  ")
    if note.hidden:
        return ["• ", (f"({t(lang, 'tui.board.hidden')}) {text}", "$text-muted strike"), "\n"]
    return ["• ", text, "\n"]
