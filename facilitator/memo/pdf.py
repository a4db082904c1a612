"""The memo as PDF: the print-ready HTML memo laid out on A4 by WeasyPrint (its `pdf`
variant: the raw material as runs of lines, which WeasyPrint lays out four times faster).

WeasyPrint is an optional extra (`pip install 'facilitator[pdf]'`): it brings its own
Python packages and draws text with the system's Pango, which a laptop that only runs
seminars need not carry. Nothing is fetched while laying out: the HTML is self-contained,
and any address it might hold is refused.
"""

from __future__ import annotations

from facilitator.memo.html import render_html
from facilitator.memo.model import Memo


class PdfUnavailable(RuntimeError):
    """WeasyPrint (or the Pango it draws with) is not installed."""


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError(f"the memo fetches nothing ({url})")


def render_pdf(memo: Memo, lang: str = "fi") -> bytes:
    return html_to_pdf(render_html(memo, lang=lang, pdf=True))


def html_to_pdf(html: str) -> bytes:
    """A self-contained HTML page (the memo, the table cards) laid out on A4."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: WeasyPrint without Pango
        raise PdfUnavailable(
            "the PDF memo needs WeasyPrint: pip install 'facilitator[pdf]'"
            " (and Debian's libpango-1.0-0 libpangoft2-1.0-0)") from error
    return HTML(string=html, url_fetcher=_no_fetching).write_pdf()
