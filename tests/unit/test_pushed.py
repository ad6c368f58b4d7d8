"""Pushed figures (kiosk/pushed.py): what a body may change, how it is checked (by the
slide type's own model), how pushes add up, and what is kept across restarts until the
playlist itself changes the slide. Qt-free."""

from __future__ import annotations

import json
import logging
import textwrap
from datetime import datetime
from pathlib import Path

import pytest

from kiosk import lastgood
from kiosk.playlist import load_playlist
from kiosk.playlist.model import SLIDE_TYPES, Playlist, SlideBase
from kiosk.pushed import PUSHABLE, STATE_FILE, PushedStore, fingerprint, with_values
from kiosk.remote.errors import RequestError

SHOW = """
slides:
  - {type: stat, id: rate, label: 破案率, value: 99.2, unit: "%", note: 同比}
  - type: stats
    id: board
    items: [{label: 立案, value: 12.5, unit: 万}, {label: 破案, value: 9400, unit: 余名}]
  - {type: gauge, id: online, label: 网上办理, value: 88}
  - {type: bar, id: bars, title: 同比, bars: [{label: 立案数, value: -18.4}, {label: 破案数, value: 20.9}]}
  - {type: line, id: trend, x: ["2022", "2023"], series: [{name: 挽损, values: [2.9, 4.0]}]}
  - {type: pie, id: share, slices: [{label: 盗窃, value: 45}, {label: 诈骗, value: 30}]}
  - {type: table, id: cities, columns: [城市, {header: 立案, unit: 起}], rows: [[南京, 1234], [苏州, 2345]]}
  - {type: text, id: words, body: 举措}
"""

NOW = datetime(2024, 1, 10, 12, 5)


def write_show(folder: Path, text: str = SHOW) -> Path:
    path = folder / "show.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def playlist(tmp_path: Path) -> Playlist:
    return load_playlist(write_show(tmp_path))


@pytest.fixture
def store(tmp_path: Path) -> PushedStore:
    return PushedStore(tmp_path / "state", now=lambda: NOW)


def slide(playlist: Playlist, slide_id: str) -> SlideBase:
    return next(s for s in playlist.slides if s.id == slide_id)


def refused(store: PushedStore, playlist: Playlist, slide_id: str, body: object) -> RequestError:
    with pytest.raises(RequestError) as caught:
        store.push(playlist, slide_id, body)
    return caught.value


# ---------------------------------------------------------------- what may be pushed


@pytest.mark.parametrize(
    ("slide_id", "body", "check"),
    [
        ("rate", {"value": 99.6}, lambda s: (s.value, s.decimals, s.note) == (99.6, 1, "同比")),
        ("rate", {"value": "99.60"}, lambda s: (s.value, s.decimals) == (99.6, 2)),  # text keeps its zeros
        ("rate", {"value": 97, "trend": "down"}, lambda s: (s.value, s.decimals, s.trend) == (97, 0, "down")),
        ("online", {"value": 91.5}, lambda s: (s.value, s.label) == (91.5, "网上办理")),
        (
            "board",
            {"items": [{"value": 13.1}, None]},
            lambda s: (
                [(i.label, i.value, i.unit) for i in s.items]
                == [("立案", 13.1, "万"), ("破案", 9400, "余名")]
            ),
        ),
        ("bars", {"bars": [{"label": "立案数", "value": -20}]}, lambda s: [b.value for b in s.bars] == [-20]),
        (
            "trend",
            {"x": ["2022", "2023", "2024"], "series": [{"name": "挽损", "values": [2.9, 4.0, 4.4]}]},
            lambda s: s.series[0].values == [2.9, 4.0, 4.4] and s.x[-1] == "2024",
        ),
        ("share", {"slices": [{"label": "盗窃", "value": 50}]}, lambda s: s.slices[0].value == 50),
        (
            "cities",
            {"rows": [["南京", "1300.0"], ["苏州", 2400]]},
            lambda s: [c.text for c in s.rows[0]] == ["南京", "1300.0"] and s.columns[1].unit == "起",
        ),
    ],
)
def test_a_push_changes_the_figures_and_nothing_else(
    store: PushedStore, playlist: Playlist, slide_id: str, body: dict[str, object], check
) -> None:
    new, entry = store.push(playlist, slide_id, body)
    assert check(new)
    assert new.id == slide_id and type(new) is type(slide(playlist, slide_id))
    assert entry.values == body and entry.updated == NOW


