"""Security tests: what a playlist from a stranger's USB stick must not be able to do.

It must not run code (YAML tags), exhaust memory or time (alias bombs, huge and deep
files, decompression-bomb images), read or show files outside its folder (paths,
symlinks, URLs), or smuggle spreadsheet formulas through chart data. Each is refused
with a clear message, quickly. tests/unit/test_playlist_errors.py has the first cases
of several of these; this file goes wide. SECURITY.md states the rules tested here.
"""

from __future__ import annotations

import os
import resource
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from kiosk.playlist import PlaylistError, load_playlist
from kiosk.playlist.load import load_playlist_text
from kiosk.playlist.safeyaml import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES

from .strategies import check_outcome, refused_file, tiny_png

# ---------------------------------------------------------------- helpers


def refused(folder: Path, text: str, name: str = "show.yaml", seconds: float = 2.0) -> list[str]:
    """The problems of a playlist that must be refused, without the folder; quickly."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return refused_file(path, seconds)


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- YAML tags

PYTHON_TAGS = [
    "!!python/object:os.system {{}}",
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/apply:builtins.exec [\"open('{marker}', 'w')\"]",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/object/apply:subprocess.check_output [['touch', '{marker}']]",
    "!!python/name:builtins.eval",
    "!!python/module:os",
    "!!python/tuple [1, 2]",
    "!!python/str x",
    "!!python/unicode x",
    "!!python/bytes eA==",
    "!!python/int 1",
    "!!python/long 1",
    "!!python/float 1.5",
    "!!python/complex 1+2j",
    "!!python/list [1]",
    "!!python/dict {{a: 1}}",
    "!!python/none ''",
    "!!python/bool true",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
]
OTHER_TAGS = [
    "!!binary aGVsbG8=",
    "!!set {{a, b}}",
    "!!omap [{{a: 1}}, {{b: 2}}]",
    "!!pairs [{{a: 1}}]",
    "!custom x",
    "!x {{}}",
    "!<!local> x",
    "!<tag:example.com,2024:thing> x",
    "!!merge x",
    "!!value x",
    "!!yaml x",
]


@pytest.mark.parametrize("tag", PYTHON_TAGS + OTHER_TAGS)
@pytest.mark.parametrize(
    "place",
    [
        "slides:\n  - {{type: title, title: x, notes: {tag}}}\n",  # in a flow mapping
        "slides:\n  - {{type: text, body: [a, {tag}, b]}}\n",  # in a flow sequence
        "slides:\n  - {tag}\n",  # a whole slide
        "title: {tag}\nslides:\n  - {{type: title, title: x}}\n",  # a setting
    ],
    ids=["in-flow-mapping", "in-flow-sequence", "as-a-slide", "as-a-setting"],
)
def test_tags_are_refused_wherever_they_are(tmp_path: Path, tag: str, place: str) -> None:
    marker = tmp_path / "ran"
    lines = refused(tmp_path, place.format(tag=tag.format(marker=marker)))
    if "{{" in place and ":" in tag.split()[0].split("/")[-1]:
        # '!!python/name:x' in a flow mapping: the ':' ends the tag, a syntax error
        assert any("is not allowed" in line or "not valid YAML" in line for line in lines), lines
    else:
        assert any("is not allowed" in line and "nothing in it can run code" in line for line in lines), lines
    assert not marker.exists()


@pytest.mark.parametrize(
    "text",
    [
        "slides:\n  - {type: title, title: x, !!python/str notes: y}\n",
        "slides:\n  - {type: title, title: x, ? !!python/tuple [a, b] : y}\n",
        "slides:\n  - type: title\n    title: x\n    !!binary bm90ZXM=: y\n",
        "slides:\n  - {type: title, title: x, ? [a, b] : y}\n",
        "slides:\n  - {type: title, title: x, ? {a: 1} : y}\n",
    ],
    ids=["python-str-key", "python-tuple-key", "binary-key", "list-key", "mapping-key"],
)
def test_tags_and_collections_as_keys_are_refused(tmp_path: Path, text: str) -> None:
    lines = refused(tmp_path, text)
    assert len(lines) == 1
    assert "a key must be plain text" in lines[0]


def test_tag_directives_cannot_smuggle_python_tags(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = (
        "%TAG !py! tag:yaml.org,2002:python/object/apply:\n---\n"
        f"slides:\n  - {{type: title, title: !py!os.system ['touch {marker}']}}\n"
    )
    lines = refused(tmp_path, text)
    assert "tag:yaml.org,2002:python/object/apply:os.system" in lines[0]
    assert not marker.exists()


def test_scalar_tags_with_impossible_values_are_refused(tmp_path: Path) -> None:
    text = "slides:\n  - {type: title, title: x, notes: [!!bool maybe, !!float y, !!int '', !!int 0x]}\n"
    lines = refused(tmp_path, text)
    assert [line.split(": ", 1)[1] for line in lines] == [
        "'maybe' is not true or false",
        "'y' is not a number",
        "'' is not a whole number",
        "'0x' is not a whole number",
    ]


# ---------------------------------------------------------------- aliases and size


def billion_laughs(levels: int, width: int) -> str:
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * width)}]")
    return "\n".join(lines) + "\nslides:\n  - {type: title, title: x}\n"


@pytest.mark.parametrize(
    ("levels", "width"),
    [(10, 9), (30, 2), (4, 100), (2, 1000)],
    ids=["classic-9x9", "deep-doubling", "wide-4x100", "very-wide-2x1000"],
)
def test_alias_bombs_are_refused_at_once(tmp_path: Path, levels: int, width: int) -> None:
    lines = refused(tmp_path, billion_laughs(levels, width), seconds=1.0)
    assert len(lines) == 1 and "alias bomb" in lines[0]


def test_a_flat_list_of_many_aliases_is_refused(tmp_path: Path) -> None:
    """No nesting at all: 600,000 aliases of one mapping, about 2.4 MB of text."""
    text = "a: &a {x: 1}\nb: [" + ", ".join(["*a"] * (MAX_NODES // 2 + 100_000)) + "]\n"
    text += "slides:\n  - {type: title, title: x}\n"
    lines = refused(tmp_path, text, seconds=5.0)
    assert len(lines) == 1 and "alias bomb" in lines[0]


def test_merge_key_bombs_are_refused(tmp_path: Path) -> None:
    """`<<:` merges of merges of an empty mapping: nothing is ever built, and the walk
    used to take forever (9**9 merges) without this being counted."""
    lines = ["z: &z {}"]
    for n in range(9):
        prev = f"m{n - 1}" if n else "z"
        lines.append(f"m{n}: &m{n} {{<<: [{', '.join([f'*{prev}'] * 9)}]}}")
    text = "\n".join(lines) + "\nslides:\n  - {type: title, title: x}\n"
    result = refused(tmp_path, text, seconds=1.0)
    assert len(result) == 1 and "alias bomb" in result[0]


@pytest.mark.parametrize(
    "text",
    [
        "a: &a [*a]\n",
        "a: &a {k: *a}\n",
        "a: &a {<<: *a}\n",  # a mapping that merges itself: used to be a RecursionError
        "a: &a {b: {<<: *a}}\n",
        "a: &a [[[[[*a]]]]]\n",
        "a: &a {? *a : 1}\n",
    ],
    ids=["sequence", "mapping", "merge-self", "merge-parent", "deep-cycle", "key-cycle"],
)
def test_recursive_anchors_are_refused(tmp_path: Path, text: str) -> None:
    lines = refused(tmp_path, text + "slides:\n  - {type: title, title: x}\n")
    assert len(lines) == 1
    assert "contains itself through an alias" in lines[0] or "a key must be plain text" in lines[0]


def test_a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_not(tmp_path: Path) -> None:
    head = "slides:\n  - {type: title, title: x}\n# "
    path = tmp_path / "big.yaml"
    path.write_bytes(head.encode() + b"x" * (MAX_FILE_BYTES - len(head)))
    started = time.perf_counter()
    assert len(load_playlist(path).slides) == 1
    assert time.perf_counter() - started < 5
    path.write_bytes(path.read_bytes() + b"x")
    lines = refused_file(path, seconds=1.0)
    assert len(lines) == 1 and "may be at most 8 MB" in lines[0]


@pytest.mark.parametrize("shape", ["one-long-text", "many-slides", "many-bars"])
def test_files_just_under_the_limit_load_or_fail_cleanly_in_time(tmp_path: Path, shape: str) -> None:
    budget = MAX_FILE_BYTES - 4096
    if shape == "one-long-text":
        text = "slides:\n  - type: text\n    body: |\n" + ("      " + "向人民报告 " * 20 + "\n") * 20_000
    elif shape == "many-slides":
        text = "slides:\n" + "  - {type: title, title: 向人民报告}\n" * 200_000
    else:
        text = "slides:\n  - type: bar\n    bars:\n" + "      - {label: 立案数, value: -18.4}\n" * 200_000
    raw = text.encode()[:budget]
    raw = raw[: raw.rfind(b"\n") + 1]
    path = tmp_path / "big.yaml"
    path.write_bytes(raw)
    check_outcome(lambda: load_playlist(path), seconds=5.0)


@pytest.mark.parametrize("levels", [MAX_DEPTH + 5, 1000, 100_000])
@pytest.mark.parametrize("kind", ["sequence", "mapping", "block-mapping"])
def test_deep_nesting_is_a_clear_error_not_a_recursion_error(tmp_path: Path, levels: int, kind: str) -> None:
    if kind == "sequence":
        value = "[" * levels + "]" * levels
    elif kind == "mapping":
        value = "{a: " * levels + "1" + "}" * levels
    else:
        levels = min(levels, 1000)  # the indentation grows as the square
        value = "".join(f"\n{'  ' * (n + 1)}a:" for n in range(levels)) + " 1"
    lines = refused(tmp_path, f"slides:\n  - {{type: title, title: x}}\nx: {value}\n")
    assert len(lines) == 1 and f"nested more than {MAX_DEPTH} deep" in lines[0], lines


# ---------------------------------------------------------------- files outside the folder


@pytest.fixture
def show(tmp_path: Path) -> Path:
    """A playlist folder with an image inside, and a secret beside it (outside)."""
    folder = tmp_path / "show"
    folder.mkdir()
    (folder / "pic.png").write_bytes(tiny_png())
    (folder / "sub").mkdir()
    (tmp_path / "secret.png").write_bytes(tiny_png())
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "x.png").write_bytes(tiny_png())
    return folder


OUTSIDE = [
    ("../secret.png", "outside the playlist's folder"),
    ("../../../../../../etc/passwd", "outside the playlist's folder"),
    ("sub/../../secret.png", "outside the playlist's folder"),
    ("/etc/passwd", "is an absolute path"),
    ("~/x.png", "names a home folder"),
    ("~", "names a home folder"),
    ("C:\\x.png", "is an absolute path"),
    ("C:/Windows/win.ini", "is an absolute path"),
    ("c:x.png", "is an absolute path"),
    ("\\\\server\\share\\x.png", "is an absolute path"),
    ("//server/share/x.png", "is an absolute path"),
    ("\\x.png", "is an absolute path"),
    ("file:///etc/passwd", "is a web address"),
    ("FILE:/etc/passwd", "is a web address"),
    ("http://example.com/x.png", "is a web address"),
    ("https://example.com/x.png", "is a web address"),
    ("data:image/png;base64,iVBORw0KGgo=", "is a web address"),
    ("smb://server/share/x.png", "is a web address"),
    ("a\x00b.png", "holds a control character"),
    ("pic.png\n", "holds a control character"),
    ("x" * 300 + ".png", "cannot be used as a file name"),
    ("/" + "/".join(["d" * 200] * 30), "is an absolute path"),
    ("/".join(["d" * 200] * 30), "cannot be used as a file name"),
    ("sub", "is not a file"),
    (".", "is not a file"),
    ("", "the file name is empty"),
    ("   ", "the file name is empty"),
]


FIELDS = ["image.src", "title.logo", "background", "bar.data", "theme"]


def _applies(field: str, name: str) -> bool:
    """Whether the name is a path mistake in that field.

    An empty background or theme is a different mistake (an empty value), and a theme name
    without a file suffix is taken as a built-in theme's name, not as a path.
    """
    if field in ("background", "theme") and not name.strip():
        return False
    return field != "theme" or name.endswith(".png")


PATH_CASES = [(f, n, m) for f in FIELDS for n, m in OUTSIDE if _applies(f, n)]


@pytest.mark.parametrize(
    ("field", "name", "message"), PATH_CASES, ids=[f"{f}-{n!r:.40}" for f, n, _ in PATH_CASES]
)
def test_files_outside_the_folder_are_refused(show: Path, name: str, message: str, field: str) -> None:
    if field == "theme":
        text = f"theme: {_quoted(name[:-4] + '.yaml')}\n"
        text += "slides:\n  - {type: title, title: x}\n"
    elif field == "background":
        text = f"slides:\n  - {{type: title, title: x, background: {_quoted(name)}}}\n"
    else:
        kind, key = field.split(".")
        other = "caption: x" if kind == "image" else "title: x"
        text = f"slides:\n  - {{type: {kind}, {other}, {key}: {_quoted(name)}}}\n"
    lines = refused(show, text)
    assert len(lines) == 1 and message in lines[0], lines
    assert "\n" not in lines[0]


def _quoted(text: str) -> str:
    """YAML double-quoted text (every character escaped that needs it)."""
    import json

    return json.dumps(text)


def test_symlinks_leading_out_are_refused(show: Path) -> None:
    (show / "link.png").symlink_to(show.parent / "secret.png")
    (show / "outlink").symlink_to(show.parent / "outside", target_is_directory=True)
    (show / "sub" / "deep.png").symlink_to("../../secret.png")
    (show / "loop1.png").symlink_to("loop2.png")
    (show / "loop2.png").symlink_to("loop1.png")
    (show / "self.png").symlink_to("self.png")
    (show / "dangling.png").symlink_to("nowhere.png")
    text = "slides:\n" + "".join(
        f"  - {{type: image, src: {src}}}\n"
        for src in ["link.png", "outlink/x.png", "sub/deep.png", "loop1.png", "self.png", "dangling.png"]
    )
    lines = refused(show, text)
    assert len(lines) == 6
    assert "outside the playlist's folder" in lines[0]
    assert "outside the playlist's folder" in lines[1]
    assert "outside the playlist's folder" in lines[2]
    for line in lines[3:5]:
        assert "symlink loop" in line or "cannot be used as a file name" in line or "not found" in line
    assert "file not found: 'dangling.png'" in lines[5]


def test_symlinked_playlist_folder_leading_out_is_fine_for_its_own_files(tmp_path: Path, show: Path) -> None:
    """The rule is about the playlist's own folder, wherever that really is: a playlist
    reached through a symlinked folder still sees the files beside it."""
    (tmp_path / "alias").symlink_to(show, target_is_directory=True)
    (show / "show.yaml").write_text("slides:\n  - {type: image, src: pic.png}\n", encoding="utf-8")
    assert len(load_playlist(tmp_path / "alias" / "show.yaml").slides) == 1
    (show / "show.yaml").write_text("slides:\n  - {type: image, src: ../secret.png}\n", encoding="utf-8")
    with pytest.raises(PlaylistError, match="outside the playlist's folder"):
        load_playlist(tmp_path / "alias" / "show.yaml")


def linked_playlist_stick(tmp_path: Path) -> Path:
    """The trick of issue 20: `stick/show.yaml -> sub/show.yaml`, and `stick/sub/photo.png`
    a link out to a secret. Read from the link's folder, 'photo.png' is an innocent file
    beside the link; read from the playlist's real folder, it is the secret."""
    stick = tmp_path / "stick"
    (stick / "sub").mkdir(parents=True)
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "private.png").write_bytes(tiny_png())
    (stick / "photo.png").write_bytes(tiny_png())
    (stick / "sub" / "show.yaml").write_text("slides:\n  - {type: image, src: photo.png}\n", encoding="utf-8")
    (stick / "sub" / "photo.png").symlink_to("../../secret/private.png")
    (stick / "show.yaml").symlink_to("sub/show.yaml")
    return stick


