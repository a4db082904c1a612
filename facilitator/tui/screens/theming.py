"""The event screen's theming (teemoittelu): the board by theme, putting the selected notes
in a theme, the suggestions, and a first draft of the results from the themes.

A mixin of `EventScreen` (its bindings are declared there, with the others). Every change is
`methods.theming`'s, a logged step `u` undoes, as the CLI's `theme` is.
"""

from __future__ import annotations

from facilitator.methods import Field, theming
from facilitator.tui.screens.dialogs import Confirm, FieldsDialog
from facilitator.tui.screens.suggestions import SuggestionsScreen

#: What the theme dialog's list offers to type a new title instead.
NEW = ""


class ThemingActions:
    """Needs the screen's `app`, `event`, `selected`, `t`, `_moderate`, `board_targets`,
    `refresh_from_store`, `action_edit_results`."""

    theme_mode = False

    def theme_blocks(self, ctx) -> list:
        return theming.board_view(ctx)

    def action_toggle_themes(self) -> None:
        self.theme_mode = not self.theme_mode
        self.query_one("Board").clear_selection()
        self.notify(self.t("tui.themes.mode_on" if self.theme_mode else "tui.themes.mode_off"),
                    markup=False)
        self.refresh_from_store()

    def action_theme_notes(self) -> None:
        """Put the selected (or highlighted) notes in a theme: one of the activity's, one
        the template offers, or a new one typed — chosen, never pre-filled with a guess."""
        activity = self.selected
        ids = self.board_targets()
        if activity is None or not ids:
            self.notify(self.t("moderation.error.no_notes"), markup=False)
            return
        store = self.app.store
        choices = tuple(theming.choices(store, activity))
        fields = [Field("theme", "select", self.t("tui.themes.choose"), choices=choices,
                        required=False),
                  Field("title", "text", self.t("tui.themes.new_title"), required=False,
                        max_length=200)]
        if not choices:
            fields = fields[1:]

        def answered(values: dict | None) -> None:
            if values is None:
                return
            title = values.get("title", "").strip() or values.get("theme", "")
            if not title.strip():
                self.notify(self.t("theming.error.empty_title"), severity="error",
                            markup=False)
                return
            self._moderate(lambda store: theming.assign(store, self.event.id, activity.id, title,
                                                  ids)[1])

        self.app.push_screen(FieldsDialog(self.t("tui.themes.assign", count=len(ids)), fields,
                                          {}, self.t("tui.themes.assign_hint")), answered)

    def action_rename_theme(self, title: str) -> None:
        activity = self.selected
        if activity is None:
            return
        field = Field("title", "text", self.t("tui.themes.new_title"), max_length=200)

        def answered(values: dict | None) -> None:
            if values is not None:
                self._moderate(lambda store: theming.rename(store, self.event.id,
                                                      activity.id, title, values["title"]))

        # The theme's own title to edit: what is there, not a guess.
        self.app.push_screen(FieldsDialog(self.t("tui.themes.rename_theme", title=title), [field],
                                          {"title": title}), answered)

    def action_move_theme(self, title: str, by: int) -> None:
        activity = self.selected
        if activity is not None:
            self._moderate(lambda store: theming.move(store, self.event.id, activity.id,
                                                title, by))

    def action_delete_theme(self, title: str) -> None:
        activity = self.selected
        if activity is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._moderate(lambda store: theming.delete(store, self.event.id,
                                                      activity.id, title))

        self.app.push_screen(Confirm(self.t("tui.themes.delete_theme", title=title)), answered)

    def action_untheme_notes(self) -> None:
        activity = self.selected
        ids = self.board_targets()
        if activity is not None and ids:
            self._moderate(lambda store: theming.unassign(store, self.event.id,
                                                    activity.id, ids))

    def action_suggest_themes(self) -> None:
        activity = self.selected
        if activity is None:
            return

        def closed(steps: int | None) -> None:
            if steps:
                self.query_one("Board").clear_selection()
            self.refresh_from_store()

        self.app.push_screen(SuggestionsScreen(self.event.id, activity), closed)

    def action_results_draft(self) -> None:
        """The results editor with a draft from the themes under what is written: nothing
        is saved until the facilitator saves it there."""
        activity = self.selected
        if activity is None:
            return
        draft = theming.draft(self.app.store, activity, "fi")
        if not draft:
            self.notify(self.t("tui.themes.no_draft"), markup=False)
            return
        current = self.app.store.activity(activity.id).summary
        self.action_edit_results(start="\n\n".join(x for x in (current, draft) if x))
