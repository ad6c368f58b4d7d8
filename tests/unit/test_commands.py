"""The command layer (issue 14): one table of commands, keys, gestures and help text that
the window, the help overlay, --help and the README all read."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

from kiosk.commands import COMMANDS, LOCKED_QUIT_KEYS, Command, cli_epilog, help_rows, key_names


def test_no_key_does_two_things() -> None:
    keys = Counter(key for spec in COMMANDS for key in spec.keys)
    assert [key for key, count in keys.items() if count > 1] == []


def test_every_command_but_resume_has_keys_and_help() -> None:
    for spec in COMMANDS:
        assert spec.keys or spec.command is Command.RESUME
        assert spec.help_zh and spec.help_en
    assert {spec.command for spec in COMMANDS} == set(Command) - {Command.RESUME}


def test_presenter_clickers_work_out_of_the_box() -> None:
    names = key_names()
    assert names["PageDown"] is Command.NEXT and names["PageUp"] is Command.PREVIOUS
    assert names["B"] is Command.BLACK and names["Period"] is Command.BLACK
    assert names["F5"] is Command.RELOAD and names["Escape"] is Command.QUIT


def test_help_under_lock_names_only_the_locked_quit() -> None:
    free = help_rows()
    locked = help_rows(lock=True)
    assert any("Esc" in keys for keys, _ in free)
    assert not any("Esc" in keys and "Quit" in action and "locked" not in action for keys, action in locked)
    assert not any("F11" in keys for keys, _ in locked)
    assert LOCKED_QUIT_KEYS in locked[-1][0]


def test_kiosk_help_lists_the_keys_from_the_table() -> None:
    done = subprocess.run([sys.executable, "-m", "kiosk", "--help"], capture_output=True, text=True, timeout=60)
    flat = "".join(done.stdout.split())  # argparse wraps the epilog at any space or hyphen
    assert "".join(cli_epilog().split()) in flat
    assert "PageDown" in flat and "Ctrl+Alt+Q" in flat
