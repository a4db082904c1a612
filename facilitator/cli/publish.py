"""Offering the memo on the participants' page (`publish`), or taking it off."""

from __future__ import annotations

from pathlib import Path

import click

from facilitator.cli.common import db_option, handle_errors, one_line, open_store


@click.command()
@click.argument("event")
@click.option("--unpublish", is_flag=True, help="Take the memo off the participants' page.")
@db_option
@handle_errors
def publish(event: str, unpublish: bool, db_path: Path | None):
    """Offer EVENT's memo on the participants' page: to read (/e/CODE/memo) and to
    download as DOCX and PDF. A running server offers it at once."""
    store = open_store(db_path)
    found = store.find_event(event)
    changed = store.set_memo_published(found.id, not unpublish)
    title = one_line(found.title)
    if unpublish:
        click.echo(f"unpublished the memo of {title}" if changed
                   else f"the memo of {title} was not published")
    else:
        click.echo(f"published the memo of {title}: /e/{found.join_code}/memo" if changed
                   else f"the memo of {title} is already published: /e/{found.join_code}/memo")


COMMANDS = (publish,)
