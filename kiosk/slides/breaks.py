"""Where display text breaks into lines: between phrases, and never with a lonely last line.

Qt wrapped Chinese between any two characters; now it wraps between words (kiosk/words.py
glues every text it draws), but a centred title or note that needs two
lines often ends with one or two characters alone ("…严打严防护平" / "安"), or breaks a
phrase where a comma or a space was right there. For short display text (headlines, notes,
labels, timeline steps, a tribute's lines) the slides choose the breaks themselves:

- `tidy_breaks`: text that wraps into 2 to max_lines lines, broken again: between
  phrases (after punctuation, before an opening quote, at a space) when that gives as
  many lines, all fitting and fairly even; else, when the last line is short, at the
  narrowest width that keeps the number of lines, so the lines come out even. Never
  more lines than before, so heights already laid out hold.
- `fit_headline`: a headline's font and breaks: one phrase a line when that costs
  little size, else the largest font with tidy breaks.

Both return the text with explicit line breaks ("\\n"): it is drawn as chosen in any box
at least as wide as the one it was broken for. Text the author broke is left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QTextLayout

from kiosk import words
from kiosk.slides import paint

#: a line may end after these (sentence punctuation, closing quotes and brackets) ...
BREAK_AFTER = "，。、；：！？,;:!?”’」』）》〉】"
#: ... and before these (opening quotes and brackets)
BREAK_BEFORE = "“‘「『（《〈【"
#: a run of these that holds a space separates two phrases (" · " between two facts)
SEPARATORS = " \u3000·・•|"
#: two lines broken between phrases must be at least this even (shorter / longer)
MIN_PHRASE_BALANCE = 0.3
#: a last line shorter than this share of the longest is re-balanced
SHORT_LAST_LINE = 0.5
#: a headline is set one phrase a line if that keeps at least this share of its size
PHRASE_SHARE = 0.8
#: phrase breaks considered at the most (a longer text is wrapped as it comes)
MAX_BREAK_POINTS = 8


def wrapped_lines(text: str, font: QFont, width: float) -> list[str]:
    """The lines text is set in at font, wrapped at width (as draw_text wraps it: between
    words, kiosk/words.py), without the joiners that keep words whole."""
    lines: list[str] = []
    for paragraph in words.glue(text).split("\n"):
        layout = QTextLayout(paragraph, font)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            piece = paragraph[line.textStart() : line.textStart() + line.textLength()]
            lines.append(words.unglue(piece).strip())
        layout.endLayout()
    return lines


def break_points(text: str) -> list[tuple[int, int]]:
    """Where text may break between phrases: (end of one line, start of the next) pairs,
    after punctuation, before an opening quote, or across a run of separators (dropped)."""
    points: list[tuple[int, int]] = []
    i = 0
    while i < len(text) - 1:
        if text[i] in SEPARATORS:
            end = i
            while i < len(text) and text[i] in SEPARATORS:
                i += 1
            if (" " in text[end:i] or "\u3000" in text[end:i]) and end > 0 and i < len(text):
                points.append((end, i))
            continue
        if text[i] in BREAK_BEFORE and i > 0 and text[i - 1] not in BREAK_BEFORE + BREAK_AFTER + SEPARATORS:
            points.append((i, i))
        if text[i] in BREAK_AFTER and text[i + 1] not in BREAK_AFTER:
            start = i + 1
            while start < len(text) and text[start] in SEPARATORS:
                start += 1
            if start < len(text):
                points.append((i + 1, start))
        i += 1
    return points


def tidy_breaks(text: str, font: QFont, width: float, max_lines: int) -> str:
    """text with line breaks that read well at font and width (see the module's doc)."""
    if not text or "\n" in text:
        return text
    lines = wrapped_lines(text, font, width)
    if not 2 <= len(lines) <= max_lines:
        return text
    phrased = phrase_lines(text, font, width, len(lines))
    if phrased is not None:
        return "\n".join(phrased)
    metrics = QFontMetricsF(font)
    widths = [metrics.horizontalAdvance(line) for line in lines]
    if widths[-1] >= max(widths) * SHORT_LAST_LINE:
        return text
    return "\n".join(balanced_lines(text, font, width, len(lines)))


def phrase_lines(text: str, font: QFont, width: float, count: int) -> list[str] | None:
    """The most even way to set text whole phrases a line in `count` lines within width,
    or None when no such way is even enough (MIN_PHRASE_BALANCE)."""
    metrics = QFontMetricsF(font)
    best: tuple[float, list[str]] | None = None
    for split in phrase_splits(text, count, count):
        advances = [metrics.horizontalAdvance(line) for line in split]
        if max(advances) > width:
            continue
        balance = min(advances) / max(advances)
        if balance >= MIN_PHRASE_BALANCE and (best is None or balance > best[0]):
            best = (balance, split)
    return None if best is None else best[1]


def breaks_between_phrases(text: str, font: QFont, width: float, max_lines: int) -> bool:
    """Whether text at font fits width on one line, or wraps (in at most max_lines lines)
    between phrases; a text without phrase breaks counts as fine at any size."""
    lines = wrapped_lines(text, font, width)
    if len(lines) < 2 or not break_points(text):
        return True
    return len(lines) <= max_lines and phrase_lines(text, font, width, len(lines)) is not None


def phrase_font(
    make_font: paint.FontFactory, texts: list[str], width: float, font: QFont, max_lines: int
) -> QFont:
    """font, or a size down to PHRASE_SHARE of it at which every text that breaks well at
    some size breaks between its phrases ("启动“情指行”一体化机制，/研判划定…" rather than
    "…一体/化机制…"). A slightly smaller size reads better than a phrase cut in two."""
    px = font.pixelSize()
    sizes = [px * (1 - (1 - PHRASE_SHARE) * step / 8) for step in range(9)]
    for size in sizes:
        candidate = make_font(size)
        if all(breaks_between_phrases(text, candidate, width, max_lines) for text in texts):
            return candidate
    return font


def balanced_lines(text: str, font: QFont, width: float, count: int) -> list[str]:
    """text wrapped at the narrowest width (down to width/count) that keeps `count` lines."""
    low, high = width / count, width
    for _ in range(10):
        mid = (low + high) / 2
        if len(wrapped_lines(text, font, mid)) <= count:
            high = mid
        else:
            low = mid
    return wrapped_lines(text, font, high)


def phrase_splits(text: str, max_lines: int, min_lines: int = 2) -> Iterator[list[str]]:
    """Every way to set text one or more whole phrases a line, in min_lines to max_lines lines."""
    points = break_points(text)[:MAX_BREAK_POINTS]
    for count in range(max(1, min_lines - 1), max_lines):
        for chosen in combinations(points, count):
            lines, start = [], 0
            for end, next_start in chosen:
                lines.append(text[start:end].strip())
                start = next_start
            lines.append(text[start:].strip())
            if all(lines):
                yield lines


def fit_headline(
    make_font: paint.FontFactory, text: str, box: QRectF, max_px: float, min_px: float, max_lines: int
) -> tuple[QFont, str]:
    """A headline's font (the largest between min_px and max_px that fits box in max_lines
    lines) and its line breaks: one or more whole phrases a line when that keeps at least
    PHRASE_SHARE of the size, else tidy breaks."""
    font = paint.fit_font(make_font, text, box, max_px, min_px, max_lines=max_lines)
    if "\n" in text or len(wrapped_lines(text, font, box.width())) < 2:
        return font, text
    best: tuple[tuple[int, int, float], QFont, str] | None = None
    for lines in phrase_splits(text, max_lines):
        candidate = "\n".join(lines)
        phrased = paint.fit_font(make_font, candidate, box, max_px, min_px, max_lines=len(lines))
        if len(wrapped_lines(candidate, phrased, box.width())) != len(lines):
            continue  # a phrase too long for one line even at min_px
        metrics = QFontMetricsF(phrased)
        widths = [metrics.horizontalAdvance(line) for line in lines]
        key = (phrased.pixelSize(), -len(lines), min(widths) / max(widths))
        if best is None or key > best[0]:
            best = (key, phrased, candidate)
    if best is not None and best[1].pixelSize() >= font.pixelSize() * PHRASE_SHARE:
        return best[1], best[2]
    return font, tidy_breaks(text, font, box.width(), max_lines)
