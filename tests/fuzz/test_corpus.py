"""The fuzzer's seed corpus, run once through the fuzz target's own function.

fuzz/fuzz_loader.py is not a package module; it is loaded from its file (it imports
atheris only when run as the fuzzer). Files named valid-* must load; bad-* must be
refused with problems; any other name (a crash input saved by the fuzzer and added
to the corpus once fixed) just has to keep the contract.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "fuzz" / "corpus"


def fuzz_target() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_loader", ROOT / "fuzz" / "fuzz_loader.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TARGET = fuzz_target()
FILES = sorted(p for p in CORPUS.iterdir() if p.is_file())


def test_the_corpus_covers_every_slide_type_and_the_hostile_classics() -> None:
    from kiosk.playlist.model import SLIDE_TYPES

    names = {p.name for p in FILES}
    assert len(names) >= 12
    assert {f"valid-{kind}.yaml" for kind in SLIDE_TYPES} <= names
    assert {"bad-gbk.yaml", "bad-alias-bomb.yaml", "bad-tags.yaml", "bad-duplicate-keys.yaml"} <= names


def test_importing_the_target_does_not_import_atheris() -> None:
    assert "atheris" not in sys.modules or hasattr(sys.modules["atheris"], "Fuzz")
    assert "import atheris" not in (ROOT / "fuzz" / "fuzz_loader.py").read_text().split("def main")[0]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_corpus_file(path: Path) -> None:
    started = time.perf_counter()
    playlist = TARGET.load_bytes(path.read_bytes())
    assert time.perf_counter() - started < 2
    if path.name.startswith("valid-"):
        assert playlist is not None, f"{path.name} was refused"
        assert playlist.slides
    elif path.name.startswith("bad-"):
        assert playlist is None, f"{path.name} was accepted"


def test_bad_files_name_each_problem(capsys: pytest.CaptureFixture[str]) -> None:
    """The files with many problems report each one, not just the first."""
    from kiosk.playlist import PlaylistError
    from kiosk.playlist.load import build_playlist
    from kiosk.playlist.safeyaml import decode, parse

    counts = {}
    for name in ("bad-paths.yaml", "bad-numbers.yaml", "bad-keys-and-types.yaml", "bad-tags.yaml"):
        raw = (CORPUS / name).read_bytes()
        with pytest.raises(PlaylistError) as info:
            build_playlist(parse(decode(raw, name), name), TARGET.folder() / name)
        counts[name] = len(info.value.problems)
    assert counts["bad-paths.yaml"] >= 12, counts
    assert counts["bad-numbers.yaml"] >= 7, counts
    assert counts["bad-keys-and-types.yaml"] >= 7, counts
    assert counts["bad-tags.yaml"] >= 5, counts
