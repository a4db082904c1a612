"""What one refresh of the console's board costs as notes pile up: the method's live view
(its counts, in SQL) and the rows on screen (one page of a long list), at 10,000 and
50,000 notes on one activity, for the methods whose lists grow with the room.

    python benchmarks/board.py

Before the cockpit the board re-read every note on each refresh: `live_view` took 115 ms
at 10,000 notes and 592 ms at 50,000.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from facilitator import methods, templates
from facilitator.methods import NoteList
from facilitator.storage import Store, open_db

ROWS_ON_SCREEN = 40
RUNS = 30


def fill(store: Store, activity, count: int) -> None:
    headings = activity.headings or tuple(activity.config.get("stations", ())) or tuple(
        activity.config.get("areas", ()))
    with store.transaction():
        for i in range(count):
            heading = headings[i % len(headings)] if headings else ""
            store.add_note(activity.id, f"Muistiinpano {i}: yhteistyö ja tiedonkulku", heading,
                           kind="note")


def refresh_ms(store: Store, activity) -> tuple[float, float]:
    """(live view and count, the visible rows read) in ms, median of RUNS."""
    method = methods.get(activity.method)
    views, rows = [], []
    for _ in range(RUNS):
        ctx = methods.Context(store, activity, "fi", audience="console")
        start = time.perf_counter()
        blocks = method.live_view(ctx)
        method.count(ctx)
        views.append(time.perf_counter() - start)
        start = time.perf_counter()
        left = ROWS_ON_SCREEN
        for block in blocks:
            if isinstance(block, NoteList) and left > 0:
                left -= len(block.notes(limit=left))
        rows.append(time.perf_counter() - start)
    return statistics.median(views) * 1000, statistics.median(rows) * 1000


def main() -> None:
    print(f"{'method':<14} {'notes':>7} {'live view ms':>13} {'rows on screen ms':>18}")
    for template, method_id in (("demo", "question"), ("seminaari-2", "treasure_map"),
                                ("seminaari-2", "process_walk")):
        for count in (10_000, 50_000):
            store = Store(open_db(Path(tempfile.mkdtemp()) / "board.db"))
            event = store.create_event(templates.load(templates.resolve(template)))
            activity = next(a for a in store.activities(event.id)
                            if a.method == method_id and (method_id != "question" or a.headings))
            store.set_activity_state(event.id, activity.id, "open")
            activity = store.activity(activity.id)
            fill(store, activity, count)
            view, rows = refresh_ms(store, activity)
            print(f"{method_id:<14} {count:>7} {view:>13.2f} {rows:>18.2f}")


if __name__ == "__main__":
    main()
