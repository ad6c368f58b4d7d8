"""The packaging tests' fixtures, shared with tests/deploy (which imports them):

- `clean_tree`: a clean copy of the work tree: what `git ls-files` knows, plus the
  untracked files git does not ignore (so the build sees work not yet committed, and
  never a stale build/, dist/, .venv or cache);
- `build`: the one-folder PyInstaller build (dist/kiosk) of that copy, made once per test
  session (about a minute) whichever of tests/packaging and tests/deploy asks first.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).parents[2]

#: the session's build and tree. tests/deploy imports these fixtures into its own conftest,
#: which makes them second fixture definitions with caches of their own; this module (one
#: object, whoever imports it) keeps the one build both ask for.
_MADE: dict[str, Path] = {}


def copy_clean_tree(target: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():  # a tracked file deleted in the work tree is left out
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
    return target


@pytest.fixture(scope="session")
def clean_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if "tree" not in _MADE:
        if shutil.which("git") is None or not (REPO / ".git").exists():
            pytest.skip("needs git and a git work tree to copy the project's files from")
        _MADE["tree"] = copy_clean_tree(tmp_path_factory.mktemp("tree") / "kiosk")
    return _MADE["tree"]


@pytest.fixture(scope="session")
def build(clean_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/kiosk built from the clean copy; returns the folder."""
    if "build" not in _MADE:
        _MADE["build"] = make_build(clean_tree, tmp_path_factory.mktemp("pyinstaller"))
    return _MADE["build"]


def make_build(clean_tree: Path, out: Path) -> Path:
    # make test installs the `package` extra; a missing PyInstaller is a failure, not a skip.
    assert importlib.util.find_spec("PyInstaller"), "pip install -e '.[package]' to run the packaging tests"
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
    ).stdout.strip()
    result = subprocess.run(
        [
            sys.executable,
            str(clean_tree / "packaging" / "build.py"),
            "--distpath",
            str(out / "dist"),
            "--workpath",
            str(out / "work"),
        ],
        cwd=clean_tree,
        env={**os.environ, "KIOSK_BUILD_COMMIT": commit or "0000000"},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    folder = out / "dist" / "kiosk"
    # The tree that was analysed is the copy, not the work tree (whose kiosk is installed
    # in this venv in editable mode and must not leak into the build).
    analysis = (out / "work" / "kiosk" / "Analysis-00.toc").read_text(encoding="utf-8")
    assert str(clean_tree / "kiosk" / "cli.py") in analysis
    assert str(REPO / "kiosk" / "cli.py") not in analysis
    return folder