def test_a_symlinked_playlist_cannot_get_round_the_folder_rule(tmp_path: Path) -> None:
    """The check judges files from the playlist's real folder, the one the show opens
    them from: the link out is refused by `kiosk check`, by play and by export alike."""
    stick = linked_playlist_stick(tmp_path)
    with pytest.raises(PlaylistError, match=r"'photo\.png' is outside the playlist's folder"):
        load_playlist(stick / "show.yaml")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for command in (["check"], ["export", "--out", str(tmp_path / "out"), "--size", "160x90"]):
        argv = [sys.executable, "-m", "kiosk", command[0], str(stick / "show.yaml"), *command[1:]]
        result = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
        assert result.returncode == 2, (command, result.stderr)
        assert "outside the playlist's folder" in result.stderr
    assert not list(tmp_path.glob("out/*.png"))


def test_the_show_confines_files_when_it_opens_them(tmp_path: Path) -> None:
    """A link swapped in after the check (a live edit, a sync) still does not reach the
    screen: the show resolves names by the same rule when it opens them."""
    from kiosk.playlist.paths import REFUSED
    from kiosk.slides.base import SlideContext

    stick = linked_playlist_stick(tmp_path)
    (stick / "sub" / "photo.png").unlink()
    (stick / "sub" / "photo.png").write_bytes(tiny_png())
    playlist = load_playlist(stick / "show.yaml")
    assert playlist.folder == (stick / "sub").resolve()
    assert playlist.resolve("photo.png") == (stick / "sub" / "photo.png").resolve()
    (stick / "sub" / "photo.png").unlink()
    (stick / "sub" / "photo.png").symlink_to("../../secret/private.png")
    context = SlideContext(theme=None, folder=playlist.folder)  # type: ignore[arg-type]
    for opened in (playlist.resolve("photo.png"), context.resolve("photo.png")):
        assert opened == REFUSED
        assert not opened.exists()


