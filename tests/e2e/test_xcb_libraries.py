"""Qt's xcb platform plugin needs system libraries a bare display PC may lack
(libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, ...). tools/system-deps.sh installs
them; this test checks with ldd that none is missing, as the README tells technicians."""

from __future__ import annotations

import subprocess
from pathlib import Path

import PySide6
import pytest

QT = Path(PySide6.__file__).parent / "Qt"


@pytest.mark.parametrize("library", ["plugins/platforms/libqxcb.so", "lib/libQt6XcbQpa.so.6"])
def test_xcb_plugin_libraries_resolve(library: str) -> None:
    path = QT / library
    assert path.exists(), path
    result = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=True)
    missing = [line.split()[0] for line in result.stdout.splitlines() if "not found" in line]
    assert not missing, f"install the packages providing: {missing} (tools/system-deps.sh run)"


def test_system_deps_script_lists_the_libraries() -> None:
    script = (Path(__file__).parents[2] / "tools" / "system-deps.sh").read_text()
    for package in ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0", "xvfb", "xdotool"):
        assert package in script
