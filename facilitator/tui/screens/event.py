"""One event on the day: the programme, the live board you act on, and how to join.

The screen coordinates: it reads the store, gives the widgets what to show, and runs
what the keys and the command palette ask — opening activities, the method's actions,
moderating the board's notes (`methods.moderation`, the same steps the CLI runs), the
results, the cards and the agreements.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from facilitator import methods
from facilitator.domain import Activity, Note
from facilitator.methods import Action, Field, InvalidInput, Posted, moderation
from facilitator.storage import StateError, Store
from facilitator.storage.notes import NothingChanged, Step
from facilitator.tui.messages import ActivityHighlighted, AddressesChanged, StoreChanged
from facilitator.tui.screens.agreements import AgreementsScreen
from facilitator.tui.screens.base import ConsoleScreen
from facilitator.tui.screens.dialogs import ActionMenu, Confirm, FieldsDialog, GroupLinks
from facilitator.tui.screens.help import HelpScreen, key_rows
from facilitator.tui.screens.memo import MemoActions
from facilitator.tui.screens.projector import ProjectorDialog
from facilitator.tui.screens.projector import apply as apply_projector
from facilitator.tui.screens.projector import describe as describe_projector
from facilitator.tui.screens.theming import ThemingActions
from facilitator.tui.widgets import Board, JoinPanel, KeyBar, Programme
from facilitator.tui.widgets.programme import method_name, state_label
from facilitator.web import projector


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _show(static: Static, content: Content) -> None:
    """Redraw a fixed-size text only when it changed, and without a layout: under a full
    room a relayout of the whole screen per refresh was most of the console's CPU."""
    if content != getattr(static, "shown", None):
        static.shown = content
        static.update(content, layout=False)


