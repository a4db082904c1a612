"""Äänestys (dot vote): the dot budget, the ranking with its ties, the config's checks,
what phones, the console and the memo see, and the memo section against its golden file."""

from __future__ import annotations

import pytest

from facilitator import methods, templates
from facilitator.methods import Bars, Form, InvalidInput, Posted, Table
from facilitator.methods.dot_vote import Rules, default_dots, ranking, read_dots, tally
from facilitator.templates import TemplateError
from tests.methods.conftest import activity_of, check_golden, memo_section

METHOD = methods.get("dot_vote")
OPTIONS = ("Tiedonkulku", "Yhteisöllisyys", "Johtaminen", "Osaaminen", "Rekrytointi")

TEMPLATE = """
[event]
title = "Äänestys"
[[parts]]
title = "Osa"
[[parts.activities]]
method = "dot_vote"
title = "Tärkeimmät aiheet"
[parts.activities.config]
options = ["Tiedonkulku", "Yhteisöllisyys", "Johtaminen", "Osaaminen", "Rekrytointi"]
"""


def vote_event(store, tmp_path, config: str = ""):
    """An event with one dot vote over OPTIONS, `config` lines added; the vote open."""
    path = tmp_path / "aanestys.toml"
    path.write_text(TEMPLATE + config, encoding="utf-8")
    event = store.create_event(templates.load(path))
    activity = store.activities(event.id)[0]
    store.set_activity_state(event.id, activity.id, "open")
    return event, store.activity(activity.id)


def ctx_of(store, activity, participant=None, lang="fi"):
    return methods.Context(store, store.activity(activity.id), lang, participant)


def ticks(*numbers: int) -> Posted:
    return Posted([("option", str(n)) for n in numbers])


# -- the dot budget ----------------------------------------------------------------------


def test_default_budget_is_about_a_third_of_the_options():
    assert [default_dots(n) for n in (2, 3, 4, 5, 12, 50)] == [1, 1, 1, 2, 4, 17]
    rules = Rules.of({"options": list(OPTIONS)})
    assert (rules.dots, rules.stacking, rules.max_per_option, rules.results) == (
        2, False, 1, "closed")
    assert Rules.of({"options": list(OPTIONS), "dots": 4, "stacking": True}).max_per_option == 4


def test_ticks_within_the_budget_are_one_dot_each():
    rules = Rules(OPTIONS, dots=3)
    assert read_dots(rules, ticks(1, 4)) == {"Tiedonkulku": 1, "Osaaminen": 1}
    assert read_dots(rules, ticks(5, 2, 3)) == {"Rekrytointi": 1, "Yhteisöllisyys": 1,
                                                "Johtaminen": 1}
    assert read_dots(rules, Posted([("csrf", "x"), ("form", "vote")])) == {}  # withdrawn


def test_more_ticks_than_dots_are_refused_with_how_many_to_remove():
    with pytest.raises(InvalidInput) as refused:
        read_dots(Rules(OPTIONS, dots=2), ticks(1, 2, 3, 4))
    assert refused.value.key == "dot_vote.error.too_many"
    assert refused.value.status == 422
    assert refused.value.params == {"used": 4, "dots": 2, "over": 2}


@pytest.mark.parametrize("numbers", [("6",), ("0",), ("1", "1"), ("x",), ("Tiedonkulku",)])
def test_unknown_or_repeated_options_are_refused(numbers):
    posted = Posted([("option", n) for n in numbers])
    with pytest.raises(InvalidInput) as refused:
        read_dots(Rules(OPTIONS, dots=3), posted)
    assert refused.value.key == "dot_vote.error.unknown_option"


def test_stacked_dots_add_up_within_the_budget():
    rules = Rules(OPTIONS, dots=5, stacking=True, max_per_option=3)
    posted = Posted({"d1": "3", "d2": "", "d3": " 2 ", "d4": "0"})
    assert read_dots(rules, posted) == {"Tiedonkulku": 3, "Johtaminen": 2}
    assert read_dots(rules, Posted({"d1": "0"})) == {}


