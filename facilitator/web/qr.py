"""QR codes as inline SVG, for the pages that are printed or projected (the projector's
join screen, the table cards). The console draws its own with half blocks
(tui/widgets/qr.py)."""

from __future__ import annotations

import html

import qrcode
from qrcode.constants import ERROR_CORRECT_M

#: The full quiet zone the standard asks for: neither paper nor a projected wall has a
#: margin of its own, and a phone's camera does not find a code without it.
QUIET_ZONE = 4
DARK, LIGHT = "#000000", "#ffffff"  # pure black on white, or phones do not scan it


def qr_matrix(data: str) -> list[list[bool]]:
    """The code's modules, quiet zone included; True is dark."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def qr_svg(data: str, label: str = "QR") -> str:
    """The code as inline SVG: one path of dark runs on a white square, scaled by the
    page (viewBox in modules), edges kept crisp. `label` is the image's name to a screen
    reader (what the code opens), escaped here."""
    matrix = qr_matrix(data)
    size = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start},{y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return (f'<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}"'
            f' shape-rendering="crispEdges" role="img" aria-label="{html.escape(label)}">'
            f'<rect width="{size}" height="{size}" fill="{LIGHT}"/>'
            f'<path fill="{DARK}" d="{"".join(runs)}"/></svg>')
