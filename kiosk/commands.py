"""The command layer: every command the show takes, its keys, gestures and help, once.

Keys, a presenter's clicker, the mouse and touch (kiosk/input.py), the help overlay, the
command line's --help, the README's key table and, later, the presenter view and the
control API all read this table. Qt-free: keys are named as Qt names them without the
`Key_` prefix ("PageDown"), and kiosk/input.py turns the names into Qt's codes.

The map follows reveal.js where it can (N/P, A, B/., O, G, ?, F), since presenters know
it; presenter clickers send PageDown/PageUp and B or '.' (DESIGN.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Command(Enum):
    """What the show can be told to do; the values are the control API's names."""

    NEXT = "next"
    PREVIOUS = "previous"
    FIRST = "first"
    LAST = "last"
    GOTO = "goto"
    PAUSE = "pause"  # pause or resume auto-advance (a toggle from keys)
    RESUME = "resume"  # resume only (the control API; no key of its own)
    BLACK = "black"
    OVERVIEW = "overview"
    HELP = "help"
    RELOAD = "reload"
    FULLSCREEN = "fullscreen"
    QUIT = "quit"


@dataclass(frozen=True)
class CommandSpec:
    command: Command
    keys: tuple[str, ...]  # Qt key names without "Key_", in the order the help lists them
    key_text: str  # the keys as the help overlay shows them
    gestures: str  # mouse and touch, as the README lists them ("" for none)
    help_zh: str
    help_en: str
    repeats: bool = False  # a held key repeats it (navigation only: a held B must not flicker)
    locked: bool = False  # not available under --lock (the window stays full-screen)
    note: str = ""  # a word for the README's key table
    short_en: str = ""  # the help overlay's English when help_en is too long for a portrait screen


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        Command.NEXT,
        ("Right", "Down", "PageDown", "Space", "Return", "Enter", "N"),
        "→  ↓  PgDn  空格  Enter  N",
        "left click, swipe left, wheel down",
        "下一张",
        "Next",
        repeats=True,
    ),
    CommandSpec(
        Command.PREVIOUS,
        ("Left", "Up", "PageUp", "Backspace", "P"),
        "←  ↑  PgUp  Backspace  P",
        "right click, swipe right, wheel up",
        "上一张",
        "Previous",
        repeats=True,
    ),
    CommandSpec(Command.FIRST, ("Home",), "Home", "", "第一张", "First"),
    CommandSpec(Command.LAST, ("End",), "End", "", "最后一张", "Last"),
    CommandSpec(
        Command.GOTO, ("G",), "G 或数字, 然后 Enter", "", "跳转到第 n 张或 id", "Go to slide n or id"
    ),
    CommandSpec(
        Command.PAUSE,
        ("A", "K", "Pause", "MediaPause", "MediaTogglePlayPause"),
        "A  K  Pause",
        "long press",
        "暂停 / 继续自动播放",
        "Pause / resume auto-advance",
        short_en="Pause / resume",
    ),
    CommandSpec(
        Command.BLACK,
        ("B", "Period"),
        "B  .",
        "",
        "黑屏 / 恢复",
        "Black screen / resume",
        note="clickers' blank button",
    ),
    CommandSpec(
        Command.OVERVIEW,
        ("O", "Tab"),
        "O  Tab",
        "",
        "总览",
        "Overview grid",
        note="arrows and Enter to pick, PgUp/PgDn turn pages",
    ),
    CommandSpec(Command.HELP, ("Question", "H", "F1"), "?  H  F1", "", "帮助", "Help overlay"),
    CommandSpec(Command.RELOAD, ("R", "F5"), "R  F5", "", "重新载入播放列表", "Reload playlist now"),
    CommandSpec(
        Command.FULLSCREEN, ("F", "F11"), "F  F11", "", "全屏 / 窗口", "Full screen / window", locked=True
    ),
    CommandSpec(Command.QUIT, ("Escape", "Q"), "Esc  Q", "", "退出", "Quit", locked=True),
)

#: under --lock only this quits: a clicker's "start" button alternates F5 and Esc, so Esc
#: must never end a locked show
LOCKED_QUIT_KEYS = "Ctrl+Alt+Q"
#: digits start "go to" as G does
DIGIT_KEYS = tuple(str(n) for n in range(10))
MOUSE_HELP = "鼠标: 左键下一张, 右键上一张, 滚轮翻页, 长按暂停 · 触屏: 左右滑动翻页, 长按暂停"


def spec_of(command: Command) -> CommandSpec:
    for spec in COMMANDS:
        if spec.command is command:
            return spec
    raise KeyError(command)


def key_names() -> dict[str, Command]:
    """Qt key name (without "Key_") -> command."""
    return {key: spec.command for spec in COMMANDS for key in spec.keys}


def help_rows(*, lock: bool = False) -> list[tuple[str, str]]:
    """The help overlay's rows (keys, action). Under --lock the commands a lock takes away
    are left out and Ctrl+Alt+Q is named as the only way to quit."""
    rows = [
        (spec.key_text, f"{spec.help_zh} {spec.short_en or spec.help_en}")
        for spec in COMMANDS
        if not (lock and spec.locked)
    ]
    if lock:
        rows.append((f"仅 {LOCKED_QUIT_KEYS}  only", "退出 Quit (Esc, Q 已锁定 locked)"))
    return rows


def cli_epilog() -> str:
    """The keys in one paragraph, for `kiosk --help`."""
    parts = [f"{spec.help_en.lower()}: {_readme_keys(spec, notes=False)}" for spec in COMMANDS]
    return (
        "Keys. "
        + "; ".join(parts)
        + ". Mouse and touch: "
        + "; ".join(f"{spec.help_en.lower()}: {spec.gestures}" for spec in COMMANDS if spec.gestures)
        + "."
    )


def _readme_keys(spec: CommandSpec, *, notes: bool = True) -> str:
    """The keys as people name them: 'Esc', '?', '.' (Qt's Return and Enter are one Enter)."""
    words = {"Return": None, "Question": "?", "Period": ".", "Escape": "Esc", "MediaPause": None}
    names = [words.get(key, key) for key in spec.keys if key != "MediaTogglePlayPause"]
    text = ", ".join(name for name in names if name)
    if spec.command is Command.GOTO:
        text = "G or digits, then number or id and Enter"
    if spec.command is Command.QUIT:
        text += (
            f" (only {LOCKED_QUIT_KEYS} with --lock)"
            if not notes
            else f" (only {LOCKED_QUIT_KEYS} with `--lock`)"
        )
    elif spec.note and notes:
        text += f" ({spec.note})"
    return text


def markdown_table() -> str:
    """The README's table of keys and gestures (first and last share a row, as in DESIGN.md)."""
    rows = ["| action | keys | mouse / touch |", "| --- | --- | --- |"]
    specs = [spec for spec in COMMANDS if spec.command is not Command.LAST]
    for spec in specs:
        action, keys = spec.help_en.lower(), _readme_keys(spec)
        if spec.command is Command.FIRST:
            action, keys = "first / last", f"{keys} / {_readme_keys(spec_of(Command.LAST))}"
        rows.append(f"| {action} | {keys} | {spec.gestures} |".replace("|  |", "| |"))
    return "\n".join(rows)
