"""The real app on a real X server, as a display site treats it: Ctrl+C and SIGTERM,
screen-blanking settings an operator chose, a wrong XAUTHORITY, SIGSTOP and SIGCONT."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .xvfb import wait_for

SHOW = "defaults: {duration: 2s, transition: none}\nslides:\n  - {type: title, title: 一}\n  - {type: title, title: 二}\n"


@contextmanager
def x_server(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Xvfb with an auth key and -noreset (so the settings outlive each client, as on a
    real display); yields the environment of a client that holds the key."""
    auth = tmp_path / "Xauthority"
    cookie = os.urandom(16).hex()
    # The server reads its keys at start (any display number will do for it); the client
    # looks its display's entry up, added once the number is known.
    subprocess.run(["xauth", "-f", str(auth), "add", ":0", ".", cookie], check=True, capture_output=True)
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-auth", str(auth), "-noreset", "-nolisten", "tcp",
         "-screen", "0", "640x360x24"],
        pass_fds=(write_fd,), stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            display = f":{pipe.readline().strip()}"
        subprocess.run(["xauth", "-f", str(auth), "add", display, ".", cookie], check=True, capture_output=True)
        env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
        env.update(DISPLAY=display, XAUTHORITY=str(auth), QT_QPA_PLATFORM="xcb", XDG_STATE_HOME=str(tmp_path))
        yield env
    finally:
        process.terminate()
        process.wait(timeout=10)


def screen_saver(env: dict[str, str]) -> tuple[int, int, str]:
    report = subprocess.run(["xset", "q"], env=env, capture_output=True, text=True, check=True).stdout
    found = re.search(r"prefer blanking:\s*(\w+).*?timeout:\s*(\d+)\s+cycle:\s*(\d+)", report, re.S)
    assert found, report
    return int(found.group(2)), int(found.group(3)), found.group(1)


def start_show(tmp_path: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    (tmp_path / "show.yaml").write_text(SHOW, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", str(tmp_path / "show.yaml"), "--size", "320x180"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    log = tmp_path / "kiosk" / "kiosk.log"
    wait_for(lambda: log.exists() and "screensaver inhibited" in log.read_text(encoding="utf-8"),
             timeout=60, message="the show to start")  # fmt: skip
    return process


@pytest.mark.parametrize(("sent", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 0)])
def test_ctrl_c_and_sigterm_quit_cleanly_and_put_the_operators_settings_back(
    tmp_path: Path, sent: signal.Signals, code: int
) -> None:
    with x_server(tmp_path) as env:
        subprocess.run(["xset", "s", "321", "123", "s", "noblank"], env=env, check=True)
        before = screen_saver(env)
        assert before == (321, 123, "no")
        process = start_show(tmp_path, env)
        assert screen_saver(env)[0] == 0  # blanking kept away while the show plays
        process.send_signal(sent)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == code, stderr
        assert "Traceback" not in stderr
        assert screen_saver(env) == before  # exactly what the operator had, not "s on"


def test_screen_blanking_switched_off_by_the_operator_stays_off(tmp_path: Path) -> None:
    with x_server(tmp_path) as env:
        subprocess.run(["xset", "s", "off"], env=env, check=True)
        before = screen_saver(env)
        process = start_show(tmp_path, env)
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
        assert screen_saver(env) == before


def test_a_wrong_xauthority_is_one_line_and_exit_1(tmp_path: Path) -> None:
    with x_server(tmp_path) as env:
        subprocess.run(["xset", "q"], env=env, check=True, capture_output=True)  # the key works
        wrong = {**env, "XAUTHORITY": str(tmp_path / "someone-elses")}
        result = subprocess.run(
            [sys.executable, "-m", "kiosk", "--size", "320x180", "--quit-after", "1"],
            env=wrong, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "refused the connection" in lines[0] and "XAUTHORITY" in lines[0]


def test_stopped_for_a_minute_the_show_goes_on(tmp_path: Path) -> None:
    """SIGSTOP (a paused VM) for 60 s, far beyond a 5 s watchdog, then SIGCONT: not a hang."""
    with x_server(tmp_path) as env:
        env["KIOSK_WATCHDOG_TIMEOUT"] = "5"
        process = start_show(tmp_path, env)
        try:
            process.send_signal(signal.SIGSTOP)
            time.sleep(60)
            process.send_signal(signal.SIGCONT)
            time.sleep(8)  # beyond the timeout again, running
            assert process.poll() is None, process.communicate()[1]
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=30)
        finally:
            process.kill()
        assert process.returncode == 0, stderr
        assert "frozen" not in (tmp_path / "kiosk" / "kiosk.log").read_text(encoding="utf-8")


def test_after_a_show_that_died_the_next_one_still_puts_the_operators_settings_back(tmp_path: Path) -> None:
    """A show killed outright (the watchdog, a power cut) leaves the screen saver off; the
    next show must not take that "off" for the operator's choice."""
    with x_server(tmp_path) as env:
        subprocess.run(["xset", "s", "321", "123", "s", "noblank"], env=env, check=True)
        before = screen_saver(env)
        killed = start_show(tmp_path, env)
        killed.kill()
        killed.communicate(timeout=30)
        assert screen_saver(env)[0] == 0, "the killed show left blanking off"
        (tmp_path / "kiosk" / "kiosk.log").unlink()  # start_show waits for its line anew
        process = start_show(tmp_path, env)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 0, stderr
        assert screen_saver(env) == before
        assert not list((tmp_path / "kiosk").glob("xset-before-*")), "the note goes once restored"
