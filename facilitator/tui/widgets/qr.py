"""A QR code drawn with half blocks: two modules per terminal cell.

Phones only scan it reliably when dark is pure black, light is pure white and there is a
light quiet zone around it, whatever the terminal's theme; so the colours here are fixed
and do not follow the theme.
"""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

DARK = "#000000"
LIGHT = "#ffffff"
#: Two modules of quiet zone: the standard asks for four, but the terminal's own margin
#: adds to it and the code stays small enough to sit beside the programme.
QUIET_ZONE = 2
UPPER_HALF = "▀"

_STYLES = {
    (top, bottom): Style(color=DARK if top else LIGHT, bgcolor=DARK if bottom else LIGHT)
    for top in (False, True)
    for bottom in (False, True)
}


def qr_matrix(data: str) -> list[list[bool]]:
    """Modules of the code, quiet zone included; True is dark."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def half_block_strips(matrix: list[list[bool]]) -> list[Strip]:
    """One strip per pair of module rows: the upper half block's foreground is the top
    module, its background the bottom one. An odd last row is paired with light, which
    only widens the quiet zone."""
    strips = []
    width = len(matrix[0]) if matrix else 0
    for y in range(0, len(matrix), 2):
        top = matrix[y]
        bottom = matrix[y + 1] if y + 1 < len(matrix) else [False] * width
        segments = [Segment(UPPER_HALF, _STYLES[(t, b)]) for t, b in zip(top, bottom, strict=True)]
        strips.append(Strip(Segment.simplify(segments), width))
    return strips


class QRCode(Widget):
    """Shows `data` (a URL) as a scannable QR code, sized to the code itself."""

    DEFAULT_CSS = """
    QRCode {
        width: auto;
        height: auto;
        background: #ffffff;
    }
    """

    data: reactive[str] = reactive("", layout=True, init=False)

    def __init__(
        self, data: str, *, name: str | None = None, id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._strips: list[Strip] = []
        self.set_reactive(QRCode.data, data)
        self._build(data)

    def _build(self, data: str) -> None:
        self._strips = half_block_strips(qr_matrix(data)) if data else []

    def watch_data(self, data: str) -> None:
        self._build(data)
        self.refresh(layout=True)

    @property
    def cells(self) -> Size:
        """Terminal cells the code takes (width, height)."""
        return Size(self._strips[0].cell_length if self._strips else 0, len(self._strips))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self.cells.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.cells.height

    def render_line(self, y: int) -> Strip:
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, _STYLES[(False, False)])
