"""Where Chinese text may break between lines: between words, never inside one.

Qt breaks Chinese between any two characters (办|案, 西湖|分局). This module marks the
places where a line must not break with U+2060 WORD JOINER, which Qt's line breaker
honours and which takes no width and draws nothing (`glue`); the kit's text functions
(kiosk/drawing.py) glue every text they measure or draw, so every wrap is word-aware.

A place is glued when it falls:
- inside a word, as jieba (MIT, pure Python) segments the text, with EXTRA_WORDS added
  to its dictionary (names and terms of the bundled playlists it splits: 西湖|分局);
- inside a number with its qualifiers and unit (近1700个, 2.9万余处, 80%以上, 2024年12月);
- after 被 (passive: 被找到 is read as one);
- inside a short quoted name or term (“枫桥式公安派出所”, 《平安答卷》: SHORT_QUOTE);
- before closing punctuation or after opening punctuation (kinsoku; Qt already keeps
  most of these, this makes it sure for every font).

Why jieba and not ICU's dictionary word breaks (PyICU, a C build against libicu): ICU
loads at once (13 to 45 ms) but splits words a reader takes as one, the issue's 纵|深
among them, and 提|质|增|效, 芦苇|荡, 情|指|行 (measured on the issue's lines).

jieba's dictionary takes about 0.65 s to load and 85 MB of memory that stay, more than
the whole first frame and half the show's own memory, and loading it holds Python's lock
(the show's frames stall). So no kiosk process loads it: a short-lived child process
does (`kiosk _segment-words`, `segment_elsewhere`), segments the texts it is given, hands
the words back and exits. The show has its playlist's texts segmented in the background
after its first frame (`preload`), export and `check --size` before they draw (`prepare`).
Texts no batch had (a line composed at draw time) keep the number and punctuation rules,
are noted, and go to the next batch. Segmentations are kept by text in memory, and on
disk in the state folder, so the next start's first slide breaks between words at once.

Qt-free.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.state import state_folder

if TYPE_CHECKING:
    from kiosk.playlist.model import Playlist

WORD_JOINER = "\u2060"
#: a break allowed where Qt would not break by itself (beside a quotation mark)
BREAK_HERE = "\u200b"
#: quotation marks: Qt keeps each with both its neighbours
QUOTES = "“”‘’"

#: terms jieba splits that a reader takes as one word (the issue 18 list and the bundled
#: playlists' names): a break inside them reads as a typo from across a hall
EXTRA_WORDS = (
    "情指行一体化",
    "情指行",
    "西湖分局",
    "被找到",
    "执法办案",
    "办案管理中心",
    "一站式",
    "派驻式",
    "枫桥式",
    "110报警",
    "公安机关",
    "警种部门",
    "派出所",
    "这一",  # 这|一“金字招牌” (jieba splits the demonstrative from its numeral)
)

#: no line starts with these (closing punctuation, pauses) ...
CLOSING = "，。、；：！？,.;:!?)]}”’」』）》〉】〕〗…‥%％·・ー～"
#: ... and no line ends with these (opening quotes and brackets)
OPENING = "([{“‘「『（《〈【〔〖"

#: a number with what belongs to it: a qualifier before (近, 约, 超 ...), its digits,
#: a percent sign, a unit of ten thousand or more, 余/多, a measure word and 以上/以下
#: after it; a date (2024年12月31日) is one number
NUMBER = re.compile(
    r"(?:近|约|超过|超|逾|达|共|仅|累计|不到|第)?"
    r"(?:\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?"
    r"|\d{1,2}月\d{1,2}日"
    r"|[+\-−]?\d[\d,.]*\d|[+\-−]?\d)"
    r"(?:[%％‰])?"
    r"(?:[十百千万亿]+)?"
    r"(?:[余多])?"
    r"(?:个|处|名|人次|人|件|起|次|家|所|年|月|日|天|条|项|万元|亿元|元|支|辆|台|座|户|套|批|场|类|种|位"
    r"|小时|分钟|秒|公里|米|倍|岁|份|宗|笔|只|间|队|级|期|轮|届|部|名次|个百分点|周|号)?"
    r"(?:以上|以下|左右|之多|余)?"
)

#: the segmentations file in the state folder
CACHE_NAME = "words.json"
#: segmentations kept on disk at the most (about 2 MB): a large playlist's texts
MAX_KEPT = 20_000
#: a show loads jieba this long after its first frame: the load holds Python's lock for
#: 150 to 240 ms (one marshal.load of the dictionary), which would stall the first
#: slide's entry animation (1.2 s); later it falls in the slide's still part
PRELOAD_DELAY_SECONDS = 2.0

#: a short quoted name or term is one unit: “枫桥式公安派出所” is not broken before 派出所
SHORT_QUOTE = re.compile(r"“[^“”\s]{1,8}”|《[^《》\s]{1,10}》|「[^「」\s]{1,8}」")

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_segments: dict[str, tuple[str, ...]] = {}
_cache_path: Path | None = None
_segmenter: object | None = None  # jieba's Tokenizer, once loaded
_loader: threading.Thread | None = None
_missed: dict[str, None] = {}  # texts asked for and not segmented yet (the next batch's)
#: texts remembered for the next batch at the most
MAX_MISSED = 2_000
#: the word child's command after the program: `kiosk _segment-words` (kiosk/cli.py)
CHILD_COMMAND = "_segment-words"
#: a batch is given up after this long (a child that hangs must not keep a show waiting)
CHILD_TIMEOUT_SECONDS = 120.0


def ready() -> bool:
    """Whether jieba is loaded in this process (the word child, tests)."""
    return _segmenter is not None


def load() -> None:
    """Load jieba in this process (about 0.65 s and 85 MB): the word child does; a show,
    export and check use `segment_elsewhere` instead."""
    global _segmenter
    with _lock:
        if _segmenter is not None:
            return
        import jieba

        jieba.setLogLevel(logging.WARNING)  # it announces its dictionary on stderr
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for word in EXTRA_WORDS:
            tokenizer.add_word(word, freq=100_000)
        _segmenter = tokenizer
    glue.cache_clear()  # texts glued without words are glued again


def preload(
    texts: Iterable[str], cache: Path | None = None, delay: float = PRELOAD_DELAY_SECONDS
) -> threading.Thread:
    """Have texts segmented in a child process from a background thread, `delay` seconds
    from now (the thread only waits for the child: the show's frames go on), then keep
    the segmentations in `cache` (a JSON file) for the next start. Texts drawn meanwhile
    that no batch had go in a later batch. Returns the thread."""
    global _loader

    def run() -> None:  # texts may be a generator: it runs here too, off the show's thread
        time.sleep(delay)
        batch = list(texts)
        for _ in range(3):  # the playlist's texts, then what was drawn without words
            if not segment_elsewhere(batch):
                return
            if cache is not None:
                save_cache(cache)
            batch = list(_missed)
            if not batch:
                return
            time.sleep(delay)

    _loader = threading.Thread(target=run, name="kiosk-words", daemon=True)
    _loader.start()
    return _loader


def prepare(texts: Iterable[str]) -> bool:
    """Segment texts now, in a child process, before drawing them (export, check)."""
    return segment_elsewhere(texts)


def child_command() -> list[str]:
    """How to start the word child: this program again (the one-folder build is the
    kiosk executable itself; from source, `python -m kiosk`)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_COMMAND]
    return [sys.executable, "-m", "kiosk", CHILD_COMMAND]


