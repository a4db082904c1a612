"""One event on the day: the programme, the live board and how to join."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Footer, Static

from facilitator import methods
from facilitator.domain import Activity
from facilitator.methods import Action, Countdown, InvalidInput, Item, Items, Posted
from facilitator.storage import StateError
from facilitator.tui.messages import ActivityHighlighted, StoreChanged
from facilitator.tui.screens.base import ConsoleScreen
from facilitator.tui.screens.dialogs import ActionDialog, ActionMenu, GroupLinks
from facilitator.tui.widgets import Board, JoinPanel, Programme


class EventScreen(ConsoleScreen):
    # Narrow or short terminals (80×24 is common) stack the programme over the board and
    # tighten the join panel, so the QR code always keeps its full size.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (32, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open_activity", "Open", id="open_activity",
                tooltip="Open the highlighted activity to participants."),
        Binding("c", "close_activity", "Close", id="close_activity",
                tooltip="Close the highlighted activity; it can be reopened."),
        Binding("n", "method_action('next_round')", "Next round", id="next_round",
                tooltip="Move the activity to its next round."),
        Binding("t", "method_action('restart_timer')", "Timer", id="restart_timer",
                tooltip="Restart the round's timer."),
        Binding("a", "actions", "Actions", id="actions",
                tooltip="The activity's method actions."),
        Binding("g", "group_links", "Groups", id="group_links",
                tooltip="The groups' own join links and QR codes."),
        Binding("escape", "back", "Back", id="back", tooltip="Return to the list of events."),
    ]

    def __init__(self, event_id: int) -> None:
        super().__init__()
        store = self.app.store
        self.event = store.event(event_id)
        self._parts = store.parts(event_id)
        self._activities = {a.id: a for p in self._parts for a in p.activities}
        opened = [a for a in self._activities.values() if a.state == "open"]
        # Start where the room is: on the open activity, else at the top.
        self._selected: int | None = opened[0].id if opened else next(iter(self._activities), None)
        self._has_clock = False
        self._generation = 0  # bumped whenever the screen re-reads the store
        self._actions_cache: tuple | None = None

    def compose(self):
        event = self.event
        heading: list = [(event.title, "bold")]
        for extra in (event.date, event.time_range, event.place):
            if extra:
                heading += ["  ·  ", (extra, "$text-muted")]
        yield Static(Content.assemble(*heading), id="event-title")
        with Horizontal(id="event-body"):
            with Vertical(id="programme-pane"):
                yield Static(Content(self.t("tui.event.programme")), classes="pane-title")
                if self._activities:
                    yield Programme(self._parts, self.app.lang, self._selected, id="programme")
                else:
                    yield Static(Content(self.t("tui.event.no_activities")))
            yield Board(id="board")
            yield JoinPanel(self.app.base_urls, event.join_code, id="join")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_from_store()
        if self._activities:
            self.query_one(Programme).focus()
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        # Only a countdown changes with time alone; the board skips redraws otherwise.
        if self._has_clock:
            self._refresh_board()

    @property
    def selected(self) -> Activity | None:
        return self._activities.get(self._selected) if self._selected is not None else None

    def refresh_from_store(self) -> None:
        """Re-read what the screen shows; cheap enough to run ten times a second."""
        store = self.app.store
        self._generation += 1
        activities = store.activities(self.event.id)
        self._activities = {a.id: a for a in activities}
        if self._activities:
            self.query_one(Programme).update_activities(activities)
        self.query_one(JoinPanel).set_participants(store.participant_count(self.event.id))
        self._refresh_board()
        self.refresh_bindings()

    def _method_context(self, activity: Activity) -> methods.Context:
        return methods.Context(self.app.store, activity, self.app.lang)

    def _refresh_board(self) -> None:
        activity = self.selected
        if activity is None:
            self._has_clock = False
            self.query_one(Board).show(None, [])
            return
        ctx = self._method_context(activity)
        try:
            method = methods.get(activity.method)
        except KeyError:  # a method removed since the event was made: still show its notes
            notes = ctx.notes()
            blocks = [Items(tuple(Item(n.text, n.heading, n.hidden) for n in notes))]
            count = len(notes)
        else:
            blocks = method.live_view(ctx)
            count = method.count(ctx)
        self._has_clock = any(isinstance(b, Countdown) for b in blocks)
        self.query_one(Board).show(activity, blocks, count)

    def _actions(self, activity: Activity | None) -> list[Action]:
        # Asked for every key in the footer on every refresh: worked out once per refresh.
        key = (activity, self._generation)
        if self._actions_cache is not None and self._actions_cache[0] == key:
            return self._actions_cache[1]
        actions: list[Action] = []
        if activity is not None and activity.method in methods.known():
            actions = methods.get(activity.method).actions(self._method_context(activity))
        self._actions_cache = (key, actions)
        return actions

    def on_store_changed(self, message: StoreChanged) -> None:
        self.refresh_from_store()

    def on_activity_highlighted(self, message: ActivityHighlighted) -> None:
        self._selected = message.activity_id
        self._refresh_board()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # None: the key stays in the footer, dimmed, so it is clear why it does nothing.
        activity = self.selected
        if action == "open_activity":
            return None if activity is None or activity.state == "open" else True
        if action == "close_activity":
            return True if activity is not None and activity.state == "open" else None
        # A method's own keys are hidden where they mean nothing (most activities).
        if action == "actions":
            return bool(self._actions(activity))
        if action == "method_action":
            wanted = parameters[0] if parameters else ""
            return any(a.id == wanted for a in self._actions(activity))
        if action == "group_links":
            has_groups = activity is not None and self.app.store.groups(activity.id)
            return bool(has_groups and self.app.base_urls)
        return True

    def action_open_activity(self) -> None:
        self._change_state("open", "tui.notify.opened")

    def action_close_activity(self) -> None:
        self._change_state("closed", "tui.notify.closed")

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_actions(self) -> None:
        activity = self.selected
        actions = self._actions(activity)
        if activity is None or not actions:
            return

        def chosen(action_id: str | None) -> None:
            if action_id:
                self.action_method_action(action_id)

        self.app.push_screen(
            ActionMenu(self.t("tui.dialog.actions", title=activity.title), actions), chosen
        )

    def action_method_action(self, action_id: str) -> None:
        """Run one of the method's actions, asking its fields first if it has any."""
        activity = self.selected
        action = next((a for a in self._actions(activity) if a.id == action_id), None)
        if activity is None or action is None:
            return
        if not action.fields:
            self._act(activity, action, {})
            return

        def answered(values: dict | None) -> None:
            if values is not None:
                self._act(activity, action, values)

        self.app.push_screen(ActionDialog(action), answered)

    def _act(self, activity: Activity, action: Action, values: dict) -> None:
        # Re-read: another console or the CLI may have moved the activity on meanwhile.
        current = self.app.store.activity(activity.id)
        method = methods.get(current.method)
        try:
            done = method.act(self._method_context(current), action.id, Posted(values))
        except InvalidInput as invalid:
            self.notify(self.t(invalid.key, **invalid.params), severity="error", markup=False)
        else:
            if done:
                self.notify(done, markup=False)
        self.refresh_from_store()

    def action_group_links(self) -> None:
        activity = self.selected
        if activity is None or not self.app.base_urls:
            return
        base = self.app.base_urls[0].rstrip("/")
        links = [(g.name, f"{base}/e/{self.event.join_code}/g/{g.id}")
                 for g in self.app.store.groups(activity.id)]
        if links:
            self.app.push_screen(
                GroupLinks(self.t("tui.dialog.groups", title=activity.title), links)
            )

    def _change_state(self, state: str, done_key: str) -> None:
        activity = self.selected
        if activity is None:
            return
        try:
            self.app.store.set_activity_state(self.event.id, activity.id, state)
        except StateError as exc:
            # The state on screen may be stale (another process changed it): say so, re-read.
            self.notify(self.t("tui.notify.state_error", detail=str(exc)),
                        severity="error", markup=False)
        else:
            self.notify(self.t(done_key, title=activity.title), markup=False)
        self.refresh_from_store()
