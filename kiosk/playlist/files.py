"""Every file a playlist uses: the playlist itself, its theme file and the theme's logo,
data files, pictures and backgrounds. Live reload watches them (kiosk/reload.py) and the
last good copy keeps them (kiosk/lastgood.py); both ask here, so neither forgets one."""

from __future__ import annotations

from pathlib import Path

from kiosk.playlist.errors import PlaylistError
from kiosk.playlist.load import load_theme_spec
from kiosk.playlist.model import Playlist
from kiosk.playlist.paths import REFUSED


def playlist_files(playlist: Playlist) -> list[Path]:
    """The files `playlist` uses, each once, as the show opens them (links followed and
    confined to the playlist's folder; a name the folder rule refuses is left out)."""
    if playlist.path is None:
        return []
    files = [playlist.path]
    if playlist.theme.endswith((".yaml", ".yml")):
        theme_file = playlist.resolve(playlist.theme)
        files.append(theme_file)
        logo = _theme_logo(theme_file)
        if logo is not None:
            files.append(logo)
    for slide in playlist.slides:
        for name in slide.file_fields:
            value = getattr(slide, name)
            if value:
                files.append(playlist.resolve(value))
        if slide.background and not slide.background_is_color():
            files.append(playlist.resolve(slide.background))
    return [f for f in dict.fromkeys(files) if f != REFUSED]


def _theme_logo(theme_file: Path) -> Path | None:
    try:
        spec = load_theme_spec(theme_file)
        spec._root = theme_file.parent
        return spec.logo_path()
    except (PlaylistError, OSError, ValueError):
        return None
