"""The command line: `facilitator` opens the console; subcommands script the same database.

One module per area: `events` (templates, new, list, open, close, next, run, serve),
`notes` (the notes and their moderation), `themes` (teemoittelu), `results` (result, card,
actions), `memo`, `publish`, `archive` (import) and `cards` (table cards);
what they share (options, the store, one-line errors) is in `common`.

Every error a user can cause (unknown event, broken template, unwritable database, busy
port, a note of another event) is one clear line on stderr and exit 1, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import click

from facilitator.cli import (
    archive,
    cards,
    data,
    events,
    memo,
    notes,
    projector,
    publish,
    results,
    themes,
)
from facilitator.cli.common import db_option, host_option, lang_option, port_option


@click.group(invoke_without_command=True)
@db_option
@host_option
@port_option
@lang_option
@click.version_option(package_name="facilitator")
@click.pass_context
def main(ctx: click.Context, db_path: Path | None, host: str, port: int, lang: str):
    """Run participatory seminars: the console, the participant server and the memo.

    With no command, opens the console (creating the bundled seminar on an empty database);
    --host, --port and --lang then apply to it as to `facilitator run`.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(events.run, event=None, host=host, port=port, db_path=db_path, lang=lang)


for _command in (*events.COMMANDS, *notes.COMMANDS, *themes.COMMANDS, *results.COMMANDS,
                 *memo.COMMANDS, *publish.COMMANDS, *data.COMMANDS, *archive.COMMANDS,
                 *projector.COMMANDS, *cards.COMMANDS):
    main.add_command(_command)

__all__ = ["main"]
