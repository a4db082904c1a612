"""What every console screen shares: the console's language, and how it writes."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from facilitator.i18n import t
from facilitator.storage import Store


class Writing:
    """For a screen (full or modal) that changes the database."""

    def write(
        self,
        job: Callable[[Store], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """Run `job(store)` on the writer thread (`storage.writer`), then `done(result)`
        here, or `failed(error)` for what the job raised (a refused step).

        A key never waits for the database: another process holding the write lock would
        otherwise freeze the console until it let go. Past the writer's bound the step
        is not taken and the console says so in one line; keys work meanwhile. A worker
        of the app's, not the screen's: leaving the screen must not drop a queued step.
        """

        async def run() -> None:
            try:
                result = await self.app.writer.run(job)
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    self.notify(t(self.app.lang, "tui.notify.busy"), severity="error", markup=False)
                else:
                    self.notify(t(self.app.lang, "tui.notify.storage", detail=str(exc)),
                                severity="error", markup=False)
            except sqlite3.Error as exc:
                self.notify(t(self.app.lang, "tui.notify.storage", detail=str(exc)),
                            severity="error", markup=False)
            except Exception as exc:
                if failed is None:
                    raise
                if self.is_attached:
                    failed(exc)
            else:
                if done is not None and self.is_attached:
                    done(result)

        self.app.run_worker(run(), group="write")


class ConsoleScreen(Writing, Screen):
    def t(self, key: str, **params) -> str:
        return t(self.app.lang, key, **params)
