"""Golden-image options: `pytest tests/visual --update-goldens` rewrites the references."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite tests/visual/goldens/*.png")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session", autouse=True)
def _words_loaded() -> None:
    """Every picture with the word segmenter loaded, whatever ran before: text without it
    breaks by the number and punctuation rules alone (kiosk/words.py), as a show's first
    slide may on its very first start."""
    from kiosk import words

    words.load()
