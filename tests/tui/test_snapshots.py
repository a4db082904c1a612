"""Snapshots of the console's key screens at fixed sizes, with a fixed URL and join codes.

Regenerate after an intended change with `pytest tests/tui/test_snapshots.py
--snapshot-update`, then look at the SVGs: readable, QR code intact, black on white.
"""

from __future__ import annotations

import pytest

from facilitator import templates
from facilitator.storage import Store
from facilitator.tui import FacilitatorApp

BASE_URLS = ["http://192.168.1.20:8080"]


def add_event(store: Store, template: str, code: str):
    event = store.create_event(templates.load(templates.resolve(template)))
    store.db["events"].update(event.id, {"join_code": code})
    return store.event(event.id)


@pytest.fixture
def room(store):
    """The demo mid-session: the first activity done, the second open with notes."""
    event = add_event(store, "demo", "KOKEE")
    first, second, _ = store.activities(event.id)
    store.set_activity_state(event.id, first.id, "open")
    store.set_activity_state(event.id, first.id, "closed")
    store.set_activity_state(event.id, second.id, "open")
    for n in range(3):
        store.join(event.id, f"phone-{n}")
    store.add_note(second.id, "Yhteinen kalenteri toimii hyvin", "Mikä toimii?")
    store.add_note(second.id, "[bold]y[/] ja [@click=app.quit]x[/]", "Mikä toimii?")
    store.add_note(second.id, "Tieto ei kulje koulun ja kunnan välillä.", "Mitä pitäisi muuttaa?")
    return event


class TestEventScreen:
    def test_wide(self, store, room, snap_compare):
        app = FacilitatorApp(store, base_urls=BASE_URLS)
        assert snap_compare(app, terminal_size=(120, 40))

    def test_narrow_in_english(self, store, room, snap_compare):
        app = FacilitatorApp(store, lang="en", base_urls=[*BASE_URLS, "http://10.0.0.7:8080"])
        assert snap_compare(app, terminal_size=(80, 24))


class TestHomeScreen:
    def test_events_and_templates(self, store, room, snap_compare):
        add_event(store, "seminaari-1", "SEMIN")
        app = FacilitatorApp(store, base_urls=BASE_URLS)
        assert snap_compare(app, terminal_size=(120, 40))
