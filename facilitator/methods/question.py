"""Open question: free notes, optionally under the sub-headings the template gives.

Also the shared pieces every note-taking method uses: cleaning typed text, reading a
text field with its limits, and listing notes as blocks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from facilitator.domain import Note
from facilitator.methods.base import (
    MAX_NOTE_CHARS,
    Block,
    Context,
    Field,
    Form,
    Heading,
    InvalidInput,
    Item,
    Items,
    Method,
    Posted,
    Receipt,
    Text,
    View,
)

#: Control characters (category Cc) but tab and newline, and lone surrogates (Cs).
_UNSENDABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Keep what was typed; drop only what no one means to send.

    Normalised to NFC so "ä" typed two ways is one letter; control characters other than
    newlines and tabs are removed (they break terminals and exports); ends are trimmed.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _UNSENDABLE.sub("", text).strip()


def visible(text: str) -> bool:
    """Whether the text has anything to read: not only spaces, zero-width characters or
    byte-order marks (a note of those is an empty row on every screen)."""
    return any(not unicodedata.category(ch).startswith(("Z", "C")) for ch in text)


def read_text(
    posted: Posted, name: str, *, required: bool = True, limit: int = MAX_NOTE_CHARS,
    one_line: bool = False,
) -> str:
    """A text field, cleaned; empty when optional and left blank."""
    text = clean_text(posted.get(name, ""))
    if one_line:
        text = " ".join(text.split())
    if not visible(text):
        text = ""
    if required and not text:
        raise InvalidInput("methods.error.empty_note", status=422, field=name)
    if len(text) > limit:
        raise InvalidInput("methods.error.note_too_long", status=413, limit=limit, field=name)
    return text


def read_choice(posted: Posted, name: str, choices: Iterable[str], error_key: str) -> str:
    value = posted.get(name, "")
    if value not in tuple(choices):
        raise InvalidInput(error_key, status=422, field=name)
    return value


def note_items(
    notes: Iterable[Note], meta: Callable[[Note], str] | None = None, newest_first: bool = True
) -> Items:
    return Items(tuple(Item(n.text, meta(n) if meta else "", n) for n in notes),
                 newest_first=newest_first)


def grouped(notes: Iterable[Note], headings: Iterable[str], key=lambda n: n.heading):
    """Notes under each heading in the given order; a heading no longer in the template
    still keeps its notes, after the others (nothing is lost)."""
    out: dict[str, list[Note]] = {h: [] for h in headings}
    for note in notes:
        out.setdefault(key(note), []).append(note)
    return out


class QuestionMethod(Method):
    id = "question"
    #: Shown when the activity has no headings of its own (the seed methods' fallbacks).
    headings_key = ""

    def headings(self, ctx: Context) -> tuple[str, ...]:
        activity = ctx.activity
        if activity.headings or not self.headings_key:
            return activity.headings
        return tuple(activity.config.get(self.headings_key, ()))

    def phone_key(self, ctx: Context) -> tuple:
        return ("everyone",)  # the form alone, the same on every phone

    def participant_view(self, ctx: Context) -> View:
        if ctx.activity.state != "open":
            return []
        fields = []
        headings = self.headings(ctx)
        if headings:
            fields.append(Field("heading", "choice", ctx.t("methods.field.heading"),
                                choices=headings))
        fields.append(Field("text", "textarea", ctx.t("methods.field.note")))
        return [Form("note", tuple(fields), ctx.t("methods.send"))]

    def submit(self, ctx: Context, form: str, posted: Posted) -> Receipt:
        text = read_text(posted, "text")
        headings = self.headings(ctx)
        heading = posted.get("heading", "")
        if headings or heading:
            heading = read_choice(posted, "heading", headings, "methods.error.choose_heading")
        return Receipt(ctx.add_note(text, heading))

    def _blocks(self, ctx: Context, live: bool) -> list[Block]:
        """Notes under each heading in the template's order (a heading no longer in the
        template keeps its notes, after the others; notes without one last). Counted in
        SQL and read when drawn: a refresh costs the headings, not the notes."""
        counts = ctx.count_by("heading")
        headings = self.headings(ctx)
        if not headings and set(counts) <= {""}:
            return [ctx.note_list(newest_first=live, count=counts.get("", 0),
                                  by_theme=not live)] if counts else []
        order = [*headings, *sorted(h for h in counts if h not in headings and h),
                 *([""] if "" in counts and "" not in headings else [])]
        blocks: list[Block] = []
        for heading in order:
            count = counts.get(heading, 0)
            if not live and not count:
                continue
            # The console counts, the memo lists.
            blocks.append(Heading(heading or ctx.t("methods.other"), count if live else None))
            if count:
                blocks.append(ctx.note_list(newest_first=live, count=count, heading=heading,
                                            by_theme=not live))
        return blocks

    def live_view(self, ctx: Context) -> list[Block]:
        blocks = self._blocks(ctx, live=True)
        if not ctx.count():
            blocks.insert(0, Text(ctx.t("methods.no_notes_yet"), "muted"))
        return blocks

    def memo_view(self, ctx: Context) -> list[Block]:
        return self._blocks(ctx, live=False)
