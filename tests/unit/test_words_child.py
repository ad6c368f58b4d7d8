"""Words are segmented in a child process (kiosk/words.py): jieba's 0.65 s and 85 MB
never land in the show, export or check; what a batch did not have goes in the next."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from kiosk import words


def fresh_python(code: str) -> dict:
    """Run code in a new interpreter (this one may have jieba loaded by other tests); its
    last stdout line, as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_child_segments_and_this_process_never_loads_jieba() -> None:
    found = fresh_python(
        """
        import json, sys
        from kiosk import words
        ok = words.segment_elsewhere(["推动135个市县执法办案管理中心提质增效", "成功找回"])
        print(json.dumps({"ok": ok, "jieba": "jieba" in sys.modules, "ready": words.ready(),
                          "words": words.segment("推动135个市县执法办案管理中心提质增效")}))
        """
    )
    assert found["ok"] and not found["jieba"] and not found["ready"]
    assert "办案管理中心" in found["words"] and "".join(found["words"]) == "推动135个市县执法办案管理中心提质增效"


def test_a_text_no_batch_had_goes_in_the_next() -> None:
    found = fresh_python(
        """
        import json
        from kiosk import words
        composed = "来源:西湖分局民警走访"
        before = words.glue(composed)  # drawn before any batch: numbers and punctuation only
        thread = words.preload(["第一张"], cache=None, delay=0.0)
        thread.join(120)
        print(json.dumps({"before": before, "after": words.glue(composed), "words": words.segment(composed)}))
        """
    )
    assert found["words"] is not None and "西湖分局" in found["words"]
    assert words.WORD_JOINER not in found["before"].split(":")[1][:4]  # no words yet: 西湖|分局 breakable
    assert found["after"].count(words.WORD_JOINER) > found["before"].count(words.WORD_JOINER)


def test_a_child_that_fails_is_logged_and_the_show_goes_on(monkeypatch, caplog) -> None:
    monkeypatch.setattr(words, "child_command", lambda: [sys.executable, "-c", "import sys; sys.exit(3)"])
    assert not words.segment_elsewhere(["一段从未分过词的文字甲乙丙"])
    assert "word segmenter failed" in caplog.text
    assert words.segment("一段从未分过词的文字甲乙丙") is None or words.ready()


def test_the_child_command_answers_json() -> None:
    done = subprocess.run(
        [*words.child_command()], input=json.dumps(["被找到的老人"]), capture_output=True, text=True,
        timeout=180, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "".join(json.loads(done.stdout)["被找到的老人"]) == "被找到的老人"


def test_a_phrase_of_a_segmented_line_has_that_lines_words() -> None:
    """A slide may set a phrase of a line on its own (breaks.py splits at punctuation):
    it gets the line's words that fall inside it, with no batch of its own."""
    found = fresh_python(
        """
        import json
        from kiosk import words
        words.segment_elsewhere(["实现监督制约和执法效能“双提升”"])
        print(json.dumps({"phrase": words.segment("实现监督制约和执法效能"),
                          "cut": words.segment("制约和执法效"), "missed": list(words._missed)}))
        """
    )
    assert found["phrase"] == ["实现", "监督制约", "和", "执法", "效能"]
    assert found["cut"] == ["制约", "和", "执法", "效"]
    assert found["missed"] == []