class EventScreen(ThemingActions, MemoActions, ConsoleScreen):
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
        Binding("v", "projector", "Projector", id="projector",
                tooltip="The projector's address and QR code, and what the room sees."),
        Binding("r", "edit_results", "Results", id="edit_results",
                tooltip="Write what came out of the activity (Mitä tuloksena)."),
        Binding("k", "edit_card('part')", "Card", id="edit_card",
                tooltip="Edit the card of the activity's part: aims and how we worked."),
        Binding("i", "agreements", "Agreements", id="agreements",
                tooltip="The agreements: what, who, by when."),
        Binding("p", "toggle_premoderation", "Pre-moderation", id="premoderation",
                tooltip="New notes wait for approval before anyone sees them (on/off)."),
        Binding("T", "toggle_themes", "Themes", id="toggle_themes",
                tooltip="The board by theme, the notes in no theme last (on/off)."),
        Binding("l", "theme_notes", "Theme", id="theme_notes",
                tooltip="Put the selected notes in a theme, new or existing."),
        Binding("L", "untheme_notes", "Out of theme", id="untheme_notes", show=False,
                tooltip="Take the selected notes out of their theme."),
        Binding("S", "suggest_themes", "Suggestions", id="suggest_themes",
                tooltip="Suggested groups of the notes in no theme, to accept or reject."),
        Binding("R", "results_draft", "Draft", id="results_draft", show=False,
                tooltip="The results editor with a draft from the themes, to rewrite."),
        Binding("u", "undo", "Undo", id="undo", tooltip="Undo the last moderation step."),
        Binding("w", "export_memo", "Export", id="export_memo", show=False,
                tooltip="Write the memo to a file in any format, now."),
        Binding("J", "publish_memo", "Publish", id="publish_memo", show=False,
                tooltip="Offer the memo on the participants' page, or take it off."),
        Binding("question_mark,f1", "help", "Help", id="help",
                tooltip="The keys of what has focus."),
        Binding("escape", "back", "Back", id="back",
                tooltip="Clear the selection; else return to the list of events."),
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
            with Vertical(id="board-pane"):
                yield Static(id="board-title")
                yield Board(id="board")
                yield Static(id="note-detail")
                yield Static(id="export-status")  # shown while an export runs
            yield JoinPanel(self.app.base_urls, event.join_code, id="join")
        yield KeyBar()

    def on_mount(self) -> None:
        self.refresh_from_store()
        if self._activities:
            self.query_one(Programme).focus()
        self.set_interval(1.0, self.query_one(Board).tick)

    # -- reading -----------------------------------------------------------------------------

    @property
    def selected(self) -> Activity | None:
        return self._activities.get(self._selected) if self._selected is not None else None

    def activities(self) -> list[Activity]:
        return list(self._activities.values())

    def refresh_from_store(self) -> None:
        """Re-read what the screen shows: the activities, the count, the board's counts
        and visible rows. Cheap enough to run ten times a second under a full room."""
        store = self.app.store
        self._generation += 1
        before = self._activities
        activities = store.activities(self.event.id)
        self._activities = {a.id: a for a in activities}
        # An activity opened or moved to its next round — here, in another console or
        # from the command line — comes onto the board.
        moved = [a for a in activities if a.state == "open" and (
            a.id not in before or before[a.id].state != "open"
            or before[a.id].round != a.round)]
        if moved and before:
            self._selected = moved[-1].id
        if self._activities:
            programme = self.query_one(Programme)
            programme.update_activities(activities)
            if moved and before:
                programme.highlight(self._selected)
        self.query_one(JoinPanel).set_participants(store.participant_count(self.event.id))
        counts = store.workshop_counts(self.event.id)
        self.query_one(JoinPanel).set_workshops(
            [(w.name, counts.get(w.id, 0)) for w in store.workshops(self.event.id)])
        self._refresh_board()
        self.refresh_bindings()

    def _method_context(self, activity: Activity, store: Store | None = None
                        ) -> methods.Context:
        """What a method sees here; `store` the writer thread's, in a write."""
        return methods.Context(store or self.app.store, activity, self.app.lang,
                               audience="console")

    def _refresh_board(self) -> None:
        activity = self.selected
        board = self.query_one(Board)
        title = self.query_one("#board-title", Static)
        if activity is None:
            _show(title, Content(self.t("tui.board.choose")))
            board.show([])
            return
        ctx = self._method_context(activity)
        try:
            method = methods.get(activity.method)
        except KeyError:  # a method removed since the event was made: still show its notes
            blocks: list = [ctx.note_list()]
            count = ctx.count()
        else:
            blocks = method.live_view(ctx)
            count = method.count(ctx)
        if self.theme_mode:
            blocks = self.theme_blocks(ctx)
        pending = self.app.store.pending_count(activity.id)
        meta: list = [state_label(self.app.lang, activity.state), " · ",
                      method_name(self.app.lang, activity.method), " · ",
                      self.t("tui.board.count", count=count)]
        if activity.premoderated:
            meta += [" · ", (self.t("tui.board.premoderated", count=pending), "bold $text-warning")]
        elif pending:
            meta += [" · ", (self.t("tui.board.pending_count", count=pending), "$text-warning")]
        if activity.summary:
            meta += [" · ", (self.t("tui.board.has_results"), "$text-success")]
        lines: list = [(activity.title, "bold"), "\n", *meta]
        if activity.prompt:
            lines += ["\n", (activity.prompt, "italic")]
        _show(title, Content.assemble(*lines))
        board.show(blocks)
        self._show_detail(board.highlighted)

    def _show_detail(self, note: Note | None) -> None:
        detail = self.query_one("#note-detail", Static)
        if note is None:
            _show(detail, Content(self.t("tui.board.detail_hint")))
            return
        flags = []
        for on, key in ((note.hidden, "hidden"), (note.pending, "pending"),
                        (note.starred, "starred"), (note.edited, "edited")):
            if on:
                flags.append(self.t(f"tui.board.{key}"))
        if note.merged_into is not None:
            flags.append(self.t("tui.board.merged", id=note.merged_into))
        head = f"#{note.id}" + (f" · {note.heading}" if note.heading else "")
        parts: list = [(head, "bold"), ("  " + " · ".join(flags), "$text-warning") if flags
                       else "", "\n"]
        if note.edited:  # before the text: a long text would push it out of sight
            original = " ".join(note.original.split())
            parts += [(self.t("tui.board.original", text=original), "$text-muted"), "\n"]
        parts.append(note.text or self.t("tui.board.no_text"))
        _show(detail, Content.assemble(*parts))

    def method_actions(self) -> list[Action]:
        # Asked for every key in the footer on every refresh: worked out once per refresh.
        activity = self.selected
        key = (activity, self._generation)
        if self._actions_cache is not None and self._actions_cache[0] == key:
            return self._actions_cache[1]
        actions: list[Action] = []
        if activity is not None and activity.method in methods.known():
            actions = methods.get(activity.method).actions(self._method_context(activity))
        self._actions_cache = (key, actions)
        return actions

    def board_targets(self) -> list[int]:
        # The screen's own keys (l) are checked before the board is mounted.
        boards = self.query(Board)
        return boards.first().targets() if boards else []

    # -- messages ----------------------------------------------------------------------------

    def on_store_changed(self, message: StoreChanged) -> None:
        self.refresh_from_store()

    async def on_addresses_changed(self, message: AddressesChanged) -> None:
        await self.query_one(JoinPanel).set_base_urls(message.base_urls)
        self.refresh_bindings()  # g (group links) needs an address

    def on_activity_highlighted(self, message: ActivityHighlighted) -> None:
        if message.activity_id != self._selected:
            self._selected = message.activity_id
            self.query_one(Board).clear_selection()
            self._refresh_board()
            self.refresh_bindings()

    def on_board_note_highlighted(self, message: Board.NoteHighlighted) -> None:
        self._show_detail(message.note)
        self.refresh_bindings()

    def select_activity(self, activity_id: int) -> None:
        """Go to an activity (the palette's "go to"): the programme and board follow."""
        if activity_id in self._activities:
            self.query_one(Programme).highlight(activity_id)
            self.on_activity_highlighted(ActivityHighlighted(activity_id))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # None: the key stays in the footer, dimmed, so it is clear why it does nothing.
        activity = self.selected
        if action == "open_activity":
            return None if activity is None or activity.state == "open" else True
        if action == "close_activity":
            return True if activity is not None and activity.state == "open" else None
        # A method's own keys are hidden where they mean nothing (most activities).
        if action == "actions":
            return bool(self.method_actions())
        if action == "method_action":
            wanted = parameters[0] if parameters else ""
            return any(a.id == wanted for a in self.method_actions())
        if action == "projector":
            return bool(self.app.base_urls)
        if action == "group_links":
            has_groups = activity is not None and self.app.store.groups(activity.id)
            return bool(has_groups and self.app.base_urls)
        if action in ("edit_results", "toggle_premoderation", "toggle_themes",
                      "suggest_themes", "results_draft"):
            return activity is not None
        if action in ("hide_notes", "edit_note", "star_notes", "approve_notes",
                      "merge_notes", "unmerge_notes", "hide_device", "theme_notes",
                      "untheme_notes"):
            return bool(self.board_targets())
        return True

    # -- the programme -----------------------------------------------------------------------

    def action_open_activity(self) -> None:
        self._change_state("open", "tui.notify.opened")

    def action_close_activity(self) -> None:
        self._change_state("closed", "tui.notify.closed")

    def action_back(self) -> None:
        if self.query_one(Board).clear_selection():
            return
        self.app.pop_screen()

    def _change_state(self, state: str, done_key: str) -> None:
        activity = self.selected
        if activity is None:
            return

        def done(_) -> None:
            self.notify(self.t(done_key, title=activity.title), markup=False)
            self.refresh_from_store()

        def failed(exc: Exception) -> None:
            if not isinstance(exc, StateError):
                raise exc
            # The state on screen may be stale (another process changed it): say so, re-read.
            self.notify(self.t("tui.notify.state_error", detail=str(exc)),
                        severity="error", markup=False)
            self.refresh_from_store()

        self.write(lambda store: store.set_activity_state(self.event.id, activity.id, state),
                   done, failed)

    def action_toggle_premoderation(self) -> None:
        activity = self.selected
        if activity is None:
            return
        key = "tui.notify.premoderation_off" if activity.premoderated else \
            "tui.notify.premoderation_on"

        def done(_) -> None:
            self.notify(self.t(key, title=activity.title), markup=False)
            self.refresh_from_store()

        self.write(lambda store: store.set_premoderated(activity.id, not activity.premoderated),
                   done)

    # -- the method's actions ----------------------------------------------------------------

    def action_actions(self) -> None:
        activity = self.selected
        actions = self.method_actions()
        if activity is None or not actions:
            return

        def chosen(action_id: str | None) -> None:
            if action_id:
                self.action_method_action(action_id)

        self.app.push_screen(ActionMenu(self.t("tui.dialog.actions", title=activity.title),
                                        [(a.id, a.label) for a in actions]), chosen)

    def action_method_action(self, action_id: str) -> None:
        """Run one of the method's actions, asking its fields first if it has any."""
        activity = self.selected
        action = next((a for a in self.method_actions() if a.id == action_id), None)
        if activity is None or action is None:
            return
        if not action.fields:
            self._act(activity, action, {})
            return

        def answered(values: dict | None) -> None:
            if values is not None:
                self._act(activity, action, values)

        self.app.push_screen(FieldsDialog(action.label, action.fields, action.values),
                             answered)

    def _act(self, activity: Activity, action: Action, values: dict) -> None:
        def run(store: Store) -> str:
            # Re-read: another console or the CLI may have moved the activity on meanwhile.
            current = store.activity(activity.id)
            method = methods.get(current.method)
            return method.act(self._method_context(current, store), action.id, Posted(values))

        def done(said: str) -> None:
            if said:
                self.notify(said, markup=False)
            self.refresh_from_store()

        def failed(exc: Exception) -> None:
            if not isinstance(exc, InvalidInput):
                raise exc
            self.notify(self.t(exc.key, **exc.params), severity="error", markup=False)
            self.refresh_from_store()

        self.write(run, done, failed)

    def action_group_links(self) -> None:
        activity = self.selected
        if activity is None or not self.app.base_urls:
            return
        base = self.app.base_urls[0].rstrip("/")
        links = [(g.name, f"{base}/e/{self.event.join_code}/g/{g.id}")
                 for g in self.app.store.groups(activity.id)]
        if links:
            self.app.push_screen(
                GroupLinks(self.t("tui.dialog.groups", title=activity.title), links,
                           on_print=self.print_cards)
            )

    def print_cards(self) -> None:
        """The event's table cards to a file beside the database, written off the loop."""
        from facilitator.tui.cards import write_cards_in_worker

        write_cards_in_worker(self, self.event.id, self.app.base_urls[0])

    def projector_url(self) -> str:
        return projector.projector_url(self.app.base_urls[0], self.app.store.secret(),
                                       self.event.id)

    def action_projector(self) -> None:
        if self.app.base_urls:
            selected = self.selected
            self.app.push_screen(ProjectorDialog(self.event.id, self.projector_url(),
                                                 selected.id if selected else None))

    def action_projector_mode(self, choice: str) -> None:
        """A palette command: what the room sees (join screen, activity, freeze …)."""
        selected = self.selected
        activity_id = selected.id if selected else None
        self.write(lambda store: apply_projector(store, self.event.id, choice, activity_id),
                   lambda mode: self.notify(describe_projector(self.app.lang, mode),
                                            markup=False))

    # -- moderation --------------------------------------------------------------------------

    def _moderate(self, run: Callable[[Store], Step | None]) -> None:
        """Run one moderation step (`run(store)`, on the writer thread) and say what it
        did (and that u undoes it)."""

        def done(step: Step | None) -> None:
            if step is not None:
                count = len(step.note_ids) - (step.step == "merge")  # the keeper is not one
                self.notify(self.t(f"moderation.done.{step.step}", count=count), markup=False)
                self.query_one(Board).clear_selection()
            self.refresh_from_store()

        def failed(exc: Exception) -> None:
            if isinstance(exc, InvalidInput):
                self.notify(self.t(exc.key, **exc.params), severity="error", markup=False)
            elif isinstance(exc, NothingChanged):  # already so: no step taken
                self.notify(self.t("tui.notify.nothing_to_change"), markup=False)
            else:
                raise exc
            self.refresh_from_store()

        self.write(run, done, failed)

    def _target_notes(self) -> list[Note]:
        found = self.app.store.notes_by_id(self.board_targets())
        return [found[i] for i in self.board_targets() if i in found]

    def action_hide_notes(self) -> None:
        notes = self._target_notes()
        if notes:
            hidden = not all(n.hidden for n in notes)  # all hidden: show them again
            self._moderate(lambda store: moderation.hide(store, self.event.id,
                                                   [n.id for n in notes], hidden))

    def action_star_notes(self) -> None:
        ids = self.board_targets()
        if ids:
            self._moderate(lambda store: moderation.star(store, self.event.id, ids))

    def action_approve_notes(self) -> None:
        ids = self.board_targets()
        if ids:
            self._moderate(lambda store: moderation.approve(store, self.event.id, ids))

    def action_unmerge_notes(self) -> None:
        ids = self.board_targets()
        if ids:
            self._moderate(lambda store: moderation.unmerge(store, self.event.id, ids))

    def action_edit_note(self) -> None:
        note = self.query_one(Board).highlighted
        if note is None:
            return
        hint = self.t("tui.board.original", text=note.original) if note.edited else ""
        field = Field("text", "textarea", self.t("tui.dialog.edit_label"))

        def saved(values: dict | None) -> None:
            if values is not None:
                self._moderate(lambda store: moderation.edit(store, self.event.id, note.id,
                                                       values["text"]))

        self.app.push_screen(FieldsDialog(self.t("tui.dialog.edit_title", id=note.id), [field],
                                          {"text": note.text}, hint), saved)

    def action_merge_notes(self) -> None:
        """Fold the selected notes under the highlighted one, after asking: a merge is
        what the facilitator chose, never a guess."""
        board = self.query_one(Board)
        keep = board.highlighted
        others = sorted(board.selected - ({keep.id} if keep else set()))
        if keep is None or not others:
            self.notify(self.t("tui.notify.merge_how"), markup=False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._moderate(lambda store: moderation.merge(store, self.event.id,
                                                        keep.id, others))

        preview = " ".join(keep.text.split())[:80]
        self.app.push_screen(Confirm(self.t("tui.dialog.merge", count=len(others),
                                            text=preview)), answered)

    def action_hide_device(self) -> None:
        note = self.query_one(Board).highlighted
        if note is None or note.participant_id is None:
            self.notify(self.t("moderation.error.no_device"), severity="error", markup=False)
            return
        count = sum(1 for n in self.app.store.event_notes(self.event.id)
                    if n.participant_id == note.participant_id and not n.hidden)

        def answered(yes: bool | None) -> None:
            if yes:
                self._moderate(lambda store: moderation.hide_device(store, self.event.id,
                                                              note.id))

        self.app.push_screen(Confirm(self.t("tui.dialog.hide_device", count=count)), answered)

    def action_undo(self) -> None:
        def done(step: Step | None) -> None:
            if step is None:
                self.notify(self.t("moderation.done.nothing_to_undo"), markup=False)
            else:
                self.notify(self.t("moderation.done.undo",
                                   step=self.t(f"moderation.step.{step.step}")), markup=False)
            self.refresh_from_store()

        self.write(lambda store: moderation.undo(store, self.event.id), done)

    # -- results, cards, agreements ----------------------------------------------------------

    def action_edit_results(self, start: str | None = None) -> None:
        """The results editor; `start` a text to begin from (the draft from the themes)."""
        activity = self.selected
        if activity is None:
            return
        field = Field("summary", "textarea", self.t("tui.dialog.results_label"), required=False)

        def saved(values: dict | None) -> None:
            if values is None:
                return

            def done(_) -> None:
                self.notify(self.t("tui.notify.results_saved", title=activity.title),
                            markup=False)
                self.refresh_from_store()

            summary = values["summary"].strip()
            self.write(lambda store: store.set_activity_summary(activity.id, summary), done)

        current = self.app.store.activity(activity.id).summary if start is None else start
        self.app.push_screen(FieldsDialog(self.t("tui.dialog.results", title=activity.title),
                                          [field], {"summary": current},
                                          self.t("tui.dialog.results_hint")), saved)

    def action_edit_card(self, which: str = "part") -> None:
        """The card of the highlighted activity's part (or the event's): aims and how we
        worked, one line each, so the plan's future tense can become what happened."""
        store = self.app.store
        activity = self.selected
        part = next((p for p in store.parts(self.event.id)
                     if activity is not None and p.id == activity.part_id), None)
        if which == "part" and part is None:
            which = "event"
        event = store.event(self.event.id)
        source = part if which == "part" else event
        fields = [Field("aims", "textarea", self.t("memo.aims"), required=False),
                  Field("how", "textarea", self.t("memo.how"), required=False)]
        values = {"aims": "\n".join(source.aims), "how": "\n".join(source.how)}
        if which == "event":  # a part's results are its activities' written results
            fields.append(Field("results", "textarea", self.t("memo.results"), required=False))
            values["results"] = event.summary
        title = self.t("tui.dialog.card_event") if which == "event" else self.t(
            "tui.dialog.card_part", title=part.title)

        def saved(answer: dict | None) -> None:
            if answer is None:
                return

            def run(store: Store) -> None:
                with store.transaction():
                    store.set_card(self.event.id, part.id if which == "part" else None,
                                   aims=_lines(answer["aims"]), how=_lines(answer["how"]))
                    if which == "event":
                        store.set_event_summary(self.event.id, answer["results"].strip())

            self.write(run, lambda _: self.notify(self.t("tui.notify.card_saved"),
                                                  markup=False))

        self.app.push_screen(FieldsDialog(title, fields, values,
                                          self.t("tui.dialog.card_hint")), saved)

    def action_agreements(self) -> None:
        self.app.push_screen(AgreementsScreen(self.event.id))

    def action_help(self) -> None:
        focused = self.focused
        name = ""
        if isinstance(focused, Board):
            name = self.t("tui.help.board")
        elif isinstance(focused, Programme):
            name = self.t("tui.help.programme")
        self.app.push_screen(HelpScreen(key_rows(self.app, self), name))