@pytest.mark.parametrize(
    "posted, key, params",
    [
        ({"d1": "3", "d2": "3"}, "dot_vote.error.over_budget", {"used": 6, "dots": 5, "over": 1}),
        ({"d1": "4"}, "dot_vote.error.over_max", {"most": 3}),
        ({"d1": "-1"}, "dot_vote.error.not_a_number", {"most": 3}),
        ({"d1": "1.5"}, "dot_vote.error.not_a_number", {"most": 3}),
        ({"d1": "kaksi"}, "dot_vote.error.not_a_number", {"most": 3}),
        ({"d1": "²"}, "dot_vote.error.not_a_number", {"most": 3}),
        ({"d1": "99999999999999999999999"}, "dot_vote.error.over_max", {"most": 3}),
        ({"d6": "1"}, "dot_vote.error.unknown_option", {}),
        ({"d0": "1"}, "dot_vote.error.unknown_option", {}),
    ],
)
def test_stacked_dots_outside_the_rules_are_refused(posted, key, params):
    rules = Rules(OPTIONS, dots=5, stacking=True, max_per_option=3)
    with pytest.raises(InvalidInput) as refused:
        read_dots(rules, Posted(posted))
    assert (refused.value.key, refused.value.params) == (key, params)


# -- the ranking -------------------------------------------------------------------------


def test_equal_dots_share_a_rank_in_the_template_order():
    votes = [(1, "Johtaminen", 1), (1, "Osaaminen", 1), (2, "Osaaminen", 1),
             (2, "Tiedonkulku", 1), (3, "Johtaminen", 1), (3, "Rekrytointi", 1)]
    rows = tally(OPTIONS, votes)
    assert rows[2] == ("Johtaminen", 2, 2)
    ranked = [(r.first, r.last, r.option, r.dots) for r in ranking(rows)]
    assert ranked == [
        (1, 2, "Johtaminen", 2), (1, 2, "Osaaminen", 2),
        (3, 4, "Tiedonkulku", 1), (3, 4, "Rekrytointi", 1),
        (5, 5, "Yhteisöllisyys", 0),
    ]


def test_more_voters_do_not_break_a_tie_and_stray_options_still_count():
    # One person's 3 stacked dots weigh as much as three people's one each.
    votes = [(1, "Tiedonkulku", 3), (2, "Osaaminen", 1), (3, "Osaaminen", 1),
             (4, "Osaaminen", 1), (5, "Poistettu vaihtoehto", 1)]
    ranked = ranking(tally(OPTIONS, votes))
    assert [(r.option, r.first, r.last, r.voters) for r in ranked[:3]] == [
        ("Tiedonkulku", 1, 2, 1), ("Osaaminen", 1, 2, 3), ("Poistettu vaihtoehto", 3, 3, 1)]


# -- the template's config ----------------------------------------------------------------


