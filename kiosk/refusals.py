"""A pydantic refusal said the way the control API says it: one RequestError that names
the field at fault, in the same plain words the playlist's FILE:LINE:COL errors use.

Qt-free. The alert (kiosk/alerts.py) and pushed values (kiosk/pushed.py) models raise
through here, so a phone, a Stream Deck and a person editing YAML read the same message.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ValidationError

from kiosk.playlist.load import explain
from kiosk.remote.errors import RequestError

#: at most this many problems are joined into one refusal's message (the rest are noise)
MAX_PROBLEMS = 5


def field_path(location: Sequence[object]) -> str:
    """pydantic's location as the API names a field: ('bars', 0, 'value') -> 'bars.0.value'.

    pydantic also names the member of a union ('list[...]', 'function-before[...]') in a
    location; a client never wrote that, so it is left out."""
    return ".".join(str(part) for part in location if not _is_union_member(part))


def refusal(
    error: ValidationError,
    model: type[BaseModel],
    *,
    prefix: Sequence[object] = (),
    fallback_field: str | None = None,
) -> RequestError:
    """The RequestError for a body `model` refused. Its field is the first problem's (under
    `prefix`, the path of the body inside a bigger one); a problem of the whole model (a
    gauge's value above its max) has no location, and is put on `fallback_field`."""
    details = error.errors(include_url=False)
    allowed = [f.alias or name for name, f in model.model_fields.items()]
    messages: list[str] = []
    for detail in details[:MAX_PROBLEMS]:
        loc = tuple(p for p in detail["loc"] if not _is_union_member(p))
        message = explain({**detail, "loc": loc}, allowed)
        if message not in messages:
            messages.append(message)
    first = tuple(details[0]["loc"]) if details else ()
    field = field_path((*prefix, *first)) if first else fallback_field
    return RequestError("; ".join(messages) or "the request was refused", field or None)


def _is_union_member(part: object) -> bool:
    return isinstance(part, str) and ("[" in part or "(" in part)
