"""Build the standalone kiosk executable with PyInstaller: one command, every platform.

    .venv/bin/python packaging/build.py [--onefile] [--clean]

Writes dist/kiosk/ (the one-folder build: copy the folder to the display PC and run
`kiosk`, `kiosk.exe` on Windows) and, with --onefile, dist/kiosk-onefile (one file that
unpacks itself on each start). The spec is packaging/kiosk.spec; packaging/README.md
says what is inside. This script installs nothing: PyInstaller must already be in the
Python that runs it (`pip install -e '.[package]'`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "kiosk.spec"
WINDOWS = sys.platform == "win32"
EXE_SUFFIX = ".exe" if WINDOWS else ""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build kiosk's standalone executable (PyInstaller)."
    )
    parser.add_argument("--onefile", action="store_true", help="also build the one-file executable")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's caches first")
    parser.add_argument(
        "--no-trim",
        action="store_true",
        help="keep every Qt module and plugin PyInstaller finds (to measure what the exclusions save)",
    )
    parser.add_argument("--distpath", type=Path, default=ROOT / "dist", help="output folder (default dist/)")
    parser.add_argument(
        "--workpath", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's work folder"
    )
    parser.add_argument("--verbose", action="store_true", help="show PyInstaller's whole log")
    return parser.parse_args(argv)


def check_pyinstaller() -> str | None:
    """PyInstaller's version, or None after printing how to install it."""
    try:
        import PyInstaller
    except ImportError:
        print(
            f"build.py: PyInstaller is not installed in this Python ({sys.executable}).\n"
            "  Install it with:  .venv/bin/pip install -e '.[package]'  (or: pip install 'pyinstaller>=6.6')",
            file=sys.stderr,
        )
        return None
    version = PyInstaller.__version__
    if int(version.split(".")[0]) < 6:
        print(f"build.py: PyInstaller {version} is too old; kiosk.spec needs 6 or newer", file=sys.stderr)
        return None
    return version


def folder_size(path: Path) -> int:
    """Bytes in the files under path (symbolic links counted as links, like du)."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def xcb_libraries(folder: Path) -> tuple[list[str], list[str]]:
    """(missing, from the system): what the bundled Qt xcb plugin needs, per `ldd`, Linux only.

    Run the way the frozen program loads it (the bundle's folder first on the library
    path), so 'from the system' is what the display PC itself must provide.
    """
    plugins = sorted(folder.rglob("libqxcb.so"))
    if not plugins or shutil.which("ldd") is None:
        return [], []
    internal = folder / "_internal"
    env = dict(os.environ, LD_LIBRARY_PATH=str(internal if internal.is_dir() else folder))
    result = subprocess.run(["ldd", str(plugins[0])], capture_output=True, text=True, env=env, check=False)
    missing, system = [], []
    for line in result.stdout.splitlines():
        name, _, target = line.strip().partition(" => ")
        if "not found" in target:
            missing.append(name)
        elif target.startswith("/") and not Path(target.split(" (")[0]).resolve().is_relative_to(
            folder.resolve()
        ):
            system.append(name)
    return missing, system


def run_pyinstaller(options: argparse.Namespace) -> int:
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        "--distpath",
        str(options.distpath),
        "--workpath",
        str(options.workpath),
    ]
    if options.clean:
        command.append("--clean")
    if not options.verbose:
        command += ["--log-level", "WARN"]
    command.append("--")
    if options.onefile:
        command.append("--onefile")
    if options.no_trim:
        command.append("--no-trim")
    print("build.py: " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT, check=False).returncode


def report(options: argparse.Namespace, seconds: float) -> int:
    """Print what was built; run its --version. Returns an exit code."""
    folder = options.distpath / "kiosk"
    program = folder / ("kiosk-console.exe" if WINDOWS else "kiosk")
    if not program.exists():
        print(f"build.py: {program} was not built", file=sys.stderr)
        return 1
    print(f"build.py: built in {seconds:.0f} s")
    print(f"  one folder: {folder}  ({megabytes(folder_size(folder))})")
    onefile = options.distpath / f"kiosk-onefile{EXE_SUFFIX}"
    if options.onefile and onefile.exists():
        print(f"  one file:   {onefile}  ({megabytes(folder_size(onefile))})")
    version = subprocess.run([str(program), "--version"], capture_output=True, text=True, check=False)
    print(f"  {program.name} --version: {version.stdout.strip() or version.stderr.strip()}")
    if version.returncode != 0:
        print("build.py: the built program does not start", file=sys.stderr)
        return 1
    missing, system = xcb_libraries(folder)
    if system:
        print(f"  the xcb platform plugin takes from the system: {' '.join(system)}")
    if missing:
        print(
            f"  the xcb platform plugin cannot find: {' '.join(missing)}\n"
            "  (a display PC needs them: tools/system-deps.sh run installs them)",
            file=sys.stderr,
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    options.distpath = options.distpath.resolve()
    options.workpath = options.workpath.resolve()
    if check_pyinstaller() is None:
        return 2
    started = time.monotonic()
    code = run_pyinstaller(options)
    if code != 0:
        print(f"build.py: PyInstaller failed (exit {code})", file=sys.stderr)
        return code
    return report(options, time.monotonic() - started)


if __name__ == "__main__":
    sys.exit(main())
