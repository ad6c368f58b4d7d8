"""The playlist's JSON Schema, generated from the models, for editors' autocompletion.

pydantic's schema says what the models hold after validation; editors check what people
write. Three places differ, and are rewritten here so that every playlist the loader
accepts validates (tests/unit/test_schema.py runs an independent validator):
- a transition may be written as its name (`transition: fade`) as well as a mapping;
- `when` times are written as YAML and DESIGN.md write them (`2025-01-10T08:00`, no
  seconds, no zone), not as RFC 3339 'date-time' strings;
- a slide's fields depend on its `type`: the union is dispatched with if/then on `type`,
  so a misspelt field gets the errors of that slide's type only, not one per type.
"""

from __future__ import annotations

import copy
from typing import Any

from kiosk import __version__
from kiosk.playlist.model import DAY_FULL_NAMES, SLIDE_TYPES, TRANSITION_NAMES, Playlist

SCHEMA_ID = "https://kiosk.invalid/kiosk-playlist.schema.json"

#: a date, or a date and time to the minute or second, optionally with a zone
LOCAL_TIME_PATTERN = (
    r"^\s*\d{4}-\d{1,2}-\d{1,2}"
    r"([Tt ]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|z|[+-]\d{1,2}(:?\d{2})?)?)?\s*$"
)



def _any_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c}]" for c in word)


#: mon or monday, in any case (the loader reads both)
DAY_PATTERN = (
    r"^\s*(" + "|".join(f"{_any_case(d[:3])}({_any_case(d[3:])})?" for d in DAY_FULL_NAMES) + r")\s*$"
)


def playlist_schema() -> dict[str, Any]:
    schema = Playlist.model_json_schema(by_alias=True)
    definitions = schema.setdefault("$defs", {})
    definitions.pop("SlideBase", None)  # slides are given by their types, below
    references = {}
    for name, model in SLIDE_TYPES.items():  # the registry: every slide type, toy ones too
        one = model.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
        definitions.update(one.pop("$defs", {}))
        definitions[model.__name__] = one
        references[name] = f"#/$defs/{model.__name__}"
    schema["properties"]["slides"]["items"] = _dispatch_on_type(references)
    definitions["Transition"] = _transition_schema(definitions["Transition"])
    when = definitions["When"]["properties"]
    for name in ("from", "until"):
        when[name] = _local_time_schema(when[name])
    when["days"]["anyOf"][0]["items"] = {"type": "string", "pattern": DAY_PATTERN}
    schema["$defs"] = dict(sorted(definitions.items()))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"kiosk playlist (kiosk {__version__})",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def _transition_schema(mapping: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": mapping.get("description", ""),
        "anyOf": [
            {"type": "string", "enum": list(TRANSITION_NAMES)},
            {k: v for k, v in mapping.items() if k != "description"},
        ],
    }


def _local_time_schema(field: dict[str, Any]) -> dict[str, Any]:
    field = copy.deepcopy(field)
    field["anyOf"] = [
        {"type": "string", "pattern": LOCAL_TIME_PATTERN} if option.get("format") == "date-time" else option
        for option in field["anyOf"]
    ]
    field["description"] = "Local time like 2025-01-10T08:00 (a date alone means its midnight)."
    return field


def _dispatch_on_type(mapping: dict[str, str]) -> dict[str, Any]:
    """if/then on `type` (not oneOf, which reports a mistake once per slide type, nor
    OpenAPI's 'discriminator', which JSON Schema validators ignore): a slide is checked
    against its own type's fields only."""
    return {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": sorted(mapping), "description": "The slide's type."}},
        "allOf": [
            {
                "if": {"properties": {"type": {"const": name}}, "required": ["type"]},
                "then": {"$ref": reference},
            }
            for name, reference in sorted(mapping.items())
        ],
    }