def test_windows_separators_and_case_get_a_hint(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.png").write_bytes(tiny_png())
    (tmp_path / "Logo.png").write_bytes(tiny_png())
    lines = refused(
        tmp_path, "slides:\n  - {type: image, src: 'images\\logo.png'}\n  - {type: image, src: logo.png}\n"
    )
    assert "file not found" in lines[0] and "did you mean 'images/logo.png'?" in lines[0]
    assert "the folder has 'Logo.png': names are case-sensitive" in lines[1]


def test_paths_that_stay_inside_are_allowed(show: Path) -> None:
    (show / "sub" / "inner.png").write_bytes(tiny_png())
    (show / "inside-link.png").symlink_to("sub/inner.png")
    text = "slides:\n" + "".join(
        f"  - {{type: image, src: '{src}'}}\n"
        for src in [
            "pic.png",
            "./pic.png",
            "sub/../pic.png",
            "sub/inner.png",
            "inside-link.png",
            "sub//inner.png",
        ]
    )
    playlist = load_playlist_text(text, "show.yaml", show)
    assert len(playlist.slides) == 6


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        ("/etc/passwd", "is an absolute path"),
        ("../../secret.png", "outside the playlist's folder"),
        ("lnk/secret.png", "outside the playlist's folder"),
        ("http://example.com/x.png", "is a web address"),
        ("missing.png", "file not found"),
    ],
)
def test_a_playlists_theme_cannot_name_a_logo_outside_the_folder(show: Path, logo: str, message: str) -> None:
    """A theme file in the playlist's folder names its logo relative to itself; the logo
    follows the same rule (it used to be shown from anywhere, unchecked)."""
    (show / "themes").mkdir()
    (show / "themes" / "lnk").symlink_to(show.parent, target_is_directory=True)
    (show / "themes" / "mine.yaml").write_text(f"logo: {logo}\n", encoding="utf-8")
    lines = refused(show, "theme: themes/mine.yaml\nslides:\n  - {type: title, title: x}\n")
    assert len(lines) == 1 and lines[0].startswith("themes/mine.yaml:1:7: logo: ") and message in lines[0], (
        lines
    )


