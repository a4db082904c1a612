"""The event screen's memo: exporting it to a file at any time, and publishing it on the
participants' page.

A mixin of `EventScreen` (its bindings are declared there, with the others). The export
runs in a thread worker of the app, reading through a connection of its own
(`memo.export.render_file`): the console never waits for it, and it finishes even if the
facilitator leaves the event meanwhile. A status line under the board says how far it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static

from facilitator.i18n import t
from facilitator.memo.export import ExportRefused, file_name, render_file, write_file
from facilitator.memo.formats import FORMATS
from facilitator.tui.screens.dialogs import Confirm

#: The format the dialog starts on: what municipalities and colleges edit in.
DEFAULT_FORMAT = "docx"


def format_label(lang: str, name: str) -> str:
    """A format's name in the dialog: the catalogue's, else the registry's own name."""
    key = f"tui.export.format_{name}"
    text = t(lang, key)
    return text if text != key else name


def _one_line(error: Exception, output: Path) -> str:
    """Why an export failed, for the facilitator: an unwritable path as the system says it."""
    if isinstance(error, OSError) and error.strerror and not isinstance(error, ExportRefused):
        text = f"{output}: {error.strerror}"
    else:
        text = str(error) or type(error).__name__
    return " ".join(text.split())


class ExportDialog(ModalScreen[tuple[str, str] | None]):
    """Ask the format (every one the registry has) and the file; dismisses with both."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export_cancel", show=False,
                tooltip="Close without exporting."),
    ]

    def __init__(self, title: str, folder: Path, names: dict[str, str]) -> None:
        super().__init__()
        self._title = title
        self._folder = folder
        self._names = names  # format → the suggested file name
        self._suggested = ""

    def compose(self):
        lang = self.app.lang
        fmt = DEFAULT_FORMAT if DEFAULT_FORMAT in self._names else next(iter(self._names))
        self._suggested = str(self._folder / self._names[fmt])
        with Vertical(classes="dialog"):
            yield Static(Content.assemble((self._title, "bold")), classes="dialog-title")
            yield Static(Content(t(lang, "tui.export.format")), classes="dialog-label")
            yield Select([(Content(format_label(lang, name)), name) for name in self._names],
                         value=fmt, allow_blank=False, id="export-format")
            yield Static(Content(t(lang, "tui.export.path")), classes="dialog-label")
            yield Input(self._suggested, id="export-path")
            yield Static(id="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t(lang, "tui.export.ok"), variant="primary", id="ok")
                yield Button(t(lang, "tui.dialog.cancel"), id="cancel")
            yield Static(Content(t(lang, "tui.export.hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#export-format", Select).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        # The suggested name follows the format; a path the facilitator typed stays.
        path = self.query_one("#export-path", Input)
        if event.value in self._names and path.value == self._suggested:
            self._suggested = str(self._folder / self._names[str(event.value)])
            path.value = self._suggested

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._done()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._done()

    def _done(self) -> None:
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.query_one("#dialog-error", Static).update(
                Content(t(self.app.lang, "tui.export.no_path")))
            return
        self.dismiss((str(self.query_one("#export-format", Select).value), path))

    def action_cancel(self) -> None:
        self.dismiss(None)


class MemoActions:
    """Needs the screen's `app`, `event`, `t`, `notify` and a `#export-status` Static."""

    def action_export_memo(self) -> None:
        store = self.app.store
        folder = Path(store.path).parent if store.path else Path.cwd()
        # The memo speaks the event's language, whatever the console's (file name too).
        names = {name: file_name(self.event, name, self.event.lang) for name in FORMATS}

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer is not None:
                self.export_memo(*answer)

        self.app.push_screen(ExportDialog(self.t("tui.export.title"), folder, names), chosen)

    def export_memo(self, fmt: str, path: str) -> None:
        """Build and write the memo in a thread; progress under the board, then a note of
        where the file went (or, in one line, why it did not)."""
        app, lang = self.app, self.app.lang
        database, event_id, memo_lang = app.store.path, self.event.id, self.event.lang
        output = Path(path).expanduser()
        label = format_label(lang, fmt)

        def say(text: str) -> None:  # from the worker thread
            app.call_from_thread(self._export_status, text)

        def progress(step: str, done: int, total: int) -> None:
            if step == "read":
                say(t(lang, "tui.export.reading", format=label, done=done, total=total))
            else:
                say(t(lang, "tui.export.rendering", format=label))

        def work() -> None:
            try:
                data = render_file(database, event_id, fmt, memo_lang, progress)
                say(t(lang, "tui.export.writing", path=str(output)))
                write_file(output, data, database)
            except Exception as error:  # any failure is one line, never a crashed console
                app.call_from_thread(self._export_done, "", _one_line(error, output))
            else:
                app.call_from_thread(self._export_done, str(output.resolve()), "")

        self._export_status(t(lang, "tui.export.started", format=label))
        app.run_worker(work, thread=True, group="export", name=f"export {fmt}")

    def _export_status(self, text: str) -> None:
        for status in self.query("#export-status"):  # none once the screen is gone
            status.update(Content(text))
            status.set_class(bool(text), "-running")

    def _export_done(self, where: str, error: str) -> None:
        self._export_status("")
        if error:
            self.app.notify(t(self.app.lang, "tui.export.failed", detail=error),
                            severity="error", markup=False)
        else:
            self.app.notify(t(self.app.lang, "tui.export.done", path=where), markup=False,
                            timeout=10)

    # -- publishing --------------------------------------------------------------------------

    def memo_address(self) -> str:
        base = self.app.base_urls[0].rstrip("/") if self.app.base_urls else ""
        return f"{base}/e/{self.event.join_code}/memo"

    def action_publish_memo(self) -> None:
        """Publish the memo on the participants' page after asking (they then read every
        visible note in it), or take it off at once."""
        event_id = self.event.id
        if self.app.store.memo_published(event_id):

            def unpublished(_) -> None:
                self.notify(self.t("tui.notify.unpublished"), markup=False)
                self.refresh_bindings()

            # On the writer thread (the screen's `write`), like every console write.
            self.write(lambda store: store.set_memo_published(event_id, False), unpublished)
            return

        def published(_) -> None:
            self.notify(self.t("tui.notify.published", url=self.memo_address()),
                        markup=False, timeout=10)
            self.refresh_bindings()

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(lambda store: store.set_memo_published(event_id, True), published)

        self.app.push_screen(Confirm(self.t("tui.dialog.publish"),
                                     self.t("tui.dialog.publish_yes"),
                                     self.t("tui.dialog.cancel")), answered)