def test_every_pushable_type_is_a_registered_type() -> None:
    assert set(PUSHABLE) <= set(SLIDE_TYPES)
    for name, fields in PUSHABLE.items():
        assert set(fields) <= set(SLIDE_TYPES[name].model_fields), name


@pytest.mark.parametrize(
    ("slide_id", "body", "status", "field", "words"),
    [
        ("nobody", {"value": 1}, 404, None, "no slide has the id 'nobody'"),
        ("words", {"body": "x"}, 400, None, "is a text slide"),
        ("rate", {}, 400, None, "one or more of: value, trend, decimals"),
        ("rate", [99], 400, None, "JSON object"),
        ("rate", {"label": "结案率"}, 400, "label", "'label' is not a figure"),
        ("rate", {"unit": "件"}, 400, "unit", "not a figure"),
        ("bars", {"title": "新标题"}, 400, "title", "not a figure"),
        ("cities", {"columns": ["a", "b"]}, 400, "columns", "not a figure"),
        ("rate", {"valu": 1}, 400, "valu", "unknown field 'valu'"),
        ("rate", {"value": "高"}, 400, "value", "value must be a number, got '高'"),
        ("rate", {"value": True}, 400, "value", "must be a number"),
        ("rate", {"value": 1e16}, 400, "value", "too large"),
        ("rate", {"trend": "sideways"}, 400, "trend", "choose one of: up, down"),
        ("online", {"value": 120}, 400, "value", "outside the gauge's range"),
        ("board", {"items": [{"value": 1}]}, 400, "items", "a list of 2 entries"),
        ("board", {"items": [{"label": "x"}, None]}, 400, "items.0.label", "not a figure"),
        ("board", {"items": [None, {"value": "x"}]}, 400, "items.1.value", "must be a number"),
        ("bars", {"bars": [{"label": "a", "value": "x"}]}, 400, "bars.0.value", "must be a number"),
        ("bars", {"bars": []}, 400, "bars", "at least 1"),
        ("trend", {"x": ["2022", "2023", "2024"]}, 400, "x", "has 2 values but x has 3 labels"),
        ("share", {"slices": [{"label": "a", "value": -1}]}, 400, "slices.0.value", "at least 0"),
        ("cities", {"rows": [["南京", 1, 2]]}, 400, "rows", "row 1 has 3 cells but there are 2 columns"),
    ],
)
def test_refusals_name_the_field(
    store: PushedStore,
    playlist: Playlist,
    slide_id: str,
    body: object,
    status: int,
    field: str | None,
    words: str,
) -> None:
    error = refused(store, playlist, slide_id, body)
    assert (error.status, error.field) == (status, field)
    assert words in error.message
    assert store.entries_for(playlist) == {}  # a refused push keeps nothing


def test_pushes_add_up(store: PushedStore, playlist: Playlist) -> None:
    store.push(playlist, "rate", {"value": 97})
    new, entry = store.push(playlist, "rate", {"trend": "down"})
    assert (new.value, new.trend) == (97, "down")
    assert entry.values == {"value": 97, "trend": "down"}  # what is kept: both
    store.push(playlist, "board", {"items": [{"value": 13}, None]})
    new, _ = store.push(playlist, "board", {"items": [None, {"value": 9500}]})
    assert [i.value for i in new.items] == [13, 9500]


def test_a_slide_as_the_playlist_writes_it_goes_through_unchanged(playlist: Playlist) -> None:
    for original in playlist.slides:
        if original.type in PUSHABLE:
            assert with_values(original, {}) == original


