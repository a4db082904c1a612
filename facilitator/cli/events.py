"""Events and their activities: templates, new, list, open, close, next, run, serve."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import click

from facilitator import methods, templates
from facilitator.cli.common import (
    ID,
    LANG,
    Refused,
    db_option,
    event_activity,
    handle_errors,
    host_option,
    json_option,
    lang_option,
    log_option,
    open_store,
    port_option,
    public_url_option,
    start_log,
    trust_proxy_option,
)
from facilitator.domain.codes import LENGTH, ONLINE_LENGTH
from facilitator.methods.base import InvalidInput
from facilitator.storage import Store

#: What the console opens on an empty database, so a new user sees a working console.
DEFAULT_TEMPLATE = "seminaari-2"


@click.command("templates")
@json_option
@db_option  # accepted as by every command, though templates are not in the database
@handle_errors
def list_templates(as_json: bool, db_path: Path | None):
    """The bundled event templates."""
    infos = templates.bundled()
    if as_json:
        click.echo(json.dumps([{"name": i.name, "title": i.title} for i in infos],
                              ensure_ascii=False, indent=2))
        return
    width = max(len(i.name) for i in infos)
    for info in infos:
        click.echo(f"{info.name:<{width}}  {info.title}")


@click.command()
@click.argument("template")
@click.option("--online", is_flag=True,
              help="A 10-letter join code, for an event on the internet (`serve`).")
@json_option
@db_option
@handle_errors
def new(template: str, online: bool, as_json: bool, db_path: Path | None):
    """Create an event from TEMPLATE (a bundled name or a path to a .toml file)."""
    event_template = templates.load(templates.resolve(template))  # fails before any write
    event = open_store(db_path).create_event(
        event_template, code_length=ONLINE_LENGTH if online else LENGTH
    )
    if as_json:
        click.echo(json.dumps({"id": event.id, "join_code": event.join_code, "title": event.title},
                              ensure_ascii=False))
    else:
        click.echo(f"{event.id}\t{event.join_code}\t{event.title}")


def _event_json(store: Store, event) -> dict:
    return {
        "id": event.id,
        "title": event.title,
        "join_code": event.join_code,
        "template": event.template,
        "participants": store.participant_count(event.id),
        "activities": [
            {"id": a.id, "method": a.method, "title": a.title, "state": a.state,
             "notes": store.note_count(a.id)}
            for a in store.activities(event.id)
        ],
    }


@click.command("list")
@json_option
@db_option
@handle_errors
def list_events(as_json: bool, db_path: Path | None):
    """The events in the database, with their activities."""
    store = open_store(db_path)
    events = [_event_json(store, e) for e in store.events()]
    if as_json:
        click.echo(json.dumps(events, ensure_ascii=False, indent=2))
        return
    for event in events:
        click.echo(f"{event['id']}\t{event['join_code']}\t{event['title']}")
        for a in event["activities"]:
            click.echo(f"    {a['id']:>4}  {a['state']:<6}  {a['method']:<12}  {a['title']}")


def _set_state(db_path: Path | None, event_ref: str, activity_id: int, state: str) -> None:
    store = open_store(db_path)
    event = store.find_event(event_ref)
    activity = store.set_activity_state(event.id, activity_id, state)
    click.echo(f"{activity.id}\t{activity.state}\t{activity.title}")


@click.command("open")
@click.argument("event")
@click.argument("activity", type=ID)
@db_option
@handle_errors
def open_activity(event: str, activity: int, db_path: Path | None):
    """Open ACTIVITY of EVENT (id or join code) for input; reopens a closed one."""
    _set_state(db_path, event, activity, "open")


@click.command("close")
@click.argument("event")
@click.argument("activity", type=ID)
@db_option
@handle_errors
def close_activity(event: str, activity: int, db_path: Path | None):
    """Close ACTIVITY of EVENT: phones can no longer post to it."""
    _set_state(db_path, event, activity, "closed")


@click.command("next")
@click.argument("event")
@click.argument("activity", type=ID)
@db_option
@handle_errors
def next_round(event: str, activity: int, db_path: Path | None):
    """Move ACTIVITY of EVENT to its next round, as the console's `n` does."""
    store = open_store(db_path)
    found = event_activity(store, store.find_event(event), activity)
    if found.state != "open":
        raise Refused(f"activity {found.id} is {found.state}; open it first")
    method = methods.get(found.method)
    ctx = methods.Context(store, found, LANG, audience="console")
    offered = any(a.id == "next_round" for a in method.actions(ctx))
    try:
        # Run even when not offered: at its last round a method says so in its own words.
        done = method.act(ctx, "next_round", methods.Posted({}))
    except InvalidInput as invalid:
        if not offered and invalid.key == "methods.error.unknown_action":
            raise Refused(f"activity {found.id} ({found.method}) has no rounds") from None
        raise
    click.echo(done or f"activity {found.id}: next round")


