"""The event's programme: parts with their times, and each part's activities with state."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Label, ListItem, ListView

from facilitator.domain import Activity, Part
from facilitator.i18n import t
from facilitator.tui.messages import ActivityHighlighted

#: A symbol as well as the word, so the state reads at a glance from across the room
#: and still without colour.
STATE_SYMBOLS = {"draft": "○", "open": "●", "closed": "■"}
STATE_STYLES = {"draft": "$text-muted", "open": "bold $text-success", "closed": "$text-secondary"}


def state_label(lang: str, state: str) -> Content:
    """The symbol and word for an activity's state, styled."""
    word = t(lang, f"tui.state.{state}")
    symbol = STATE_SYMBOLS.get(state, "?")
    return Content.assemble((f"{symbol} {word}", STATE_STYLES.get(state, "")))


def method_name(lang: str, method: str) -> str:
    key = f"methods.name.{method}"
    name = t(lang, key)
    return method if name == key else name


class PartItem(ListItem):
    """A part's heading; disabled so the cursor only stops on activities."""

    def __init__(self, part: Part) -> None:
        pieces: list[str | tuple[str, str]] = []
        if part.time_range:
            pieces += [(part.time_range, "$text-muted"), " "]
        pieces.append((part.title, "bold"))
        super().__init__(Label(Content.assemble(*pieces)), classes="part", disabled=True)


class ActivityItem(ListItem):
    """An activity with its state and method, and the parallel workshop it is in (which
    phones see it)."""

    def __init__(self, activity: Activity, lang: str, workshop: str = "") -> None:
        self.activity = activity
        self.lang = lang
        self.workshop = workshop
        self._line = Label(self._content(activity))
        super().__init__(self._line, classes=f"activity -{activity.state}")

    def _content(self, activity: Activity) -> Content:
        state = state_label(self.lang, activity.state)
        workshop = [" · ", (self.workshop, "bold $text-accent")] if self.workshop else []
        return Content.assemble(
            (activity.title, "bold"), "\n",
            state, (f" · {method_name(self.lang, activity.method)}", "$text-muted"), *workshop,
        )

    def set_activity(self, activity: Activity) -> None:
        if activity == self.activity:
            return
        self.remove_class(f"-{self.activity.state}")
        self.add_class(f"-{activity.state}")
        self.activity = activity
        self._line.update(self._content(activity))


class Programme(ListView):
    """Parts and activities; moving the cursor posts `ActivityHighlighted`."""

    def __init__(
        self, parts: list[Part], lang: str, highlight: int | None = None,
        *, id: str | None = None,
    ) -> None:
        items: list[ListItem] = []
        initial = None
        for part in parts:
            items.append(PartItem(part))
            for activity in part.activities:
                if activity.id == highlight or (initial is None and highlight is None):
                    initial = len(items)
                items.append(ActivityItem(activity, lang, part.workshop))
        self._items = {i.activity.id: i for i in items if isinstance(i, ActivityItem)}
        super().__init__(*items, initial_index=initial, id=id)

    @property
    def highlighted_activity(self) -> Activity | None:
        item = self.highlighted_child
        return item.activity if isinstance(item, ActivityItem) else None

    def update_activities(self, activities: list[Activity]) -> None:
        """Show new states (opened here, in another console or from the command line)."""
        for activity in activities:
            item = self._items.get(activity.id)
            if item is not None:
                item.set_activity(activity)

    def highlight(self, activity_id: int | None) -> None:
        """Move the cursor to an activity (one opened elsewhere, or chosen in the palette)."""
        item = self._items.get(activity_id) if activity_id is not None else None
        if item is not None and item in self.children:
            self.index = list(self.children).index(item)

    def on_list_view_highlighted(self, event: ListView.Highlighted) -> None:
        event.stop()
        item = event.item
        self.post_message(
            ActivityHighlighted(item.activity.id if isinstance(item, ActivityItem) else None)
        )
