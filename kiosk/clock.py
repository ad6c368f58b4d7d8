"""Screens in step by the wall clock (`sync: clock` in a playlist).

Every screen of a hall or a fleet computes the slide on air from the same two things:
the time since a fixed epoch (the POSIX epoch, 1970-01-01 UTC, the same in every time
zone) and the loop's slide durations. The position in the loop is that time modulo the
loop's length, so two screens whose clocks agree show the same slide at the same moment
whenever each was started, and nothing has to pass between them. Their clocks agreeing
is the system's job (NTP, chrony, systemd-timesyncd): kiosk only warns when the system
says its clock is not synchronised.

Qt-free; the player (kiosk/player.py) asks `loop_slot` where the loop is.
"""

from __future__ import annotations

import logging
import math
import shutil
import subprocess
import threading
from collections.abc import Callable, Sequence

log = logging.getLogger(__name__)

#: How long a manual move (a key, a click, the control API) holds its slide before the
#: screen goes back into step with the others. Long enough to read a slide again or point
#: at it while speaking (about four of the default 8 s slides), short enough that a hall's
#: neighbouring screens are out of step for well under a minute after a passer-by pressed
#: a key. Each further move starts the hold again.
MANUAL_HOLD = 30.0
#: `timedatectl` answers in milliseconds; a system without a working D-Bus may hang it
TIMEDATECTL_TIMEOUT = 5.0


def loop_slot(durations: Sequence[float], seconds: float) -> tuple[int, float, int] | None:
    """Where a loop of these slide durations is at `seconds` since the epoch:
    (the slot on air, seconds into it, which loop it is since the epoch), or None when
    the loop has no length (nothing on air)."""
    total = math.fsum(durations)
    if not durations or total <= 0:
        return None
    turn, phase = divmod(seconds, total)
    for slot, duration in enumerate(durations):
        if phase < duration:
            return slot, phase, int(turn)
        phase -= duration
    # float rounding left the phase a hair past the last slot: it is the next loop's start
    return 0, 0.0, int(turn) + 1


RunCommand = Callable[[list[str]], str | None]


def _timedatectl(command: list[str]) -> str | None:
    """The command's output, or None when it cannot be run or fails."""
    if shutil.which(command[0]) is None:
        return None
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEDATECTL_TIMEOUT, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def clock_synchronised(run: RunCommand = _timedatectl) -> bool | None:
    """Whether the system says its clock is synchronised (systemd's `timedatectl`);
    None where that cannot be read (no systemd, no D-Bus, another OS)."""
    answer = run(["timedatectl", "show", "-p", "NTPSynchronized", "--value"])
    if answer is None:
        return None
    value = answer.strip().lower()
    if value in ("yes", "no"):
        return value == "yes"
    return None


def warn_if_unsynchronised(run: RunCommand = _timedatectl) -> bool | None:
    """Log a warning when the system clock is known not to be synchronised; silent when
    it is, or when that cannot be read. Returns what was found."""
    synchronised = clock_synchronised(run)
    if synchronised is False:
        log.warning(
            "sync: clock: the system clock is not synchronised (timedatectl: NTPSynchronized=no); "
            "this screen may show other slides than its neighbours until it is "
            "(enable NTP: timedatectl set-ntp true)"
        )
    return synchronised


def check_in_background() -> threading.Thread:
    """Ask the system about its clock without holding up the show's start."""
    thread = threading.Thread(target=warn_if_unsynchronised, name="kiosk-clock-check", daemon=True)
    thread.start()
    return thread
