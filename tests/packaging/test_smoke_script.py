"""packaging/smoke.py, the frozen smoke test CI runs on Windows, macOS and Linux
(.github/workflows/build.yml), run here on the Linux build: it passes on a good build and
fails on a broken one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

SMOKE = Path(__file__).resolve().parents[2] / "packaging" / "smoke.py"


def smoke(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SMOKE), str(folder)], capture_output=True, text=True,
                          timeout=600, check=False)


def test_the_smoke_test_passes_on_the_build(build: Path) -> None:
    result = smoke(build)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("\nok  ") + result.stdout.startswith("ok  ") == 4, result.stdout
    assert "smoke: all passed" in result.stdout


def test_the_smoke_test_fails_on_a_build_without_its_playlist(build: Path, tmp_path: Path) -> None:
    broken = tmp_path / "kiosk"
    shutil.copytree(build, broken, symlinks=True)
    shutil.rmtree(broken / "_internal" / "data")
    result = smoke(broken)
    assert result.returncode == 1
    assert "FAIL check: the bundled playlist is OK" in result.stdout
    assert "FAIL plays the bundled playlist" in result.stdout
