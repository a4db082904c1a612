"""The console's "print cards": the table cards written to a file, off the event loop.

The cards are read from the store on the loop's thread (a few small queries: the store's
connection belongs to the loop); laying them out and writing the file, the slow part,
run in a worker thread, and the console says where the file went.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from textual.screen import Screen

from facilitator.i18n import t
from facilitator.web import cards


def cards_path(store_path: str, code: str) -> Path:
    """Beside the database (as the console's log is), named for the event's code."""
    folder = Path(store_path).resolve().parent if store_path else Path.cwd()
    return folder / f"poytakortit-{code}.html"


def _write(path: Path, text: str) -> None:
    """A complete file or none: a half-written page must not be printed."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_cards_in_worker(screen: Screen, event_id: int, base: str) -> None:
    app = screen.app
    store = app.store
    event = store.event(event_id)
    found = cards.cards(store, event_id, base)
    path = cards_path(store.path, event.join_code)
    lang = app.lang

    def work() -> None:
        try:
            _write(path, cards.layout(event, found, lang))
        except OSError as exc:
            app.call_from_thread(app.notify, t(lang, "cards.tui.failed", detail=str(exc)),
                                 severity="error", markup=False)
        else:
            app.call_from_thread(app.notify, t(lang, "cards.tui.written", count=len(found),
                                               path=str(path)), markup=False, timeout=15)

    screen.run_worker(work, thread=True, group="cards", exit_on_error=False)
