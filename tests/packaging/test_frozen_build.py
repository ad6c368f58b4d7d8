"""The standalone build: packaging/build.py run on a clean copy of the tree, then the
frozen program run headless the way a display PC runs it.

One build per session (about a minute; conftest.py, shared with tests/deploy), then:
--version names the build; `check` and `export` work from another folder with the
bundled assets; Chinese text is drawn with the bundled font where fontconfig knows no
CJK font at all (the frozen picture matches the source tree's, and differs from the
same build with its fonts taken away); the show plays offscreen and, when Xvfb is
installed, full screen through the bundled xcb plugin; and the xcb plugin's libraries
resolve inside the bundle but for the graphics stack and glibc.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import numpy as np
import pytest
import yaml
from PySide6.QtGui import QImage

pytestmark = pytest.mark.packaging

REPO = Path(__file__).parents[2]
WINDOWS = sys.platform == "win32"
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
TITLE = "向人民报告"
SUBTITLE = "江苏公安平安答卷"


# ---------------------------------------------------------------- fixtures


# `build` (the one-folder build, made once per session) is in conftest.py.


@pytest.fixture(scope="module")
def program(build: Path) -> Path:
    return build / ("kiosk-console.exe" if WINDOWS else "kiosk")


@pytest.fixture(scope="module")
def bundle_root(build: Path) -> Path:
    """sys._MEIPASS of the one-folder build."""
    return build / "_internal"


def run_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A headless environment of its own: no display, its own log folder and user name
    (kiosk's one-show-per-screen lock is per user), Qt settings of the shell left out."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("QT_", "FONTCONFIG_", "KIOSK_")) and k not in ("DISPLAY", "WAYLAND_DISPLAY")
    }
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_STATE_HOME=str(tmp_path / "state"),
        USER=f"kiosk-test-{uuid.uuid4().hex[:8]}",
    )
    env.update(extra)
    return env


def run(
    command: list[str], cwd: Path, env: dict[str, str], timeout: float = 180
) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def pixels(path: Path) -> np.ndarray:
    """The PNG as an H x W x 3 array of uint8."""
    image = QImage(str(path))
    assert not image.isNull(), f"cannot read {path}"
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(bytes(image.constBits()), dtype=np.uint8).reshape(
        image.height(), image.bytesPerLine()
    )
    return rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3)


def hex_rgb(text: str) -> np.ndarray:
    return np.array([int(text[i : i + 2], 16) for i in (1, 3, 5)])


# ---------------------------------------------------------------- what was built


def test_version_names_the_frozen_build(program: Path, bundle_root: Path, tmp_path: Path) -> None:
    result = run([str(program), "--version"], tmp_path, run_env(tmp_path))
    assert result.returncode == 0, result.stderr
    version = re.search(r'__version__ = "([^"]+)"', (REPO / "kiosk" / "__init__.py").read_text()).group(1)
    stamp = (bundle_root / "BUILD").read_text(encoding="utf-8").strip()
    assert result.stdout.strip() == f"kiosk {version} (frozen build {stamp})"
    assert re.fullmatch(
        rf"{re.escape(version)} \d{{4}}-\d\d-\d\d [0-9a-f]{{7,}}(-dirty)? [a-z]+-\w+", stamp
    ), stamp


def test_bundle_layout_and_exclusions(build: Path, bundle_root: Path) -> None:
    for name in (
        "assets/fonts/NotoSansSC-Regular.otf",
        "assets/fonts/NotoSansSC-Bold.otf",
        "assets/fonts/OFL.txt",
        "assets/themes/police-blue.yaml",
        "data/police-day-2023.yaml",
        "data/examples/every-slide-type.yaml",
        "BUILD",
    ):
        assert (bundle_root / name).is_file(), name
    files = [p.relative_to(bundle_root).as_posix() for p in bundle_root.rglob("*")]
    unwanted = re.compile(
        r"Qt6(Qml|Quick|Pdf|Sql|Designer|Multimedia|WebEngine|3D|Test)|plugins/(platformthemes|printsupport|"
        r"sqldrivers|tls|generic|egldeviceintegrations|iconengines)/|tkinter|_tkinter|libgtk|libcups|"
        r"translations/(?!qt_zh_CN|qtbase_zh_CN)|imageformats/.*(tiff|icns|tga|wbmp|pdf)"
    )
    assert not [f for f in files if unwanted.search(f)]
    dangling = [p for p in build.rglob("*") if p.is_symlink() and not p.exists()]
    assert not dangling
    size = sum(p.lstat().st_size for p in build.rglob("*") if p.is_file() or p.is_symlink())
    # 243 MB untrimmed on Linux x86_64, 195 MB trimmed (packaging/README.md): a lost exclusion shows.
    assert size < 230e6, f"{size / 1e6:.0f} MB"


@pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("ldd"), reason="Linux: ldd")
def test_bundled_xcb_plugin_needs_only_the_graphics_stack_from_the_system(
    build: Path, bundle_root: Path
) -> None:
    plugin = next(bundle_root.rglob("libqxcb.so"))
    # The frozen program's loader path: the bootloader puts _internal first (LD_LIBRARY_PATH).
    env = {**os.environ, "LD_LIBRARY_PATH": str(bundle_root)}
    result = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, env=env, check=True)
    missing = [line.split()[0] for line in result.stdout.splitlines() if "not found" in line]
    assert not missing, f"install the packages providing {missing} (tools/system-deps.sh run)"
    system = [
        line.split()[0]
        for line in result.stdout.splitlines()
        if " => /" in line
        and not Path(line.split(" => ")[1].split(" (")[0]).resolve().is_relative_to(build.resolve())
    ]
    allowed = re.compile(
        r"(ld-linux.*|lib(c|m|dl|pthread|rt|resolv)\.so.*|lib(E?GL|GLX|GLdispatch|OpenGL)\.so.*|libxcb\.so\.1)"
    )
    assert [name for name in system if not allowed.fullmatch(name)] == []


# ---------------------------------------------------------------- running it


def test_check_the_bundled_playlist(program: Path, bundle_root: Path, tmp_path: Path) -> None:
    playlist = bundle_root / "data" / "police-day-2023.yaml"
    result = run([str(program), "check", str(playlist)], tmp_path, run_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(rf"{re.escape(str(playlist))}: OK, \d+ slides.*", result.stdout.strip()), (
        result.stdout
    )


def test_the_frozen_word_child_segments_chinese(program: Path, tmp_path: Path) -> None:
    """The show, export and check have words segmented by the program itself started as
    a child (kiosk/words.py): jieba and its dictionary must be in the build."""
    import json
    import subprocess

    done = subprocess.run(
        [str(program), "_segment-words"], input=json.dumps(["推动135个市县执法办案管理中心提质增效"]),
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env=run_env(tmp_path), check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "办案管理中心" in json.loads(done.stdout)["推动135个市县执法办案管理中心提质增效"]


def test_the_frozen_control_server_serves_the_phone_page(program: Path, tmp_path: Path) -> None:
    """kiosk --remote from the build: the phone page's files came along (kiosk/remote/static)
    and the API answers with the operator's token."""
    import json
    import socket
    import subprocess
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = "frozen-test-token-" + "x" * 16
    show = subprocess.Popen(
        [str(program), "--remote", f"127.0.0.1:{port}", "--quit-after", "60"],
        cwd=tmp_path, env=run_env(tmp_path, KIOSK_REMOTE_TOKEN=token),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline, page = time.monotonic() + 60, ""
        while time.monotonic() < deadline and not page:
            assert show.poll() is None, show.stderr.read() if show.stderr else ""
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    page = answer.read().decode()
            except OSError:
                time.sleep(0.5)
        assert "<html" in page.lower()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/status", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert json.load(answer)["snapshot"]["slide"]  # the show on air, through the API
    finally:
        show.terminate()
        show.wait(timeout=30)


def test_check_reports_a_bad_playlist(program: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nslides:\n  - type: stat\n    label: x\n    value: 九十九\n", encoding="utf-8")
    result = run([str(program), "check", str(bad)], tmp_path, run_env(tmp_path))
    assert result.returncode == 2
    assert re.search(rf"{re.escape(str(bad))}:5:\d+: ", result.stderr), result.stderr


def test_plays_the_bundled_default_playlist_offscreen(
    program: Path, bundle_root: Path, tmp_path: Path
) -> None:
    shot = tmp_path / "shot.png"
    env = run_env(tmp_path)
    result = run(
        [str(program), "--size", "640x360", "--quit-after", "1.5", "--screenshot", str(shot)], tmp_path, env
    )
    assert result.returncode == 0, result.stderr
    image = pixels(shot)
    assert image.shape == (360, 640, 3)
    assert image.std() > 10, "the window is blank"
    log = (tmp_path / "state" / "kiosk" / "kiosk.log").read_text(encoding="utf-8")
    assert f"playing {bundle_root / 'data' / 'police-day-2023.yaml'}" in log


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed (tools/system-deps.sh test)")
def test_plays_full_screen_on_x_through_the_bundled_xcb_plugin(program: Path, tmp_path: Path) -> None:
    from tests.e2e.xvfb import xvfb

    shot = tmp_path / "x.png"
    with xvfb(800, 600) as display:
        env = run_env(tmp_path, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        result = run(
            [str(program), "--quit-after", "2", "--screenshot", str(shot)], tmp_path, env, timeout=120
        )
    assert result.returncode == 0, result.stderr
    image = pixels(shot)
    assert image.shape == (600, 800, 3), "the window does not cover the screen"
    assert image.std() > 10


# ---------------------------------------------------------------- Chinese with the bundled font


def fonts_conf(folder: Path) -> Path:
    """A fontconfig configuration that knows only DejaVu: no CJK font on this 'machine'."""
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{DEJAVU_DIR}</dir>\n  <cachedir>{folder / 'fc-cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


@pytest.fixture(scope="module")
def title_exports(
    build: Path, program: Path, clean_tree: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """One Chinese title slide exported at 640x360 where fontconfig knows only DejaVu, by:
    the frozen build, the source tree it was built from, and a copy of the build whose
    bundled fonts were taken away (the control: what the text looks like without them)."""
    if not DEJAVU_DIR.is_dir():
        pytest.skip(f"{DEJAVU_DIR} is not installed")
    tmp = tmp_path_factory.mktemp("title")
    playlist = tmp / "title.yaml"
    playlist.write_text(
        "version: 1\ntheme: police-blue\ndefaults: {transition: none}\nslides:\n"
        f"  - {{type: title, id: zh, title: {TITLE}, subtitle: {SUBTITLE}}}\n",
        encoding="utf-8",
    )
    env = run_env(tmp, FONTCONFIG_FILE=str(fonts_conf(tmp)))
    export = ["export", str(playlist), "--size", "640x360", "--out"]

    no_fonts = tmp / "no-fonts"
    shutil.copytree(build, no_fonts, symlinks=True)
    for font in (no_fonts / "_internal" / "assets" / "fonts").glob("*.otf"):
        font.unlink()
    commands = {
        "frozen": ([str(program)], tmp),
        "source": ([sys.executable, "-m", "kiosk"], clean_tree),  # -m: the copy's kiosk comes first
        "no-fonts": ([str(no_fonts / program.name)], tmp),
    }
    pictures = {}
    for name, (command, cwd) in commands.items():
        result = run([*command, *export, str(tmp / name)], cwd, env)
        assert result.returncode == 0, f"{name}: {result.stderr}"
        if name == "no-fonts":
            assert "no bundled font was loaded" in result.stderr
        pictures[name] = tmp / name / "01-zh.png"
    return pictures


def test_frozen_title_matches_the_source_tree(title_exports: dict[str, Path], clean_tree: Path) -> None:
    frozen, source = pixels(title_exports["frozen"]), pixels(title_exports["source"])
    assert frozen.shape == source.shape == (360, 640, 3)
    difference = np.abs(frozen.astype(int) - source.astype(int)).mean()
    assert difference < 0.5, f"mean absolute difference {difference:.2f} of 255"

    colors = yaml.safe_load((clean_tree / "assets" / "themes" / "police-blue.yaml").read_text("utf-8"))[
        "colors"
    ]
    assert np.abs(frozen[0, 0].astype(int) - hex_rgb(colors["background_top"])).max() <= 6, frozen[0, 0]
    assert np.abs(frozen[-1, -1].astype(int) - hex_rgb(colors["background_bottom"])).max() <= 6, frozen[
        -1, -1
    ]


def test_chinese_is_drawn_with_the_bundled_font(title_exports: dict[str, Path]) -> None:
    frozen, control = pixels(title_exports["frozen"]), pixels(title_exports["no-fonts"])
    bright = (frozen.min(axis=2) > 200).sum()  # white title glyphs on the dark theme
    assert bright > 0.005 * frozen.shape[0] * frozen.shape[1], f"only {bright} text pixels"
    # Without the bundled fonts no font here has the glyphs: boxes or nothing. The title
    # must look clearly different from that.
    changed = (np.abs(frozen.astype(int) - control.astype(int)).max(axis=2) > 64).sum()
    assert changed > 0.005 * frozen.shape[0] * frozen.shape[1], f"only {changed} pixels differ from no-font"
