"""`kiosk rehearse PLAYLIST [--write]`: time a talk's slides as the presenter gives it.

The show plays with manual advance only (the player's `auto_advance=False`): no slide moves
on by itself, every key, the clicker and the mouse work as usual. A `Rehearsal` hears the
player's snapshots and adds up, on the player's own clock, how long each slide was on
screen. At the end (quit, or Next on the last slide) the timing report goes to stdout, and
with --write the rehearsed seconds become the slides' `duration:` values in the playlist
file, its comments, key order and layout kept (ruamel.yaml's round trip).

Qt is imported only by `run()`, which puts the show on screen; the recorder, the report
and the writer are tested without a display.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.playlist.durations import format_duration

if TYPE_CHECKING:
    from kiosk.player import Player, Snapshot
    from kiosk.playlist.model import Playlist

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


class Rehearsal:
    """Seconds each slide (by playlist index) was on screen, summed over its visits.

    Fed the player's snapshots; a visit runs from the snapshot that put the slide on air to
    the one that took it off (another slide, or the end of the show), both stamped by the
    player's clock, so a test's fake clock gives exact seconds."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.seconds: dict[int, float] = {}
        self.playlist: Playlist | None = None
        self._on_air: int | None = None  # playlist index of the slide being timed
        self._since = 0.0

    def __call__(self, snapshot: Snapshot) -> None:
        self.playlist = snapshot.playlist
        index = None if snapshot.ended else snapshot.index
        if index == self._on_air:
            return  # pause, black screen, overlays: the same slide is still up
        self._close(snapshot.taken_at)
        if index is not None:
            self._on_air, self._since = index, snapshot.taken_at

    def finish(self) -> None:
        """The show is over (quit): the slide on screen stops counting now."""
        self._close(self.clock())

    def _close(self, now: float) -> None:
        if self._on_air is not None:
            spent = max(0.0, now - self._since)
            self.seconds[self._on_air] = self.seconds.get(self._on_air, 0.0) + spent
            self._on_air = None


def rounded(seconds: float) -> int:
    """The whole seconds written to the playlist: a slide shown at all gets at least 1 s."""
    return max(1, round(seconds))


@dataclass(frozen=True)
class Row:
    number: int  # from 1, as in the playlist
    id: str
    label: str
    planned: float
    rehearsed: float | None  # None: never shown


def rows(playlist: Playlist, seconds: Mapping[int, float]) -> list[Row]:
    """One row per slide of the playlist, skipped ones left out (they never come on air)."""
    return [
        Row(
            index + 1,
            slide.id or "",
            slide.label_for_humans(),
            playlist.duration_of(slide),
            seconds.get(index),
        )
        for index, slide in enumerate(playlist.slides)
        if not slide.skip or index in seconds
    ]


def format_report(playlist: Playlist, seconds: Mapping[int, float]) -> str:
    """The timing report: per slide the planned and rehearsed time, then the totals."""
    table = rows(playlist, seconds)
    lines = [f"Rehearsal of {playlist.path or playlist.title or 'the playlist'}"]
    lines.append(f"{'#':>3}  {'id':<20} {'label':<30} {'planned':>8} {'rehearsed':>10}")
    for row in table:
        rehearsed = "not shown" if row.rehearsed is None else f"{row.rehearsed:.1f}s"
        lines.append(
            f"{row.number:>3}  {row.id[:20]:<20} {row.label[:30]:<30} {row.planned:>7.1f}s {rehearsed:>10}"
        )
    planned = sum(row.planned for row in table)
    rehearsed_total = sum(seconds.values())
    lines.append(
        f"total: planned {planned:.1f}s ({format_duration(planned)}), "
        f"rehearsed {rehearsed_total:.1f}s ({format_duration(rehearsed_total)})"
    )
    unseen = [str(row.number) for row in table if row.rehearsed is None]
    if unseen:
        lines.append(f"never shown (their duration is left alone): slides {', '.join(unseen)}")
    return "\n".join(lines)


class FileChanged(Exception):
    """The playlist file is no longer what the rehearsal loaded: someone edited it."""


