from __future__ import annotations

import re

import aiohttp
import pytest

from facilitator import templates
from facilitator.storage import Store, open_db
from facilitator.web import ParticipantServer, bind_socket


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "facilitator.db"


@pytest.fixture
def store(db_path):
    db = open_db(db_path)
    yield Store(db)
    db.close()  # a session of a thousand tests would otherwise run out of files


@pytest.fixture
def demo(store):
    """The bundled demo event, with its second activity (the one with headings) open."""
    event = store.create_event(templates.load(templates.resolve("demo")))
    activity = store.activities(event.id)[1]
    store.set_activity_state(event.id, activity.id, "open")
    return event, store.activity(activity.id)


@pytest.fixture
async def server(store):
    srv = ParticipantServer(store, bind_socket("127.0.0.1", 0))
    await srv.start()
    yield srv
    await srv.stop()


@pytest.fixture
async def phone():
    """One phone: its own cookie jar (unsafe=True keeps cookies for an IP host, as a
    browser does)."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield session


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]+)"', html).group(1)


def hide(store, *note_ids: int, hidden: bool = True):
    """Hide notes as the facilitator does (a logged, undoable moderation step)."""
    from facilitator.methods import moderation

    event_id = store.activity(store.note(note_ids[0]).activity_id).event_id
    return moderation.hide(store, event_id, note_ids, hidden=hidden)
