"""The slide-type registry (issue 14): a type registered once shows up in the loader, the
JSON Schema, the fuzz strategies, the views and the README's table, with nothing else to
edit. Proved with a toy type registered by this test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

from kiosk.playlist import load_playlist_text
from kiosk.playlist.model import SLIDE_TYPES, SlideBase, Text, register, unregister
from kiosk.playlist.schema import playlist_schema
from tests.fuzz.strategies import slide_fields, write_files

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import readme_tables  # noqa: E402


class ToySlide(SlideBase):
    """A slide type that exists only in this test."""

    type: Literal["toy"] = "toy"
    view: ClassVar[str] = "kiosk.slides.toy_that_is_not_drawn:ToyView"
    examples: ClassVar[tuple[dict[str, Any], ...]] = ({"type": "toy", "words": "玩具"},)
    words: Text
    size: Literal["small", "large"] = "small"


@pytest.fixture
def toy() -> Iterator[type[ToySlide]]:
    register(ToySlide)
    try:
        yield ToySlide
    finally:
        unregister("toy")


def test_the_registry_lists_the_types_in_order() -> None:
    assert list(SLIDE_TYPES) == [
        "title", "stat", "stats", "bar", "line", "pie", "gauge", "text", "timeline", "image", "tribute",
        "qr", "table",
    ]  # fmt: skip


def test_a_registered_type_loads(toy: type[ToySlide]) -> None:
    playlist = load_playlist_text("slides:\n  - {type: toy, words: 你好, size: large}\n")
    assert isinstance(playlist.slides[0], toy)
    assert playlist.slides[0].label_for_humans() == "toy"
    with pytest.raises(Exception, match="unknown key 'colour'"):
        load_playlist_text("slides:\n  - {type: toy, words: 你好, colour: red}\n")


def test_a_registered_type_is_in_the_schema_with_its_own_fields(toy: type[ToySlide]) -> None:
    schema = playlist_schema()
    assert "toy" in schema["properties"]["slides"]["items"]["properties"]["type"]["enum"]
    validator = Draft202012Validator(schema)
    assert not list(validator.iter_errors({"slides": [{"type": "toy", "words": "x"}]}))
    found = [e.message for e in validator.iter_errors({"slides": [{"type": "toy", "words": "x", "size": "huge"}]})]
    assert found == ["'huge' is not one of ['small', 'large']"]


def test_a_registered_type_gets_fuzz_strategies(toy: type[ToySlide], tmp_path_factory) -> None:
    folder = write_files(tmp_path_factory.mktemp("toy"))
    drawn: list[dict[str, Any]] = []

    @settings(max_examples=25, database=None, suppress_health_check=list(HealthCheck))
    @given(slide_fields("toy"))
    def loads(fields: dict[str, Any]) -> None:
        drawn.append(fields)
        slide = toy.model_validate({"type": "toy", **fields})
        assert slide.words.strip() or slide.words == fields["words"]
        load_playlist_text(f"slides:\n  - type: toy\n    words: {fields['words']!r}\n", folder=folder)

    loads()
    assert len({d["words"] for d in drawn}) > 5, "the strategy varies the example"
    assert any("size" in d for d in drawn), "optional fields are drawn too"


def test_a_registered_type_has_a_view_even_before_it_is_drawn(toy: type[ToySlide]) -> None:
    from kiosk.slides import view_class
    from kiosk.slides.placeholder import PlaceholderView

    assert view_class("toy") is PlaceholderView  # its module does not exist yet


def test_a_registered_type_is_in_the_readme_table(toy: type[ToySlide]) -> None:
    assert "| `toy` | words*, size (small/large) |" in readme_tables.types_table()


def test_the_readme_table_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_tables.updated_readme(readme) == readme, "run: .venv/bin/python tools/readme_tables.py"


def test_a_type_without_its_facts_is_refused() -> None:
    class Bare(SlideBase):
        type: Literal["bare"] = "bare"

    with pytest.raises(TypeError, match="view"):
        register(Bare)
    assert "bare" not in SLIDE_TYPES
