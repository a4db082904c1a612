"""User-facing strings: one catalogue per language (facilitator/locale/<lang>/*.toml).

Each file holds one area's strings and its name is the keys' prefix: `web.toml`'s
`[error] closed = "…"` is `web.error.closed`.

Finnish first, English available. A missing key in a catalogue falls back to Finnish and
then to the key itself, so a new string never crashes a page; a test keeps the
catalogues in step.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

LANGUAGES = ("fi", "en")
DEFAULT = "fi"


@cache
def catalogue(lang: str) -> dict[str, str]:
    flat: dict[str, str] = {}
    for path in sorted((Path(__file__).parent / "locale" / lang).glob("*.toml")):
        with path.open("rb") as fh:
            flat.update(_flatten(tomllib.load(fh), f"{path.stem}."))
    return flat


def _flatten(data: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def pick(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT


def t(lang: str, key: str, **params) -> str:
    text = catalogue(pick(lang)).get(key) or catalogue(DEFAULT).get(key) or key
    return text.format(**params) if params else text
