"""The overview's thumbnails have the screen's own shape (issue 18): on a portrait screen
they are portrait, so a slide is not shrunk into a 16:9 strip and its label has room."""

from __future__ import annotations

import pytest

from kiosk.overlays import OverviewWidget
from kiosk.theme import load_theme


class Slides:
    """Thirty slides with long labels; thumbnails are never needed here."""

    def count(self) -> int:
        return 30

    def label(self, position: int) -> str:
        return "紧盯群众关切 严打严防护平安"

    def cached(self, position: int, width: int, height: int) -> None:
        return None

    def render(self, position: int, width: int, height: int) -> None:
        return None


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1280, 720)])
def test_thumbnails_have_the_screens_shape(qapp, size: tuple[int, int]) -> None:
    overview = OverviewWidget(load_theme("police-blue"))
    overview.resize(*size)
    overview.source = Slides()  # type: ignore[assignment]  # a ThumbnailSource in all but name
    width, height = overview._thumb_size()
    assert width > 0 and abs(height / width - size[1] / size[0]) < 0.02


def test_portrait_cells_are_wide_enough_for_a_label(qapp) -> None:
    overview = OverviewWidget(load_theme("police-blue"))
    overview.resize(1080, 1920)
    overview.source = Slides()  # type: ignore[assignment]
    assert (overview.columns(), overview.rows()) == (3, 3)
    assert overview._thumb_size()[0] > 1080 * 0.25  # a quarter of the width: a label of 15 characters