def test_a_playlists_theme_may_use_a_logo_beside_the_playlist(show: Path) -> None:
    (show / "themes").mkdir()
    (show / "themes" / "mine.yaml").write_text("logo: ../pic.png\nfooter: 江苏公安\n", encoding="utf-8")
    playlist = load_playlist_text(
        "theme: themes/mine.yaml\nslides:\n  - {type: title, title: x}\n", "s.yaml", show
    )
    assert playlist.theme == "themes/mine.yaml"


def test_a_broken_theme_is_reported_by_the_loader_not_at_play_time(show: Path) -> None:
    """Its mistakes are the playlist's: `kiosk check` names them (export used to crash)."""
    (show / "mine.yaml").write_text("colors: {text: notacolour}\nbogus: 1\n", encoding="utf-8")
    lines = refused(show, "theme: mine.yaml\nslides:\n  - {type: title, title: x}\n")
    assert [line.split(": ")[0] for line in lines] == ["mine.yaml:1:16", "mine.yaml:2:1"]


# ---------------------------------------------------------------- images that are not images


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int, idat: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")
    )


def deflate_bomb(width: int, height: int) -> bytes:
    """Rows of zeros: a few MB that inflate to width*height*4 bytes (576 MB here)."""
    compressor = zlib.compressobj(1)
    row = b"\x00" * (1 + width * 4)
    return b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()


