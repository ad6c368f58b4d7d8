"""The JSON Schema agrees with the loader (issue 14): editors' YAML language servers read
the schema, so a playlist the loader accepts must validate there too, and a mistake in a
slide must get that slide type's errors only.

Checked with independent validators: the `check-jsonschema` command (as editors read the
schema, formats on) over the repository's playlists, and the `jsonschema` library over
hypothesis-generated playlists.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from jsonschema import Draft202012Validator, FormatChecker

from kiosk.playlist import load_playlist_text
from kiosk.playlist.schema import playlist_schema

from .strategies import playlists, to_yaml, write_files

ROOT = Path(__file__).resolve().parents[2]
PLAYLISTS = [
    ROOT / "data" / "police-day-2023.yaml",
    ROOT / "data" / "examples" / "every-slide-type.yaml",
    *sorted((ROOT / "fuzz" / "corpus").glob("valid-*.yaml")),
]
VALIDATOR = Draft202012Validator(playlist_schema(), format_checker=FormatChecker())


def as_editors_see_it(text: str) -> Any:
    """The YAML as plain JSON data; YAML timestamps become the ISO text they were."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, datetime | date):
            return value.isoformat()
        return value

    return plain(yaml.safe_load(text))


def errors(data: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(data)]


def test_check_jsonschema_passes_every_playlist_in_the_repository(tmp_path) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(playlist_schema(), ensure_ascii=False), encoding="utf-8")
    command = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), *map(str, PLAYLISTS)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", PLAYLISTS, ids=lambda p: p.name)
def test_every_playlist_in_the_repository_loads_and_validates(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    if path.parent.name != "corpus":  # the corpus's own test loads those with its sample files
        load_playlist_text(text, path.name, path.parent)
    assert errors(as_editors_see_it(text)) == []


@given(playlists())
def test_every_generated_playlist_the_loader_accepts_validates(tmp_path_factory, data: dict[str, Any]) -> None:
    folder = write_files(tmp_path_factory.mktemp("schema", numbered=True))
    text = to_yaml(data)
    load_playlist_text(text, "show.yaml", folder)  # accepted (raises otherwise)
    assert errors(as_editors_see_it(text)) == []


LINE = """\
version: 1
defaults: {duration: 8s, transition: fade}
slides:
  - type: line
    title: 电信诈骗
    x: [2021, 2022, 2023]
    series:
      - {name: 2022, values: [2.90, 4.00, 3.5]}
    {extra}
"""


def test_a_misspelt_field_of_a_line_slide_is_one_error() -> None:
    data = as_editors_see_it(LINE.replace("{extra}", "unti: 亿元"))
    assert errors(data) == ["slides/0: Additional properties are not allowed ('unti' was unexpected)"]


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        ("type: linechart", "slides/0/type"),  # an unknown type
        ("transition: wipe", "slides/0/transition"),  # an unknown transition
        ("duration: soon", "slides/0/duration"),
        ("when: {days: [monster]}", "slides/0/when"),
        ("skip: 1", "slides/0/skip"),
    ],
)
def test_what_the_loader_refuses_for_its_structure_the_schema_refuses(extra: str, where: str) -> None:
    text = LINE.replace("    type: line\n", "") if extra.startswith("type:") else LINE
    text = text.replace("{extra}", extra)
    with pytest.raises(Exception, match=r":\d+:\d+: "):
        load_playlist_text(text, "show.yaml")
    found = errors(as_editors_see_it(text))
    assert found, f"the schema accepted what the loader refused: {extra}"
    assert all(message.startswith(where) for message in found), found
