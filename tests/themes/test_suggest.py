"""Suggested groups, labels, the more / fewer control, duplicates and representative notes."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest

from facilitator.themes import near_duplicates, representative, suggest

TEAM = [
    (1, "Tiimipalaverit venyvät aina liian pitkiksi"),
    (2, "Tiimipalaverissa ei ehditä puhua kaikesta"),
    (3, "Palaverit tiimissä on sekavia"),
]
COUNSELLORS = [
    (11, "Kuraattoreita on liian vähän"),
    (12, "Kuraattorin aikoja ei saa"),
    (13, "Kouluun tarvitaan toinen kuraattori"),
]
UNRELATED = [
    (21, "Välipalaa pitäisi tarjota iltapäivällä"),
    (22, "Koulubussi kulkee harvoin"),
    (23, "Tabletit ovat vanhoja ja hitaita"),
    (24, "Pyörätelineet ovat rikki"),
]
NOTES = TEAM + COUNSELLORS + UNRELATED
DEV = Path(__file__).resolve().parents[1] / "data" / "themes" / "dev_fi.tsv"


def group_of(result, note_id):
    return next((g for g in result.groups if note_id in g.note_ids), None)


def test_inflections_and_compounds_of_one_topic_end_up_together(backend):
    result = suggest(NOTES, backend=backend)
    assert result.backend == backend
    team, counsellors = group_of(result, 1), group_of(result, 11)
    assert team is not None and counsellors is not None
    assert set(team.note_ids) == {1, 2, 3}
    assert set(counsellors.note_ids) == {11, 12, 13}


def test_unrelated_notes_stay_apart(backend):
    result = suggest(NOTES, backend=backend)
    grouped = {note_id for g in result.groups for note_id in g.note_ids}
    assert grouped.isdisjoint({21, 22, 23, 24})
    assert all(len(g.note_ids) >= 2 for g in result.groups)


def test_labels_come_from_shared_base_words(backend):
    result = suggest(NOTES, backend=backend)
    team, counsellors = group_of(result, 1), group_of(result, 11)
    if backend == "voikko":
        assert set(team.label.split(" · ")) == {"tiimi", "palaveri"}
        assert counsellors.label == "kuraattori"
    else:  # stems are shown as the word the notes used
        assert "kuraattor" in counsellors.label
        assert "·" not in counsellors.label
        assert "tiimi" in team.label.lower() or "palaver" in team.label.lower()
    assert 1 <= len(team.label.split(" · ")) <= 3


def test_level_moves_the_number_of_groups_monotonically(backend):
    with DEV.open(encoding="utf-8") as f:
        notes = [(int(r["id"]), r["text"]) for r in csv.DictReader(f, delimiter="\t")]
    levels = list(range(-4, 4))
    results = [suggest(notes, level=level, backend=backend) for level in levels]
    counts = [len(r.groups) for r in results]
    assert counts == sorted(counts)
    assert counts[0] < counts[levels.index(0)]  # "fewer" does give fewer
    thresholds = [r.threshold for r in results]
    assert thresholds == sorted(thresholds, reverse=True)
    # each step that changes the count changes it in the asked direction, until it can't
    for result, more in itertools.pairwise(results):
        assert result.can_more == (len(more.groups) > len(result.groups))
        assert more.can_fewer == (len(more.groups) > len(result.groups))
    assert not results[0].can_more or counts[1] > counts[0]


def test_fewer_groups_are_bigger_groups(backend):
    default, fewer = suggest(NOTES, backend=backend), suggest(NOTES, level=-1, backend=backend)
    assert len(default.groups) == 2 and default.can_fewer and not default.can_more
    assert len(fewer.groups) == 1
    assert set(fewer.groups[0].note_ids) >= {1, 2, 3, 11, 12, 13}
    assert fewer.can_more and fewer.threshold > default.threshold


def test_near_duplicates_found_and_distinct_points_not(backend):
    notes = [
        (1, "Sijaisia ei saa mistään"),
        (2, "sijaisia ei saa mistään!!"),
        (3, "Päätökset tulee ylhäältä perustelematta"),
        (4, "Päätökset tulevat ylhäältä ilman perusteluja"),
        (5, "Rehtori on kaukana arjesta"),
        (6, "Rehtorilla on liikaa hallinnollista työtä"),
    ]
    pairs = near_duplicates(notes, backend=backend)
    found = {(a, b) for a, b, _ in pairs}
    assert (1, 2) in found
    assert (5, 6) not in found
    assert pairs[0][:2] == (1, 2) and pairs[0][2] == pytest.approx(1.0)
    if backend == "voikko":  # base forms make "tulee" and "tulevat" one word
        assert (3, 4) in found
    assert suggest(notes, backend=backend).duplicates == pairs


def test_representative_notes_are_the_ones_nearest_the_centre(backend):
    group = [11, 12, 13, 23]
    picked = representative(NOTES, group, k=3, backend=backend)
    assert sorted(picked) == [11, 12, 13]
    assert representative(NOTES, group, k=10, backend=backend)[-1] == 23
    assert representative(NOTES, [999], backend=backend) == []


@pytest.mark.parametrize("notes", [[], [(1, "Kuraattoreita on liian vähän")]])
def test_empty_and_one_note(notes, backend):
    result = suggest(notes, backend=backend)
    assert result.groups == []
    assert result.duplicates == []
    assert near_duplicates(notes, backend=backend) == []


def test_notes_of_stop_words_only(backend):
    result = suggest([(1, "ja niin"), (2, "ei ole"), (3, "!!!"), (4, "")], backend=backend)
    assert result.groups == []
    assert result.duplicates == []


def test_english_notes():
    notes = [
        (1, "Team meetings run far too long"),
        (2, "Our team meeting never ends on time"),
        (3, "Meetings of the team are chaotic"),
        (4, "We need more school counsellors"),
        (5, "Counsellor appointments take weeks"),
        (6, "The school counsellor is overbooked"),
        (7, "The bus comes rarely"),
        (8, "Tablets are old and slow"),
    ]
    result = suggest(notes, lang="en")
    assert {frozenset(g.note_ids) for g in result.groups} == {
        frozenset({1, 2, 3}),
        frozenset({4, 5, 6}),
    }
    labels = {g.label for g in result.groups}
    assert any("meeting" in label for label in labels)
    assert any("counsellor" in label for label in labels)


def test_markup_like_participant_text_is_harmless(backend):
    hostile = [
        (1, "<script>alert('kuraattori')</script>"),
        (2, "[bold]kuraattori[/bold] {{ 7*7 }} %s %(x)s"),
        (3, "'; DROP TABLE notes; -- kuraattori"),
        (4, "\x00\u202ekuraattori\u200b 🙂 \\n"),
        (5, "kuraattori " * 400),
        (6, "Pyörätelineet ovat rikki"),
    ]
    result = suggest(hostile, backend=backend)
    grouped = {note_id for g in result.groups for note_id in g.note_ids}
    assert {1, 2, 3, 4, 5} <= grouped
    for group in result.groups:
        assert all(ch.isalpha() or ch in " ·" for ch in group.label), group.label
    assert all(isinstance(a, int) and isinstance(b, int) for a, b, _ in result.duplicates)
