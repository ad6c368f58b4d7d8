"""A theme as data (Qt-free): colours, fonts, logo, footer, overlays, overscan.

Built-in themes are YAML files in assets/themes/; a playlist may name its own file.
kiosk/playlist/load.py reads and checks theme files (load_theme_spec) as it does
playlists; kiosk/theme.py turns a ThemeSpec into Qt colours and fonts.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field

from kiosk.playlist.model import Color, Flag, Strict, Text


class ThemeColors(Strict):
    background_top: Color = "#06183a"
    background_bottom: Color = "#0d3b82"
    text: Color = "#ffffff"
    muted: Color = "#b8c7e6"
    accent: Color = "#f2c14e"
    good: Color = "#3ecf8e"
    bad: Color = "#ff6b6b"
    panel: Color = "#ffffff14"
    chart: list[Color] = Field(
        default_factory=lambda: ["#f2c14e", "#4fc3f7", "#3ecf8e", "#ff8a65", "#ba68c8", "#90a4ae"],
        min_length=1,
    )
    tribute_top: Color = "#05070d"
    tribute_bottom: Color = "#141a26"


class ThemeFonts(Strict):
    # The bundled subset of Noto Sans CJK SC, renamed so that a system copy of Noto
    # (another version, 20 MB) never stands in for it: slides look the same everywhere.
    family: str = "Kiosk Sans SC"
    numbers: str = "Kiosk Sans SC"


class ThemeSpec(Strict):
    name: str = "police-blue"
    dark: Flag = True
    colors: ThemeColors = Field(default_factory=ThemeColors)
    fonts: ThemeFonts = Field(default_factory=ThemeFonts)
    logo: str | None = Field(default=None, description="Image shown small in a corner.")
    footer: Text | None = Field(default=None, description="A line shown at the bottom of slides.")
    progress_bar: Flag = True
    counter: Flag = True
    overscan: float = Field(default=0.0, ge=0, le=10, description="Margin in percent per edge.")

    _folder: Path | None = None
    #: the playlist's folder for a playlist's own theme: its logo is confined to it
    _root: Path | None = None

    def logo_path(self) -> Path | None:
        if not self.logo:
            return None
        folder = self._folder or Path.cwd()
        if self._root is None:  # a built-in theme: its logo is one of kiosk's own files
            return folder / self.logo
        from kiosk.playlist.paths import inside

        # Named relative to the theme file, kept inside the playlist's folder (SECURITY.md).
        return inside(self._root, os.path.relpath(folder, self._root) + "/" + self.logo)


#: the themes kiosk ships (assets/themes/<name>.yaml); a playlist names one or a file
BUILTIN_THEMES = ("police-blue", "light")


def builtin_theme_file(name: str) -> Path | None:
    """The file of a built-in theme, or None when `name` is not one."""
    if name not in BUILTIN_THEMES:
        return None
    from kiosk import resources

    return resources.themes() / f"{name}.yaml"
