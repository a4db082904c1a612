"""The command palette (ctrl+p): what the console can do where the facilitator is, in the
console's language — go to an activity, open or close it, moderate the selected notes,
write results and agreements, and the running method's own actions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from facilitator.i18n import t

Command = tuple[str, str, Callable[[], object]]  # (name, help, what it runs)


def event_commands(screen) -> Iterator[Command]:
    """The event screen's commands now: every activity to go to, then what applies to
    the highlighted activity and notes."""
    lang = screen.app.lang

    def tr(key: str, **params) -> str:
        return t(lang, f"tui.command.{key}", **params)

    for activity in screen.activities():
        yield (tr("goto", title=activity.title), tr("goto_help"),
               partial(screen.select_activity, activity.id))
    activity = screen.selected
    if activity is not None:
        if activity.state != "open":
            yield tr("open", title=activity.title), "", screen.action_open_activity
        else:
            yield tr("close", title=activity.title), "", screen.action_close_activity
        yield (tr("premoderate_off" if activity.premoderated else "premoderate_on"), "",
               screen.action_toggle_premoderation)
        yield tr("results", title=activity.title), "", screen.action_edit_results
        yield (tr("themes_off" if screen.theme_mode else "themes_on"), tr("themes_help"),
               screen.action_toggle_themes)
        yield tr("suggest_themes"), tr("themes_help"), screen.action_suggest_themes
        yield tr("results_draft"), tr("themes_help"), screen.action_results_draft
        for theme in screen.app.store.themes(activity.id):  # each theme: name, order, remove
            yield (tr("theme_rename", title=theme.title), tr("themes_help"),
                   partial(screen.action_rename_theme, theme.title))
            yield (tr("theme_up", title=theme.title), tr("themes_help"),
                   partial(screen.action_move_theme, theme.title, -1))
            yield (tr("theme_down", title=theme.title), tr("themes_help"),
                   partial(screen.action_move_theme, theme.title, 1))
            yield (tr("theme_delete", title=theme.title), tr("themes_help"),
                   partial(screen.action_delete_theme, theme.title))
        for action in screen.method_actions():
            yield action.label, tr("method_help"), partial(screen.action_method_action,
                                                           action.id)
    if screen.app.base_urls:
        yield tr("projector"), tr("projector_help"), screen.action_projector
    for choice in ("join", "activity", "auto", "freeze", "starred"):
        yield (tr(f"projector_{choice}"), tr("projector_help"),
               partial(screen.action_projector_mode, choice))
    yield tr("card_part"), "", partial(screen.action_edit_card, "part")
    yield tr("card_event"), "", partial(screen.action_edit_card, "event")
    yield tr("agreements"), "", screen.action_agreements
    if screen.board_targets():
        for key, action in (("hide", screen.action_hide_notes), ("edit", screen.action_edit_note),
                            ("star", screen.action_star_notes),
                            ("approve", screen.action_approve_notes),
                            ("merge", screen.action_merge_notes),
                            ("unmerge", screen.action_unmerge_notes),
                            ("hide_device", screen.action_hide_device),
                            ("theme_notes", screen.action_theme_notes),
                            ("untheme_notes", screen.action_untheme_notes)):
            yield tr(key), tr("notes_help"), action
    yield tr("undo"), "", screen.action_undo
    yield tr("help"), "", screen.action_help


class EventCommands(Provider):
    def _commands(self) -> list[Command]:
        screen = self.screen
        return list(event_commands(screen)) if hasattr(screen, "select_activity") else []

    async def discover(self) -> Hits:
        for name, help_text, run in self._commands():
            yield DiscoveryHit(Content(name), run, text=name, help=help_text or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, text=name,
                          help=help_text or None)
