"""A phone-sized Chromium through a process walk round and a dot vote, as a participant.

The facilitator's moves (next round, closing the vote) are made from another connection
to the same database, as the console or `facilitator close` would; the page follows.
"""

from __future__ import annotations

import pytest

from facilitator import templates
from tests.seed import per_phone

pytestmark = pytest.mark.e2e


def by_method(store, event, method):
    return next(a for a in store.activities(event.id) if a.method == method)


def test_a_group_writes_at_its_station_and_moves_on_with_the_round(base_url, phone_page,
                                                                    store, tmp_path):
    seminar = store.create_event(templates.load(templates.resolve("seminaari-2")))
    walk = by_method(store, seminar, "process_walk")
    stations = walk.config["stations"]
    store.set_activity_state(seminar.id, walk.id, "open")
    page = phone_page
    page.goto(f"{base_url}/e/{seminar.join_code}")
    page.get_by_role("radio", name="Ryhmä 2").check()
    page.get_by_role("button", name="Liity ryhmään").click()
    # Group 2 starts at the second station.
    page.get_by_text(f"ryhmäsi on pysäkillä: {stations[1]}").wait_for()
    page.get_by_label("Ryhmäsi ajatus tälle pysäkille").fill("Hyvinvointisuunnitelmat <b>")
    page.get_by_role("button", name="Lähetä").click()
    page.wait_for_url("**?sent=*")
    assert "Hyvinvointisuunnitelmat <b>" in page.locator("#sent blockquote").inner_text()

    store.set_round(walk.id, 2)  # the facilitator's "n"
    # Without touching the phone, its page moves to the group's next station.
    page.get_by_text(f"Kierros 2/3 · ryhmäsi on pysäkillä: {stations[2]}").wait_for(
        timeout=12_000)
    page.screenshot(path=str(tmp_path / "process-walk.png"), full_page=True)
    [note] = store.notes(walk.id)
    assert (note.heading, note.round, note.text) == (stations[1], 1,
                                                     "Hyvinvointisuunnitelmat <b>")
    assert store.group(note.group_id).name == "Ryhmä 2"


def test_a_participant_spends_dots_changes_them_and_sees_the_results(base_url, phone_page,
                                                                      store, tmp_path):
    online = store.create_event(per_phone(templates.load(templates.resolve("verkkokeskustelu-2"))))
    vote = by_method(store, online, "dot_vote")
    options = vote.config["options"]
    store.set_activity_state(online.id, vote.id, "open")
    page = phone_page
    page.goto(f"{base_url}/e/{online.join_code}")
    page.get_by_text("Sinulla on 3 ääntä; olet käyttänyt 0.").wait_for()
    for option in options[:4]:
        page.get_by_role("checkbox", name=option).check()
    page.get_by_role("button", name="Tallenna äänet").click()
    # Four dots of three: refused, the choices come back to fix, nothing stored.
    page.get_by_role("alert").wait_for()
    assert store.votes(vote.id) == []
    assert page.get_by_role("checkbox", name=options[3]).is_checked()
    page.get_by_role("checkbox", name=options[0]).uncheck()
    page.get_by_role("button", name="Tallenna äänet").click()
    page.get_by_text("Sinulla on 3 ääntä; olet käyttänyt 3.").wait_for()
    assert sorted(o for _, o, _ in store.votes(vote.id)) == sorted(options[1:4])

    store.set_activity_state(online.id, vote.id, "closed")  # the facilitator's "c"
    # The page follows the close and shows the ranked results, with the three tied.
    page.get_by_text("Päättyneet tehtävät").wait_for(timeout=12_000)
    results = page.locator(f"#a{vote.id}").inner_text()
    assert options[1] in results and "1.–3." in results
    page.screenshot(path=str(tmp_path / "dot-vote.png"), full_page=True)
