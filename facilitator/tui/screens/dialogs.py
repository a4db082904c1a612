"""Modal dialogs the event screen opens: a method's actions, an action's fields, and the
per-group join links. What they offer comes from the method; they only ask and return."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from facilitator.i18n import t
from facilitator.methods import Action, Field
from facilitator.tui.widgets.qr import QRCode


class ActionMenu(ModalScreen[str | None]):
    """Pick one of the running method's actions; dismisses with its id."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", show=False)]

    def __init__(self, title: str, actions: list[Action]) -> None:
        super().__init__()
        self._title = title
        self._actions = actions

    def compose(self):
        lang = self.app.lang
        with Vertical(classes="dialog"):
            yield Static(Content.assemble((self._title, "bold")), classes="dialog-title")
            yield OptionList(*[Option(Content(a.label), id=a.id) for a in self._actions],
                             id="actions")
            yield Static(Content(t(lang, "tui.dialog.menu_hint")), classes="dialog-hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class ActionDialog(ModalScreen[dict | None]):
    """Ask an action's fields; dismisses with {name: value} or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, action: Action) -> None:
        super().__init__()
        self.action_spec = action

    def compose(self):
        lang = self.app.lang
        action = self.action_spec
        with Vertical(classes="dialog"):
            yield Static(Content.assemble((action.label, "bold")), classes="dialog-title")
            with VerticalScroll(classes="dialog-fields"):
                for field in action.fields:
                    yield Static(Content(field.label), classes="dialog-label")
                    yield _input_for(field, action.values.get(field.name, ""))
            yield Static(id="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t(lang, "tui.dialog.ok"), variant="primary", id="ok")
                yield Button(t(lang, "tui.dialog.cancel"), id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.dismiss(self.values())
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(self.values())

    def values(self) -> dict[str, str]:
        values = {}
        for field in self.action_spec.fields:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, TextArea):
                values[field.name] = widget.text
            elif isinstance(widget, Select):
                values[field.name] = "" if widget.is_blank() else str(widget.value)
            else:
                values[field.name] = widget.value
        return values

    def action_cancel(self) -> None:
        self.dismiss(None)


def _input_for(field: Field, value: str):
    wid = f"field-{field.name}"
    if field.kind in ("choice", "select", "scale"):
        # Content, not str: Select parses a plain string as markup, and these labels
        # carry participant text (a point, a topic) — "[/]" would crash the console.
        options = [(Content(label), choice) for choice, label in field.labelled_choices()]
        return Select(options, value=value if value in field.choices else Select.NULL,
                      allow_blank=not field.required, id=wid)
    if field.kind == "textarea":
        return TextArea(str(value), id=wid, soft_wrap=True)
    kind = "integer" if field.kind == "number" else "text"
    return Input(str(value), type=kind, max_length=field.max_length, id=wid)


class GroupLinks(ModalScreen[None]):
    """Each group's own join link and QR code, one at a time, to show at its table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", show=False),
    ]

    def __init__(self, title: str, links: list[tuple[str, str]]) -> None:
        super().__init__()
        self._title = title
        self._links = links

    def compose(self):
        lang = self.app.lang
        with Horizontal(classes="dialog wide"):
            with Vertical(id="group-list"):
                yield Static(Content.assemble((self._title, "bold")), classes="dialog-title")
                yield OptionList(*[Option(Content(name)) for name, _ in self._links],
                                 id="groups")
                yield Static(Content(t(lang, "tui.dialog.groups_hint")), classes="dialog-hint")
            with Vertical(id="group-qr-pane"):
                yield QRCode(self._links[0][1], id="group-qr")
                yield Static(Content(self._links[0][1]), id="group-url")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        name, url = self._links[event.option_index]
        self.query_one("#group-qr", QRCode).data = url
        self.query_one("#group-url", Static).update(Content.assemble((name, "bold"), "\n", url))

    def action_close(self) -> None:
        self.dismiss(None)
