"""Table cards: each group's (and each parallel workshop's) QR code and address, printed."""

from __future__ import annotations

from pathlib import Path

import click

from facilitator.cli.common import (
    ID,
    Refused,
    db_option,
    event_activity,
    handle_errors,
    host_option,
    lang_option,
    open_store,
    port_option,
    public_url_option,
)
from facilitator.cli.memo import _database_file, _write_export


@click.command()
@click.argument("event")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file: .html (print it from a browser) or .pdf (needs the pdf extra).")
@click.option("--activity", type=ID, default=None,
              help="Only this activity's groups (default: every group and workshop).")
@host_option
@port_option
@public_url_option
@lang_option
@db_option
@handle_errors
def cards(event: str, output: Path, activity: int | None, host: str, port: int,
          public_url: str | None, lang: str, db_path: Path | None):
    """Table cards of EVENT: one per group (its name, QR code and address), and one per
    parallel workshop, two to an A4 sheet. The addresses start as the console's QR code
    does: the LAN address of `--host`/`--port`, or `--public-url`."""
    from facilitator.web import cards as table_cards
    from facilitator.web.netinfo import base_urls

    store = open_store(db_path)
    found = store.find_event(event)
    if activity is not None:
        event_activity(store, found, activity)
    base = base_urls(host, port, public_url)[0]
    listed = table_cards.cards(store, found.id, base, activity)
    if not listed:
        raise Refused(f"event {found.id} has no groups or workshops to print cards for")
    html = table_cards.layout(found, listed, lang)
    data: str | bytes = html
    if output.suffix.lower() == ".pdf":
        from facilitator.memo.pdf import PdfUnavailable

        try:
            data = table_cards.render_pdf(html)
        except PdfUnavailable:
            raise Refused("PDF cards need WeasyPrint: pip install 'facilitator[pdf]' (and"
                          " Debian's libpango-1.0-0 libpangoft2-1.0-0); -o cards.html"
                          " prints from a browser without it") from None
    _write_export(output, data, _database_file(store))
    click.echo(f"{output}\t{len(listed)} cards")


COMMANDS = (cards,)
