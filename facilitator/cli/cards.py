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
)
from facilitator.cli.memo import _database_file, _write_export


def join_base(host: str, port: int, base_url: str | None) -> str:
    """The base of the addresses, as the console builds it for its QR codes: the LAN
    address the server listens on (`--host`, `--port`), or `--base-url` as given (a
    public address behind a proxy)."""
    if base_url:
        if not base_url.startswith(("http://", "https://")) or len(base_url) > 200:
            raise Refused(f"--base-url must be an http:// or https:// address, not {base_url!r}")
        return base_url.rstrip("/")
    from facilitator.web.netinfo import base_urls

    return base_urls(host, port)[0]


@click.command()
@click.argument("event")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file: .html (print it from a browser) or .pdf (needs the pdf extra).")
@click.option("--activity", type=ID, default=None,
              help="Only this activity's groups (default: every group and workshop).")
@host_option
@port_option
@click.option("--base-url", default=None,
              help="The addresses' start, e.g. https://seminaari.example.fi (default: from"
                   " --host and --port, as the console's QR code).")
@lang_option
@db_option
@handle_errors
def cards(event: str, output: Path, activity: int | None, host: str, port: int,
          base_url: str | None, lang: str, db_path: Path | None):
    """Table cards of EVENT: one per group (its name, QR code and address), and one per
    parallel workshop, two to an A4 sheet."""
    from facilitator.web import cards as table_cards

    store = open_store(db_path)
    found = store.find_event(event)
    if activity is not None:
        event_activity(store, found, activity)
    listed = table_cards.cards(store, found.id, join_base(host, port, base_url), activity)
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
