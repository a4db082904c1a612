"""A memo file made away from the event loop: the console's export and the published memo.

Building a big memo takes seconds (a PDF of 10,000 contributions most of all), so it runs
in a worker thread, which reads through a connection of its own (`open_reader`) inside
one read transaction: the file is the room at one moment, whatever arrives meanwhile.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from facilitator.domain import Event
from facilitator.i18n import t
from facilitator.memo.formats import FORMATS
from facilitator.memo.model import build_memo
from facilitator.storage import Store
from facilitator.storage.db import open_reader

#: `progress(step, done, total)`: "read" after each part, "render" before the format is
#: drawn (one step: a renderer does not say how far it is).
Progress = Callable[[str, int, int], None]


def file_name(event: Event, fmt: str, lang: str = "fi") -> str:
    """A file name for the event's memo that any system and any mail client takes:
    `muistio-alueellinen-tyopajaseminaari-2.docx` (letters without their accents)."""
    plain = unicodedata.normalize("NFKD", event.title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60].rstrip("-")
    stem = t(lang, "memo.file_stem")
    return f"{stem}-{slug or event.id}{FORMATS[fmt].extension}"


def render_file(database: str | Path, event_id: int, fmt: str, lang: str = "fi",
                progress: Progress | None = None) -> str | bytes:
    """The event's memo in `fmt`, read from the database file through its own connection;
    for a worker thread (`asyncio.to_thread`, a Textual thread worker)."""
    db = open_reader(database)
    try:
        store = Store(db)
        with store.snapshot():
            on_part = None if progress is None else (
                lambda done, total: progress("read", done, total))
            memo = build_memo(store, event_id, lang, on_part=on_part)
            if progress is not None:
                progress("render", 0, 1)
            return FORMATS[fmt].render(store, memo, lang=lang)
    finally:
        db.conn.close()
