"""The memo (muistio): printed in a terminal, plain Markdown to a pipe, or written to a file."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from facilitator.cli.common import Refused, db_option, handle_errors, lang_option, open_store
from facilitator.memo.formats import FORMATS, from_path
from facilitator.storage import Store


@click.command()
@click.argument("event")
@click.option("--format", "fmt", type=click.Choice([*FORMATS]), default=None,
              help="md, html, docx, pdf, xlsx, csv or json (the event's whole archive, for"
                   " `facilitator import`); by default from the file's extension, else md.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of printing.")
@lang_option
@db_option
@handle_errors
def memo(event: str, fmt: str | None, output: Path | None, lang: str, db_path: Path | None):
    """The seminar memo (muistio) of EVENT; `--format json` is instead the event's whole
    archive (hidden notes and the moderation history too), which `facilitator import`
    loads."""
    if fmt is None:
        fmt = (from_path(output) if output is not None else None) or "md"
    spec = FORMATS[fmt]
    if spec.binary and output is None and sys.stdout.isatty():
        raise Refused(f"{fmt} is a binary format: give a file with -o (or redirect)")
    store = open_store(db_path)
    event_id = store.find_event(event).id
    from facilitator.memo.pdf import PdfUnavailable

    try:
        text = spec.render_event(store, event_id, lang=lang)
    except PdfUnavailable as error:
        raise Refused(str(error)) from None
    if output is None:
        if isinstance(text, bytes):  # to a pipe or a redirect, as it is
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
            return
        if not sys.stdout.isatty():  # `facilitator memo 1 > muistio.md` gets Markdown
            click.echo(text, nl=False)
            return
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text) if fmt == "md" else text, markup=False,
                        highlight=False)
        return
    _write_export(output, text, _database_file(store))
    click.echo(str(output))


def _database_file(store: Store) -> Path | None:
    row = store.db.execute("PRAGMA database_list").fetchone()
    return Path(row[2]).resolve() if row and row[2] else None


def _write_export(output: Path, text: str | bytes, database: Path | None) -> None:
    """Write atomically (a complete file or none), and never over the seminar's data."""
    target = output.resolve()
    if database is not None and target in {
        database, Path(f"{database}-wal"), Path(f"{database}-shm")
    }:
        raise Refused(f"{output} is the database itself; choose another file")
    if target.is_file():
        with target.open("rb") as fh:
            if fh.read(16) == b"SQLite format 3\x00":
                raise Refused(f"{output} is an SQLite database; choose another file")
    if not target.parent.is_dir():
        raise Refused(f"{output}: no such directory {target.parent}")
    if target.is_dir():
        raise Refused(f"{output} is a directory; give a file name")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


COMMANDS = (memo,)
