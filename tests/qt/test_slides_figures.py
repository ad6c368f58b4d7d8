"""The figure slides (stat, stats, gauge): the number shown at t, its written precision,
where the cards go, the trend arrow's colour and the gauge's sweep.

Pure methods (`number_text(t)`, `grid_shape`, `sweep_angle(t)`, the layouts) carry most
checks; a few renders sample pixels to prove the picture agrees with them.
"""

from __future__ import annotations

import itertools
import math
import re
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from kiosk.app import ensure_application, slide_context
from kiosk.playlist.load import load_playlist_text
from kiosk.slides import build_view, paint
from kiosk.slides.base import SlideView
from kiosk.slides.figure import DEFAULT_COUNT_SECONDS
from kiosk.slides.gauge import SWEEP_DEGREES, GaugeView
from kiosk.slides.stat import StatView
from kiosk.slides.stats import STAGGER_SECONDS, StatsView, grid_shape
from kiosk.theme import Metrics

SIZES = [(1280, 720), (1920, 1080), (3840, 2160), (1080, 1920)]
LONG = "全省公安机关深入推进平安江苏建设持续开展夏夜治安巡查宣防集中统一行动取得显著成效" * 2


@pytest.fixture
def app(qapp) -> QApplication:
    return ensure_application()


def views(tmp_path: Path, slides: str, theme: str = "police-blue") -> list[SlideView]:
    text = f"theme: {theme}\nslides:\n" + textwrap.indent(textwrap.dedent(slides).strip("\n"), "  ") + "\n"
    playlist = load_playlist_text(text, folder=tmp_path)
    context = slide_context(playlist)
    return [build_view(slide, context) for slide in playlist.slides]


def one(tmp_path: Path, slide: str, theme: str = "police-blue") -> SlideView:
    return views(tmp_path, slide, theme)[0]