def bmp_declaring(width: int, height: int) -> bytes:
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 32, 0, 0, 0, 0, 0, 0)
    return b"BM" + struct.pack("<IHHI", 14 + 40 + 16, 0, 0, 54) + info + b"\x00" * 16


BAD_IMAGES = {
    "text.png": b"this is not a picture\n",
    "zero.png": b"",
    "truncated.png": tiny_png()[:40],
    "header-only.png": b"\x89PNG\r\n\x1a\n",
    "bomb-30000.png": png_declaring(30_000, 30_000, zlib.compress(b"\x00" * 1000)),
    "bomb-max.png": png_declaring(0x7FFFFFFF, 0x7FFFFFFF, b""),
    "bomb.bmp": bmp_declaring(30_000, 30_000),
    "bomb-negative.bmp": bmp_declaring(-30_000, -30_000),
    "lol.svg": (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
        )
        + ']><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&lol9;</text></svg>'
    ).encode(),
    "jpeg-named.png": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20,
}


@pytest.fixture(scope="module")
def qapp_offscreen():
    from kiosk.app import ensure_application

    return ensure_application()


@pytest.mark.parametrize("name", sorted(BAD_IMAGES))
def test_images_that_are_not_images_give_none_quickly(qapp_offscreen, tmp_path: Path, name: str) -> None:
    from kiosk.slides.paint import load_image

    path = tmp_path / name
    path.write_bytes(BAD_IMAGES[name])
    before = max_rss_mb()
    started = time.perf_counter()
    image = load_image(path, 1920, 1080)
    assert time.perf_counter() - started < 2
    assert image is None
    assert max_rss_mb() - before < 300, "decoding allocated hundreds of MB"


