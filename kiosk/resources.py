"""Finds assets/ and data/ in a source tree, an installed wheel or a frozen build.

- source tree: the folders beside the `kiosk` package;
- wheel: installed as data files under `<prefix>/share/kiosk/`: `sys.prefix` for a venv or
  system install; for `pip install --user`, `--prefix` or `--home` the prefix is another
  one, found through the files the installed distribution records;
- frozen (PyInstaller): under `sys._MEIPASS`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_PLAYLIST = "police-day-2023.yaml"


def _candidates() -> Iterator[Path]:
    """Where assets/ and data/ may be, in order (lazily: the RECORD lookup comes third)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        yield Path(frozen_root)
    yield _PACKAGE_DIR.parent
    recorded = _recorded_root()  # the running copy's own data files, wherever pip put them
    if recorded is not None:
        yield recorded
    yield Path(sys.prefix) / "share" / "kiosk"


def _recorded_root() -> Path | None:
    """<prefix>/share/kiosk where the installed distribution's RECORD puts it, if it does."""
    from importlib.metadata import distributions

    for dist in distributions(name="kiosk"):
        package = Path(str(dist.locate_file("kiosk/__init__.py")))
        if not package.is_file() or package.resolve() != _PACKAGE_DIR / "__init__.py":
            continue  # another copy of kiosk, not the one running
        for file in dist.files or []:
            parts = file.parts
            for i in range(len(parts) - 2):
                if parts[i : i + 3] == ("share", "kiosk", "assets"):
                    return Path(str(dist.locate_file(Path(*parts[: i + 2])))).resolve()
    return None


def _holds_assets(candidate: Path) -> bool:
    # themes/ as well: a stray top-level `assets` folder of another package in
    # site-packages must not pass for ours.
    return (candidate / "assets" / "themes").is_dir()


@cache
def root() -> Path:
    """The folder that holds assets/ and data/."""
    for candidate in _candidates():
        if _holds_assets(candidate):
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
