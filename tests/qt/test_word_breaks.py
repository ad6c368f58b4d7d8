"""The corpus test of issue 18: no line breaks inside a word, in any text any slide of the
bundled playlists draws, at four screen sizes; and the lines the issue quoted break right
at every width.

Every text a slide draws goes through paint.draw_text; the test records each call, lays
the text out as draw_text does (QTextLayout at the box's width, after the same eliding)
and checks every place a line ends against the segmenter's words (jieba with the
playlists' own terms, kiosk/words.py) and the numbers with their units.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import QApplication

from kiosk import drawing, resources, words
from kiosk.app import ensure_application, slide_context
from kiosk.playlist import load_playlist
from kiosk.slides import build_view, paint
from kiosk.slides.breaks import wrapped_lines

SIZES = [(1920, 1080), (1080, 1920), (1280, 720), (3840, 2160)]

#: the issue's lines, each with the words it saw torn
ISSUE_LINES = {
    "推动135个市县执法办案管理中心提质增效": ["办案", "135个"],
    "被困在芦苇荡的老人被找到并成功救出": ["被找到", "芦苇荡"],
    "启动“情指行”一体化机制，研判划定老人失踪范围": ["情指行", "一体化"],
    "持续升级“情指行”一体化机制": ["持续", "一体化"],
    "纵深推进执法规范化建设": ["纵深"],
    "全省公安政务服务大厅134个": ["大厅", "134个"],
    "杭州市公安局西湖分局反诈中心": ["西湖分局"],
    "全省近1700个派出所设立派驻式调解室": ["近1700个", "派出所"],
    "排查整治各类隐患2.9万余处，群众满意率80%以上": ["2.9万余处", "80%以上"],
}


@dataclass(frozen=True)
class Drawn:
    text: str
    font: QFont
    box: QRectF
    wrap: bool


def playlists() -> list[Path]:
    data = resources.root() / "data"
    found = [data / "police-day-2023.yaml", *sorted((data / "examples").glob("*.yaml"))]
    return [path for path in found if "\nslides:" in path.read_text(encoding="utf-8")]  # not data files


@pytest.fixture(scope="module")
def app() -> QApplication:
    instance = ensure_application()
    words.load()
    return instance


def authored_texts(playlist_path: Path) -> set[str]:
    """The playlist's texts and each of their lines (a body's bullets without their marks),
    without whitespace (the slides drop a space they break at)."""
    playlist = load_playlist(playlist_path)
    texts = [text for slide in playlist.slides for text in words.strings_in(slide.model_dump())]
    lines = [line.strip().lstrip("-*•").strip() for text in texts for line in [text, *text.splitlines()]]
    return {"".join(line.split()) for line in lines}


def slide_made_breaks(text: str, authored: set[str]) -> tuple[str, list[int]]:
    """A text a slide broke into lines itself (an authored text with line breaks added):
    the text joined again and the places of those breaks; else ('', [])."""
    if "\n" not in text:
        return "", []
    joined = "".join(text.replace("\n", "").split())
    if joined not in authored:
        return "", []
    places, count = [], 0
    for line in text.split("\n")[:-1]:
        count += len("".join(line.split()))
        places.append(count)
    return joined, places


def drawn_texts(
    playlist_path: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Drawn]:
    playlist = load_playlist(playlist_path)
    calls: list[Drawn] = []
    original = paint.draw_text

    def recording(painter, box, text, font, pen, align=paint.ALIGN_LEFT, *, wrap=True, opacity=1.0):  # type: ignore[no-untyped-def]
        calls.append(Drawn(text, QFont(font), QRectF(box), wrap))
        original(painter, box, text, font, pen, align, wrap=wrap, opacity=opacity)

    monkeypatch.setattr(paint, "draw_text", recording)
    context = slide_context(playlist)
    for slide in playlist.playable():
        view = build_view(slide, context)
        view.render_image(*size, 1.0)
        view.setParent(None)
    yield from calls


def laid_out_breaks(drawn: Drawn) -> tuple[str, list[int], bool]:
    """The text as shown (joiners removed), the places in it where Qt starts a new line
    (not after a line break the text holds), and whether it was elided."""
    shown = drawing.elide_to_box(words.glue(drawn.text), drawn.font, drawn.box, drawn.wrap)
    plain = words.unglue(shown)
    breaks: list[int] = []
    offset = 0
    for paragraph in shown.split("\n"):
        if drawn.wrap:
            layout = QTextLayout(paragraph, drawn.font)
            layout.beginLayout()
            while (line := layout.createLine()).isValid():
                line.setLineWidth(drawn.box.width())
                if line.textStart() > 0:
                    breaks.append(offset + len(words.unglue(paragraph[: line.textStart()])))
            layout.endLayout()
        offset += len(words.unglue(paragraph)) + 1
    elided = plain.endswith("…") and not words.unglue(drawn.text).endswith("…")
    return plain, breaks, elided


def word_starts(text: str) -> set[int]:
    """Where a new word (or a space, or anything not joined) may start in text: the places
    kiosk/words.py leaves open, which are between the segmenter's words."""
    joined = words.joined_places(text)
    return {i for i in range(len(text) + 1) if i not in joined}


def inside_a_word(text: str, place: int) -> bool:
    return 0 < place < len(text) and place not in word_starts(text)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path", playlists(), ids=lambda p: p.name)
def test_no_line_breaks_inside_a_word(app, monkeypatch, path: Path, size: tuple[int, int]) -> None:
    torn = []
    checked = 0
    authored = authored_texts(path)
    for drawn in drawn_texts(path, size, monkeypatch):
        joined, places = slide_made_breaks(drawn.text, authored)
        torn += [f"{joined[:place]}|{joined[place:]}" for place in places if inside_a_word(joined, place)]
        plain, breaks, elided = laid_out_breaks(drawn)
        for paragraph_start, paragraph in paragraphs(plain):
            for place in breaks:
                local = place - paragraph_start
                if 0 < local < len(paragraph) and inside_a_word(paragraph, local):
                    torn.append(f"{paragraph[:local]}|{paragraph[local:]}")
        if elided:
            original = words.unglue(drawn.text).split("\n")[-1]
            cut = len(plain.split("\n")[-1].rstrip("…").rstrip())
            if inside_a_word(original, cut):
                torn.append(f"elided: {original[:cut]}|{original[cut:]}")
        checked += 1
    assert checked > 20, "the slides drew too few texts to check"
    assert not torn, torn


def paragraphs(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for paragraph in text.split("\n"):
        out.append((start, paragraph))
        start += len(paragraph) + 1
    return out


@pytest.mark.parametrize("line", list(ISSUE_LINES))
def test_the_issue_lines_break_right_at_every_width(app, line: str) -> None:
    font = QFont("Noto Sans SC")
    font.setPixelSize(40)
    full = drawing.text_size(line, font)[0]
    for width in range(120, int(full) + 40, 7):
        lines = wrapped_lines(line, font, width)
        assert "".join(lines) == line
        ends = [sum(len(part) for part in lines[: i + 1]) for i in range(len(lines) - 1)]
        for word in ISSUE_LINES[line]:
            start = line.index(word)
            for end in ends:
                assert not start < end < start + len(word), f"{word} torn at width {width}: {lines}"