def test_a_real_decompression_bomb_is_not_decoded(qapp_offscreen, tmp_path: Path) -> None:
    from kiosk.slides.paint import load_image

    path = tmp_path / "deflate-bomb.png"
    path.write_bytes(png_declaring(12_000, 12_000, deflate_bomb(12_000, 12_000)))
    before = max_rss_mb()
    started = time.perf_counter()
    assert load_image(path, 1920, 1080) is None
    assert time.perf_counter() - started < 2
    assert max_rss_mb() - before < 300


def test_a_huge_declared_svg_is_drawn_at_screen_size(qapp_offscreen, tmp_path: Path) -> None:
    from kiosk.slides.paint import load_image

    path = tmp_path / "huge.svg"
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="1000000" height="1000000">'
        '<rect width="1000000" height="1000000" fill="red"/></svg>'
    )
    started = time.perf_counter()
    image = load_image(path, 640, 360)
    assert time.perf_counter() - started < 2
    assert image is None or image.width() * image.height() <= 4 * 640 * 640


def test_an_svg_cannot_show_a_picture_from_outside_the_folder(qapp_offscreen, show: Path) -> None:
    from PySide6.QtGui import QColor, QImage

    from kiosk.slides.paint import load_image

    secret = show.parent / "red-secret.png"
    red = QImage(40, 40, QImage.Format.Format_RGB32)
    red.fill(QColor("red"))
    red.save(str(secret))
    (show / "innocent.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="40" height="40"><image width="40" height="40" xlink:href="{secret}"/></svg>'
    )
    # The file is inside the folder, but `kiosk check` (the loader) says what the show would refuse.
    with pytest.raises(PlaylistError, match=r"'innocent\.svg' cannot be shown: the SVG refers to something outside"):
        load_playlist_text("slides:\n  - {type: image, src: innocent.svg}\n", "show.yaml", show)
    image = load_image(show / "innocent.svg", 40, 40)
    assert image is None or QColor(image.pixel(20, 20)) != QColor("red")
    # The same document under a raster name is still recognised as an SVG and refused.
    (show / "innocent.png").write_bytes((show / "innocent.svg").read_bytes())
    image = load_image(show / "innocent.png", 40, 40)
    assert image is None or QColor(image.pixel(20, 20)) != QColor("red")


