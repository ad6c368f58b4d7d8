"""kiosk's state folder: the log, the last good playlist, and what later features keep
across restarts. Never the playlist's own folder, which may be read-only or synced.

Qt-free, so the command line can use it before any window exists.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def state_folder() -> Path:
    """The platform's per-user state folder for kiosk (not created here).

    Linux: $XDG_STATE_HOME/kiosk, else ~/.local/state/kiosk. The XDG spec says a relative
    $XDG_STATE_HOME is invalid and must be ignored (a relative one would move with the
    working directory of whoever started kiosk)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "kiosk"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "kiosk"
    configured = os.environ.get("XDG_STATE_HOME", "")
    base = Path(configured) if configured and os.path.isabs(configured) else Path.home() / ".local" / "state"
    return base / "kiosk"