def close(a: QColor, b: QColor, tolerance: int = 12) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def background_only(view: SlideView, width: int, height: int) -> QImage:
    """The slide's background and chrome with no content: what margins must still show."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    paint.slide_background(painter, QRectF(0, 0, width, height), view.model, view.context)
    paint.slide_chrome(painter, Metrics(width, height), view.model, view.theme)
    painter.end()
    return image


def margins_untouched(view: SlideView, width: int, height: int) -> bool:
    """Nothing is painted left of, right of or above content_rect (allowing 2 px of bleed)."""
    shown = view.render_image(width, height, 1.0)
    bare = background_only(view, width, height)
    content = Metrics(width, height).content_rect()
    for x in range(0, width, 3):
        for y in range(0, int(content.bottom()), 3):
            inside_x = content.left() - 2 <= x <= content.right() + 2
            if inside_x and y >= content.top() - 2:
                continue
            if shown.pixel(x, y) != bare.pixel(x, y):
                return False
    return True


# ---------------------------------------------------------------- stat: the number at t


def test_written_precision_is_kept_while_counting(app, tmp_path) -> None:
    view = one(tmp_path, "- {type: stat, label: 八类案件破案率, value: 99.2, unit: '%'}")
    assert isinstance(view, StatView)
    assert view.number_text(0.0) == "0.0%"
    assert view.number_text(1.0) == "99.2%"
    for t in (0.1, 0.25, 0.5, 0.75, 0.9):
        assert re.fullmatch(r"\d{1,2}\.\d%", view.number_text(t)), view.number_text(t)
    middle = float(view.figure_text(0.5).number)
    assert 50 < middle < 99.2  # eased out: well past half way at half time


def test_a_negative_figure_counts_toward_itself(app, tmp_path) -> None:
    view = one(tmp_path, "- {type: stat, label: 立案数, value: -18.4, unit: '%', trend: down, good: down}")
    assert view.number_text(0.0) == "0.0%"
    values = [float(view.figure_text(t).number) for t in (0.2, 0.4, 0.6, 0.8)]
    assert all(-18.4 <= v <= 0 for v in values)
    assert values == sorted(values, reverse=True)  # always moving toward -18.4
    assert view.number_text(1.0) == "-18.4%"


def test_chinese_qualifiers_are_composed_where_they_are_read(app, tmp_path) -> None:
    found, share, users = views(
        tmp_path,
        """
        - {type: stat, label: 找回失踪人员, value: 9400, unit: 余名}
        - {type: stat, label: 群众安全感, prefix: 近, value: 20, unit: '%', suffix: 以上}
        - {type: stat, label: 服务群众, value: 7, unit: 亿人次}
        """,
    )
    assert found.number_text(1.0) == "9400余名"
    assert found.number_text(0.0) == "0余名"
    assert share.number_text(1.0) == "近20%以上"
    assert users.number_text(1.0) == "7亿人次"


def test_count_up_false_shows_the_final_number_at_once(app, tmp_path) -> None:
    view = one(tmp_path, "- {type: stat, label: 年份, value: 2023, count_up: false}")
    assert view.number_text(0.0) == "2023"
    assert view.number_text(0.5) == "2023"
    assert view.entry_duration() < 1.0  # only the details fade in


def test_entry_lasts_the_count_up(app, tmp_path) -> None:
    default, slow = views(
        tmp_path,
        """
        - {type: stat, label: 甲, value: 10}
        - {type: stat, label: 乙, value: 10, count_up: 3s}
        """,
    )
    assert default.entry_duration() == pytest.approx(DEFAULT_COUNT_SECONDS, abs=0.3)
    assert slow.entry_duration() >= 3.0
    assert slow.number_text(1.0 / slow.entry_duration()) == "7"  # a third of the time, eased out
    assert default.number_text(1.0 / default.entry_duration()) == "9"


def test_explicit_decimals_win(app, tmp_path) -> None:
    view = one(tmp_path, "- {type: stat, label: 比率, value: 12, decimals: 2, unit: '%'}")
    assert view.number_text(1.0) == "12.00%"
    assert view.number_text(0.0) == "0.00%"


def test_enter_then_finish_lands_on_the_last_frame(app, tmp_path, qtbot) -> None:
    for view in views(
        tmp_path,
        """
        - {type: stat, label: 甲, value: 99.2, unit: '%'}
        - {type: stats, items: [{label: 甲, value: 1}, {label: 乙, value: 2}]}
        - {type: gauge, label: 丙, value: 50}
        """,
    ):
        qtbot.addWidget(view)
        view.resize(640, 360)
        view.enter()
        assert view.is_animating()
        view.finish()
        assert view.progress == 1.0
        assert not view.is_animating()


# ---------------------------------------------------------------- stat: the picture


@pytest.mark.parametrize(("trend", "good", "news"), [("down", "down", True), ("up", "down", False)])
def test_trend_arrow_is_coloured_by_the_news(app, tmp_path, trend, good, news) -> None:
    view = one(
        tmp_path, f"- {{type: stat, label: 立案数, value: -18.4, unit: '%', trend: {trend}, good: {good}}}"
    )
    image = view.render_image(1920, 1080, 1.0)
    arrow = view.layout().group.arrow_rect
    sample = QPointF(arrow.center().x(), arrow.center().y())
    assert close(image.pixelColor(sample.toPoint()), view.theme.trend_color(news))
    # Before the count lands the arrow is not there yet.
    early = view.render_image(1920, 1080, 0.1)
    assert not close(early.pixelColor(sample.toPoint()), view.theme.trend_color(news), 40)


def test_the_unit_stays_put_while_the_number_counts(app, tmp_path) -> None:
    view = one(tmp_path, "- {type: stat, label: 找回失踪人员, value: 9400, unit: 余名}")
    early = view.render_image(1920, 1080, 0.3)
    layout = view.layout()
    final = view.render_image(1920, 1080, 1.0)
    assert view.layout() is layout  # fitted once per size, not per frame
    tail = layout.group.tail_box.toAlignedRect()
    assert early.copy(tail) == final.copy(tail)
    assert layout.group.number_box.right() <= layout.group.tail_box.left() + 1


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_stat_stays_inside_content_and_long_text_is_elided(app, tmp_path, width, height) -> None:
    view = one(
        tmp_path,
        f"- {{type: stat, label: {LONG}, value: 123456789.25, unit: 亿人次, trend: up, note: {LONG}}}",
    )
    view.resize(width, height)
    layout = view.layout()
    content = Metrics(width, height).content_rect().adjusted(-1, -1, 1, 1)
    assert content.contains(layout.group.bounds)
    assert content.contains(layout.note_box)
    assert layout.title.font.pixelSize() >= round(Metrics(width, height).vmin * 3.2) - 1
    assert margins_untouched(view, width, height)


# ---------------------------------------------------------------- stats: the grid


@pytest.mark.parametrize(
    ("count", "landscape", "portrait"),
    [
        (2, (2, 1), (1, 2)),
        (3, (3, 1), (1, 3)),
        (4, (4, 1), (1, 4)),
        (5, (3, 2), (2, 3)),
        (6, (3, 2), (2, 3)),
        (7, (4, 2), (2, 4)),
        (8, (4, 2), (2, 4)),
    ],
)
def test_grid_shape(count, landscape, portrait) -> None:
    assert grid_shape(count, False, None) == landscape
    assert grid_shape(count, True, None) == portrait


def test_grid_shape_long_labels_and_columns() -> None:
    assert grid_shape(4, False, None, long_labels=True) == (2, 2)
    assert grid_shape(6, False, 2) == (2, 3)
    assert grid_shape(3, True, 3) == (2, 2)  # a wide screen's 3 columns: 2 on a portrait one
    assert grid_shape(6, True, 3) == (2, 3)
    assert grid_shape(6, True, 1) == (1, 6)
    assert grid_shape(2, False, 4) == (2, 1)  # never more columns than cards


def stats_slide(count: int) -> str:
    items = [
        "{label: 公安“护苗”行动队, value: 125, unit: 支}",
        "{label: 找回失踪人员, value: 9400, unit: 余名, trend: up}",
        "{label: 立案数, value: -18.4, unit: '%', trend: down, good: down, note: 同比}",
        "{label: 群众安全感, prefix: 近, value: 98, unit: '%', suffix: 以上}",
        f"{{label: {LONG}, value: 0.04, unit: 万, note: {LONG}}}",
        "{label: 服务群众, value: 7, unit: 亿人次}",
        "{label: 破案数, value: 20.9, unit: '%', trend: up}",
        "{label: 挽回损失, value: 12.6, unit: 亿元, count_up: false}",
    ][:count]
    return "- type: stats\n  title: 保护青少年健康成长\n  items:\n" + "".join(f"    - {i}\n" for i in items)


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("count", [2, 3, 5, 8])
def test_all_cards_lie_inside_content(app, tmp_path, width, height, count) -> None:
    view = one(tmp_path, stats_slide(count))
    assert isinstance(view, StatsView)
    view.resize(width, height)
    layout = view.layout()
    content = Metrics(width, height).content_rect().adjusted(-1, -1, 1, 1)
    assert len(layout.cards) == count
    rects = [card.rect for card in layout.cards]
    for card in layout.cards:
        assert content.contains(card.rect)
        assert card.rect.adjusted(-1, -1, 1, 1).contains(card.group.bounds)
        assert card.rect.contains(card.label_box)
        if card.note_box is not None:
            assert card.rect.contains(card.note_box)
    for a, b in itertools.combinations(rects, 2):
        assert not a.intersects(b)
    # All cards' numbers share one size, so the grid reads evenly.
    assert len({card.group.number_font.pixelSize() for card in layout.cards}) == 1


def test_stats_margins_untouched(app, tmp_path) -> None:
    view = one(tmp_path, stats_slide(8))
    assert margins_untouched(view, 1280, 720)
    assert margins_untouched(view, 1080, 1920)


def test_cards_count_up_together_with_a_stagger(app, tmp_path) -> None:
    view = one(tmp_path, stats_slide(8))
    total = view.entry_duration()
    longest = DEFAULT_COUNT_SECONDS + 6 * STAGGER_SECONDS  # the last counting card is the 7th
    assert total == pytest.approx(longest, abs=0.35)
    assert view.number_text(0, 1.0) == "125支"
    assert view.number_text(1, 1.0) == "9400余名"
    assert view.number_text(2, 1.0) == "-18.4%"
    assert view.number_text(3, 1.0) == "近98%以上"
    assert view.number_text(4, 1.0) == "0.04万"
    assert view.number_text(4, 0.5).startswith("0.0")  # two decimals throughout
    assert view.number_text(7, 0.0) == "12.6亿元"  # count_up: false
    t = 0.3 / total
    first, later = float(view.figure_text(1, t).number), float(view.figure_text(6, t).number)
    assert first / 9400 > later / 20.9  # the first card is further along
    assert view.card_in(0, 0.0) == 0.0 and view.card_in(7, 1.0) == 1.0


def test_stats_arrow_colour_by_pixels(app, tmp_path) -> None:
    view = one(tmp_path, stats_slide(3), theme="light")
    image = view.render_image(1920, 1080, 1.0)
    good_up, good_down = view.layout().cards[1], view.layout().cards[2]
    for card in (good_up, good_down):
        centre = card.group.arrow_rect.center().toPoint()
        assert close(image.pixelColor(centre), view.theme.color("good"))


# ---------------------------------------------------------------- gauge


def test_gauge_sweep_and_number_at_t(app, tmp_path) -> None:
    view = one(tmp_path, "- {type: gauge, label: 案件办结率, value: 87.25, note: 同比提高}")
    assert isinstance(view, GaugeView)
    assert view.sweep_angle(0.0) == 0.0
    assert view.sweep_angle(1.0) == pytest.approx(SWEEP_DEGREES * 0.8725)
    sweeps = [view.sweep_angle(t / 10) for t in range(11)]
    assert sweeps == sorted(sweeps)
    assert view.sweep_angle(0.5) > SWEEP_DEGREES * 0.8725 / 2  # eased out
    assert view.number_text(0.0) == "0.00%"
    assert view.number_text(1.0) == "87.25%"
    # Ring and number move together.
    t = 0.3
    shown = float(view.figure_text(t).number)
    assert shown / 87.25 == pytest.approx(view.sweep_angle(t) / view.sweep_angle(1.0), abs=0.01)


def test_gauge_with_its_own_scale(app, tmp_path) -> None:
    view = one(tmp_path, "- {type: gauge, label: 服务评分, value: 4.6, max: 5, unit: 分}")
    assert view.sweep_angle(1.0) == pytest.approx(SWEEP_DEGREES * 0.92)
    assert view.number_text(1.0) == "4.6分"
    assert view.scale_max_text() == "5"  # not "5.0": the scale is written as people write it


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_gauge_ring_inside_content(app, tmp_path, width, height) -> None:
    view = one(tmp_path, f"- {{type: gauge, label: 群众满意度, value: 98.6, note: {LONG}}}")
    view.resize(width, height)
    layout = view.layout()
    content = Metrics(width, height).content_rect().adjusted(-1, -1, 1, 1)
    half = layout.thickness / 2
    assert content.contains(layout.arc_rect.adjusted(-half, -half, half, half))
    assert content.contains(layout.note_box)
    assert content.contains(layout.zero_box) and content.contains(layout.max_box)
    ring = layout.arc_rect
    assert ring.adjusted(half, half, -half, -half).contains(layout.group.bounds)
    if height > width:
        assert layout.note_box.top() > ring.bottom()  # stacked
    else:
        assert layout.note_box.left() > ring.right()  # side by side


def test_gauge_fill_is_painted_in_the_accent(app, tmp_path) -> None:
    view = one(tmp_path, "- {type: gauge, label: 全部, value: 100}", theme="light")
    view.resize(1280, 720)
    layout = view.layout()
    # Just before the end of the ring (clockwise), on the pen's centre line.
    angle = -60 + 3  # degrees, counter-clockwise from 3 o'clock
    point = QPointF(
        layout.center.x() + layout.radius * math.cos(math.radians(angle)),
        layout.center.y() - layout.radius * math.sin(math.radians(angle)),
    ).toPoint()
    accent = view.theme.color("accent")
    assert close(view.render_image(1280, 720, 1.0).pixelColor(point), accent, 16)
    assert not close(view.render_image(1280, 720, 0.0).pixelColor(point), accent, 60)
