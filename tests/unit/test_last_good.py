"""The last good playlist is kept in the state folder and played at boot when the named
playlist does not load (issue 13, item 4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kiosk import lastgood
from kiosk.playlist import load_playlist

SHOW = """\
version: 1
title: 分局大厅
slides:
  - type: bar
    id: cases
    title: 案件
    data: data/cases.csv
  - type: image
    id: photo
    src: photo.png
"""


def make_show(folder: Path, title: str = "分局大厅") -> Path:
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "cases.csv").write_text("label,value\n盗窃,12\n诈骗,30\n", encoding="utf-8")
    (folder / "photo.png").write_bytes(PNG_1X1)
    path = folder / "show.yaml"
    path.write_text(SHOW.replace("分局大厅", title), encoding="utf-8")
    return path


# The smallest valid PNG: one black pixel.
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def test_a_saved_copy_loads_with_all_its_files(tmp_path) -> None:
    path = make_show(tmp_path / "show")
    state = tmp_path / "state"
    folder = lastgood.save(load_playlist(path), state)
    assert folder is not None and folder.is_relative_to(state)
    (tmp_path / "show" / "data" / "cases.csv").unlink()  # the original breaks
    kept = lastgood.load(path, state)
    assert kept is not None
    assert kept.origin == path.resolve()
    assert kept.playlist.title == "分局大厅"
    assert kept.playlist.resolve("data/cases.csv").read_text(encoding="utf-8").startswith("label,value")
    assert kept.playlist.resolve("photo.png").read_bytes() == PNG_1X1


def test_nothing_is_rewritten_when_nothing_changed(tmp_path) -> None:
    path = make_show(tmp_path / "show")
    state = tmp_path / "state"
    folder = lastgood.save(load_playlist(path), state)
    assert folder is not None
    before = (folder / lastgood.ORIGIN_FILE).stat().st_mtime_ns
    os.utime(path)  # touched, not changed
    assert lastgood.save(load_playlist(path), state) == folder
    assert (folder / lastgood.ORIGIN_FILE).stat().st_mtime_ns == before


def test_a_changed_playlist_replaces_the_copy(tmp_path) -> None:
    path = make_show(tmp_path / "show")
    state = tmp_path / "state"
    lastgood.save(load_playlist(path), state)
    make_show(tmp_path / "show", title="第二版")
    lastgood.save(load_playlist(path), state)
    kept = lastgood.load(path, state)
    assert kept is not None and kept.playlist.title == "第二版"
    assert not list(lastgood.copies_folder(state).glob(".saving-*")), "no staging folder is left"


def test_each_playlist_path_has_its_own_copy(tmp_path) -> None:
    first = make_show(tmp_path / "a")
    second = make_show(tmp_path / "b", title="另一个")
    state = tmp_path / "state"
    lastgood.save(load_playlist(first), state)
    lastgood.save(load_playlist(second), state)
    kept_first, kept_second = lastgood.load(first, state), lastgood.load(second, state)
    assert kept_first is not None and kept_second is not None
    assert (kept_first.playlist.title, kept_second.playlist.title) == ("分局大厅", "另一个")


def test_no_copy_and_a_broken_copy_give_none(tmp_path) -> None:
    path = make_show(tmp_path / "show")
    state = tmp_path / "state"
    assert lastgood.load(path, state) is None
    folder = lastgood.save(load_playlist(path), state)
    assert folder is not None
    (folder / "show.yaml").write_text("slides: [", encoding="utf-8")
    assert lastgood.load(path, state) is None


def test_a_save_cut_between_its_renames_still_leaves_a_copy(tmp_path) -> None:
    path = make_show(tmp_path / "show")
    state = tmp_path / "state"
    folder = lastgood.save(load_playlist(path), state)
    assert folder is not None
    folder.rename(folder.with_name(folder.name + ".old"))  # as if the power went between renames
    kept = lastgood.load(path, state)
    assert kept is not None and kept.playlist.title == "分局大厅"


def run_show(path: Path, state: Path, seconds: float = 2.5) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_STATE_HOME": str(state)}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", str(path), "--windowed", "--quit-after", str(seconds)],
        capture_output=True, text=True, timeout=90, env=env,
    )  # fmt: skip


def test_boot_with_a_broken_playlist_plays_the_last_good_copy(tmp_path) -> None:
    path = make_show(tmp_path / "show")
    state = tmp_path / "state"
    first = run_show(path, state)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    assert lastgood.load(path, state / "kiosk") is not None, "the show kept no copy:\n" + first.stderr
    path.write_text(SHOW.replace("type: bar", "type: barchart"), encoding="utf-8")
    second = run_show(path, state)
    assert second.returncode == 0, second.stderr
    assert "unknown slide type 'barchart'" in second.stderr
    assert "playing the last good copy" in second.stderr
    assert "Traceback" not in second.stderr


def test_boot_with_a_broken_playlist_and_no_copy_exits_2(tmp_path) -> None:
    path = make_show(tmp_path / "show")
    path.write_text(SHOW.replace("type: bar", "type: barchart"), encoding="utf-8")
    result = run_show(path, tmp_path / "state")
    assert result.returncode == 2
    assert "nothing was played" in result.stderr
