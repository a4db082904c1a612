"""Theme suggestions for one activity: groups of related notes, each with a label, for the
facilitator to accept (one or all), rename, trim or reject; more or fewer groups; and
near-duplicates offered as merges. Nothing changes until the facilitator accepts.

The grouping (~0.2 s for 1,000 notes) runs in a thread: the notes are read here, on the
loop's own connection, and only the texts go to the thread, so the console never waits.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from facilitator import themes
from facilitator.domain import Activity
from facilitator.i18n import t
from facilitator.methods import Field, InvalidInput, moderation, theming
from facilitator.tui.screens.base import Writing
from facilitator.tui.screens.dialogs import ActionMenu, Confirm, FieldsDialog
from facilitator.tui.widgets import KeyBar


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class SuggestionsScreen(Writing, ModalScreen[int]):
    """Dismisses with how many steps were taken (the event screen then re-reads)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept", "Accept", id="accept_suggestion",
                tooltip="Make the highlighted group a theme."),
        Binding("A", "accept_all", "Accept all", id="accept_all_suggestions",
                tooltip="Make every group shown a theme."),
        Binding("e", "rename", "Rename", id="rename_suggestion",
                tooltip="Change the highlighted group's label."),
        Binding("d", "drop_note", "Drop a note", id="drop_suggested_note",
                tooltip="Take one note out of the highlighted group."),
        Binding("x", "reject", "Reject", id="reject_suggestion",
                tooltip="Leave the highlighted group out."),
        Binding("plus", "level(1)", "More groups", id="more_groups",
                tooltip="Smaller groups, more of them."),
        Binding("minus", "level(-1)", "Fewer groups", id="fewer_groups",
                tooltip="Bigger groups, fewer of them."),
        Binding("m", "merge", "Merge duplicates", id="merge_duplicates",
                tooltip="Fold near-duplicate notes together, after asking."),
        Binding("escape", "close", "Close", id="close_suggestions",
                tooltip="Back to the board; what was accepted stays."),
    ]

    def __init__(self, event_id: int, activity: Activity) -> None:
        super().__init__()
        self.event_id = event_id
        self.activity = activity
        self.level = 0
        self.found: themes.Suggestions | None = None
        #: The groups as the facilitator has edited them: (label, note ids).
        self.groups: list[tuple[str, list[int]]] = []
        self.texts: dict[int, str] = {}
        self.steps = 0

    def t(self, key: str, **params) -> str:
        return t(self.app.lang, key, **params)

    def compose(self):
        with Vertical(classes="dialog wide", id="suggestions"):
            yield Static(Content.assemble((self.t("tui.themes.suggestions",
                                                  title=self.activity.title), "bold")),
                         classes="dialog-title")
            yield Static(id="suggestions-status", classes="dialog-hint")
            yield OptionList(id="suggested-groups")
            yield Static(id="suggested-duplicates", classes="dialog-hint")
            yield Static(Content(self.t("tui.themes.suggestions_hint")), classes="dialog-hint")
            yield KeyBar()

    def on_mount(self) -> None:
        self.compute()
        self.query_one(OptionList).focus()

    # -- computing, off the loop ----------------------------------------------------------

    def compute(self) -> None:
        notes = theming.unthemed_texts(self.app.store, self.activity)
        self.texts = dict(notes)
        self.query_one("#suggestions-status", Static).update(
            Content(self.t("tui.themes.computing")))
        self.run_worker(self._compute(notes, self.level), exclusive=True, group="suggest")

    async def _compute(self, notes, level: int) -> None:
        found = await asyncio.to_thread(themes.suggest, notes, "fi", level)
        self.found = found
        self.groups = [(g.label, list(g.note_ids)) for g in found.groups]
        self.show()

    def show(self) -> None:
        found = self.found
        if found is None:
            return
        options = []
        for index, (label, ids) in enumerate(self.groups):
            sample = " · ".join(_short(self.texts.get(i, ""), 40) for i in ids[:3])
            options.append(Option(Content.assemble((f"{label} ({len(ids)})", "bold"), "\n  ",
                                                   (sample, "$text-muted")), id=str(index)))
        groups = self.query_one(OptionList)
        was = groups.highlighted or 0
        groups.clear_options()
        groups.add_options(options)
        if options:  # the cursor stays where it was, so a key acts on what is shown
            groups.highlighted = min(was, len(options) - 1)
        status = [self.t("tui.themes.status", count=len(self.groups), level=self.level)]
        if not self.groups:
            status = [self.t("tui.themes.no_suggestions")]
        if found.better_with_voikko:
            status.append(self.t("tui.themes.better_with_voikko"))
        self.query_one("#suggestions-status", Static).update(Content("\n".join(status)))
        pairs = [(a, b) for a, b, _ in found.duplicates if a in self.texts and b in self.texts]
        duplicates = self.t("tui.themes.duplicates", count=len(pairs)) if pairs else ""
        self.query_one("#suggested-duplicates", Static).update(Content(duplicates))

    def highlighted(self) -> int | None:
        index = self.query_one(OptionList).highlighted
        return index if index is not None and index < len(self.groups) else None

    # -- the facilitator's choices -------------------------------------------------------------

    def _refused(self, exc: Exception) -> None:
        if not isinstance(exc, InvalidInput):
            raise exc
        self.notify(self.t(exc.key, **exc.params), severity="error", markup=False)

    def _accept(self, chosen: list[tuple[str, list[int]]]) -> None:
        def done(steps: list) -> None:
            self.steps += len(steps)
            taken = {i for _, ids in chosen for i in ids}
            self.groups = [g for g in self.groups if g not in chosen]
            self.texts = {i: x for i, x in self.texts.items() if i not in taken}
            self.notify(self.t("tui.themes.accepted", count=len(chosen)), markup=False)
            self.show()

        self.write(lambda store: theming.accept(store, self.event_id, self.activity.id,
                                                chosen), done, self._refused)

    def action_accept(self) -> None:
        index = self.highlighted()
        if index is not None:
            self._accept([self.groups[index]])

    def action_accept_all(self) -> None:
        if self.groups:
            self._accept(list(self.groups))

    def action_reject(self) -> None:
        index = self.highlighted()
        if index is not None:
            del self.groups[index]
            self.show()

    def action_rename(self) -> None:
        index = self.highlighted()
        if index is None:
            return
        label, ids = self.groups[index]
        field = Field("title", "text", self.t("tui.themes.label"), max_length=200)

        def saved(values: dict | None) -> None:
            if values is not None and values["title"].strip():
                self.groups[index] = (" ".join(values["title"].split()), ids)
                self.show()

        self.app.push_screen(FieldsDialog(self.t("tui.themes.rename"), [field],
                                          {"title": label}), saved)

    def action_drop_note(self) -> None:
        index = self.highlighted()
        if index is None:
            return
        label, ids = self.groups[index]

        def chosen(note_id: str | None) -> None:
            if note_id:
                kept = [i for i in ids if str(i) != note_id]
                if len(kept) >= 1:
                    self.groups[index] = (label, kept)
                else:
                    del self.groups[index]
                self.show()

        self.app.push_screen(ActionMenu(self.t("tui.themes.drop", label=label),
                                        [(str(i), _short(self.texts.get(i, ""))) for i in ids]),
                             chosen)

    def action_level(self, by: int) -> None:
        found = self.found
        if found is None or not (found.can_more if by > 0 else found.can_fewer):
            self.notify(self.t("tui.themes.no_change"), markup=False)
            return
        self.level += by
        self.compute()

    def action_merge(self) -> None:
        found = self.found
        pairs = [(a, b) for a, b, _ in (found.duplicates if found else ())
                 if a in self.texts and b in self.texts]
        if not pairs:
            self.notify(self.t("tui.themes.no_duplicates"), markup=False)
            return
        choices = [(f"{a},{b}", f"{_short(self.texts[a], 35)}  =  {_short(self.texts[b], 35)}")
                   for a, b in pairs]

        def chosen(pair: str | None) -> None:
            if not pair:
                return
            keep, other = (int(x) for x in pair.split(","))

            def answered(yes: bool | None) -> None:
                if yes:
                    self._merge(keep, other)

            self.app.push_screen(Confirm(self.t("tui.dialog.merge", count=1,
                                                text=_short(self.texts[keep], 80))), answered)

        self.app.push_screen(ActionMenu(self.t("tui.themes.merge_title"), choices), chosen)

    def _merge(self, keep: int, other: int) -> None:
        def done(_) -> None:
            self.steps += 1
            self.texts.pop(other, None)
            self.groups = [(label, [i for i in ids if i != other])
                           for label, ids in self.groups]
            self.notify(self.t("moderation.done.merge", count=2), markup=False)
            self.show()

        self.write(lambda store: moderation.merge(store, self.event_id, keep, [other]),
                   done, self._refused)

    def action_close(self) -> None:
        self.dismiss(self.steps)
