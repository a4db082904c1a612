"""The agreements (Sovitut toimenpiteet): Mitä – Kuka – Mihin mennessä, added, edited and
removed from the console; the memo has them as a table."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from facilitator.i18n import t
from facilitator.methods import Field
from facilitator.methods.base import MAX_LINE_CHARS
from facilitator.tui.screens.base import Writing
from facilitator.tui.screens.dialogs import Confirm, FieldsDialog


class AgreementsScreen(Writing, ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a,plus", "add", "Add", id="agreement_add",
                tooltip="Add an agreement: what, who, by when."),
        Binding("e,enter", "edit", "Edit", id="agreement_edit",
                tooltip="Edit the highlighted agreement."),
        Binding("d,delete", "remove", "Remove", id="agreement_remove",
                tooltip="Remove the highlighted agreement (asks first)."),
        Binding("escape", "close", "Close", id="agreement_close",
                tooltip="Back to the board."),
    ]

    def __init__(self, event_id: int) -> None:
        super().__init__()
        self.event_id = event_id

    def compose(self):
        lang = self.app.lang
        with Vertical(classes="dialog wide", id="agreements"):
            yield Static(Content.assemble((t(lang, "tui.agreements.title"), "bold")),
                         classes="dialog-title")
            yield OptionList(id="agreement-list")
            yield Static(id="agreements-empty", classes="dialog-hint")
            yield Static(Content(t(lang, "tui.agreements.hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()

    def reload(self, keep: int | None = None) -> None:
        lang = self.app.lang
        items = self.app.store.action_items(self.event_id)
        listing = self.query_one(OptionList)
        listing.clear_options()
        for item in items:
            parts = [(item.what, "bold")]
            if item.who:
                parts += ["  ·  ", (f"{t(lang, 'memo.who')}: {item.who}", "$text-muted")]
            if item.due:
                parts += ["  ·  ", (f"{t(lang, 'memo.due')}: {item.due}", "$text-muted")]
            listing.add_option(Option(Content.assemble(*parts), id=str(item.id)))
        if keep is not None:
            ids = [str(i.id) for i in items]
            if str(keep) in ids:
                listing.highlighted = ids.index(str(keep))
        self.query_one("#agreements-empty", Static).update(
            Content("" if items else t(lang, "tui.agreements.empty")))

    def _current(self) -> int | None:
        listing = self.query_one(OptionList)
        if listing.highlighted is None or not listing.option_count:
            return None
        return int(listing.get_option_at_index(listing.highlighted).id)

    def _fields(self) -> list[Field]:
        lang = self.app.lang
        return [Field("what", "text", t(lang, "memo.what"), max_length=MAX_LINE_CHARS * 5),
                Field("who", "text", t(lang, "memo.who"), required=False,
                      max_length=MAX_LINE_CHARS),
                Field("due", "text", t(lang, "memo.due"), required=False,
                      max_length=MAX_LINE_CHARS, hint=t(lang, "tui.agreements.due_hint"))]

    def action_add(self) -> None:
        def saved(values: dict | None) -> None:
            if not values:
                return

            def done(item) -> None:
                self.reload(keep=item.id)
                self.notify(t(self.app.lang, "tui.agreements.added"), markup=False)

            what, who, due = (values[k].strip() for k in ("what", "who", "due"))
            self.write(lambda store: store.add_action_item(self.event_id, what, who, due),
                       done)

        self.app.push_screen(FieldsDialog(t(self.app.lang, "tui.agreements.add"),
                                          self._fields()), saved)

    def action_edit(self) -> None:
        item_id = self._current()
        if item_id is None:
            return
        item = self.app.store.action_item(self.event_id, item_id)

        def saved(values: dict | None) -> None:
            if values:
                what, who, due = (values[k].strip() for k in ("what", "who", "due"))
                self.write(lambda store: store.update_action_item(
                    self.event_id, item_id, what=what, who=who, due=due),
                    lambda _: self.reload(keep=item_id))

        self.app.push_screen(FieldsDialog(
            t(self.app.lang, "tui.agreements.edit"), self._fields(),
            {"what": item.what, "who": item.who, "due": item.due}), saved)

    def action_remove(self) -> None:
        item_id = self._current()
        if item_id is None:
            return
        item = self.app.store.action_item(self.event_id, item_id)

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(lambda store: store.remove_action_item(self.event_id, item_id),
                           lambda _: self.reload())

        self.app.push_screen(Confirm(t(self.app.lang, "tui.agreements.remove", what=item.what)),
                             answered)

    def action_close(self) -> None:
        self.dismiss(None)