# ---------------------------------------------------------------- applying and keeping


def test_apply_puts_the_values_in_a_copy(store: PushedStore, playlist: Playlist) -> None:
    assert store.apply(playlist) is playlist  # nothing pushed: the same playlist
    store.push(playlist, "rate", {"value": 97})
    shown = store.apply(playlist)
    assert shown is not playlist and shown.path == playlist.path
    assert slide(shown, "rate").value == 97 and slide(playlist, "rate").value == 99.2
    assert slide(shown, "board") is slide(playlist, "board")  # the others are the same objects


def test_values_survive_a_restart(tmp_path: Path, store: PushedStore, playlist: Playlist) -> None:
    store.push(playlist, "rate", {"value": 97})
    store.push(playlist, "cities", {"rows": [["南京", 1300]]})
    again = PushedStore(tmp_path / "state")  # a new run: reads the state folder
    shown = again.apply(load_playlist(playlist.path))
    assert slide(shown, "rate").value == 97
    assert slide(shown, "cities").rows[0][1].value == 1300
    kept = json.loads((tmp_path / "state" / STATE_FILE).read_text(encoding="utf-8"))
    assert kept["playlists"][str(playlist.path)]["rate"]["values"] == {"value": 97}


def test_values_are_dropped_when_the_playlist_changes_the_slide(
    tmp_path: Path, store: PushedStore, playlist: Playlist, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="kiosk.pushed")
    store.push(playlist, "rate", {"value": 97})
    store.push(playlist, "online", {"value": 90})
    edited = load_playlist(write_show(tmp_path, SHOW.replace("value: 99.2", "value: 98.1")))
    shown = store.apply(edited)
    assert slide(shown, "rate").value == 98.1  # the playlist's own new figure
    assert slide(shown, "online").value == 90  # an unchanged slide keeps its pushed value
    assert "pushed values of slide 'rate' dropped: the playlist changed the slide" in caplog.text
    assert set(PushedStore(tmp_path / "state").entries_for(edited)) == {"online"}  # for good


def test_values_are_dropped_when_the_slide_is_gone(
    tmp_path: Path, store: PushedStore, playlist: Playlist
) -> None:
    store.push(playlist, "online", {"value": 90})
    edited = load_playlist(write_show(tmp_path, SHOW.replace("id: online", "id: renamed")))
    assert store.apply(edited).slides == edited.slides
    assert store.entries_for(edited) == {}


def test_values_are_kept_per_playlist(tmp_path: Path, store: PushedStore, playlist: Playlist) -> None:
    other_folder = tmp_path / "other"
    other_folder.mkdir()
    other = load_playlist(write_show(other_folder))
    store.push(playlist, "rate", {"value": 97})
    assert store.apply(other) is other


def test_the_fingerprint_is_of_the_slide_as_defined(playlist: Playlist) -> None:
    rate = slide(playlist, "rate")
    assert fingerprint(rate) == fingerprint(with_values(rate, {}))
    assert fingerprint(rate) != fingerprint(with_values(rate, {"value": 1}))


def test_an_unreadable_state_file_starts_empty(tmp_path: Path, playlist: Playlist) -> None:
    (tmp_path / STATE_FILE).write_text("{not json", encoding="utf-8")
    assert PushedStore(tmp_path).apply(playlist) is playlist


def test_a_last_good_copy_pushes_into_its_playlist(
    tmp_path: Path, store: PushedStore, playlist: Playlist
) -> None:
    """A show that started from the last good copy (the playlist was broken at boot): what
    is pushed then is still there when the playlist itself loads again."""
    root = tmp_path / "copies"
    lastgood.save(playlist, root)
    copy = lastgood.load(playlist.path, root)
    assert copy is not None and copy.playlist.path != playlist.path
    store.push(copy.playlist, "rate", {"value": 97})
    assert slide(store.apply(load_playlist(playlist.path)), "rate").value == 97
