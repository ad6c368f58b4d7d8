"""The command line: `kiosk [PLAYLIST]`, `kiosk check`, `kiosk export`, `kiosk schema`,
`kiosk report`, `kiosk rehearse`.

Exit codes: 0 success, 1 runtime failure, 2 bad input (playlist or arguments).
Qt is imported only by the commands that draw, so `check` and `schema` stay fast.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import __version__
from kiosk.commands import cli_epilog

if TYPE_CHECKING:
    from kiosk.playlist import Playlist
    from kiosk.remote.address import Address

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2
SUBCOMMANDS = ("check", "export", "schema", "report", "rehearse", "fleet")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] == "_segment-words":  # the word child (kiosk/words.py): not for people
            from kiosk import words

            return words.child_main()
        if args and args[0] == "rehearse":  # plays a show: its own parser, like play's
            from kiosk import rehearse

            return rehearse.main(args[1:])
        if args and args[0] == "fleet":  # Syncthing's configuration: its own parser
            from kiosk import fleet

            return fleet.main(args[1:])
        if args and args[0] in SUBCOMMANDS:
            return _run_subcommand(args)
        mistyped = _mistyped_subcommand(args)
        if mistyped is not None:
            print(mistyped, file=sys.stderr)
            return EXIT_BAD_INPUT
        return _run_play(args)
    except KeyboardInterrupt:
        return EXIT_FAILURE
    except BrokenPipeError:
        # `kiosk schema | head`: the reader has gone; say nothing more and exit quietly.
        _silence_stdout()
        return EXIT_OK


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush
    does not raise again (the Python docs' recipe for SIGPIPE)."""
    import os

    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _mistyped_subcommand(args: list[str]) -> str | None:
    """`kiosk chek show.yaml`: a first word that is no file and looks like a subcommand."""
    if not args or args[0].startswith("-") or Path(args[0]).exists():
        return None
    word = args[0]
    if word.lower().endswith((".yaml", ".yml")):
        return None  # a playlist that is not there: the loader says so with its path
    close = difflib.get_close_matches(word, SUBCOMMANDS, n=1, cutoff=0.6)
    if close:
        return (
            f"kiosk: unknown command '{word}' (did you mean '{close[0]}'?); "
            f"commands: {', '.join(SUBCOMMANDS)}"
        )
    if len(args) > 1:
        return (
            f"kiosk: unknown command '{word}'; commands: {', '.join(SUBCOMMANDS)}, "
            "or give one playlist file to play"
        )
    return None


def version_text() -> str:
    from kiosk import resources

    build = resources.build_info()
    return f"kiosk {__version__}" + (f" ({build})" if build else "")


# ---------------------------------------------------------------- play


