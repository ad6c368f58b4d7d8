"""The last good playlist, kept across restarts.

Each time a playlist loads cleanly (at start and on every good reload), a copy of it and
of every file it names goes into the state folder, one copy per playlist path. When the
playlist does not load at boot (a bad edit, a half-copied USB stick), kiosk plays that
copy with the problem badge instead of leaving the screen dark and the service manager
restarting it every 5 s; only when there is no copy does it exit 2.

A copy is replaced atomically (written beside, then renamed), and only when something
changed, so a screen that restarts every day does not rewrite its pictures every day.
Qt-free.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.playlist import Playlist, PlaylistError, load_playlist
from kiosk.playlist.files import playlist_files
from kiosk.state import state_folder

log = logging.getLogger(__name__)

#: the copy's description beside its files
ORIGIN_FILE = "origin.json"


@dataclass(frozen=True)
class LastGood:
    playlist: Playlist
    origin: Path  # the playlist file it is a copy of
    saved: datetime


def copies_folder(root: Path | None = None) -> Path:
    return (root or state_folder()) / "last-good"


def copy_folder(origin: Path, root: Path | None = None) -> Path:
    """Where the copy of the playlist at `origin` lives: one folder per real path."""
    key = hashlib.sha256(str(_real(origin)).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return copies_folder(root) / key


def save(playlist: Playlist, root: Path | None = None) -> Path | None:
    """Keep a copy of a playlist that loaded; returns its folder (None if it could not be
    written, which is logged: the show goes on without it)."""
    if playlist.path is None:
        return None
    source_folder = playlist.folder
    files = playlist_files(playlist)
    target = copy_folder(playlist.path, root)
    try:
        if _same_as_saved(files, source_folder, target):
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".saving-", dir=target.parent))
        try:
            for file in files:
                relative = file.relative_to(source_folder)
                (staging / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, staging / relative)
            origin = {
                "origin": str(playlist.path),
                "playlist": str(playlist.path.relative_to(source_folder)),
                "saved": datetime.now().isoformat(timespec="seconds"),
                "files": [str(f.relative_to(source_folder)) for f in files],
            }
            (staging / ORIGIN_FILE).write_text(json.dumps(origin, ensure_ascii=False, indent=1), "utf-8")
            _swap_in(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except (OSError, ValueError) as exc:
        log.warning("could not keep a copy of the last good playlist in %s: %s", target, exc)
        return None
    log.info("kept a copy of the last good playlist in %s", target)
    return target


def load(origin: Path, root: Path | None = None) -> LastGood | None:
    """The last good copy of the playlist at `origin`, loaded and checked, or None."""
    folder = copy_folder(origin, root)
    retired = folder.with_name(folder.name + ".old")
    if not folder.exists() and retired.exists():
        folder = retired  # a save was cut short between its two renames: the old copy is whole
    try:
        described = json.loads((folder / ORIGIN_FILE).read_text("utf-8"))
        playlist = load_playlist(folder / described["playlist"])
        saved = datetime.fromisoformat(described["saved"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, PlaylistError) as exc:
        log.warning("the last good copy in %s cannot be used: %s", folder, exc)
        return None
    return LastGood(playlist, Path(described.get("origin", origin)), saved)


def _same_as_saved(files: list[Path], source_folder: Path, target: Path) -> bool:
    try:
        described = json.loads((target / ORIGIN_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    relatives = [str(f.relative_to(source_folder)) for f in files]
    if described.get("files") != relatives:
        return False
    return all(_same_file(file, target / relative) for file, relative in zip(files, relatives, strict=True))


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        return _digest(a) == _digest(b)
    except OSError:
        return False


def _digest(path: Path) -> bytes:
    hasher = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            hasher.update(block)
    return hasher.digest()


def _swap_in(staging: Path, target: Path) -> None:
    """Replace `target` by `staging` so that a crash at any moment leaves one whole copy."""
    if not target.exists():
        os.replace(staging, target)
        return
    retired = target.with_name(target.name + ".old")
    shutil.rmtree(retired, ignore_errors=True)
    os.replace(target, retired)
    os.replace(staging, target)
    with contextlib.suppress(OSError):
        shutil.rmtree(retired)


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()
