"""Modal dialogs the event screen opens: a method's actions, a form of fields (an action's,
the results editor, a card, an agreement), a question, the per-group join links.

What they offer comes from the caller; they only ask and return. A dialog opens with the
cursor in its first field, comes with nothing chosen that the facilitator did not choose,
and never drops typed text silently: Esc on a dialog with changes asks first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from facilitator.i18n import t
from facilitator.methods import Field
from facilitator.tui.widgets.qr import QRCode


class ActionMenu(ModalScreen[str | None]):
    """Pick one of a list of (id, label); dismisses with the id."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Cancel", id="menu_cancel", show=False,
                tooltip="Close the menu without choosing."),
    ]

    def __init__(self, title: str, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._title = title
        self._choices = list(choices)

    def compose(self):
        lang = self.app.lang
        with Vertical(classes="dialog"):
            yield Static(Content.assemble((self._title, "bold")), classes="dialog-title")
            yield OptionList(*[Option(Content(label), id=cid) for cid, label in self._choices],
                             id="actions")
            yield Static(Content(t(lang, "tui.dialog.menu_hint")), classes="dialog-hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """A yes/no question; Enter on the focused button, Esc is no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "no", "No", id="confirm_no", show=False,
                tooltip="Answer no."),
    ]

    def __init__(self, question: str, yes: str = "", no: str = "") -> None:
        super().__init__()
        self._question, self._yes, self._no = question, yes, no

    def compose(self):
        lang = self.app.lang
        with Vertical(classes="dialog"):
            yield Static(Content(self._question), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._yes or t(lang, "tui.dialog.yes"), variant="warning", id="yes")
                yield Button(self._no or t(lang, "tui.dialog.no"), id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # the safe answer is the one a key away

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_no(self) -> None:
        self.dismiss(False)


class FieldsDialog(ModalScreen[dict | None]):
    """Ask some fields; dismisses with {name: value} or None when cancelled.

    `values` are what is already there (a summary written earlier), never a guess.
    A required field left empty is said, in the dialog, instead of closing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog_cancel", show=False,
                tooltip="Cancel (asks first if you have typed something)."),
        Binding("ctrl+s", "save", "Save", id="dialog_save", show=False,
                tooltip="Save and close."),
    ]

    def __init__(self, title: str, fields: Sequence[Field],
                 values: Mapping[str, Any] | None = None, hint: str = "") -> None:
        super().__init__()
        self._title = title
        self._fields = list(fields)
        self._values = dict(values or {})
        self._hint = hint
        self._start: dict[str, str] = {}

    def compose(self):
        lang = self.app.lang
        with Vertical(classes="dialog"):
            yield Static(Content.assemble((self._title, "bold")), classes="dialog-title")
            with VerticalScroll(classes="dialog-fields"):
                for field in self._fields:
                    yield Static(Content(field.label), classes="dialog-label")
                    yield _input_for(field, self._values.get(field.name, ""))
                    if field.hint:
                        yield Static(Content(field.hint), classes="dialog-hint")
            if self._hint:
                yield Static(Content(self._hint), classes="dialog-hint")
            yield Static(id="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t(lang, "tui.dialog.ok"), variant="primary", id="ok")
                yield Button(t(lang, "tui.dialog.cancel"), id="cancel")
            yield Static(Content(t(lang, "tui.dialog.fields_hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        self._start = self.values()
        if self._fields:  # the cursor in the first field: typing goes where it shows
            self.query_one(f"#field-{self._fields[0].name}").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def values(self) -> dict[str, str]:
        values = {}
        for field in self._fields:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, TextArea):
                values[field.name] = widget.text
            elif isinstance(widget, Select):
                values[field.name] = "" if widget.is_blank() else str(widget.value)
            else:
                values[field.name] = widget.value
        return values

    def action_save(self) -> None:
        values = self.values()
        missing = [f for f in self._fields if f.required and not values[f.name].strip()]
        if missing:
            error = t(self.app.lang, "tui.dialog.required", field=missing[0].label)
            self.query_one("#dialog-error", Static).update(Content(error))
            self.query_one(f"#field-{missing[0].name}").focus()
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        if self.values() == self._start:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        lang = self.app.lang
        self.app.push_screen(Confirm(t(lang, "tui.dialog.discard"),
                                     t(lang, "tui.dialog.discard_yes"),
                                     t(lang, "tui.dialog.discard_no")), answered)


def _input_for(field: Field, value: Any):
    wid = f"field-{field.name}"
    if field.kind in ("choice", "select", "scale"):
        # Content, not str: Select parses a plain string as markup, and these labels
        # carry participant text (a point, a topic) — "[/]" would crash the console.
        options = [(Content(label), choice) for choice, label in field.labelled_choices()]
        # Blank allowed always: a select that must start on a value would start on a
        # guess; a required one is checked when saved instead.
        return Select(options, value=value if value in field.choices else Select.NULL,
                      allow_blank=True, id=wid, prompt="—")
    if field.kind == "textarea":
        return TextArea(str(value), id=wid, soft_wrap=True)
    kind = "integer" if field.kind == "number" else "text"
    return Input(str(value), type=kind, max_length=field.max_length, id=wid)


class GroupLinks(ModalScreen[None]):
    """Each group's own join link and QR code, one at a time, to show at its table; `p`
    prints them all as table cards (`on_print`, which the caller runs off the loop)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="groups_close", show=False,
                tooltip="Close the groups' links."),
        Binding("p", "print_cards", "Print cards", id="groups_print",
                tooltip="Write the table cards (every group and workshop) to a file to print."),
    ]

    def __init__(self, title: str, links: list[tuple[str, str]],
                 on_print: Callable[[], None] | None = None) -> None:
        super().__init__()
        self._title = title
        self._links = links
        self._on_print = on_print

    def compose(self):
        lang = self.app.lang
        with Horizontal(classes="dialog wide"):
            with Vertical(id="group-list"):
                yield Static(Content.assemble((self._title, "bold")), classes="dialog-title")
                yield OptionList(*[Option(Content(name)) for name, _ in self._links],
                                 id="groups")
                yield Static(Content(t(lang, "tui.dialog.groups_hint")), classes="dialog-hint")
                if self._on_print is not None:
                    yield Static(Content(t(lang, "cards.tui.print_hint")), classes="dialog-hint")
            with Vertical(id="group-qr-pane"):
                yield QRCode(self._links[0][1], id="group-qr")
                yield Static(Content(self._links[0][1]), id="group-url")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        name, url = self._links[event.option_index]
        self.query_one("#group-qr", QRCode).data = url
        self.query_one("#group-url", Static).update(Content.assemble((name, "bold"), "\n", url))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._on_print is not None if action == "print_cards" else True

    def action_print_cards(self) -> None:
        if self._on_print is not None:
            self._on_print()

    def action_close(self) -> None:
        self.dismiss(None)
