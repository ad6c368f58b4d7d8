"""A stat slide's count-up shows at most 30 frames a second (issue 19: the eye reads no
digit changing faster, and a screen of stat slides spent most of its CPU on them);
slides whose animation moves keep every tick; the last frame always shows."""

from __future__ import annotations

import textwrap

from kiosk.app import ensure_application, slide_context
from kiosk.playlist import load_playlist
from kiosk.slides import build_view

SHOW = """
slides:
  - {type: stat, label: 破案率, value: 99.2, unit: "%", id: rate}
  - type: stats
    id: grid
    items: [{label: 甲, value: 1}, {label: 乙, value: 2}]
"""


def views(tmp_path):
    ensure_application()
    path = tmp_path / "show.yaml"
    path.write_text(textwrap.dedent(SHOW), encoding="utf-8")
    playlist = load_playlist(path)
    context = slide_context(playlist)
    return [build_view(slide, context) for slide in playlist.slides]


def test_a_count_up_skips_ticks_closer_than_a_thirtieth_of_a_second(tmp_path, monkeypatch) -> None:
    stat, _ = views(tmp_path)
    now = [100.0]
    monkeypatch.setattr("kiosk.slides.base.time.monotonic", lambda: now[0])
    stat._on_animation_value(0.10)
    assert stat.progress == 0.10
    now[0] += 0.016  # the next 60 Hz tick
    stat._on_animation_value(0.12)
    assert stat.progress == 0.10  # skipped
    now[0] += 0.016  # the one after, a little early: still every other tick, not every third
    stat._on_animation_value(0.14)
    assert stat.progress == 0.14
    now[0] += 0.001
    stat._on_animation_value(1.0)
    assert stat.progress == 1.0  # the last frame always


def test_a_slide_that_moves_keeps_every_tick(tmp_path, monkeypatch) -> None:
    _, grid = views(tmp_path)
    monkeypatch.setattr("kiosk.slides.base.time.monotonic", lambda: 100.0)
    for t in (0.1, 0.11, 0.12):
        grid._on_animation_value(t)
        assert grid.progress == t