def play_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Play a statistics playlist full-screen. Subcommands: "
        "check PLAYLIST..., export PLAYLIST --out DIR, schema, report LOG... [--csv], "
        "rehearse PLAYLIST [--write], fleet configure FLEET.yaml --as NAME --home DIR.",
        epilog=cli_epilog() + " Exit codes: 0 success (SIGTERM too: a service manager's stop), "
        "1 runtime failure (no display, the X server refused), 2 bad input, 130 Ctrl+C (SIGINT); "
        "a show frozen for 30 s is ended by SIGUSR1 once every thread's stack is in the log.",
    )
    parser.add_argument("playlist", nargs="?", help="playlist YAML (default: the bundled Police Day show)")
    parser.add_argument("--version", action="version", version=version_text())
    parser.add_argument("--windowed", action="store_true", help="play in a window, not full screen")
    parser.add_argument("--screen", help="screen index (0, 1, ...) or name to play on")
    parser.add_argument("--start", help="slide to start on: a number (from 1) or an id")
    parser.add_argument("--size", type=_size, help="window size WxH (implies --windowed)")
    parser.add_argument("--lock", action="store_true", help="quit only with Ctrl+Alt+Q")
    parser.add_argument(
        "--presenter",
        nargs="?",
        const="",
        metavar="SCREEN",
        help="also open the presenter view (slide on air, next slide, notes, timers) full-screen on "
        "another screen: index or name; alone, the first screen that is not the show's; with one "
        "screen, in a window",
    )
    parser.add_argument("--no-loop", action="store_true", help="stop on the last slide")
    parser.add_argument(
        "--remote",
        type=_remote_address,
        metavar="[HOST:]PORT",
        help="start the control server and phone remote on PORT, on 127.0.0.1 unless a HOST is "
        "named (0.0.0.0: every network); its token is in the state folder's remote-token, or "
        "$KIOSK_REMOTE_TOKEN (README: Remote control)",
    )
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
    if options.presenter and options.playlist is None and options.presenter.endswith((".yaml", ".yml")):
        # `kiosk --presenter show.yaml`: the file is the playlist, not a screen's name
        options.playlist, options.presenter = options.presenter, ""
    if options.screenshot and options.quit_after is None:
        print("kiosk: --screenshot needs --quit-after SECONDS", file=sys.stderr)
        return EXIT_BAD_INPUT
    source = Path(options.playlist or _default_playlist())
    from kiosk.playlist import PlaylistError, load_playlist

    try:
        playlist = load_playlist(source)
        problems: list[str] = []
    except PlaylistError as error:
        problems = [str(problem) for problem in error.problems]
        for problem in problems:
            print(problem, file=sys.stderr)
        fallback = _last_good_or_none(source)
        if fallback is None:
            print("kiosk: the playlist has problems (listed above); nothing was played", file=sys.stderr)
            return EXIT_BAD_INPUT
        playlist = fallback
    from kiosk.app import play

    return play(playlist, options, source=source, problems=problems)


def _last_good_or_none(source: Path) -> Playlist | None:
    """At boot, a playlist that does not load: the copy of the last one that did (said so)."""
    from kiosk import lastgood

    kept = lastgood.load(source)
    if kept is None:
        return None
    print(
        f"kiosk: the playlist has problems (listed above); playing the last good copy of {source} "
        f"from {kept.saved:%Y-%m-%d %H:%M} (kept in {kept.playlist.folder}) until it is fixed",
        file=sys.stderr,
    )
    return kept.playlist


# ---------------------------------------------------------------- subcommands


def subcommand_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser(
        "check",
        help="validate playlists",
        description="Validate playlists without playing them: every problem of every file is "
        "printed as FILE:LINE:COL: message. Warnings (characters no bundled font has, slides "
        "that are never or not today on air) do not change the exit code.",
        epilog="Exit codes: 0 every playlist is valid, 2 at least one has problems.",
    )
    check.add_argument("playlists", nargs="+", metavar="PLAYLIST", help="playlist YAML files")
    check.add_argument(
        "--size",
        type=_size,
        metavar="WxH",
        help="also warn about what a viewer could not read on this screen: text too small, cut, "
        "faint or too long for its duration, charts with too many items (default 1920x1080 with "
        "--portrait or --strict)",
    )
    check.add_argument(
        "--portrait", action="store_true", help="check readability on a 1080x1920 screen too"
    )
    check.add_argument("--strict", action="store_true", help="warnings fail the check (exit 2)")
    export = sub.add_parser(
        "export",
        help="render each slide's final frame to PNG (and PDF)",
        description="Render each slide's final frame as DIR/NN-<id>.png, and with --pdf one "
        "PDF page per slide. Needs no screen (it draws offscreen).",
        epilog="Exit codes: 0 written, 1 a file could not be written, 2 the playlist has problems.",
    )
    export.add_argument("playlist", help="playlist YAML file")
    export.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the PNG files")
    export.add_argument(
        "--size", type=_size, default=(1920, 1080), metavar="WxH", help="picture size (default 1920x1080)"
    )
    export.add_argument("--pdf", type=Path, metavar="FILE", help="also write every slide into one PDF")
    sub.add_parser(
        "schema",
        help="print the playlist JSON Schema",
        description="Print the playlist JSON Schema, for editors' YAML language servers.",
    )
    report = sub.add_parser(
        "report",
        help="what the play logs say was shown, how often and how long",
        description="Read proof-of-play logs (plays-YYYY-MM-DD.jsonl files, or folders of them) "
        "and print, per day and slide and per slide over all days, how often and how long each "
        "slide was shown. Malformed lines are named on stderr as FILE:LINE and skipped.",
        epilog="Exit codes: 0 reported, 2 bad input (a path that is not there, a bad date).",
    )
    report.add_argument("logs", nargs="+", type=Path, metavar="LOG", help="play log files or folders")
    report.add_argument("--csv", action="store_true", help="CSV: date, slide, label, times and seconds shown")
    report.add_argument("--from", dest="since", type=_date, metavar="DATE", help="first day (YYYY-MM-DD)")
    report.add_argument("--until", type=_date, metavar="DATE", help="last day (YYYY-MM-DD)")
    return parser


