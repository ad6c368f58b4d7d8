"""kiosk.pyside_scan: PySide6's per-import source check keeps its answers and stops
keeping every imported module's source in memory (run in fresh interpreters, since the
check is installed once per process, at the first import after shiboken6)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

CHILD = textwrap.dedent(
    """
    import json, linecache, sys
    sys.path.insert(0, sys.argv[1])
    if sys.argv[2] == "kiosk":
        import kiosk  # installs the cheaper check
    import PySide6.QtCore
    import uses_qt, plain  # modules written by the test
    feature = sys.modules["shibokensupport.feature"]
    print(json.dumps({
        "patched": getattr(feature._mod_uses_pyside, "kiosk_patched", False),
        "uses_qt": feature.pyside_feature_dict.get("uses_qt"),
        "plain": feature.pyside_feature_dict.get("plain"),
        "cached": [name for name in linecache.cache if name.endswith(("uses_qt.py", "plain.py"))],
    }))
    """
)


def run_child(folder: Path, mode: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), mode], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_check_answers_as_before_and_keeps_no_source(tmp_path: Path) -> None:
    (tmp_path / "uses_qt.py").write_text("from PySide6 import QtCore\nVALUE = 1\n", encoding="utf-8")
    (tmp_path / "plain.py").write_text("VALUE = 2\n", encoding="utf-8")
    without = run_child(tmp_path, "plain-pyside")
    with_kiosk = run_child(tmp_path, "kiosk")
    # PySide6's own check: it finds the string, and keeps both files' lines in linecache.
    assert not without["patched"]
    assert sorted(Path(name).name for name in without["cached"]) == ["plain.py", "uses_qt.py"]
    # kiosk's: the same answers (0 = uses PySide, -1 = ignore this module), nothing kept.
    assert with_kiosk["patched"]
    assert (with_kiosk["uses_qt"], with_kiosk["plain"]) == (without["uses_qt"], without["plain"]) == (0, -1)
    assert with_kiosk["cached"] == []
