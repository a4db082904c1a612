"""The start: the events in the database, and the bundled templates to start a new one."""

from __future__ import annotations

from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, ListItem, ListView, Static

from facilitator import templates
from facilitator.domain import Event
from facilitator.templates import TemplateError, TemplateInfo
from facilitator.tui.messages import StoreChanged
from facilitator.tui.screens.base import ConsoleScreen
from facilitator.tui.screens.event import EventScreen
from facilitator.tui.widgets import KeyBar


class EventItem(ListItem):
    def __init__(self, content: Content, event_id: int) -> None:
        super().__init__(Label(content))
        self.event_id = event_id


class TemplateItem(ListItem):
    def __init__(self, info: TemplateInfo) -> None:
        super().__init__(
            Label(Content.assemble((info.title, "bold"), "  ", (info.name, "$text-muted")))
        )
        self.info = info


class HomeScreen(ConsoleScreen):
    def __init__(self) -> None:
        super().__init__()
        self._listed: list[tuple] | None = None

    def compose(self):
        yield Static(Content(self.t("tui.home.title")), id="home-title")
        with Vertical(id="home-body"):
            yield Static(Content(self.t("tui.home.events")), classes="section-title")
            yield Static(Content(self.t("tui.home.no_events")), id="no-events")
            yield ListView(id="events")
            yield Static(Content(self.t("tui.home.templates")), classes="section-title")
            yield ListView(*(TemplateItem(i) for i in templates.bundled()), id="templates")
            yield Static(Content(self.t("tui.home.hint")), id="home-hint")
        yield KeyBar()

    async def on_mount(self) -> None:
        await self.refresh_events()
        events = self.query_one("#events", ListView)
        (events if events.children else self.query_one("#templates", ListView)).focus()

    async def on_screen_resume(self) -> None:
        await self.refresh_events()

    async def on_store_changed(self, message: StoreChanged) -> None:
        await self.refresh_events()

    def _row(self, event: Event) -> tuple:
        store = self.app.store
        return (event.id, event.title, event.join_code, event.time_range,
                len(store.activities(event.id)), len(store.activities(event.id, state="open")))

    async def refresh_events(self) -> None:
        rows = [self._row(e) for e in self.app.store.events()]
        if rows == self._listed:
            return  # redrawing would also lose the cursor
        self._listed = rows
        view = self.query_one("#events", ListView)
        index = view.index
        await view.clear()
        await view.extend(EventItem(self._content(row), row[0]) for row in rows)
        if rows:
            view.index = min(index or 0, len(rows) - 1)
        self.query_one("#no-events").display = not rows
        view.display = bool(rows)

    def _content(self, row: tuple) -> Content:
        _, title, code, times, n_activities, n_open = row
        return Content.assemble(
            (title, "bold"),
            "\n",
            (self.t("tui.home.code"), "$text-muted"), " ", (code, "bold $text-accent"),
            "  ", (times, "$text-muted"),
            "  ", self.t("tui.home.activities", count=n_activities),
            "  ", (self.t("tui.home.open_count", count=n_open),
                   "bold $text-success" if n_open else "$text-muted"),
        )

    def on_list_view_selected(self, message: ListView.Selected) -> None:
        item = message.item
        if isinstance(item, EventItem):
            self.app.push_screen(EventScreen(item.event_id))
        elif isinstance(item, TemplateItem):
            try:
                template = templates.load(item.info.path)
            except TemplateError as exc:
                self.notify(self.t("tui.home.template_error", reason=str(exc)),
                            severity="error", markup=False)
                return

            def done(event) -> None:
                self.notify(self.t("tui.home.created", title=event.title), markup=False)
                self.app.push_screen(EventScreen(event.id))

            self.write(lambda store: store.create_event(template), done)