def write_durations(path: Path, durations: Mapping[int, float], *, original: bytes) -> None:
    """Put `durations` (seconds by slide index) into the playlist file as `duration:` values,
    rounded to whole seconds, keeping its comments, key order and layout.

    A slide with a duration gets its value replaced in place; one without gets a
    `duration:` after its `type:`/`id:`. The file is replaced atomically, and only if it is
    still byte for byte `original` (else FileChanged: an edit made meanwhile is not lost)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    current = path.read_bytes()
    if current != original:
        raise FileChanged(f"{path} was changed since the rehearsal began; nothing was written")
    text = current.decode("utf-8")
    _, indent, block_indent = load_yaml_guess_indent(text)  # ruamel keeps no indentation itself
    yaml = YAML()  # round trip: comments, order and flow style kept
    yaml.preserve_quotes = True  # "%" and "08:00" keep their quotes (unquoted 08:00 is a number)
    yaml.width = 1 << 16  # never re-wrap a long line (a flow-style slide stays on its line)
    yaml.indent(mapping=block_indent, sequence=indent, offset=block_indent)
    document = yaml.load(text)
    slides = document["slides"]
    for index, seconds in sorted(durations.items()):
        slide = slides[index]
        value = f"{rounded(seconds)}s"
        if "duration" in slide:
            slide["duration"] = value
            continue
        keys = list(slide.keys())
        after = max((keys.index(key) for key in ("type", "id") if key in keys), default=-1)
        slide.insert(after + 1, "duration", value)
        if after >= 0:
            _comments_follow(slide, keys[after])
    folder = path.parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            yaml.dump(document, out)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        if path.read_bytes() != original:  # an edit while we wrote wins too
            raise FileChanged(f"{path} was changed since the rehearsal began; nothing was written")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _comments_follow(slide: Any, key: str) -> None:
    """ruamel keeps the comment lines below `key:` with that key, so the `duration:` added
    after it would land below them: they describe what follows, so they move below it
    (a comment at the end of the `key:` line itself stays there)."""
    import copy

    comments = slide.ca.items.get(key)
    if not comments or len(comments) < 3 or comments[2] is None:
        return
    token = comments[2]
    own_line, newline, below = token.value.partition("\n")
    if not below:
        return
    moved = copy.copy(token)
    moved.value = "\n" + below
    token.value = own_line + newline
    if not own_line:  # no comment on the key's line: nothing is left to keep there
        comments[2] = None
    slide.ca.items["duration"] = [None, None, moved, None]


# ---------------------------------------------------------------- the command


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk rehearse",
        description="Play a playlist with manual advance only and time each slide; at the end "
        "(quit, or Next on the last slide) print planned and rehearsed seconds per slide.",
        epilog="Exit codes: 0 done, 1 the file could not be written (or changed meanwhile), "
        "2 the playlist has problems.",
    )
    parser.add_argument("playlist", type=Path, help="playlist YAML file")
    parser.add_argument(
        "--write", action="store_true", help="put the rehearsed seconds into the file as duration: values"
    )
    parser.add_argument("--windowed", action="store_true", help="rehearse in a window, not full screen")
    parser.add_argument("--screen", help="screen index (0, 1, ...) or name")
    parser.add_argument(
        "--presenter", nargs="?", const="", metavar="SCREEN",
        help="with the presenter view (notes, timers) on another screen, or in a window",
    )
    return parser


def main(args: list[str], *, clock: Callable[[], float] = time.monotonic) -> int:
    options = parser().parse_args(args)
    from kiosk.playlist import PlaylistError, load_playlist

    path: Path = options.playlist
    try:
        original = path.read_bytes()  # before loading: what --write may replace
        playlist = load_playlist(path)
    except PlaylistError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("kiosk: the playlist has problems (listed above); nothing was rehearsed", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(f"kiosk: cannot read {path}: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    rehearsal = Rehearsal(clock)
    code = run(
        playlist, rehearsal, windowed=options.windowed, screen=options.screen, presenter=options.presenter
    )
    if code != EXIT_OK:
        return code
    print(format_report(rehearsal.playlist or playlist, rehearsal.seconds))
    if options.write and rehearsal.seconds:
        try:
            write_durations(path, rehearsal.seconds, original=original)
        except FileChanged as error:
            print(f"kiosk: {error}", file=sys.stderr)
            return EXIT_FAILURE
        except OSError as error:
            print(f"kiosk: cannot write {path}: {error.strerror or error}", file=sys.stderr)
            return EXIT_FAILURE
        print(f"durations written to {path}")
    return EXIT_OK


def run(
    playlist: Playlist,
    rehearsal: Rehearsal,
    *,
    windowed: bool,
    screen: str | None,
    presenter: str | None = None,
) -> int:
    """Put the show on screen as `kiosk PLAYLIST` does (kiosk.app.play), with a player that
    never moves on by itself and on the rehearsal's clock; returns when the app quits."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.app import play
    from kiosk.player import Player
    from kiosk.window import ShowWindow

    def quit_at_end(snapshot: Snapshot) -> None:
        if snapshot.ended:  # Next on the last slide: the talk is over
            QTimer.singleShot(0, end_show)

    def end_show() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, ShowWindow):
                widget.quit()
        app = QApplication.instance()
        if app is not None:
            app.exit(EXIT_OK)

    def make_player(playlist: Playlist) -> Player:
        player = Player(playlist, clock=rehearsal.clock, loop=False, auto_advance=False)
        player.subscribe(rehearsal)
        player.subscribe(quit_at_end)
        return player

    options = argparse.Namespace(
        windowed=windowed,
        screen=screen,
        presenter=presenter,
        start=None,
        size=None,
        lock=False,
        no_loop=True,
        quit_after=None,
        screenshot=None,
        log_level="info",
    )
    try:
        return play(playlist, options, make_player=make_player)
    finally:
        rehearsal.finish()
