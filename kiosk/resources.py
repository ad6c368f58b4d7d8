"""Finds assets/ and data/ in a source tree, an installed wheel or a frozen build.

- source tree: the folders beside the `kiosk` package;
- wheel: installed as data files under `<prefix>/share/kiosk/`;
- frozen (PyInstaller): under `sys._MEIPASS`.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_PLAYLIST = "police-day-2023.yaml"


def _candidates() -> list[Path]:
    roots = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        roots.append(Path(frozen_root))
    roots.append(_PACKAGE_DIR.parent)
    roots.append(Path(sys.prefix) / "share" / "kiosk")
    return roots


@cache
def root() -> Path:
    """The folder that holds assets/ and data/."""
    for candidate in _candidates():
        if (candidate / "assets").is_dir():
            return candidate
    raise FileNotFoundError(
        "kiosk's assets folder was not found (looked in "
        + ", ".join(str(c) for c in _candidates())
        + "); reinstall kiosk"
    )


def assets() -> Path:
    return root() / "assets"


def data() -> Path:
    return root() / "data"


def fonts() -> Path:
    return assets() / "fonts"


def themes() -> Path:
    return assets() / "themes"


def default_playlist() -> Path:
    return data() / DEFAULT_PLAYLIST


def build_info() -> str:
    """'frozen build <stamp>' in a PyInstaller build, '' otherwise."""
    if not getattr(sys, "frozen", False):
        return ""
    stamp = Path(getattr(sys, "_MEIPASS", ".")) / "BUILD"
    text = stamp.read_text(encoding="utf-8").strip() if stamp.exists() else "unknown"
    return f"frozen build {text}"
