"""Pushed figures: `PUT /api/slides/<id>/values` puts new numbers into a figure or chart
slide while the show runs (Smashing's `POST /widgets/:id`, done with the playlist's own
models). Qt-free; kiosk/live.py applies them to the show.

What may be pushed is the slide's figures, never its words (a title, a label, a unit, a
note, a colour scheme and the columns stay as the playlist writes them: that is what the
people who approved the slide read):
- stat: `value`, `trend`, `decimals`;  gauge: `value`, `decimals`;
- stats: `items`, a list as long as the slide's, each entry `{value, trend, decimals}`
  (or `{}` / null to leave that figure be), matched by position;
- bar: `bars`; pie: `slices`; line: `x` and `series`; table: `rows`: a chart's rows are
  pushed whole, labels with their numbers, since a new month brings a new label.
A number pushed without `decimals` shows as it is written: 99.2 one decimal, the text
"99.20" two.

The body is merged into the slide as the playlist defines it and the result validated by
the slide type's own model, so a pushed value obeys every rule a written one does (a
gauge's value within its max, a line's series as long as its x). Later pushes add to
earlier ones (a `trend` pushed after a `value` keeps the value).

Pushed values are kept in the state folder (`pushed.json`), keyed by the playlist's path
and the slide's id, with a fingerprint of the slide as the playlist defines it: as soon as
the playlist itself (or the data file it reads) changes that slide, its pushed values are
dropped, and the playlist's own figures show again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kiosk import lastgood
from kiosk.alerts import write_json_atomic
from kiosk.playlist.model import Playlist, SlideBase
from kiosk.refusals import refusal
from kiosk.remote.errors import RequestError

log = logging.getLogger(__name__)

#: the file in the state folder
STATE_FILE = "pushed.json"
#: the slide types figures can be pushed into, and the fields of each that are figures
PUSHABLE: dict[str, tuple[str, ...]] = {
    "stat": ("value", "trend", "decimals"),
    "stats": ("items",),
    "gauge": ("value", "decimals"),
    "bar": ("bars",),
    "line": ("x", "series"),
    "pie": ("slices",),
    "table": ("rows",),
}
#: what one entry of a stats slide's `items` may push
ITEM_FIGURES = ("value", "trend", "decimals")
#: the folder last good copies are kept in ("last-good")
_LAST_GOOD = lastgood.copies_folder(Path("/")).name
#: a pushed value replaces the figure as written: its written precision goes with it
_PRECISION_FOLLOWS = {"value": "decimals"}

Values = dict[str, Any]


@dataclass(frozen=True)
class Pushed:
    """The figures pushed into one slide: all of them so far, and when the last came."""

    fingerprint: str
    values: Values
    updated: datetime

    def as_json(self) -> dict[str, object]:
        return {"fingerprint": self.fingerprint, "values": self.values, "updated": self.updated.isoformat()}

    @classmethod
    def from_json(cls, data: object) -> Pushed:
        if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
            raise ValueError("not a pushed entry")
        return cls(str(data["fingerprint"]), data["values"], datetime.fromisoformat(str(data["updated"])))


def fingerprint(slide: SlideBase) -> str:
    """A digest of the slide as the playlist defines it (data files' rows included)."""
    dumped = slide.model_dump(mode="json", by_alias=True)
    text = json.dumps(dumped, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def playlist_key(playlist: Playlist) -> str:
    """What pushed values are kept under: the playlist's real path (a last good copy's is
    the path of the playlist it is a copy of)."""
    origin = origin_path(playlist)
    return str(origin) if origin is not None else "<memory>"


def origin_path(playlist: Playlist) -> Path | None:
    """The playlist's file, or for a last good copy the file it is a copy of (None for a
    playlist built in code)."""
    return Path(_origin_of(str(playlist.path))) if playlist.path is not None else None


@lru_cache(maxsize=64)
def _origin_of(path: str) -> str:
    """A show that started from the last good copy (kiosk/lastgood.py) pushes into the
    playlist it is a copy of: the values stay when the real playlist loads again."""
    folder = Path(path).parent
    if folder.parent.name != _LAST_GOOD:
        return path
    try:
        return str(json.loads((folder / lastgood.ORIGIN_FILE).read_text("utf-8"))["origin"])
    except (OSError, ValueError, KeyError, TypeError):
        return path


def find_slide(playlist: Playlist, slide_id: str) -> SlideBase:
    """The slide with this id; RequestError 404 when there is none."""
    for slide in playlist.slides:
        if slide.id == slide_id:
            return slide
    raise RequestError(f"no slide has the id '{slide_id}'", None, status=404)


# ---------------------------------------------------------------- checking a body


def check_body(slide: SlideBase, data: object) -> Values:
    """The body's fields, each one the slide's and a figure; RequestError otherwise."""
    figures = PUSHABLE.get(slide.type)
    if figures is None:
        kinds = ", ".join(PUSHABLE)
        raise RequestError(f"slide '{slide.id}' is a {slide.type} slide; figures can be pushed into {kinds}")
    if not isinstance(data, Mapping) or not data:
        fields = ", ".join(figures)
        raise RequestError(f"the body must be a JSON object with one or more of: {fields}")
    known = {f.alias or name for name, f in type(slide).model_fields.items()}
    for key in data:
        if key not in known:
            raise RequestError(f"unknown field '{key}' for a {slide.type} slide", str(key))
        if key not in figures:
            raise RequestError(
                f"'{key}' is not a figure; words, units and colours change in the playlist "
                f"(a {slide.type} slide takes {', '.join(figures)})",
                str(key),
            )
    if "items" in data:
        _check_items(slide, data["items"])
    return dict(data)


def _check_items(slide: SlideBase, items: object) -> None:
    count = len(getattr(slide, "items", []))
    if not isinstance(items, list) or len(items) != count:
        raise RequestError(f"items must be a list of {count} entries, one per figure on the slide", "items")
    for number, item in enumerate(items):
        if item is None:
            continue
        if not isinstance(item, Mapping):
            raise RequestError('each item must be an object like {"value": 12.5}', f"items.{number}")
        for key in item:
            if key not in ITEM_FIGURES:
                raise RequestError(
                    f"'{key}' is not a figure; an item takes {', '.join(ITEM_FIGURES)}",
                    f"items.{number}.{key}",
                )


# ---------------------------------------------------------------- merging


def combine(earlier: Values, later: Values) -> Values:
    """Pushes add up: `later` wins field by field, and a stats slide's items entry by entry."""
    combined = {**earlier, **later}
    if "items" in earlier and "items" in later:
        combined["items"] = [
            {**(old or {}), **(new or {})} for old, new in zip(earlier["items"], later["items"], strict=True)
        ]
    return combined


def with_values(slide: SlideBase, values: Values) -> SlideBase:
    """`slide` (as the playlist defines it) with `values` merged in, validated by its own
    type's model; RequestError naming the field when the result is not a valid slide."""
    # The fields not pushed go in as they are (a table's cells cannot be dumped and read back).
    kept = {name: getattr(slide, name) for name in type(slide).model_fields if name not in values}
    data = {**kept, **values}
    for figure, precision in _PRECISION_FOLLOWS.items():
        if figure in values and precision not in values:
            data.pop(precision, None)
    if "items" in values:
        data["items"] = _merged_items(slide, values["items"])
    model = type(slide)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise refusal(error, model, fallback_field=next(iter(values), None)) from None


def _merged_items(slide: SlideBase, items: list[Any]) -> list[dict[str, Any]]:
    merged = []
    for figure, pushed in zip(getattr(slide, "items", []), items, strict=True):
        item = figure.model_dump(by_alias=True)
        if pushed and "value" in pushed and "decimals" not in pushed:
            item.pop("decimals", None)
        merged.append({**item, **(pushed or {})})
    return merged


# ---------------------------------------------------------------- the store


class PushedStore:
    """Pushed values of every playlist, kept in the state folder (None: in memory only)."""

    def __init__(self, state: Path | None, now: Callable[[], datetime] = datetime.now) -> None:
        self.state = state
        self.now = now
        self._entries: dict[str, dict[str, Pushed]] = self._read()

    def push(self, playlist: Playlist, slide_id: str, data: object) -> tuple[SlideBase, Pushed]:
        """Push `data` into slide `slide_id` of `playlist` (as loaded, without pushed
        values). Returns the slide as it now shows and what is kept; RequestError (404
        for an unknown id) when refused, and then nothing changes."""
        original = find_slide(playlist, slide_id)
        values = check_body(original, data)
        print_ = fingerprint(original)
        earlier = self._entries.get(playlist_key(playlist), {}).get(slide_id)
        if earlier is not None and earlier.fingerprint == print_:
            values = combine(earlier.values, values)
        slide = with_values(original, values)
        entry = Pushed(print_, values, self.now())
        self._entries.setdefault(playlist_key(playlist), {})[slide_id] = entry
        self._write()
        return slide, entry

    def entries_for(self, playlist: Playlist) -> dict[str, Pushed]:
        """The pushed values kept for `playlist`, by slide id."""
        return dict(self._entries.get(playlist_key(playlist), {}))

    def entry(self, playlist: Playlist, slide_id: str | None) -> Pushed | None:
        if slide_id is None:
            return None
        return self._entries.get(playlist_key(playlist), {}).get(slide_id)

    def apply(self, playlist: Playlist) -> Playlist:
        """`playlist` (as loaded) with its pushed values in: the same object when it has
        none. Values whose slide the playlist has changed, or left out, are dropped."""
        key = playlist_key(playlist)
        entries = self._entries.get(key, {})
        if not entries:
            return playlist
        slides, dropped = list(playlist.slides), []
        by_id = {slide.id: index for index, slide in enumerate(slides) if slide.id}
        for slide_id, entry in list(entries.items()):
            index = by_id.get(slide_id)
            reason = self._stale(slides[index] if index is not None else None, entry)
            if reason is None and index is not None:
                try:
                    slides[index] = with_values(slides[index], entry.values)
                    continue
                except RequestError as error:
                    reason = f"they no longer fit it ({error.message})"
            dropped.append(slide_id)
            log.info("pushed values of slide '%s' dropped: %s", slide_id, reason)
        for slide_id in dropped:
            del entries[slide_id]
        if not entries:
            self._entries.pop(key, None)
        if dropped:
            self._write()
        return playlist.model_copy(update={"slides": slides}) if entries else playlist

    @staticmethod
    def _stale(slide: SlideBase | None, entry: Pushed) -> str | None:
        if slide is None:
            return "the playlist has no slide with that id any more"
        if fingerprint(slide) != entry.fingerprint:
            return "the playlist changed the slide"
        return None

    # ------------------------------------------------------------ the state folder

    def _read(self) -> dict[str, dict[str, Pushed]]:
        if self.state is None:
            return {}
        path = self.state / STATE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return {
                key: {slide_id: Pushed.from_json(entry) for slide_id, entry in slides.items()}
                for key, slides in data["playlists"].items()
            }
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            log.warning("pushed values: %s cannot be read (%s); starting without them", path, error)
            return {}

    def _write(self) -> None:
        if self.state is None:
            return
        playlists = {
            key: {slide_id: entry.as_json() for slide_id, entry in slides.items()}
            for key, slides in self._entries.items()
        }
        try:
            write_json_atomic(self.state / STATE_FILE, {"version": 1, "playlists": playlists})
        except OSError as error:  # a full disk must not take the push (or the show) down
            log.error("pushed values: cannot keep them in %s: %s", self.state, error)
