"""The method API's shared rules: config checking and posted fields."""

from __future__ import annotations

from facilitator.methods.base import ConfigKey, Posted, check_config

SCHEMA = {
    "options": ConfigKey("texts", 2, 4),
    "dots": ConfigKey("int", 1, 10),
    "stacking": ConfigKey("bool"),
    "label": ConfigKey("text"),
}


def test_a_good_config_has_no_errors():
    assert check_config("x", SCHEMA, {"options": ["a", "b"], "dots": 3, "stacking": True,
                                      "label": "L"}) == []


def test_each_bad_value_names_its_key_and_reason():
    errors = dict(check_config("dot_vote", SCHEMA, {
        "options": ["a"], "dots": 0, "stacking": "yes", "label": " ", "colour": 1,
    }))
    assert errors == {
        "options": "must have 2–4 items, not 1",
        "dots": "must be between 1 and 10, not 0",
        "stacking": "must be true or false",
        "label": "must be a non-empty text",
        "colour": "unknown key for dot_vote (known: dots, label, material_url, options, stacking)",
    }
    assert dict(check_config("x", SCHEMA, {"options": ["a", " a"]}))["options"] == (
        "has the same text twice"
    )
    assert dict(check_config("x", SCHEMA, {"dots": True}))["dots"] == "must be a whole number"
    assert dict(check_config("x", SCHEMA, {"options": "a"}))["options"] == (
        "must be a list of non-empty texts"
    )


def test_posted_gives_the_first_value_and_all_of_a_repeated_name():
    posted = Posted([("choice", "a"), ("text", "moi"), ("choice", "b")])
    assert posted["choice"] == "a" and posted.get("text") == "moi"
    assert posted.getall("choice") == ["a", "b"] and posted.getall("none") == []
    assert Posted({"x": ["1", "2"], "y": "3"}).getall("x") == ["1", "2"]
    assert len(posted) == 2 and set(posted) == {"choice", "text"}