@pytest.mark.parametrize(
    "config, field, reason",
    [
        ("dots = 6\n", "dots", "must be at most the number of options (5) unless stacking"),
        ("dots = 0\n", "dots", "must be between 1 and 50, not 0"),
        ("stacking = 1\n", "stacking", "must be true or false"),
        ("max_per_option = 2\n", "max_per_option", "only applies with stacking = true"),
        ("dots = 3\nstacking = true\nmax_per_option = 4\n", "max_per_option",
         "must be at most dots (3), not 4"),
        ('results = "sometimes"\n', "results", "must be one of closed, live, never"),
        ('results = ""\n', "results", "must be a non-empty text"),
    ],
)
def test_broken_config_names_file_field_and_reason(tmp_path, config, field, reason):
    path = tmp_path / "rikki.toml"
    path.write_text(TEMPLATE + config, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        templates.load(path)
    error = caught.value
    assert error.file == str(path)
    assert error.field == f"parts[0].activities[0].config.{field}"
    assert reason in error.reason


def test_options_are_required(tmp_path):
    path = tmp_path / "rikki.toml"
    path.write_text(TEMPLATE.split("options =")[0] + "dots = 2\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        templates.load(path)
    assert caught.value.field == "parts[0].activities[0].config.options"
    assert "is required" in caught.value.reason


def test_stacking_allows_more_dots_than_options(tmp_path, store):
    _, activity = vote_event(store, tmp_path, "dots = 8\nstacking = true\nmax_per_option = 4\n")
    assert Rules.of(activity.config) == Rules(OPTIONS, 8, True, 4, "closed")


def test_the_online_discussions_vote_keeps_three_dots_over_twelve_topics(store, online):
    activity = activity_of(store, online, "dot_vote")
    rules = Rules.of(activity.config)
    assert (len(rules.options), rules.dots, rules.stacking) == (12, 3, False)


# -- submitting --------------------------------------------------------------------------


def test_a_new_post_replaces_the_dots_and_an_empty_one_withdraws(store, tmp_path):
    event, activity = vote_event(store, tmp_path)
    me = store.join(event.id, "puhelin")
    METHOD.submit(ctx_of(store, activity, me), "vote", ticks(1, 2))
    METHOD.submit(ctx_of(store, activity, me), "vote", ticks(3))
    assert store.votes(activity.id) == [(me.id, "Johtaminen", 1)]
    assert METHOD.count(ctx_of(store, activity)) == 1
    receipt = METHOD.submit(ctx_of(store, activity, me), "vote", Posted())
    assert receipt.note is None  # the page says "Tallennettu."
    assert store.votes(activity.id) == []
    assert METHOD.count(ctx_of(store, activity)) == 0


def test_a_refused_post_leaves_the_earlier_dots_as_they_were(store, tmp_path):
    event, activity = vote_event(store, tmp_path)
    me = store.join(event.id, "puhelin")
    METHOD.submit(ctx_of(store, activity, me), "vote", ticks(4))
    for form, posted in (("vote", ticks(1, 2, 3)), ("vote", ticks(9)), ("note", ticks(1))):
        with pytest.raises(InvalidInput):
            METHOD.submit(ctx_of(store, activity, me), form, posted)
    assert store.votes(activity.id) == [(me.id, "Osaaminen", 1)]


def test_a_closed_vote_takes_no_dots(store, tmp_path):
    event, activity = vote_event(store, tmp_path)
    me = store.join(event.id, "puhelin")
    store.set_activity_state(event.id, activity.id, "closed")
    with pytest.raises(InvalidInput) as refused:
        METHOD.submit(ctx_of(store, activity, me), "vote", ticks(1))
    assert refused.value.status == 409
    assert store.votes(activity.id) == []


# -- what each surface shows ----------------------------------------------------------------


def test_the_phone_form_shows_the_budget_and_is_prefilled(store, tmp_path):
    event, activity = vote_event(store, tmp_path)
    me = store.join(event.id, "puhelin")
    METHOD.submit(ctx_of(store, activity, me), "vote", ticks(2))
    view = METHOD.participant_view(ctx_of(store, activity, me))
    assert view[0].text == "Sinulla on 2 ääntä; olet käyttänyt 1."
    form = next(p for p in view if isinstance(p, Form))
    (field,) = form.fields
    assert field.kind == "checks" and field.choice_labels == OPTIONS
    assert form.values == {"option": ["2"]}
    assert not any(isinstance(p, Bars) for p in view)  # results stay hidden while open


def test_with_stacking_each_option_has_a_number_prefilled(store, tmp_path):
    event, activity = vote_event(store, tmp_path, "dots = 4\nstacking = true\n"
                                                  "max_per_option = 2\n")
    me = store.join(event.id, "puhelin")
    METHOD.submit(ctx_of(store, activity, me), "vote", Posted({"d3": "2", "d5": "1"}))
    view = METHOD.participant_view(ctx_of(store, activity, me, "en"))
    assert view[0].text == ("You have 4 dots; you have used 3. "
                            "You can give one option at most 2.")
    form = next(p for p in view if isinstance(p, Form))
    assert [(f.name, f.kind, f.label, f.maximum) for f in form.fields][2] == (
        "d3", "number", "Johtaminen", 2)
    assert form.values == {"d1": "0", "d2": "0", "d3": "2", "d4": "0", "d5": "1"}


@pytest.mark.parametrize("results, open_bars, closed_bars",
                         [("closed", False, True), ("live", True, True), ("never", False, False)])
def test_when_phones_see_the_results(store, tmp_path, results, open_bars, closed_bars):
    event, activity = vote_event(store, tmp_path, f'results = "{results}"\n')
    me = store.join(event.id, "puhelin")
    METHOD.submit(ctx_of(store, activity, me), "vote", ticks(1))
    opened = METHOD.participant_view(ctx_of(store, activity, me))
    assert any(isinstance(p, Bars) for p in opened) == open_bars
    store.set_activity_state(event.id, activity.id, "closed")
    closed = METHOD.participant_view(ctx_of(store, activity, me))
    assert not any(isinstance(p, Form) for p in closed)
    assert any(isinstance(p, Bars) for p in closed) == closed_bars
    if not closed_bars:
        assert closed == []


def test_the_console_shows_turnout_while_open_and_the_ranking_once_closed(store, tmp_path):
    event, activity = vote_event(store, tmp_path)
    a, b, _ = (store.join(event.id, f"puhelin{n}") for n in range(3))
    METHOD.submit(ctx_of(store, activity, a), "vote", ticks(2, 3))
    METHOD.submit(ctx_of(store, activity, b), "vote", ticks(3, 4))
    live = METHOD.live_view(ctx_of(store, activity))
    # The third phone only opened the page: it is no participant (yet).
    assert live[0].text == "Äänestäneitä 2 / 2 osallistujasta"
    assert not any(isinstance(b, Bars | Table) for b in live)
    store.set_activity_state(event.id, activity.id, "closed")
    closed = METHOD.live_view(ctx_of(store, activity))
    bars = next(b for b in closed if isinstance(b, Bars))
    assert bars.rows[:3] == (("1. Johtaminen", 2), ("2.–3. Yhteisöllisyys", 1),
                             ("2.–3. Osaaminen", 1))
    assert bars.rows[-1] == ("ei ääniä Rekrytointi", 0)  # no shared rank for nothing
    table = next(b for b in METHOD.memo_view(ctx_of(store, activity)) if isinstance(b, Table))
    assert table.headers == ("Sija", "Vaihtoehto", "Ääniä", "Äänestäjiä")
    assert table.rows[0] == ("1.", "Johtaminen", "2", "2")


# -- the memo ----------------------------------------------------------------------------


def test_memo_section_matches_golden(store, online):
    activity = activity_of(store, online, "dot_vote")
    store.set_activity_state(online.id, activity.id, "open")
    options = activity.config["options"]
    phones = [store.join(online.id, f"puhelin{n}") for n in range(5)]
    chosen = [(1, 4, 6), (4, 6, 8), (4, 12), (6, 1), ()]  # the last joined but did not vote
    for phone, numbers in zip(phones, chosen, strict=True):
        METHOD.submit(ctx_of(store, activity, phone), "vote", ticks(*numbers))
    store.set_activity_state(online.id, activity.id, "closed")
    section = memo_section(store, activity)
    assert f"| 1.–2. | {options[3]} | 3 | 3 |" in section
    assert f"| 1.–2. | {options[5]} | 3 | 3 |" in section
    check_golden("dot_vote.md", section)


def test_memo_says_so_when_no_one_voted(store, online):
    activity = activity_of(store, online, "dot_vote")
    assert memo_section(store, activity) == "*Ääniä ei ole annettu.*\n"