def segment_elsewhere(texts: Iterable[str], timeout: float = CHILD_TIMEOUT_SECONDS) -> bool:
    """Segment the paragraphs of texts not segmented yet in a child process that loads
    jieba, and keep its words here. False (logged) when the child failed: the texts then
    keep the number and punctuation rules."""
    todo: dict[str, None] = {}
    for text in texts:
        for paragraph in unglue(text).split("\n"):
            if paragraph not in _segments and any(is_wide(ch) for ch in paragraph):
                todo[paragraph] = None
    if not todo:
        return True
    try:
        done = subprocess.run(
            child_command(),
            input=json.dumps(list(todo), ensure_ascii=False),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            check=False,
        )
        found = json.loads(done.stdout) if done.returncode == 0 else None
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        _log.warning("the word segmenter did not run: %s", exc)
        return False
    if not isinstance(found, dict):
        _log.warning("the word segmenter failed (exit %s): %s", done.returncode, done.stderr.strip()[-300:])
        return False
    for text, words in found.items():
        if isinstance(text, str) and isinstance(words, list) and "".join(map(str, words)) == text:
            _segments[text] = tuple(map(str, words))
            _missed.pop(text, None)
    glue.cache_clear()  # texts glued without words are glued again
    return True


def child_main() -> int:
    """`kiosk _segment-words`: a JSON list of texts on stdin, their words as a JSON object
    (text -> list of words) on stdout. Loads jieba: it runs in a process of its own."""
    texts = json.load(sys.stdin)
    if not isinstance(texts, list):
        print("kiosk _segment-words: expected a JSON list of texts", file=sys.stderr)
        return 2
    load()
    out = {text: list(segment(text) or (text,)) for text in texts if isinstance(text, str)}
    json.dump(out, sys.stdout, ensure_ascii=False)
    return 0


def drawn_texts(playlist: Playlist) -> Iterator[str]:
    """The texts a playlist's slides draw: every string of every slide, and the lines the
    slides compose from them (the source line, the playlist's footer)."""
    for slide in playlist.slides:
        yield from strings_in(slide.model_dump())
        if slide.source:
            yield f"来源:{slide.source}"  # as kiosk/slides/paint.py's slide_chrome writes it
    if playlist.footer:
        yield str(playlist.footer)


def cache_file() -> Path:
    """Where a show keeps its segmentations: the state folder, never the playlist's."""
    return state_folder() / CACHE_NAME


