"""Read the forms of a participant page as a phone's browser would, and fill them in.

Used by tests that walk every bundled activity through its real form without knowing
the method: text goes into text boxes, the first (or pre-selected) choice is taken.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Control:
    tag: str  # input, textarea, select
    type: str
    name: str
    value: str = ""
    checked: bool = False
    required: bool = False
    options: list[str] = field(default_factory=list)
    minimum: str = ""


@dataclass
class PageForm:
    action: str
    controls: list[Control] = field(default_factory=list)

    @property
    def name(self) -> str:
        return next((c.value for c in self.controls if c.name == "form"), "")

    def fill(self, text: str = "Testiteksti", pick: int = 0) -> list[tuple[str, str]]:
        """What a browser posts after a person fills every field sensibly: where nothing
        is chosen yet, the first choice, or the `pick`th (so phones can differ)."""
        pairs: list[tuple[str, str]] = []
        radios: dict[str, list[Control]] = {}
        checks: dict[str, list[Control]] = {}
        for c in self.controls:
            if c.tag == "textarea" or (c.tag == "input" and c.type == "text"):
                pairs.append((c.name, c.value or text))
            elif c.tag == "select":
                options = [o for o in c.options if o]
                pairs.append((c.name, c.value or (options[pick % len(options)]
                                                  if options else "")))
            elif c.type == "radio":
                radios.setdefault(c.name, []).append(c)
            elif c.type == "checkbox":
                checks.setdefault(c.name, []).append(c)
            elif c.type == "number":
                pairs.append((c.name, c.value if c.value not in ("", "0") else "1"))
            elif c.tag == "input" and c.name:
                pairs.append((c.name, c.value))
        for name, group in radios.items():
            chosen = next((c for c in group if c.checked), group[pick % len(group)])
            pairs.append((name, chosen.value))
        for name, group in checks.items():
            chosen = [c for c in group if c.checked] or [group[pick % len(group)]]
            pairs += [(name, c.value) for c in chosen]
        return pairs


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[PageForm] = []
        self._textarea: Control | None = None
        self._select: Control | None = None
        self._option: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.forms.append(PageForm(a.get("action", "")))
        elif not self.forms:
            return
        elif tag == "input":
            self.forms[-1].controls.append(Control(
                "input", a.get("type", "text"), a.get("name", ""), a.get("value", ""),
                "checked" in a, "required" in a, minimum=a.get("min", "")))
        elif tag == "textarea":
            self._textarea = Control("textarea", "", a.get("name", ""), "", False,
                                     "required" in a)
            self.forms[-1].controls.append(self._textarea)
        elif tag == "select":
            self._select = Control("select", "", a.get("name", ""), "", False, "required" in a)
            self.forms[-1].controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data


def page_forms(html: str) -> list[PageForm]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms
