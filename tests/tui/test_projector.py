"""The console's `v`: the projector's address as text and QR code, and what the room sees
on it, set in the database where the server (or a `serve` elsewhere) reads it."""

from __future__ import annotations

from facilitator import templates
from facilitator.tui.app import FacilitatorApp
from facilitator.tui.screens.projector import ProjectorDialog
from facilitator.tui.widgets.qr import QRCode
from facilitator.web import projector
from tests.tui.test_buzz_groups import toasts
from tests.tui.test_console import SIZE, wait_until


async def test_v_shows_the_projector_address_and_sets_what_the_room_sees(store):
    event = store.create_event(templates.load(templates.resolve("demo")))
    app = FacilitatorApp(store, base_urls=["http://192.168.1.20:8080"])
    url = f"http://192.168.1.20:8080/p/{projector.projector_token(store.secret(), event.id)}"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectorDialog))
        assert app.screen.query_one("#projector-qr", QRCode).data == url
        assert url in str(app.screen.query_one("#projector-url").render())
        await pilot.press("enter")  # the first choice: the join screen
        await wait_until(pilot, lambda: projector.mode(store, event.id).show == "join")
        await pilot.press("down", "down", "down", "enter")  # freeze
        await wait_until(pilot, lambda: projector.mode(store, event.id).frozen)
        assert "Nyt: liittymisnäkymä · pysäytetty" in toasts(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ProjectorDialog))
        app.screen.action_projector_mode("starred")
        assert projector.mode(store, event.id) == projector.Mode("join", True, True)