@click.command()
@click.argument("event", required=False)
@host_option
@port_option
@db_option
@lang_option
@log_option
@public_url_option
@trust_proxy_option
@handle_errors
def run(event: str | None, host: str, port: int, db_path: Path | None, lang: str,
        log_path: Path | None = None, public_url: str | None = None,
        trust_proxy: tuple[str, ...] = ()):
    """The console and the participant server, in one process."""
    from facilitator.web import bind_socket

    store = open_store(db_path)
    start_log(log_path, Path(store.path) if store.path else db_path, default=True)
    event_id = None
    if event is not None:
        event_id = store.find_event(event).id
    elif not store.events():
        event_id = store.create_event(templates.load(templates.resolve(DEFAULT_TEMPLATE))).id
    sock = bind_socket(host, port)  # before the UI: a busy port is a one-line error
    from facilitator.tui import run_console  # Textual only when the console runs

    sys.exit(run_console(store, sock, host, event_id=event_id, lang=lang,
                         public_url=public_url, trusted_proxies=frozenset(trust_proxy)))


@click.command()
@click.argument("event")
@host_option
@port_option
@db_option
@log_option
@public_url_option
@trust_proxy_option
@handle_errors
def serve(event: str, host: str, port: int, db_path: Path | None, log_path: Path | None,
          public_url: str | None, trust_proxy: tuple[str, ...]):
    """The participant server alone (online rounds); stops on Ctrl+C or SIGTERM.

    On the internet: behind a TLS reverse proxy, with --public-url its address and
    --trust-proxy its IP (README: "Online rounds on the internet")."""
    from facilitator.web import ParticipantServer, bind_socket, join_url
    from facilitator.web.projector import projector_url
    from facilitator.web.server import serve_until_stopped

    store = open_store(db_path)
    start_log(log_path, db_path, default=False)
    found = store.find_event(event)
    sock = bind_socket(host, port)
    if len(found.join_code) < ONLINE_LENGTH:
        # A room's 5-letter code is guessable from the internet in days; 10 letters, not.
        old = found.join_code
        found = store.lengthen_join_code(found.id)
        click.echo(f"facilitator: event {found.id} is online now: its join code is "
                   f"{found.join_code} (no longer {old})", err=True)
    server = ParticipantServer(store, sock, only_event=found.id, public_url=public_url,
                               trusted_proxies=frozenset(trust_proxy))

    def ready():
        # Flushed at once: under a service manager stdout is a file, not a terminal.
        secret = store.secret()
        for base in server.base_urls():
            click.echo(join_url(base, found.join_code))
            click.echo(projector_url(base, secret, found.id))  # the line after the join URL
        sys.stdout.flush()

    asyncio.run(serve_until_stopped(server, ready))


COMMANDS = (list_templates, new, list_events, open_activity, close_activity, next_round, run,
            serve)