def _run_subcommand(args: list[str]) -> int:
    options = subcommand_parser().parse_args(args)
    if options.command == "schema":
        from kiosk.playlist.schema import playlist_schema

        print(json.dumps(playlist_schema(), ensure_ascii=False, indent=2))
        return EXIT_OK
    if options.command == "check":
        return _check(options.playlists, _check_sizes(options), strict=options.strict)
    if options.command == "report":
        from kiosk import report

        return report.run(options.logs, as_csv=options.csv, since=options.since, until=options.until)
    return _export(options)


def _check_sizes(options: argparse.Namespace) -> list[tuple[int, int]]:
    """The screens `kiosk check` checks readability on: none unless asked."""
    if options.size is None and not (options.portrait or options.strict):
        return []
    sizes = [options.size or (1920, 1080)]
    return [*sizes, (1080, 1920)] if options.portrait and (1080, 1920) not in sizes else sizes


def _check(paths: list[str], sizes: Sequence[tuple[int, int]] = (), *, strict: bool = False) -> int:
    from kiosk.playlist.coverage import uncovered_characters
    from kiosk.playlist.durations import format_duration

    playlists = _load_or_report(paths)
    if playlists is None:
        return EXIT_BAD_INPUT
    warned = False
    for path, playlist in zip(paths, playlists, strict=True):
        # uncovered characters would show as empty boxes
        warnings = [*_warnings(playlist), *uncovered_characters(playlist), *_readability(playlist, sizes)]
        for warning in warnings:
            print(warning, file=sys.stderr)
        warned = warned or bool(warnings)
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
    if strict and warned:
        print("kiosk check: --strict: warnings (listed above) fail the check", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _readability(playlist: Playlist, sizes: Sequence[tuple[int, int]]) -> list[str]:
    """What a viewer could not read on each of the screens (kiosk/readability.py)."""
    if not sizes:
        return []
    from kiosk.playlist.advice import playlist_document
    from kiosk.readability import readability_warnings

    document = playlist_document(playlist)
    if document is None:
        return []
    found: dict[str, None] = {}
    for size in sizes:
        problems = readability_warnings(playlist, document, size)
        found.update(dict.fromkeys(str(problem) for problem in problems))
    return list(found)


def _warnings(playlist: Playlist) -> list[str]:
    """What `kiosk check` warns about in a valid playlist, as FILE:LINE:COL lines."""
    from datetime import datetime

    from kiosk.playlist.advice import playlist_document, schedule_warnings

    document = playlist_document(playlist)
    if document is None:
        return []
    return [str(problem) for problem in schedule_warnings(playlist, document, datetime.now())]


def _export(options: argparse.Namespace) -> int:
    playlists = _load_or_report([options.playlist])
    if playlists is None:
        return EXIT_BAD_INPUT
    from kiosk.export import export_playlist

    return export_playlist(playlists[0], options.out, options.size, options.pdf)


# ---------------------------------------------------------------- helpers


def _load_or_report(paths: list[str]) -> list[Playlist] | None:
    """Load every playlist; print every problem of every file to stderr; None if any failed."""
    from kiosk.playlist import PlaylistError, load_playlist

    loaded: list[Playlist] = []
    failed = False
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


def _remote_address(text: str) -> Address:
    from kiosk.remote.address import parse_address

    try:
        return parse_address(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-30") from None


def _seconds(text: str) -> float:
    from kiosk.playlist.durations import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
