"""The command line: `kiosk [PLAYLIST]`, `kiosk check`, `kiosk export`, `kiosk schema`.

Exit codes: 0 success, 1 runtime failure, 2 bad input (playlist or arguments).
Qt is imported only by the commands that draw, so `check` and `schema` stay fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk import __version__

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2
SUBCOMMANDS = ("check", "export", "schema")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in SUBCOMMANDS:
            return _run_subcommand(args)
        return _run_play(args)
    except KeyboardInterrupt:
        return EXIT_FAILURE


def version_text() -> str:
    from kiosk import resources

    build = resources.build_info()
    return f"kiosk {__version__}" + (f" ({build})" if build else "")


# ---------------------------------------------------------------- play


def play_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Play a statistics playlist full-screen. Subcommands: "
        "check PLAYLIST..., export PLAYLIST --out DIR, schema.",
        epilog="Keys: Right/PageDown next, Left/PageUp previous, A pause, B black, "
        "O overview, ? help, Esc quit.",
    )
    parser.add_argument("playlist", nargs="?", help="playlist YAML (default: the bundled Police Day show)")
    parser.add_argument("--version", action="version", version=version_text())
    parser.add_argument("--windowed", action="store_true", help="play in a window, not full screen")
    parser.add_argument("--screen", help="screen index (0, 1, ...) or name to play on")
    parser.add_argument("--start", help="slide to start on: a number (from 1) or an id")
    parser.add_argument("--size", type=_size, help="window size WxH (implies --windowed)")
    parser.add_argument("--lock", action="store_true", help="quit only with Ctrl+Alt+Q")
    parser.add_argument("--no-loop", action="store_true", help="stop on the last slide")
    parser.add_argument("--quit-after", type=_seconds, metavar="SECONDS", help="exit 0 after this time")
    parser.add_argument(
        "--screenshot", type=Path, metavar="FILE", help="save the window before --quit-after ends"
    )
    parser.add_argument(
        "--log-level", default="info", choices=["debug", "info", "warning", "error"], help="log detail"
    )
    return parser


def _run_play(args: list[str]) -> int:
    options = play_parser().parse_args(args)
    if options.screenshot and options.quit_after is None:
        print("kiosk: --screenshot needs --quit-after SECONDS", file=sys.stderr)
        return EXIT_BAD_INPUT
    playlist = _load_or_report([options.playlist or _default_playlist()])
    if playlist is None:
        return EXIT_BAD_INPUT
    from kiosk.app import play

    return play(playlist[0], options)


# ---------------------------------------------------------------- subcommands


def subcommand_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate playlists")
    check.add_argument("playlists", nargs="+", metavar="PLAYLIST")
    export = sub.add_parser("export", help="render each slide's final frame to PNG (and PDF)")
    export.add_argument("playlist")
    export.add_argument("--out", type=Path, required=True, metavar="DIR")
    export.add_argument("--size", type=_size, default=(1920, 1080), metavar="WxH")
    export.add_argument("--pdf", type=Path, metavar="FILE")
    sub.add_parser("schema", help="print the playlist JSON Schema")
    return parser


def _run_subcommand(args: list[str]) -> int:
    options = subcommand_parser().parse_args(args)
    if options.command == "schema":
        from kiosk.playlist.schema import playlist_schema

        print(json.dumps(playlist_schema(), ensure_ascii=False, indent=2))
        return EXIT_OK
    if options.command == "check":
        return _check(options.playlists)
    return _export(options)


def _check(paths: list[str]) -> int:
    from kiosk.playlist.durations import format_duration

    playlists = _load_or_report(paths)
    if playlists is None:
        return EXIT_BAD_INPUT
    for path, playlist in zip(paths, playlists, strict=True):
        playable = playlist.playable()
        print(
            f"{path}: OK, {len(playable)} slides"
            + (
                f" ({len(playlist.slides) - len(playable)} skipped)"
                if len(playable) < len(playlist.slides)
                else ""
            )
            + f", loop {format_duration(playlist.loop_seconds())}"
        )
    return EXIT_OK


def _export(options: argparse.Namespace) -> int:
    playlists = _load_or_report([options.playlist])
    if playlists is None:
        return EXIT_BAD_INPUT
    from kiosk.export import export_playlist

    return export_playlist(playlists[0], options.out, options.size, options.pdf)


# ---------------------------------------------------------------- helpers


def _load_or_report(paths: list[str]):  # -> list[Playlist] | None
    """Load every playlist; print every problem of every file to stderr; None if any failed."""
    from kiosk.playlist import PlaylistError, load_playlist

    loaded, failed = [], False
    for path in paths:
        try:
            loaded.append(load_playlist(path))
        except PlaylistError as error:
            failed = True
            for problem in error.problems:
                print(problem, file=sys.stderr)
    if failed:
        print("kiosk: the playlist has problems (listed above); nothing was played", file=sys.stderr)
        return None
    return loaded


def _default_playlist() -> str:
    from kiosk import resources

    return str(resources.default_playlist())


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size like 1920x1080") from None
    if not (64 <= width <= 16384 and 64 <= height <= 16384):
        raise argparse.ArgumentTypeError(f"'{text}': width and height must be 64 to 16384")
    return width, height


def _seconds(text: str) -> float:
    from kiosk.playlist.durations import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