@pytest.mark.parametrize(
    "body",
    [
        '<!DOCTYPE svg [<!ENTITY x "/etc/secret.png">]><svg xmlns="http://www.w3.org/2000/svg"/>',
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/secret.png"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><style>rect{fill:url(/x.png)}</style></svg>',
    ],
)
def test_svg_that_points_outside_itself_is_refused(body: str) -> None:
    from kiosk.slides.paint import svg_is_self_contained

    assert not svg_is_self_contained(body.encode())


def test_a_self_contained_svg_logo_is_drawn(qapp_offscreen, tmp_path: Path) -> None:
    from PySide6.QtGui import QColor

    from kiosk.slides.paint import load_image

    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="40" height="40"><defs><linearGradient id="g"><stop offset="0" stop-color="blue"/>'
        '</linearGradient></defs><rect width="40" height="40" fill="url(#g)"/>'
        '<use xlink:href="#g"/></svg>'
    )
    image = load_image(tmp_path / "logo.svg", 40, 40)
    assert image is not None
    assert QColor(image.pixel(20, 20)) == QColor("blue")


@pytest.mark.parametrize("name", ["bomb-30000.png", "text.png", "zero.png"])
def test_export_of_an_image_slide_with_a_bad_file_succeeds(tmp_path: Path, name: str) -> None:
    """`kiosk export` shows the placeholder and exits 0, quickly, without a huge allocation."""
    (tmp_path / name).write_bytes(BAD_IMAGES[name])
    (tmp_path / "show.yaml").write_text(
        f"slides:\n  - {{type: image, src: {name}, caption: 图}}\n"
        f"  - {{type: title, title: x, background: {name}}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "export",
            str(tmp_path / "show.yaml"),
            "--out",
            str(out),
            "--size",
            "640x360",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert time.perf_counter() - started < 30
    pictures = sorted(out.glob("*.png"))
    assert len(pictures) == 2
    from PySide6.QtGui import QImage

    for picture in pictures:
        image = QImage(str(picture))
        assert (image.width(), image.height()) == (640, 360)


# ---------------------------------------------------------------- chart data


def bar_with_csv(folder: Path, csv_bytes: bytes) -> list[str]:
    (folder / "d.csv").write_bytes(csv_bytes)
    return refused(folder, "slides:\n  - {type: bar, data: d.csv}\n")


@pytest.mark.parametrize(
    "label",
    [
        '=HYPERLINK("http://x")',
        "=1+2",
        "@SUM(A1:A9)",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "-cmd",
        "+A1",
        '"\t=1+2"',
        '"\r=1+2"',
        " =1",
    ],
)
def test_csv_formula_labels_are_refused(tmp_path: Path, label: str) -> None:
    lines = bar_with_csv(tmp_path, f"label,value\n{label},1\n".encode())
    assert len(lines) == 1 and "looks like a spreadsheet formula" in lines[0], lines


@pytest.mark.parametrize(
    "label", ["-18.4%", "+5.2万", "-", "+", "2023", "同比-2.2%", "a=b", "a@b.c", "-1,000"]
)
def test_csv_labels_that_only_look_odd_are_fine(tmp_path: Path, label: str) -> None:
    (tmp_path / "d.csv").write_text(f'label,value\n"{label}",1\n', encoding="utf-8")
    playlist = load_playlist_text("slides:\n  - {type: bar, data: d.csv}\n", "show.yaml", tmp_path)
    assert playlist.slides[0].bars[0].label == label


def test_line_csv_formulas_in_x_labels_and_series_names_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("year,=cmd\n2021,1\n2022,2\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("year,cases\n@x,1\n2022,2\n", encoding="utf-8")
    lines = refused(tmp_path, "slides:\n  - {type: line, data: a.csv}\n  - {type: line, data: b.csv}\n")
    assert lines == [
        "a.csv:1:6: the label '=cmd' looks like a spreadsheet formula; write plain text",
        "b.csv:2:1: the label '@x' looks like a spreadsheet formula; write plain text",
    ]


def test_line_csv_keeps_series_names_as_written(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("Year,GDP,CPI\n2021,1,2\n2022,2,3\n", encoding="utf-8")
    playlist = load_playlist_text("slides:\n  - {type: line, data: a.csv}\n", "show.yaml", tmp_path)
    assert [s.name for s in playlist.slides[0].series] == ["GDP", "CPI"]


def test_csv_with_too_few_columns(tmp_path: Path) -> None:
    assert bar_with_csv(tmp_path, b"label,value,color\na,1,red\nb,2\n") == [
        "d.csv:3:1: this row has 2 columns but the header has 3"
    ]


def test_csv_line_numbers_count_lines_not_records(tmp_path: Path) -> None:
    """A quoted cell may span lines; problems point at the line a person sees."""
    lines = bar_with_csv(tmp_path, b'label,value\n"two\nlines",1\nb,x\n')
    assert lines == ["d.csv:4:3: value must be a number, got 'x'"]


def test_csv_with_nul_bytes_is_refused(tmp_path: Path) -> None:
    lines = bar_with_csv(tmp_path, b"label,value\na\x00b,1\n")
    assert lines == ["d.csv:1:1: the file holds NUL bytes; it is not a text file"]


def test_csv_with_a_huge_field_is_refused(tmp_path: Path) -> None:
    lines = bar_with_csv(tmp_path, b'label,value\n"' + b"x" * 300_000 + b'",1\n')
    assert len(lines) == 1 and lines[0].startswith("d.csv:2:1: a cell is longer than 131,072 characters")


def test_csv_in_gbk_is_named_as_such(tmp_path: Path) -> None:
    lines = bar_with_csv(tmp_path, "label,value\n立案数,1\n".encode("gbk"))
    assert len(lines) == 1 and "not UTF-8" in lines[0] and "GBK" in lines[0]


def test_csv_in_utf16_is_refused(tmp_path: Path) -> None:
    lines = bar_with_csv(tmp_path, "label,value\na,1\n".encode("utf-16"))
    assert lines == ["d.csv:1:1: the file is saved as UTF-16; save it as UTF-8"]


def test_csv_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    lines = bar_with_csv(tmp_path, b"label,value\n" + b"a,1\n" * (MAX_FILE_BYTES // 4 + 1))
    assert len(lines) == 1 and "may be at most 8 MB" in lines[0]


def test_yaml_data_file_with_an_alias_bomb_is_refused(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(billion_laughs(10, 9).split("slides:")[0] + "x: 1\n", encoding="utf-8")
    lines = refused(tmp_path, "slides:\n  - {type: pie, data: d.yaml}\n")
    assert len(lines) == 1 and lines[0].startswith("d.yaml:") and "alias bomb" in lines[0]
