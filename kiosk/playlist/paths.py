"""The folder rule, in one place: which file a name in a playlist means (SECURITY.md).

A playlist's folder is the folder of its *real* path: the playlist's own symlink is
resolved once, when it is loaded, and every file it names is then joined to that folder,
resolved (links followed, '..' folded) and kept only if the result is still inside it.
The check (`kiosk check`), the show and export all go through `confine`, so a file the
check accepted is the file that is opened, and a link that leads out is refused
everywhere, whichever way the playlist itself was reached.
"""

from __future__ import annotations

import os
from pathlib import Path

#: What the show opens for a name the rule refuses: a path under the null device, which
#: no file system can hold, so opening it fails and the slide shows its placeholder
#: (a refused name never reaches the screen; the check reported it already).
REFUSED = Path(os.devnull) / "kiosk-refused"


class OutsideFolder(ValueError):
    """The name leads out of the playlist's folder (after its links are followed)."""


def real_path(path: str | os.PathLike[str]) -> Path:
    """The playlist file's real path: absolute, with every symlink on the way resolved."""
    return Path(path).resolve()


def confine(folder: Path, relative: str) -> Path:
    """The real path of `relative` in `folder`, or OutsideFolder if it leads out.

    `folder` is a playlist's folder (real, see `real_path`). The name is joined as
    written and resolved the way opening it will be: a symlink that points out, '..'
    that climbs out or a linked folder are all caught here, after their links are
    followed. Raises RuntimeError or OSError for a symlink loop or an impossible name.
    """
    root = folder.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root):
        raise OutsideFolder(relative)
    return target


def inside(folder: Path, relative: str) -> Path:
    """What the show opens for `relative`: its real path inside `folder`, or REFUSED.

    The check refused such names already; this keeps the rule at the moment of opening
    too, because the files can change under a running show (a link swapped in later)."""
    try:
        return confine(folder, relative)
    except (OutsideFolder, RuntimeError, OSError, ValueError):
        return REFUSED


__all__ = ["REFUSED", "OutsideFolder", "confine", "inside", "real_path"]
