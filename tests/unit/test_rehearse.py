"""`kiosk rehearse`: the recorder on an injected clock, the report, and the writer that
changes only `duration:` values (comments, order and layout kept)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.player import Player
from kiosk.playlist import load_playlist
from kiosk.rehearse import FileChanged, Rehearsal, format_report, write_durations

from .helpers import load

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "every-slide-type.yaml"

SHOW = """
defaults: {duration: 10s}
slides:
  - {type: title, title: one, id: one}
  - {type: title, title: two, id: two, duration: 5s}
  - {type: title, title: three, id: three}
  - {type: title, title: four, id: four}
"""

FLOW = """\
# a flow-style talk
slides:
  - {type: title, title: Opening}   # the first
  - {type: title, id: b, title: Second, duration: 4s}
  - {type: title, title: Never shown}
"""


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def rehearse(tmp_path: Path, text: str) -> tuple[Player, Rehearsal, Clock]:
    clock = Clock()
    player = Player(load(tmp_path, text), clock=clock, loop=False, auto_advance=False)
    rehearsal = Rehearsal(clock)
    player.subscribe(rehearsal)
    player.start()
    return player, rehearsal, clock


def test_recorder_sums_each_slides_visits_on_the_players_clock(tmp_path: Path) -> None:
    player, rehearsal, clock = rehearse(tmp_path, SHOW)
    clock.now += 42.0
    player.tick()  # the window's timer: nothing moves in a rehearsal
    player.next()
    clock.now += 7.5
    player.toggle_pause()  # still on screen: pause does not end a visit
    clock.now += 2.5
    player.toggle_pause()
    player.previous()  # back to one for a second visit
    clock.now += 3.0
    player.next()
    player.next()
    clock.now += 20.0
    player.next()
    clock.now += 100.0  # four is on screen when the presenter quits
    rehearsal.finish()
    assert rehearsal.seconds == {0: 45.0, 1: 10.0, 2: 20.0, 3: 100.0}


def test_next_on_the_last_slide_ends_the_timing(tmp_path: Path) -> None:
    player, rehearsal, clock = rehearse(tmp_path, SHOW)
    player.last()
    clock.now += 30.0
    player.next()
    assert player.snapshot().ended
    clock.now += 500.0  # the report waits; the slide no longer counts
    rehearsal.finish()
    assert rehearsal.seconds == {0: 0.0, 3: 30.0}  # one was on screen for no time at all


def test_report_lists_planned_and_rehearsed_and_the_unshown(tmp_path: Path) -> None:
    playlist = load(tmp_path, SHOW)
    report = format_report(playlist, {0: 45.0, 1: 10.25})
    lines = report.splitlines()
    assert any(
        line.split()[:3] == ["1", "one", "one"] and line.endswith("10.0s      45.0s") for line in lines
    )
    assert any(line.split()[:2] == ["2", "two"] and line.endswith("5.0s      10.2s") for line in lines)
    assert any(line.split()[:2] == ["3", "three"] and line.endswith("not shown") for line in lines)
    assert "total: planned 35.0s (35s), rehearsed 55.2s (55s)" in report
    assert lines[-1] == "never shown (their duration is left alone): slides 3, 4"


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    """Pairs (old, new) of lines that differ, with an added line paired with ''."""
    old, new = before.splitlines(), after.splitlines()
    pairs: list[tuple[str, str]] = []
    i = 0
    for line in new:
        if i < len(old) and old[i] == line:
            i += 1
            continue
        if i < len(old) and "duration:" in old[i] and "duration:" in line:
            pairs.append((old[i], line))
            i += 1
            continue
        pairs.append(("", line))  # added
    assert i == len(old), "a line of the original went missing"
    return pairs


def test_writer_changes_only_duration_lines_of_the_example(tmp_path: Path) -> None:
    path = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, path)
    for sample in EXAMPLE.parent.iterdir():  # the files its slides name, so it still loads
        if sample != EXAMPLE:
            shutil.copy(sample, tmp_path / sample.name)
    before = path.read_text(encoding="utf-8")
    playlist = load_playlist(path)
    count = len(playlist.slides)
    assert all(slide.duration is not None for slide in playlist.slides)  # each line replaced in place
    rehearsed = {index: index + 0.4 for index in range(count - 1)}  # the last one never shown
    write_durations(path, rehearsed, original=before.encode())
    after = path.read_text(encoding="utf-8")
    pairs = changed_lines(before, after)
    assert len(pairs) == count - 1  # every other line is byte for byte what it was
    for old, new in pairs:
        assert old, f"a line was added: {new!r}"
        old_value, _, old_comment = old.partition("#")
        new_value, _, new_comment = new.partition("#")
        assert old_value.split("duration:")[0] == new_value.split("duration:")[0]  # same indent
        assert old_comment == new_comment
    reloaded = load_playlist(path)
    assert [s.duration for s in reloaded.slides[:-1]] == [max(1.0, float(i)) for i in range(count - 1)]
    assert reloaded.slides[-1].duration == playlist.slides[-1].duration


def test_added_duration_follows_type_and_id(tmp_path: Path) -> None:
    path = tmp_path / "show.yaml"
    path.write_text(
        "slides:\n  - type: text\n    id: t\n    # the body\n    title: T\n    body: words\n",
        encoding="utf-8",
    )
    original = path.read_bytes()
    write_durations(path, {0: 61.6}, original=original)
    assert path.read_text(encoding="utf-8").splitlines() == [
        "slides:",
        "  - type: text",
        "    id: t",
        "    duration: 62s",
        "    # the body",
        "    title: T",
        "    body: words",
    ]


def test_writer_keeps_flow_style_slides_on_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "flow.yaml"
    path.write_text(FLOW, encoding="utf-8")
    write_durations(path, {0: 12.5, 1: 9.0}, original=FLOW.encode())
    after = path.read_text(encoding="utf-8").splitlines()
    before = FLOW.splitlines()
    assert len(after) == len(before)
    assert after[0] == before[0] and after[1] == before[1] and after[4] == before[4]  # comment, unshown
    assert after[2].startswith("  - {type: title, duration: 12s, title: Opening}")  # 12.5 rounds to even
    assert after[2].endswith("# the first")
    assert after[3] == "  - {type: title, id: b, title: Second, duration: 9s}"
    reloaded = load_playlist(path)
    assert [s.duration for s in reloaded.slides] == [12.0, 9.0, None]


def test_a_file_edited_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "flow.yaml"
    path.write_text(FLOW, encoding="utf-8")
    original = path.read_bytes()
    edited = FLOW.replace("Opening", "Opening words")
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(FileChanged, match="changed since the rehearsal began"):
        write_durations(path, {0: 12.0}, original=original)
    assert path.read_text(encoding="utf-8") == edited
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flow.yaml"]  # no temporary left
