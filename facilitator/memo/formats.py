"""The memo's formats: a name, how to make it, whether it is bytes, its file extension.

Each renderer lives in its own module with one public function; it is imported only when
its format is asked for, so the heavier libraries (python-docx, openpyxl, WeasyPrint)
cost nothing to the console or to a Markdown memo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from facilitator.memo.model import Memo
    from facilitator.storage import Store


@dataclass(frozen=True)
class Format:
    name: str
    module: str  # facilitator.memo.<module>
    function: str  # render_<name>(memo, lang=…) or, with `needs_store`, (store, memo, lang=…)
    binary: bool
    extension: str
    #: CSV and XLSX list every contribution, which the memo's blocks do not carry.
    needs_store: bool = False
    #: The JSON archive is the event's whole record, not the memo: it reads the store.
    whole_event: bool = False

    def render(self, store: Store, memo: Memo, lang: str = "fi") -> str | bytes:
        fn: Callable = getattr(import_module(f"facilitator.memo.{self.module}"), self.function)
        return fn(store, memo, lang=lang) if self.needs_store else fn(memo, lang=lang)

    def render_event(self, store: Store, event_id: int, lang: str = "fi") -> str | bytes:
        """The event in this format, building the memo model only for a format that
        reads it (the archive does not: at 10,000 notes the model is most of a second)."""
        if self.whole_event:
            from facilitator.memo.archive import archive_json

            return archive_json(store, event_id)
        from facilitator.memo.model import build_memo

        return self.render(store, build_memo(store, event_id, lang), lang=lang)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("md", "markdown", "render_markdown", False, ".md"),
    Format("html", "html", "render_html", False, ".html"),
    Format("docx", "docx", "render_docx", True, ".docx"),
    Format("pdf", "pdf", "render_pdf", True, ".pdf"),
    Format("xlsx", "xlsx", "render_xlsx", True, ".xlsx", needs_store=True),
    Format("csv", "csv", "render_csv", True, ".csv", needs_store=True),
    Format("json", "archive", "render_json", False, ".json", needs_store=True,
           whole_event=True),
)}

#: File extensions that name a format (`-o muistio.htm` is HTML).
EXTENSIONS = {f.extension: f.name for f in FORMATS.values()} | {".htm": "html",
                                                                   ".markdown": "md"}


def from_path(path: Path) -> str | None:
    """The format a file name asks for, if its extension names one."""
    return EXTENSIONS.get(path.suffix.lower())
