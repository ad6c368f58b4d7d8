"""The text-centred slides (title, text, tribute, image, timeline): what they show at t,
where they put it, and that a picture that cannot be read becomes a visible placeholder.

Pure methods (`stages(t)`, `line_progress`, `line_reach`, `scale_at`) and the computed
layouts carry most checks; renders compare pixels with theme colours, and a frame at t=0
(nothing of the entry shown yet) with the final one to prove nothing lands outside the
content area.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QApplication

from kiosk.app import ensure_application, slide_context
from kiosk.playlist.load import load_playlist_text
from kiosk.slides import build_view
from kiosk.slides.base import SlideView
from kiosk.slides.breaks import fit_headline, phrase_font, tidy_breaks, wrapped_lines
from kiosk.slides.image import BROKEN_TEXT, ImageView
from kiosk.slides.layout import title_block
from kiosk.slides.paint import fits_box, luminance
from kiosk.slides.sprites import text_sprite
from kiosk.slides.text import BODY_CENTRE, MAX_BODY_VMIN, MAX_BODY_VMIN_PORTRAIT, TextView
from kiosk.slides.timeline import TEXT_VMIN, TIME_VMIN, TimelineView, point_along
from kiosk.slides.title import TitleView
from kiosk.slides.tribute import TributeView, tribute_ink
from kiosk.theme import Metrics

SIZES = [(1280, 720), (1920, 1080), (3840, 2160), (1080, 1920)]
LONG = "江苏省公安机关二〇二三年度为民办实事项目完成情况暨平安建设工作成果综合汇报" * 3


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return ensure_application()


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a real picture (red, a blue square in its middle), a big one and a
    corrupt one (random bytes named .png). Made once: tests must not change it."""
    tmp_path = tmp_path_factory.mktemp("pictures")
    image = QImage(800, 450, QImage.Format.Format_RGB32)
    image.fill(QColor("#d02020"))
    painter = QPainter(image)
    painter.fillRect(350, 175, 100, 100, QColor("#2040d0"))
    painter.end()
    assert image.save(str(tmp_path / "photo.png"))
    big = QImage(4000, 3000, QImage.Format.Format_RGB32)
    big.fill(QColor("#20a040"))
    assert big.save(str(tmp_path / "big.png"))
    rng = np.random.default_rng(7)
    (tmp_path / "broken.png").write_bytes(rng.integers(0, 256, 4096, dtype=np.uint8).tobytes())
    return tmp_path


def view_of(text: str, theme: str = "police-blue", folder: Path | None = None) -> SlideView:
    playlist = load_playlist_text(f"theme: {theme}\n" + textwrap.dedent(text), folder=folder or Path.cwd())
    return build_view(playlist.slides[0], slide_context(playlist))


