"""Helpers for the method tests: a running seminar, and each method's memo section
checked against a golden file (UPDATE_GOLDEN=1 rewrites them; review the diff)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from facilitator import methods, templates
from facilitator.domain import Activity
from facilitator.memo.markdown import render_blocks
from tests.seed import per_phone

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text


def memo_section(store, activity: Activity, lang: str = "fi") -> str:
    """The activity's section of the memo, as Markdown, hidden notes left out."""
    activity = store.activity(activity.id)
    ctx = methods.Context(store, activity, lang, audience="memo")
    return render_blocks(methods.resolve(methods.get(activity.method).memo_view(ctx)))


@pytest.fixture
def seminar(store):
    """Seminaari 2 from its bundled template (nothing open yet)."""
    return store.create_event(templates.load(templates.resolve("seminaari-2")))


@pytest.fixture
def online(store):
    """Verkkokeskustelu 2 from its bundled template (nothing open yet)."""
    return store.create_event(per_phone(templates.load(templates.resolve("verkkokeskustelu-2"))))


def activity_of(store, event, method_id: str) -> Activity:
    return next(a for a in store.activities(event.id) if a.method == method_id)
