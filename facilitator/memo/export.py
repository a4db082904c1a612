"""A memo file made away from the event loop: the console's export and the published memo.

Building a big memo takes seconds (a PDF of 10,000 contributions most of all), so it runs
in a worker thread, which reads through a connection of its own (`open_reader`) inside
one read transaction: the file is the room at one moment, whatever arrives meanwhile.
"""

from __future__ import annotations

import os
import re
import tempfile
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


class ExportRefused(ValueError):
    """The file cannot be written there; the message is one line for the facilitator."""


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
    if not str(database):  # another connection to ":memory:" would be another database
        raise ValueError("an in-memory database cannot be read from another thread")
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


def write_file(output: Path, data: str | bytes, database: str | Path | None = None) -> None:
    """Write atomically (a complete file or none), and never over the seminar's data."""
    target = Path(output).expanduser().resolve()
    if database:
        db = Path(database).resolve()
        if target in {db, Path(f"{db}-wal"), Path(f"{db}-shm")}:
            raise ExportRefused(f"{output} is the database itself; choose another file")
    if target.is_file():
        with target.open("rb") as fh:
            if fh.read(16) == b"SQLite format 3\x00":
                raise ExportRefused(f"{output} is an SQLite database; choose another file")
    if not target.parent.is_dir():
        raise ExportRefused(f"{output}: no such directory {target.parent}")
    if target.is_dir():
        raise ExportRefused(f"{output} is a directory; give a file name")
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                   suffix=".tmp")
    except OSError as error:
        raise ExportRefused(f"{output}: {error.strerror or error}") from error
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
