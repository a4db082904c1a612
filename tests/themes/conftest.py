"""Both backends: every test taking `backend` runs with Voikko and with the Snowball fallback."""

from __future__ import annotations

import pytest

from facilitator.themes.forms import open_voikko

VOIKKO_MISSING = "Voikko cannot load here (needs libvoikko, libvoikko1 and voikko-fi)"


@pytest.fixture(params=["voikko", "snowball"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "voikko" and open_voikko() is None:
        pytest.skip(VOIKKO_MISSING)
    return request.param
