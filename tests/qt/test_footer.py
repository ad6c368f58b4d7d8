"""The footer is the playlist's: built-in themes carry no department's words (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect

from kiosk import resources
from kiosk.app import ensure_application, slide_context
from kiosk.playlist import load_playlist_text
from kiosk.slides import build_view

SHOW = "version: 1\ntheme: {theme}\n{footer}slides:\n  - type: stat\n    label: 破案率\n    value: 99.2\n    unit: '%'\n"


def footer_of(tmp_path: Path, theme: str, footer: str = "") -> str | None:
    text = SHOW.format(theme=theme, footer=f"footer: {footer}\n" if footer else "")
    return slide_context(load_playlist_text(text, folder=tmp_path)).theme.spec.footer


@pytest.mark.parametrize("theme", ["police-blue", "light"])
def test_built_in_themes_carry_no_department_words(tmp_path, theme: str) -> None:
    assert footer_of(tmp_path, theme) is None
    assert "江苏" not in (resources.themes() / f"{theme}.yaml").read_text(encoding="utf-8")


def test_the_playlist_sets_its_own_footer(tmp_path) -> None:
    assert footer_of(tmp_path, "police-blue", "杭州市公安局西湖分局") == "杭州市公安局西湖分局"


def test_the_playlist_footer_replaces_a_theme_file_footer(tmp_path) -> None:
    (tmp_path / "mine.yaml").write_text("name: mine\nfooter: 主题的页脚\n", encoding="utf-8")
    assert footer_of(tmp_path, "mine.yaml") == "主题的页脚"
    assert footer_of(tmp_path, "mine.yaml", "播放列表的页脚") == "播放列表的页脚"


def test_the_footer_is_drawn_at_the_bottom_right(tmp_path, qapp) -> None:
    ensure_application()
    pictures = []
    for footer in ("", "杭州市公安局西湖分局"):
        text = SHOW.format(theme="police-blue", footer=f"footer: {footer}\n" if footer else "")
        playlist = load_playlist_text(text, folder=tmp_path)
        view = build_view(playlist.slides[0], slide_context(playlist))
        pictures.append(view.render_image(1920, 1080, 1.0))
    corner = QRect(1300, 1000, 600, 70)  # the footer's place, clear of the source line
    assert pictures[0].copy(corner) != pictures[1].copy(corner)


def test_a_reloaded_footer_and_theme_reach_the_slides_and_overlays(qtbot, tmp_path) -> None:
    from kiosk.player import Player
    from kiosk.window import ShowWindow

    ensure_application()
    before = load_playlist_text(SHOW.format(theme="police-blue", footer="footer: 甲单位\n"), folder=tmp_path)
    player = Player(before)
    window = ShowWindow(player, slide_context(before))
    qtbot.addWidget(window)
    window.show_on(None, fullscreen=False, size=(640, 360))
    player.start()
    assert window.view is not None and window.view.theme.spec.footer == "甲单位"
    after = load_playlist_text(SHOW.format(theme="light", footer="footer: 乙单位\n"), folder=tmp_path)
    player.replace_playlist(after)
    assert window.view.theme.spec.footer == "乙单位"
    assert window.view.theme.name == "light" and window.overlay.theme.name == "light"
    window.quit()
