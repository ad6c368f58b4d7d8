"""kiosk/words.py: where Chinese may break between lines (no Qt here: the rules alone).
The layouts themselves are checked in tests/qt/test_word_breaks.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import words
from kiosk.words import WORD_JOINER, glue, joined_places, pieces, unglue


@pytest.fixture(scope="module", autouse=True)
def _loaded() -> None:
    words.load()


def unbroken(text: str, part: str) -> bool:
    """Whether no place inside `part` (where it occurs in text) is a break place."""
    joined = joined_places(text)
    start = text.index(part)
    return all(i in joined for i in range(start + 1, start + len(part)))


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("推动135个市县执法办案管理中心提质增效", "办案"),
        ("被困在芦苇荡的老人被找到并成功救出", "被找到"),
        ("启动“情指行”一体化机制，研判划定老人失踪范围", "情指行"),
        ("情指行一体化机制持续升级", "情指行一体化"),
        ("纵深推进执法规范化建设", "纵深"),
        ("全省公安政务服务大厅134个", "大厅"),
        ("持续升级“情指行”一体化机制", "持续"),
        ("杭州市公安局西湖分局", "西湖分局"),
    ],
)
def test_the_issue_words_are_never_broken(text: str, word: str) -> None:
    assert unbroken(text, word)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("全省近1700个派出所设立派驻式调解室", "近1700个"),
        ("整治隐患2.9万余处", "2.9万余处"),
        ("满意率80%以上", "80%以上"),
        ("截至2024年12月31日", "2024年12月31日"),
        ("出警到场时间同比缩短近20%。", "近20%"),
    ],
)
def test_a_number_stays_with_its_qualifier_and_unit(text: str, number: str) -> None:
    assert unbroken(text, number)


def test_a_short_quoted_name_is_one_unit() -> None:
    assert unbroken("去年江苏又有4家派出所入选全国“枫桥式公安派出所”", "“枫桥式公安派出所”")
    long_quote = "“" + "平安江苏建设持续开展夏夜治安巡查" + "”"
    assert not unbroken("开展" + long_quote, long_quote)  # a long quote still breaks between words


def test_no_closing_punctuation_starts_a_line_and_no_opening_one_ends_it() -> None:
    text = "启动“情指行”一体化机制，研判（试行）划定"
    joined = joined_places(text)
    for i, ch in enumerate(text):
        if ch in "，”）":
            assert i in joined, ch
        if ch in "“（":
            assert i + 1 in joined, ch


def test_words_may_still_break_between_each_other() -> None:
    text = "推动135个市县执法办案管理中心提质增效"
    breaks = [i for i in range(1, len(text)) if i not in joined_places(text)]
    assert text.index("市县") in breaks and text.index("提质") in breaks


def test_glue_is_invisible_and_idempotent() -> None:
    text = "推动135个市县执法办案管理中心\n提质增效"
    glued = glue(text)
    assert WORD_JOINER in glued and unglue(glued) == text
    assert glue(glued) == glued and glued.count("\n") == 1


def test_a_break_beside_a_quote_is_offered_to_qt() -> None:
    # Qt keeps a quotation mark with both neighbours; glue offers the break before “ and
    # after ” (zero-width space), and kinsoku still joins “ to what follows it.
    glued = glue("入选全国“枫桥式公安派出所”后")
    assert glued.index(words.BREAK_HERE) < glued.index("“") and words.BREAK_HERE + "后" in glued
    assert "“" + words.WORD_JOINER + "枫" in glued


def test_latin_text_is_left_to_qt() -> None:
    assert glue("Solve rate 99.2% in 2023") == "Solve rate 99.2% in 2023"


def test_pieces_cut_only_where_a_line_may_break() -> None:
    text = "来源:新华日报 《江苏警方向人民报告2023“平安答卷”》"
    parts = pieces(text)
    assert unglue("".join(parts)) == text
    assert any(unglue(part) == "2023" for part in parts)  # a year is never cut in half


def test_segmentations_are_kept_on_disk_and_read_back(tmp_path: Path) -> None:
    cache = tmp_path / "words.json"
    words.preload(["西湖分局开展反诈宣传"], cache=cache, delay=0).join(timeout=30)
    kept = json.loads(cache.read_text(encoding="utf-8"))
    assert "".join(kept["西湖分局开展反诈宣传"]) == "西湖分局开展反诈宣传"
    assert "西湖分局" in kept["西湖分局开展反诈宣传"]


def test_a_broken_cache_file_is_no_cache(tmp_path: Path) -> None:
    cache = tmp_path / "words.json"
    cache.write_text("{not json", encoding="utf-8")
    words.use_cache(cache)  # does not raise
    cache.write_text(json.dumps({"甲乙": ["甲", "丙"]}), encoding="utf-8")
    words.use_cache(cache)
    assert words.segment("甲乙") != ("甲", "丙")  # words that do not make up the text are refused


def test_the_next_start_breaks_between_words_before_jieba_loads(tmp_path: Path) -> None:
    """A show keeps its texts' words in the state folder; the next start reads them and its
    first slide breaks between words while jieba is not loaded yet (a fresh process)."""
    cache = tmp_path / "words.json"
    words.preload(["- 推动135个市县执法办案管理中心提质增效"], cache=cache, delay=0).join(timeout=30)
    script = (
        "import sys; from pathlib import Path; from kiosk import words; "
        "words.use_cache(Path(sys.argv[1])); "
        "print(words.ready(), words.WORD_JOINER in words.glue('推动135个市县执法办案管理中心提质增效').split('办')[1][:1])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(cache)], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["False", "True"], result.stderr
