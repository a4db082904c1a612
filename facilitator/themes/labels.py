"""A group's label: the content base forms its notes share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from facilitator.themes.forms import NoteForms

#: Labels are short: the console shows them on one line beside the group's count.
MAX_LABEL_WORDS = 3
SEPARATOR = " · "


def label(group: Sequence[NoteForms], corpus: Counter[str]) -> str:
    """The 1–3 forms most of the group's notes share, most shared first, joined by " · ".

    Ties go to the form that is rarer outside the group (more telling), then to the longer
    (a compound says more than its part). A form inside one already chosen ("palaveri" in
    "tiimipalaveri") is skipped, and so is one that contains a chosen part. When no form is
    shared, the label is the group's most telling single form.
    """
    in_group: Counter[str] = Counter()
    for note in group:
        in_group.update(set(note.forms))
    if not in_group:
        return ""

    def rank(form: str) -> tuple[int, float, int, str]:
        return (-in_group[form], corpus[form] / in_group[form], -len(form), form)

    ordered = sorted(in_group, key=rank)
    shared = [form for form in ordered if in_group[form] >= 2] or ordered[:1]
    # A label word must be shared by at least half as many notes as the best one, or the
    # third word of a big group is something two of its twenty notes happen to say.
    floor = max(1, in_group[shared[0]] // 2)
    chosen: list[str] = []
    for form in shared:
        if in_group[form] < floor or len(chosen) == MAX_LABEL_WORDS:
            break
        if any(form in c or c in form for c in chosen):
            continue
        chosen.append(form)
    shown = _shown(group)
    return SEPARATOR.join(shown.get(form, form) for form in chosen)


def _shown(group: Sequence[NoteForms]) -> dict[str, str]:
    """The readable word for each form: the one its notes used most often."""
    votes: dict[str, Counter[str]] = {}
    for note in group:
        for form, word in note.shown.items():
            votes.setdefault(form, Counter())[word] += 1
    return {form: words.most_common(1)[0][0] for form, words in votes.items()}
