"""What each memo format costs on a big event: 10,000 contributions across every method.

Builds the memo tests' seminar (seminaari-2 and verkkokeskustelu-2 in one event, every
form filled once over real HTTP), then multiplies each activity's contributions (and the
vote's voters) until the event holds CONTRIBUTIONS, and times building the memo model and
each format once. Targets: Markdown and HTML under 1 s, DOCX and XLSX under 5 s, PDF under
15 s. The JSON archive (`json`, which reads the store, not the model) has no target in the
issue; ours is a second, and a second more to import it into a fresh database.

    python benchmarks/memo.py --contributions 10000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.memo.seminar

from facilitator.memo import build_memo
from facilitator.memo.formats import FORMATS
from facilitator.storage import Store, open_db
from tests.memo import seminar

TARGETS = {"md": 1, "html": 1, "docx": 5, "xlsx": 5, "csv": 5, "pdf": 15, "json": 1}


def grow(store: Store, event_id: int, total: int) -> int:
    """Copies of each activity's contributions, round-robin, until `total` are stored."""
    activities = store.activities(event_id)
    seeds = {a.id: [n for n in store.notes(a.id, visible="public") if n.kind != "summary"]
             for a in activities}
    vote = next((a for a in activities if a.method == "dot_vote"), None)
    options = list(vote.config.get("options", [])) if vote else []
    count = sum(len(s) for s in seeds.values()) + (len(store.votes(vote.id)) if vote else 0)
    n = 0
    with store.transaction():
        while count < total:
            n += 1
            for activity in activities:
                if count >= total:
                    break
                if activity is vote and options:
                    who = store.join(event_id, f"bench-{n:06d}".ljust(43, "x"))
                    store.set_votes(activity.id, who.id, {options[n % len(options)]: 1})
                    count += 1
                    continue
                for note in seeds[activity.id][:1 + n % max(1, len(seeds[activity.id]))]:
                    store.add_note(activity.id, f"{note.text} — kopio {n}: tiedonkulku, "
                                   "yhteistyö ja opiskelijahuolto", note.heading,
                                   note.participant_id, kind=note.kind, round=note.round,
                                   group_id=note.group_id, data=note.data)
                    count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contributions", type=int, default=10_000)
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help="which formats to time, e.g. json (default: all)")
    args = parser.parse_args()
    wanted = args.formats.split(",")
    path = Path(tempfile.mkdtemp()) / "memo-bench.db"
    event_id = seminar.build(path)
    store = Store(open_db(path))
    stored = grow(store, event_id, args.contributions)
    print(f"{stored} contributions in {len(store.activities(event_id))} activities")
    start = time.perf_counter()
    memo = build_memo(store, event_id)
    print(f"{'model':>5}: {time.perf_counter() - start:6.2f} s")
    for name, spec in FORMATS.items():
        if name not in wanted:
            continue
        start = time.perf_counter()
        try:
            data = spec.render(store, memo)
        except RuntimeError as error:  # the PDF without WeasyPrint
            print(f"{name:>5}: skipped ({error})")
            continue
        took = time.perf_counter() - start
        size = len(data.encode() if isinstance(data, str) else data)
        verdict = "ok" if took < TARGETS[name] else f"OVER {TARGETS[name]} s"
        print(f"{name:>5}: {took:6.2f} s  {size / 1024:8.0f} KiB  (target {TARGETS[name]} s:"
              f" {verdict})")
        if name == "json":
            archive = path.with_suffix(".json")
            archive.write_text(data, encoding="utf-8")
            import_archive(archive)


def import_archive(archive: Path) -> None:
    """`facilitator import` of the archive into a fresh database: read, checked, loaded."""
    from facilitator.memo.archive import import_archives

    fresh = Store(open_db(archive.with_name("imported.db")))
    start = time.perf_counter()
    import_archives(fresh, [archive])
    took = time.perf_counter() - start
    verdict = "ok" if took < 1 else "OVER 1 s"
    print(f"{'import':>6}: {took:5.2f} s  (target 1 s: {verdict})")


if __name__ == "__main__":
    main()
