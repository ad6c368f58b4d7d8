"""The Qt tests lay text out with the word segmenter loaded, as export and the show (a
moment after its first frame) do: a layout never depends on which test ran first."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _words_loaded() -> None:
    from kiosk import words

    words.load()
