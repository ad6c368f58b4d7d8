"""The wheel carries assets/ and data/, and an installed (not editable) kiosk finds them
from any folder.

The wheel is built from a clean copy of the tree, then installed without dependencies
into a new plain venv; the dependencies (PySide6, pyqtgraph, ...) come from this test's
own environment through a .pth line, which adds that site-packages to the path but runs
none of its .pth files, so the editable kiosk installed there stays out of sight. The
programs then run from an unrelated folder. A second install with `--prefix` puts the
data files outside sys.prefix, as `pip install --user` does: kiosk must find the ones
its own installation recorded.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import uuid
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

BIN = "Scripts" if sys.platform == "win32" else "bin"
EXE = ".exe" if sys.platform == "win32" else ""


def pip(*args: str, cwd: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]


@pytest.fixture(scope="module")
def wheel(clean_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Build isolation fetches setuptools from the package index pip is configured with.
    pip("wheel", "--no-deps", "--wheel-dir", str(out), str(clean_tree), cwd=out)
    (built,) = out.glob("kiosk-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new venv with only the wheel installed in it; dependencies borrowed (see above)."""
    folder = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=300)
    python = folder / BIN / f"python{EXE}"
    pip("--python", str(python), "install", "--no-deps", "--no-index", str(wheel), cwd=folder)
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site / "zz_borrowed_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    return folder


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("QT_", "PYTHON", "KIOSK_", "VIRTUAL_ENV"))
        and k not in ("DISPLAY", "WAYLAND_DISPLAY")
    }
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_STATE_HOME=str(tmp_path / "state"),
        USER=f"kiosk-test-{uuid.uuid4().hex[:8]}",
    )
    env.update(extra)
    return env


def run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


WHERE = (
    "import json, kiosk, kiosk.resources as r; "
    "print(json.dumps({'package': kiosk.__file__, 'root': str(r.root()), 'playlist': str(r.default_playlist())}))"
)


def where(python: Path, cwd: Path, env: dict[str, str]) -> dict[str, str]:
    result = run([str(python), "-c", WHERE], cwd, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_wheel_carries_every_asset_and_data_file(wheel: Path, clean_tree: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    (data,) = {n.split("/")[0] for n in names if n.split("/")[0].endswith(".data")}
    for folder in ("assets", "data"):
        for path in (clean_tree / folder).rglob("*"):
            if path.is_file():
                name = f"{data}/data/share/kiosk/{path.relative_to(clean_tree).as_posix()}"
                assert name in names, f"{name} is missing: add its folder to [tool.setuptools.data-files]"


def test_installed_kiosk_finds_its_assets_from_another_folder(venv: Path, tmp_path: Path) -> None:
    python = venv / BIN / f"python{EXE}"
    found = where(python, tmp_path, env_for(tmp_path))
    assert Path(found["package"]).is_relative_to(venv), found  # the wheel's copy, not the editable one
    assert Path(found["root"]) == venv / "share" / "kiosk"
    assert Path(found["playlist"]).is_file()


def test_installed_kiosk_checks_and_exports_the_bundled_playlist(venv: Path, tmp_path: Path) -> None:
    kiosk = str(venv / BIN / f"kiosk{EXE}")
    env = env_for(tmp_path)
    playlist = where(venv / BIN / f"python{EXE}", tmp_path, env)["playlist"]

    version = run([kiosk, "--version"], tmp_path, env)
    assert version.returncode == 0 and re.fullmatch(r"kiosk \S+", version.stdout.strip()), version

    check = run([kiosk, "check", playlist], tmp_path, env)
    assert check.returncode == 0, check.stderr
    slides = int(re.search(r": OK, (\d+) slides", check.stdout).group(1))

    out = tmp_path / "out"
    export = run([kiosk, "export", playlist, "--out", str(out), "--size", "640x360"], tmp_path, env)
    assert export.returncode == 0, export.stderr
    assert "no bundled font" not in export.stderr
    assert len(list(out.glob("*.png"))) == slides


def test_installed_kiosk_registers_its_bundled_fonts(venv: Path, tmp_path: Path) -> None:
    code = (
        "from kiosk.app import ensure_application; from kiosk.theme import register_fonts; "
        "ensure_application(); print(register_fonts())"
    )
    result = run([str(venv / BIN / f"python{EXE}"), "-c", code], tmp_path, env_for(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Kiosk Sans SC" in result.stdout


def test_prefix_install_finds_its_own_data_files(venv: Path, wheel: Path, tmp_path: Path) -> None:
    """`--prefix` (like `--user`) puts share/kiosk outside sys.prefix; the venv's own copy
    under sys.prefix must not be taken for it."""
    prefix = tmp_path / "prefix"
    python = venv / BIN / f"python{EXE}"
    pip(
        "--python",
        str(python),
        "install",
        "--no-deps",
        "--no-index",
        "--ignore-installed",
        "--prefix",
        str(prefix),
        str(wheel),
        cwd=tmp_path,
    )
    site = next(prefix.rglob("site-packages"))
    found = where(python, tmp_path, env_for(tmp_path, PYTHONPATH=str(site)))
    assert Path(found["package"]).is_relative_to(prefix), found
    assert Path(found["root"]) == (prefix / "share" / "kiosk").resolve()
