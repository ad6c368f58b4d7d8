"""The playlist's JSON Schema, generated from the models, for editors' autocompletion."""

from __future__ import annotations

from typing import Any

from kiosk import __version__
from kiosk.playlist.model import Playlist

SCHEMA_ID = "https://kiosk.invalid/kiosk-playlist.schema.json"


def playlist_schema() -> dict[str, Any]:
    schema = Playlist.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"kiosk playlist (kiosk {__version__})",
        **{k: v for k, v in schema.items() if k != "title"},
    }
