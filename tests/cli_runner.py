"""Run the command line in-process over a real database file, as the CLI tests do."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from facilitator.cli import main


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str


def invoke(db: Path, *args: str, input: str | None = None) -> Ran:
    """`facilitator --db DB ARGS…`; an exception other than the CLI's own exit fails here,
    so a traceback can never pass for a refusal."""
    result = CliRunner().invoke(main, ["--db", str(db), *map(str, args)], input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def ok(db: Path, *args: str, input: str | None = None) -> str:
    ran = invoke(db, *args, input=input)
    assert ran.code == 0, ran.stderr
    return ran.stdout


def refused(db: Path, *args: str, input: str | None = None) -> str:
    """The one-line refusal (without its `facilitator: `), after checking that it is one
    line, exit 1, and that the database is as it was."""
    before = dump(db)
    ran = invoke(db, *args, input=input)
    assert ran.code == 1, (ran.stdout, ran.stderr)
    assert ran.stdout == ""
    assert ran.stderr.startswith("facilitator: ") and ran.stderr.count("\n") == 1, ran.stderr
    assert dump(db) == before
    return ran.stderr.removeprefix("facilitator: ").rstrip("\n")


def dump(db: Path) -> list[str]:
    """Everything the database holds, as SQL."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()