def same_color(a: QColor, b: QColor, tolerance: int = 4) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    array = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return array[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[..., :3].astype(np.int16)


def changed_outside(view: SlideView, width: int, height: int, area: QRectF) -> int:
    """Pixels outside `area` that the entry changes: the final frame against the first one
    (where nothing of the entry shows yet, only background, chrome and a still title)."""
    first = pixels(view.render_image(width, height, 0.0))
    last = pixels(view.render_image(width, height, 1.0))
    differs = (np.abs(first - last) > 8).any(axis=2)
    mask = np.ones_like(differs)
    left, top = max(0, int(area.left()) - 2), max(0, int(area.top()) - 2)
    mask[top : int(area.bottom()) + 3, left : int(area.right()) + 3] = False
    return int((differs & mask).sum())


def changed_box(view: SlideView, width: int, height: int, t: float) -> tuple[int, int, int, int] | None:
    """The bounding box of the pixels that differ between t=0 and t (None when none do)."""
    first = pixels(view.render_image(width, height, 0.0))
    frame = pixels(view.render_image(width, height, t))
    ys, xs = np.nonzero((np.abs(first - frame) > 12).any(axis=2))
    if len(xs) == 0:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


def inside(rect: QRectF, area: QRectF, slack: float = 1.0) -> bool:
    return area.adjusted(-slack, -slack, slack, slack).contains(rect)


def content_of(width: int, height: int, view: SlideView) -> QRectF:
    return Metrics(width, height, view.theme.spec.overscan).content_rect()


# ---------------------------------------------------------------- every view


@pytest.mark.parametrize(
    "yaml",
    [
        "slides: [{type: title, title: 向人民报告, subtitle: 江苏公安, footer: 警察节}]",
        "slides: [{type: text, heading: 标题, body: '- 一\n- 二'}]",
        "slides: [{type: tribute, title: 致敬英烈, body: 我们永远铭记}]",
        "slides: [{type: image, src: photo.png, caption: 说明}]",
        "slides: [{type: timeline, title: 时间线, steps: [{time: 1, text: 甲}, {time: 2, text: 乙}]}]",
    ],
    ids=["title", "text", "tribute", "image", "timeline"],
)
def test_enter_then_finish_lands_on_the_final_frame(app: QApplication, pictures: Path, yaml: str) -> None:
    view = view_of(yaml, folder=pictures)
    view.resize(640, 360)
    view.enter()
    assert view.is_animating() and view.progress == 0.0
    view.finish()
    assert view.progress == 1.0 and not view.is_animating()
    final = view.render_image(640, 360, 1.0)
    assert not view._broken
    assert not final.isNull()


# ---------------------------------------------------------------- title


TITLE = """
slides:
  - type: title
    title: {title}
    subtitle: {subtitle}
    footer: 第四个中国人民警察节
    {logo}
"""


def title_view(title: str = "向人民报告", subtitle: str = "江苏公安2023“平安答卷”", logo: str = "",
               folder: Path | None = None, theme: str = "police-blue") -> TitleView:  # fmt: skip
    view = view_of(TITLE.format(title=title, subtitle=subtitle, logo=logo), theme, folder)
    assert isinstance(view, TitleView)
    return view


def test_title_parts_come_in_staggered_and_all_land(app: QApplication) -> None:
    view = title_view()
    assert view.entry_duration() == pytest.approx(1.2)
    start, end = view.stages(0.0), view.stages(1.0)
    assert (start.title, start.rule, start.subtitle, start.footer) == (0, 0, 0, 0)
    assert (end.logo, end.title, end.rule, end.subtitle, end.footer) == (1, 1, 1, 1, 1)
    early = view.stages(0.3)
    assert early.title > early.rule > early.subtitle >= early.footer  # title first, footer last
    series = [view.stages(k / 40).subtitle for k in range(41)]
    assert series == sorted(series)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_title_stack_is_centred_in_order_and_inside_content(app: QApplication, size: tuple[int, int]) -> None:
    view = title_view(title=LONG, subtitle=LONG)
    view.resize(*size)
    layout = view.layout()
    content = content_of(*size, view)
    assert layout.subtitle_box is not None and layout.footer_box is not None
    for box in (layout.title_box, layout.subtitle_box, layout.footer_box):
        assert inside(box, content)
        assert box.center().x() == pytest.approx(content.center().x(), abs=1)
    assert layout.title_box.bottom() < layout.rule_center.y() < layout.subtitle_box.top()
    assert layout.subtitle_box.bottom() < layout.footer_box.top()
    assert changed_outside(view, *size, content) == 0


def test_title_rule_is_gold_and_grows_from_the_centre(app: QApplication) -> None:
    view = title_view()
    image = view.render_image(1920, 1080, 1.0)
    rule = view.layout().rule_center
    accent = view.theme.color("accent")
    assert same_color(image.pixelColor(round(rule.x()), round(rule.y())), accent)
    half = view.layout().rule_length / 2
    assert same_color(image.pixelColor(round(rule.x() - half * 0.8), round(rule.y())), accent)
    # Mid-entry the rule is shorter, still centred.
    middle = view.render_image(1920, 1080, 0.45)
    assert same_color(middle.pixelColor(round(rule.x()), round(rule.y())), accent, 40)
    assert not same_color(middle.pixelColor(round(rule.x() - half * 0.95), round(rule.y())), accent, 40)


def test_title_rises_into_place(app: QApplication) -> None:
    view = title_view()
    final_box = changed_box(view, 1920, 1080, 1.0)
    early_box = changed_box(view, 1920, 1080, 0.15)
    assert final_box is not None and early_box is not None
    assert early_box[1] > final_box[1]  # lower at first, then it rises


def test_title_shows_a_logo_and_quietly_skips_one_it_cannot_read(app: QApplication, pictures: Path) -> None:
    view = title_view(logo="logo: photo.png", folder=pictures)
    image = view.render_image(1920, 1080, 1.0)
    layout = view.layout()
    assert layout.logo is not None
    assert layout.logo_box.bottom() < layout.title_box.top()
    center = layout.logo_box.center()
    assert same_color(image.pixelColor(round(center.x()), round(center.y())), QColor("#2040d0"), 12)

    broken = title_view(logo="logo: broken.png", folder=pictures)
    broken.render_image(1920, 1080, 1.0)
    assert broken.layout().logo is None and not broken._broken


# ---------------------------------------------------------------- text


TEXT = """
slides:
  - type: text
    heading: 为民服务举措
    body: |
      全省公安机关坚持以人民为中心，推出一系列便民利民惠民措施。
      - 户籍业务“跨省通办”
      - 电子驾驶证全面推广
      - 找回失踪人员9400余名
"""


def text_view(yaml: str = TEXT, theme: str = "police-blue") -> TextView:
    view = view_of(yaml, theme)
    assert isinstance(view, TextView)
    return view


def test_text_lines_come_in_one_after_another(app: QApplication) -> None:
    view = text_view()
    count = len(view.body_lines())
    assert count == 4
    assert [view.line_progress(i, 0.0) for i in range(count)] == [0.0] * count
    assert [view.line_progress(i, 1.0) for i in range(count)] == [1.0] * count
    middle = [view.line_progress(i, 0.4) for i in range(count)]
    assert middle == sorted(middle, reverse=True) and middle[0] > middle[-1]
    many = text_view("slides: [{type: text, body: [" + ", ".join(f"第{i}条" for i in range(30)) + "]}]")
    assert many.entry_duration() < 3.2  # many lines: a shorter stagger, not a long wait


def test_text_body_font_is_fitted_and_bullets_are_gold(app: QApplication) -> None:
    view = text_view()
    image = view.render_image(1920, 1080, 1.0)
    layout = view.layout()
    vmin = 10.8
    assert layout.font.pixelSize() == round(vmin * MAX_BODY_VMIN)  # a short body gets the largest size
    assert [line.bullet for line in layout.lines] == [False, True, True, True]
    body = layout.title.body
    for line in layout.lines:
        assert inside(line.box, body)
    for line in layout.lines[1:]:
        marker = line.marker
        assert marker is not None and marker.x() < line.box.left()
        color = image.pixelColor(round(marker.x()), round(marker.y()))
        assert same_color(color, view.theme.color("accent"), 10)
    tops = [line.box.top() for line in layout.lines]
    assert tops == sorted(tops)
    # Mid-entry a later line is still (partly) hidden: its marker is not yet gold.
    early = view.render_image(1920, 1080, 0.1)
    last = layout.lines[-1].marker
    assert last is not None
    assert not same_color(early.pixelColor(round(last.x()), round(last.y())), view.theme.color("accent"), 10)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_text_too_long_shrinks_then_elides_inside_content(app: QApplication, size: tuple[int, int]) -> None:
    lines = "\n".join(f"      - {LONG}" for _ in range(14))
    view = text_view(f"slides:\n  - type: text\n    heading: {LONG}\n    body: |\n{lines}\n")
    view.resize(*size)
    layout = view.layout()
    vmin = min(size) / 100
    assert layout.font.pixelSize() == pytest.approx(vmin * 2.6, abs=1)
    assert layout.dropped > 0 and layout.lines[-1].text.endswith("…")
    for line in layout.lines:
        assert inside(line.box, layout.title.body)
    assert changed_outside(view, *size, content_of(*size, view)) == 0


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_text_short_body_is_large_and_sits_in_the_middle(app: QApplication, size: tuple[int, int]) -> None:
    view = text_view(
        "slides:\n  - type: text\n    heading: 为民服务举措\n    body: |\n      推出便民措施\n      - 跨省通办\n"
    )
    view.resize(*size)
    layout = view.layout()
    vmin = min(size) / 100
    largest = MAX_BODY_VMIN_PORTRAIT if size[1] > size[0] else MAX_BODY_VMIN
    assert layout.font.pixelSize() <= round(vmin * largest)
    assert layout.font.pixelSize() > round(vmin * 5)  # larger than a long body's largest size
    body = layout.title.body
    above = layout.lines[0].box.top() - body.top()
    below = body.bottom() - layout.lines[-1].box.bottom()
    assert above > vmin * 5 and below > vmin * 5
    assert above == pytest.approx((above + below) * BODY_CENTRE, abs=1)  # a little above the middle
    assert layout.lines[0].box.left() == body.left()  # lines stay aligned left
    assert {line.box.left() for line in layout.lines[1:]} == {layout.lines[1].box.left()}


def test_text_long_body_still_starts_under_the_title(app: QApplication) -> None:
    lines = "\n".join(f"      - {LONG}" for _ in range(14))
    view = text_view(f"slides:\n  - type: text\n    heading: 标题\n    body: |\n{lines}\n")
    view.resize(1920, 1080)
    layout = view.layout()
    assert layout.lines[0].box.top() == layout.title.body.top()


def test_text_lines_break_between_phrases(app: QApplication) -> None:
    """A paragraph that wraps breaks after its punctuation rather than leaving a word alone."""
    view = text_view("slides: [{type: text, body: 这是一段示例文字。This is sample text.}]")
    view.resize(1080, 1920)
    layout = view.layout()
    line = layout.lines[0]
    px = layout.font.pixelSize()
    assert wrapped_lines(line.text, layout.font, line.box.width())[1] == "sample text."  # as Qt would wrap it
    image = pixels(view.render_image(1080, 1920, 1.0))
    # Set as "这是一段示例文字。" / "This is sample text.": the second line is a long one.
    band = image[int(line.box.top() + line.box.height() * 0.55) : int(line.box.bottom()), :, :]
    lit = np.nonzero((band.max(axis=2) > 200).any(axis=0))[0]
    assert len(lit) and lit.max() - lit.min() > px * 6


def test_text_sprite_matches_direct_drawing(app: QApplication) -> None:
    """The sprite (drawn once, blitted every frame) puts the glyphs where draw_text would."""
    from kiosk.slides import paint

    view = text_view()
    font = view.theme.font(40)
    box = QRectF(100.4, 50.6, 600, 60)
    direct = QImage(800, 200, QImage.Format.Format_ARGB32_Premultiplied)
    direct.fill(0)
    painter = QPainter(direct)
    paint.draw_text(painter, box, "找回失踪人员9400余名", font, QColor("white"))
    painter.end()
    blitted = QImage(800, 200, QImage.Format.Format_ARGB32_Premultiplied)
    blitted.fill(0)
    painter = QPainter(blitted)
    text_sprite(box, "找回失踪人员9400余名", font, QColor("white")).draw(painter)
    painter.end()
    assert np.abs(pixels(direct) - pixels(blitted)).max() <= 2


# ---------------------------------------------------------------- tribute


TRIBUTE = """
slides:
  - type: tribute
    title: 致敬英烈
    body: |
      2023年，全国公安机关有
      民警、辅警因公牺牲。

      我们永远铭记。
"""


def tribute_view(theme: str = "police-blue", yaml: str = TRIBUTE) -> TributeView:
    view = view_of(yaml, theme)
    assert isinstance(view, TributeView)
    return view


def test_tribute_fades_in_slowly_without_moving(app: QApplication) -> None:
    view = tribute_view()
    assert view.model.quiet and view.entry_duration() == pytest.approx(2.5)
    start, end = view.stages(0.0), view.stages(1.0)
    assert (start.emblem, start.title, start.line, start.body) == (0, 0, 0, 0)
    assert (end.emblem, end.title, end.line, end.body) == (1, 1, 1, 1)
    middle = view.stages(0.4)
    assert middle.emblem > middle.title > middle.body
    # Nothing moves: the title's pixels sit exactly where they end, only fainter.
    view.resize(1920, 1080)
    title = view.layout().title.box
    band = QRectF(0, title.top(), 1920, title.height())
    late = pixels(view.render_image(1920, 1080, 0.5))
    final = pixels(view.render_image(1920, 1080, 1.0))
    first = pixels(view.render_image(1920, 1080, 0.0))
    rows = slice(int(band.top()), int(band.bottom()))
    lit_late = (np.abs(late[rows] - first[rows]) > 6).any(axis=2)
    lit_final = (np.abs(final[rows] - first[rows]) > 6).any(axis=2)
    assert lit_late.sum() > 100
    assert not (lit_late & ~lit_final).any()  # no pixel lit mid-fade that is dark at the end


@pytest.mark.parametrize("theme", ["police-blue", "light"])
def test_tribute_type_reads_on_the_dark_ground_in_every_theme(app: QApplication, theme: str) -> None:
    view = tribute_view(theme)
    image = view.render_image(1920, 1080, 1.0)
    ground = view.theme.color("tribute_bottom")
    assert luminance(ground) < 0.1
    assert luminance(tribute_ink(view.theme)) > 0.8  # light type, even where the theme's text is navy
    corner = image.pixelColor(5, 5)
    assert luminance(corner) < 0.05  # the quiet dark background, not the theme's blue or white
    layout = view.layout()
    pitches = [b.box.top() - a.box.top() for a, b in zip(layout.body, layout.body[1:], strict=False)]
    assert pitches and min(pitches) >= 1.8 * 0.026 * 1080  # generous leading, paragraph gap larger
    assert max(pitches) > min(pitches)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_tribute_long_text_stays_inside_content(app: QApplication, size: tuple[int, int]) -> None:
    body = "\n".join(f"      {LONG}" for _ in range(6))
    view = tribute_view(yaml=f"slides:\n  - type: tribute\n    title: {LONG}\n    body: |\n{body}\n")
    view.resize(*size)
    layout = view.layout()
    content = content_of(*size, view)
    assert inside(layout.title.box, content)
    assert all(inside(sprite.box, content) for sprite in layout.body)
    assert layout.body[-1].box.bottom() <= content.bottom() + 1
    assert changed_outside(view, *size, content) == 0


# ---------------------------------------------------------------- image


def image_view(folder: Path, src: str, fit: str = "contain", caption: str | None = "示例图片",
               theme: str = "police-blue") -> ImageView:  # fmt: skip
    extra = f"\n    caption: {caption}" if caption else ""
    view = view_of(f"slides:\n  - type: image\n    src: {src}\n    fit: {fit}{extra}\n", theme, folder)
    assert isinstance(view, ImageView)
    return view


def test_image_settles_from_slightly_larger(app: QApplication, pictures: Path) -> None:
    view = image_view(pictures, "photo.png")
    assert view.entry_duration() == pytest.approx(0.8)
    assert view.scale_at(0.0) == pytest.approx(1.03) and view.scale_at(1.0) == 1.0
    assert view.opacity_at(0.0) == 0.0 and view.opacity_at(1.0) == 1.0
    scales = [view.scale_at(k / 20) for k in range(21)]
    assert scales == sorted(scales, reverse=True)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_image_contain_is_centred_inside_content_with_its_caption(
    app: QApplication, pictures: Path, size: tuple[int, int]
) -> None:
    view = image_view(pictures, "photo.png")
    image = view.render_image(*size, 1.0)
    layout = view.layout()
    content = content_of(*size, view)
    assert layout.placeholder is None and layout.image is not None
    assert inside(layout.target, content)
    assert layout.target.width() / layout.target.height() == pytest.approx(800 / 450, rel=0.01)
    assert layout.target.center().x() == pytest.approx(content.center().x(), abs=1)
    assert layout.caption is not None and layout.caption.box.top() >= layout.target.bottom()
    assert inside(layout.caption.box, content)
    center = layout.target.center()
    assert same_color(image.pixelColor(round(center.x()), round(center.y())), QColor("#2040d0"), 12)
    edge = QRectF(layout.target).adjusted(8, 8, -8, -8).topLeft()
    assert same_color(image.pixelColor(round(edge.x()), round(edge.y())), QColor("#d02020"), 12)
    assert changed_outside(view, *size, content) == 0


def test_image_is_decoded_at_screen_size_not_file_size(app: QApplication, pictures: Path) -> None:
    view = image_view(pictures, "big.png", caption=None)
    view.render_image(1280, 720, 1.0)
    layout = view.layout()
    assert layout.image is not None
    assert layout.image.width() <= 1280 and layout.image.height() <= 720


def test_image_cover_fills_the_slide_with_the_caption_on_a_band(app: QApplication, pictures: Path) -> None:
    view = image_view(pictures, "photo.png", fit="cover")
    image = view.render_image(1920, 1080, 1.0)
    layout = view.layout()
    red = QColor("#d02020")
    for x, y in ((3, 3), (1916, 3), (3, 500), (1916, 500)):
        assert same_color(image.pixelColor(x, y), red, 12)
    assert layout.band is not None and layout.caption is not None
    assert layout.band.bottom() == 1080 and layout.caption.box.top() > layout.band.top()
    banded = image.pixelColor(960, round(layout.band.top() + 4))
    assert luminance(banded) < luminance(red) * 0.6  # the band darkens the picture under the words


@pytest.mark.parametrize("fit", ["contain", "cover"])
@pytest.mark.parametrize("theme", ["police-blue", "light"])
def test_unreadable_image_shows_a_placeholder_never_black(
    app: QApplication, pictures: Path, fit: str, theme: str
) -> None:
    view = image_view(pictures, "broken.png", fit=fit, theme=theme)
    image = view.render_image(1920, 1080, 1.0)
    layout = view.layout()
    assert not view._broken
    assert layout.image is None and layout.placeholder is not None
    content = content_of(1920, 1080, view)
    assert inside(layout.placeholder.panel, content)
    assert pixels(image).mean() > 20  # not a black screen
    # The icon's frame is drawn in the muted colour, the message sits under the icon.
    icon = layout.placeholder.icon
    muted = view.theme.color("muted")
    frame_x = round(icon.left())
    column = [image.pixelColor(frame_x + dx, round(icon.center().y())) for dx in range(-3, 4)]
    assert any(same_color(c, muted, 60) for c in column)
    assert layout.placeholder.message_box.top() > icon.bottom()
    assert BROKEN_TEXT == "图片无法显示"


def test_image_deleted_after_loading_becomes_a_placeholder(
    app: QApplication, pictures: Path, tmp_path: Path
) -> None:
    gone = tmp_path / "gone.png"
    gone.write_bytes((pictures / "photo.png").read_bytes())
    view = image_view(tmp_path, "gone.png")
    gone.unlink()
    view.render_image(1280, 720, 1.0)
    assert view.layout().placeholder is not None and not view._broken


# ---------------------------------------------------------------- timeline


def timeline_view(count: int = 4, text: str = "示例步骤", theme: str = "police-blue") -> TimelineView:
    steps = "\n".join(f"      - {{time: 第{i + 1}天, text: {text}{i + 1}}}" for i in range(count))
    view = view_of(f"slides:\n  - type: timeline\n    title: 示例时间线\n    steps:\n{steps}\n", theme)
    assert isinstance(view, TimelineView)
    return view


def test_timeline_steps_come_in_one_by_one(app: QApplication) -> None:
    view = timeline_view(4)
    assert view.entry_duration() == pytest.approx(0.9 * 4)
    assert view.line_reach(0.0) == 0.0 and view.line_reach(1.0) == pytest.approx(5.0)
    reach = [view.line_reach(k / 80) for k in range(81)]
    assert reach == sorted(reach)
    for index in range(4):
        assert view.step_state(index, 0.0).node == 0.0
        assert view.step_state(index, 1.0).node == 1.0 and view.step_state(index, 1.0).text == 1.0
    middle = view.step_state(1, 0.5), view.step_state(2, 0.5), view.step_state(3, 0.5)
    assert middle[0].text == 1.0 and middle[1].node == 0.0 and middle[2].node == 0.0
    # Within a step: the line reaches the node before its texts are in.
    t = (1 + 0.45) / 4
    assert view.line_reach(t) >= 2.0 - 1e-6 and view.step_state(1, t).text < 1.0


def test_point_along_the_path() -> None:
    path = [QPointF(0, 0), QPointF(10, 0), QPointF(10, 20)]
    assert point_along(path, 0.5) == QPointF(5, 0)
    assert point_along(path, 1.5) == QPointF(10, 10)
    assert point_along(path, 9) == QPointF(10, 20)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_timeline_is_horizontal_in_landscape_vertical_in_portrait(
    app: QApplication, size: tuple[int, int]
) -> None:
    view = timeline_view(8, text=LONG)
    view.resize(*size)
    layout = view.layout()
    content = content_of(*size, view)
    nodes = [step.node for step in layout.steps]
    portrait = size[1] > size[0]
    assert layout.vertical == portrait
    if portrait:
        assert len({round(n.x()) for n in nodes}) == 1
        assert [n.y() for n in nodes] == sorted(n.y() for n in nodes)
    else:
        assert len({round(n.y()) for n in nodes}) == 1
        assert [n.x() for n in nodes] == sorted(n.x() for n in nodes)
    for step in layout.steps:
        assert inside(step.time.box, layout.title.body) and inside(step.text.box, layout.title.body)
    for a, b in zip(layout.steps, layout.steps[1:], strict=False):
        assert not a.text.box.intersects(b.text.box) and not a.time.box.intersects(b.time.box)
    assert changed_outside(view, *size, content) == 0


def test_timeline_nodes_are_gold_and_appear_in_turn(app: QApplication) -> None:
    view = timeline_view(4)
    final = view.render_image(1920, 1080, 1.0)
    layout = view.layout()
    accent = view.theme.color("accent")
    for step in layout.steps:
        assert same_color(final.pixelColor(round(step.node.x()), round(step.node.y())), accent, 6)
    middle = view.render_image(1920, 1080, 0.5)
    first, last = layout.steps[0].node, layout.steps[-1].node
    assert same_color(middle.pixelColor(round(first.x()), round(first.y())), accent, 6)
    assert not same_color(middle.pixelColor(round(last.x()), round(last.y())), accent, 40)


def test_timeline_text_is_elided_not_spilled(app: QApplication) -> None:
    view = timeline_view(8, text=LONG)
    view.resize(1280, 720)
    layout = view.layout()
    for step in layout.steps:
        sprite = step.text
        # The sprite holds exactly its box (and a small margin): nothing was drawn beyond it.
        assert sprite.image.width() <= sprite.box.width() + 8
        assert sprite.image.height() <= sprite.box.height() + 8
    image = view.render_image(1280, 720, 1.0)
    bottom = max(step.text.box.bottom() for step in layout.steps)
    below = pixels(image)[int(bottom) + 4 : int(layout.title.body.bottom()), :, :]
    assert np.ptp(below.mean(axis=2).mean(axis=1)) < 12  # only the smooth background below


def test_timeline_light_theme_uses_its_own_accent(app: QApplication) -> None:
    view = timeline_view(3, theme="light")
    image = view.render_image(1920, 1080, 1.0)
    node = view.layout().steps[1].node
    assert same_color(image.pixelColor(round(node.x()), round(node.y())), view.theme.color("accent"), 6)


def test_timeline_portrait_uses_the_height(app: QApplication) -> None:
    """On a tall screen the steps get larger type than in landscape and spread down the body."""
    view = timeline_view(3)
    view.resize(1080, 1920)
    portrait = view.layout()
    vmin = 10.8
    assert portrait.time_font.pixelSize() > round(vmin * TIME_VMIN)
    assert portrait.text_font.pixelSize() > round(vmin * TEXT_VMIN)
    body = portrait.title.body
    first, last = portrait.steps[0].node, portrait.steps[-1].node
    assert last.y() - first.y() > body.height() * 0.5
    for step in portrait.steps:
        assert inside(step.time.box, body) and inside(step.text.box, body)
    # Even spacing: the gaps between rows are equal.
    tops = [step.time.box.top() for step in portrait.steps]
    assert tops[2] - tops[1] == pytest.approx(tops[1] - tops[0], abs=1)


def test_timeline_portrait_many_long_steps_still_fit(app: QApplication) -> None:
    view = timeline_view(8, text=LONG)
    view.resize(1080, 1920)
    layout = view.layout()
    body = layout.title.body
    for a, b in zip(layout.steps, layout.steps[1:], strict=False):
        assert a.text.box.bottom() <= b.time.box.top()
    assert layout.steps[-1].text.box.bottom() <= body.bottom() + 1


# ---------------------------------------------------------------- line breaks


def test_tidy_breaks_never_leaves_a_lonely_word(app: QApplication) -> None:
    font = text_view().theme.font(41)
    note = "其中案发30年以上的7起 · 现行命案连续六年保持全破"
    assert wrapped_lines(note, font, 950)[-1] == "全破"  # as Qt wraps it: a whole word, but alone
    assert tidy_breaks(note, font, 950, 2) == "其中案发30年以上的7起\n现行命案连续六年保持全破"
    # After punctuation, or evenly when there is none; never more lines than before.
    assert (
        tidy_breaks("坚持改革强警，推进公安工作现代化建设", font, 700, 2)
        == "坚持改革强警，\n推进公安工作现代化建设"
    )
    assert len(wrapped_lines("把人民对美好生活的向往作为奋斗目标", font, 620)[-1]) <= 4  # short: 奋斗目标
    even = tidy_breaks("把人民对美好生活的向往作为奋斗目标", font, 620, 2).split("\n")
    assert len(even) == 2 and abs(len(even[0]) - len(even[1])) <= 2
    for text, width in (("启动“情指行”一体化机制，研判划定老人失踪范围", 420), (LONG, 600)):
        assert len(wrapped_lines(tidy_breaks(text, font, width, 4), font, width)) <= len(
            wrapped_lines(text, font, width)
        )
    assert tidy_breaks("一行\n两行", font, 50, 4) == "一行\n两行"  # the author's breaks stay
    assert tidy_breaks("一行", font, 950, 2) == "一行"


def test_a_slightly_smaller_size_keeps_phrases_whole(app: QApplication) -> None:
    """At 48 px "研判划定老人失踪范围" no longer fits a 420 px line, so the step would read
    "一体/化机制"; phrase_font steps the size down until every phrase is whole."""
    theme = text_view().theme
    text = "启动“情指行”一体化机制，研判划定老人失踪范围"
    big = theme.font(48)
    assert "一体化机制，" not in wrapped_lines(tidy_breaks(text, big, 420, 3), big, 420)
    font = phrase_font(theme.font, [text, "覆盖回传图像"], 420, big, 3)
    assert 48 * 0.8 <= font.pixelSize() < 48
    assert tidy_breaks(text, font, 420, 3).split("\n") == ["启动“情指行”", "一体化机制，", "研判划定老人失踪范围"]
    # Text without punctuation has no phrases to keep: the size stays.
    assert phrase_font(theme.font, ["被困在芦苇荡的老人被找到并成功救出"], 420, big, 3).pixelSize() == 48


def test_headlines_break_between_phrases(app: QApplication) -> None:
    theme = text_view().theme

    def bold(px: float):
        return theme.font(px, QFont.Weight.Bold)

    def headline(text: str, width: float, lines: int) -> str:
        return fit_headline(bold, text, QRectF(0, 0, width, 900), 140, 54, lines)[1]

    assert headline("紧盯群众关切 严打严防护平安", 950, 3) == "紧盯群众关切\n严打严防护平安"
    assert headline("致敬，中国人民警察！", 950, 3) == "致敬，\n中国人民警察！"
    assert headline("推进警务机制改革 增强保民平安能力", 1521, 2) == "推进警务机制改革\n增强保民平安能力"
    assert headline("向人民报告", 950, 3) == "向人民报告"


def test_title_slide_sets_a_spaced_title_one_phrase_a_line(app: QApplication) -> None:
    view = title_view(title="紧盯群众关切 严打严防护平安", subtitle="警灯闪烁、利剑出鞘")
    view.resize(1080, 1920)
    layout = view.layout()
    line = QFontMetricsF(layout.title_font).height()
    assert layout.title_box.height() == pytest.approx(line * 2 + 2, abs=1)  # two lines, not three


def test_a_wrapped_title_fits_at_odd_sizes_too(app: QApplication) -> None:
    """Qt sets wrapped lines on whole pixels: a 3-line block may be a few px taller than
    3 line heights; that must not make odd sizes 'not fit' (and titles shrink)."""
    theme = text_view().theme
    box = QRectF(0, 0, 950, 900)
    for px in range(116, 125):
        font = theme.font(px, QFont.Weight.Bold)
        assert fits_box("推进警务机制改革 增强保民平安能力", font, box, True, 3), px


def test_a_title_opening_with_a_quote_hangs_it(app: QApplication) -> None:
    """The quote sits in the margin, so the words line up with the rule under them."""
    theme = text_view().theme
    metrics = Metrics(1920, 1080, theme.spec.overscan)
    quoted = title_block(theme, metrics, "“枫桥式公安派出所”")
    plain = title_block(theme, metrics, "枫桥式公安派出所")
    assert plain.hang == 0 and quoted.hang > quoted.font.pixelSize() * 0.3
    view = text_view("slides: [{type: text, heading: “枫桥式公安派出所”, body: 正文}]")
    image = pixels(view.render_image(1920, 1080, 1.0))
    box = view.layout().title.box
    band = image[int(box.top()) : int(box.bottom()), :, :]
    lit = np.nonzero((band.max(axis=2) > 200).any(axis=0))[0]
    assert abs(lit.min() - box.left()) < 10  # the quote's ink starts at the content's edge