def strings_in(value: object) -> Iterator[str]:
    """Every string in value (a slide's fields as model_dump gives them), however deep."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings_in(item)


def use_cache(path: Path) -> None:
    """Read segmentations kept by an earlier run (a missing or broken file is no cache)."""
    global _cache_path
    _cache_path = path
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(kept, dict):
        return
    for text, words in kept.items():
        if isinstance(text, str) and isinstance(words, list) and "".join(map(str, words)) == text:
            _segments.setdefault(text, tuple(map(str, words)))
    glue.cache_clear()


def save_cache(path: Path) -> None:
    """Write the segmentations known now to path (beside it, then renamed into place)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".part")
        kept = dict(list(_segments.items())[-MAX_KEPT:])  # the newest: this show's texts
        temporary.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:  # a read-only state folder costs the next start its cache only
        _log.warning("cannot keep word segmentations in %s: %s", path, exc)


def segment(text: str) -> tuple[str, ...] | None:
    """The words of text (jieba's, cached by text), or None while jieba is not loaded and
    the text was not segmented before."""
    found = _segments.get(text)
    if found is not None:
        return found
    if _segmenter is None:
        found = _inside_known(text)
        if found is not None:
            _segments[text] = found
            return found
        if len(_missed) < MAX_MISSED and any(is_wide(ch) for ch in text):
            _missed[text] = None  # for the next batch
        return None
    words = tuple(_segmenter.lcut(text))  # type: ignore[attr-defined]  # jieba is untyped
    if len(_segments) < MAX_KEPT * 2:  # a show's texts; past that, segmented each time
        _segments[text] = words
    return words


def _inside_known(text: str) -> tuple[str, ...] | None:
    """The words of text when it is part of a text segmented already: a slide sets a
    phrase of a line on its own (breaks.py splits at punctuation), and the phrase's
    words are the line's words that fall inside it (cut at its ends)."""
    if not any(is_wide(ch) for ch in text):
        return None
    for known, words in list(_segments.items()):
        at = known.find(text)
        if at < 0 or len(known) == len(text):
            continue
        end, start, inside = at + len(text), 0, []
        for word in words:
            low, high = max(start, at), min(start + len(word), end)
            if low < high:
                inside.append(known[low:high])
            start += len(word)
        return tuple(inside)
    return None


def is_wide(ch: str) -> bool:
    """A CJK ideograph, kana or hangul: the characters Qt may break between."""
    code = ord(ch)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
    )


def joined_places(text: str) -> set[int]:
    """The places i (between text[i-1] and text[i]) where a line must not break."""
    joined: set[int] = set()
    words = segment(text)
    if words is not None:
        start = 0
        for word in words:
            end = start + len(word)
            if any(is_wide(ch) for ch in word):
                joined.update(range(start + 1, end))
            if word == "被" and end < len(text):
                joined.add(end)
            start = end
    for pattern in (NUMBER, SHORT_QUOTE):
        for match in pattern.finditer(text):
            joined.update(range(match.start() + 1, match.end()))
    for i in range(1, len(text)):
        if text[i] in CLOSING or text[i - 1] in OPENING:
            joined.add(i)
    return {i for i in joined if 0 < i < len(text) and not text[i].isspace() and not text[i - 1].isspace()}


@lru_cache(maxsize=4096)
def glue(text: str) -> str:
    """text with a WORD JOINER at every place it must not break (see the module's doc);
    line breaks the author wrote stay. Gluing glued text changes nothing (and costs
    nothing: eliding measures many glued prefixes, which are not segmented again)."""
    if WORD_JOINER in text or BREAK_HERE in text:
        return text
    plain = text
    if not any(is_wide(ch) for ch in plain):
        return plain  # Latin text: Qt breaks only at spaces already
    paragraphs = []
    for paragraph in plain.split("\n"):
        joined = joined_places(paragraph)
        paragraphs.append("".join(_mark(paragraph, i, joined) + ch for i, ch in enumerate(paragraph)))
    return "\n".join(paragraphs)


def _mark(text: str, i: int, joined: set[int]) -> str:
    """What goes before text[i]: a joiner where no break may fall; a zero-width space where
    one may fall beside a quote, which Qt never breaks at by itself (Unicode's line
    breaking keeps every quotation mark with both neighbours: 入选全国“枫桥式…” was one
    unbreakable run); nothing elsewhere."""
    if i in joined:
        return WORD_JOINER
    beside_quote = text[i] in QUOTES or text[i - 1] in QUOTES
    if i > 0 and beside_quote and not text[i].isspace() and not text[i - 1].isspace():
        return BREAK_HERE  # before an opening quote or after a closing one (kinsoku joins the others)
    return ""


def unglue(text: str) -> str:
    """text without the marks glue put in."""
    return text.replace(WORD_JOINER, "").replace(BREAK_HERE, "")


def pieces(text: str) -> list[str]:
    """text cut where a line may break, each piece glued inside (one paragraph). A prefix
    of whole pieces is where text may be elided."""
    plain = unglue(text)
    joined = joined_places(plain) if any(is_wide(ch) for ch in plain) else set()
    out: list[str] = []
    for i, ch in enumerate(plain):
        if i in joined:
            out[-1] += WORD_JOINER + ch
        else:
            out.append(ch)
    return out
