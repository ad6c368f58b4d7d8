"""Alerts over the show: an urgent message (a missing child, an evacuation) shown above
every slide, the overlays and the black screen, until it expires or is cleared.

Qt-free: the model, where alerts come from and how long they last. The layer that draws
them is kiosk/alert_layer.py; kiosk/live.py holds the alerts of a running show.

An alert comes from one of two places, and says which (`source`):
- `api`: POST /api/alert (kiosk/remote). It is kept in the state folder with its expiry,
  so a restart shows it again until it expires; an expired one is gone after a restart.
- `file`: an `alert.yaml` beside the playlist, for a screen reached only by file sync.
  It shows while the file exists and is valid; its `seconds` count from the time the
  file was written (its modification time), so a restart does not start them again.

Priorities, and what each looks like on the wall (kiosk/alert_layer.py):
- `info`: a band across the lower part of the screen in the theme's colours; the slide
  goes on above it.
- `warning`: an amber band across the middle, the slide dimmed behind it.
- `urgent`: the whole screen red with white type; nothing of the show is visible.
When several are current the highest priority shows (the newest among equals).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, ValidationError, field_validator, model_validator

from kiosk.playlist.load import validate_document
from kiosk.playlist.model import Duration, Strict, Text, local_time
from kiosk.playlist.safeyaml import load_file
from kiosk.refusals import refusal
from kiosk.remote.errors import RequestError

log = logging.getLogger(__name__)

#: the file beside the playlist that shows an alert while it exists
ALERT_FILE = "alert.yaml"
#: where the API's alert is kept across restarts, in the state folder
STATE_FILE = "alert.json"

Priority = Literal["info", "warning", "urgent"]
Source = Literal["api", "file"]
#: higher shows first
PRIORITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "urgent": 2}

#: characters of a message: about four lines of type read from across a hall
MAX_MESSAGE = 120
#: characters of a title: one line
MAX_TITLE = 24
#: `seconds` go up to a day (as every duration of a playlist); longer is written with `until`
MAX_SECONDS = 24 * 3600.0


def _bounded(limit: int) -> AfterValidator:
    def check(text: str) -> str:
        text = text.strip()
        if not text:
            raise ValueError("is empty")
        if len(text) > limit:
            raise ValueError(f"has {len(text)} characters; at most {limit} can be read from across a hall")
        return text

    return AfterValidator(check)


Message = Annotated[Text, _bounded(MAX_MESSAGE)]
Title = Annotated[Text, _bounded(MAX_TITLE)]


class Alert(Strict):
    """What an alert says and how long it lasts, as a request body or alert.yaml writes it."""

    message: Message = Field(description=f"What the audience must read, at most {MAX_MESSAGE} characters.")
    title: Title | None = Field(
        default=None, description=f"A heading such as 紧急通知, at most {MAX_TITLE} characters."
    )
    priority: Priority = Field(default="warning", description="info, warning or urgent (see README).")
    until: datetime | None = Field(
        default=None, description="When it goes, like 2024-01-10T18:00 (local time)."
    )
    seconds: Duration | None = Field(default=None, description="How long it shows, like 600 or '10m'.")

    @field_validator("until", mode="before")
    @classmethod
    def _not_a_number(cls, value: Any) -> Any:
        # pydantic would read 1800 as seconds since 1970: a number here is a mistake.
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError(f"write a date and time like 2024-01-10T18:00, not the number {value}")
        return value

    @field_validator("until")
    @classmethod
    def _local_time(cls, value: datetime | None) -> datetime | None:
        """Times are the display PC's local time, as in a playlist's `when`."""
        return local_time(value)

    @field_validator("seconds")
    @classmethod
    def _sensible_seconds(cls, value: float | None) -> float | None:
        if value is not None and not 0 < value <= MAX_SECONDS:
            raise ValueError("must be more than 0 and at most a day; give 'until' for longer")
        return value

    @model_validator(mode="after")
    def _one_expiry(self) -> Alert:
        if self.until is not None and self.seconds is not None:
            raise ValueError("give 'until' or 'seconds', not both")
        return self


@dataclass(frozen=True)
class ActiveAlert:
    """An alert that was set: by whom, when, and when it goes (None: when cleared)."""

    alert: Alert
    source: Source
    set_at: datetime
    expires: datetime | None

    @property
    def rank(self) -> int:
        return PRIORITY_RANK[self.alert.priority]

    def expired(self, now: datetime) -> bool:
        return self.expires is not None and now >= self.expires

    def describe(self) -> str:
        """One line for the log."""
        title = f"{self.alert.title}: " if self.alert.title else ""
        until = f", until {self.expires:%Y-%m-%d %H:%M:%S}" if self.expires else ", until cleared"
        return f"[{self.alert.priority}] {title}{self.alert.message} (from {self.source}{until})"

    def as_json(self) -> dict[str, object]:
        return {
            "alert": self.alert.model_dump(mode="json", exclude_none=True),
            "source": self.source,
            "set_at": self.set_at.isoformat(),
            "expires": self.expires.isoformat() if self.expires else None,
        }

    @classmethod
    def from_json(cls, data: object) -> ActiveAlert:
        """Read back what `as_json` wrote; ValueError (or a ValidationError) when broken."""
        if not isinstance(data, dict):
            raise ValueError("not a mapping")
        source = data.get("source")
        if source not in ("api", "file"):
            raise ValueError(f"unknown source {source!r}")
        expires = data.get("expires")
        return cls(
            alert=Alert.model_validate(data.get("alert")),
            source=source,
            set_at=datetime.fromisoformat(str(data.get("set_at"))),
            expires=datetime.fromisoformat(expires) if isinstance(expires, str) else None,
        )


def parse_alert(data: object) -> Alert:
    """A request body as an Alert, or RequestError naming the field at fault."""
    if not isinstance(data, dict):
        raise RequestError('the body must be a JSON object like {"message": "..."}')
    try:
        return Alert.model_validate(data)
    except ValidationError as error:
        raise refusal(error, Alert, fallback_field="seconds") from None


def activate(alert: Alert, source: Source, now: datetime, *, since: datetime | None = None) -> ActiveAlert:
    """`alert` set at `now`; its `seconds` count from `since` (a file's time) or from now.

    RequestError (field `until`) when `until` has already passed: an alert that would never
    show is a mistake worth saying, not a success."""
    start = since or now
    if alert.until is not None:
        expires: datetime | None = alert.until
    elif alert.seconds is not None:
        expires = start + timedelta(seconds=alert.seconds)
    else:
        expires = None
    if source == "api" and expires is not None and expires <= now:
        raise RequestError(f"until {expires:%Y-%m-%d %H:%M} has already passed", "until")
    return ActiveAlert(alert, source, now, expires)


def shown(alerts: list[ActiveAlert], now: datetime) -> ActiveAlert | None:
    """The alert on the wall: the highest priority among those not expired, the newest
    among equals."""
    current = [a for a in alerts if not a.expired(now)]
    return max(current, key=lambda a: (a.rank, a.set_at), default=None)


# ---------------------------------------------------------------- alert.yaml


def alert_file(playlist_folder: Path) -> Path:
    return playlist_folder / ALERT_FILE


def load_alert_file(path: Path) -> Alert:
    """alert.yaml as an Alert; PlaylistError with FILE:LINE:COL problems, as a playlist's."""
    return validate_document(Alert, load_file(path))


# ---------------------------------------------------------------- the API's alert across restarts


def save_api_alert(state: Path, active: ActiveAlert) -> None:
    """Keep the API's alert in the state folder (written whole or not at all)."""
    write_json_atomic(state / STATE_FILE, active.as_json())


def forget_api_alert(state: Path) -> None:
    """Remove the kept alert; a folder that refuses is logged (the next start would show
    the alert again until it expires, which is the lesser harm than a crash now)."""
    try:
        (state / STATE_FILE).unlink(missing_ok=True)
    except OSError as error:
        log.error("alert: cannot remove %s: %s", state / STATE_FILE, error)


def load_api_alert(state: Path, now: datetime) -> ActiveAlert | None:
    """The API's alert kept by an earlier run, if it has not expired; an expired or
    unreadable one is removed (and the log says why)."""
    path = state / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        active = ActiveAlert.from_json(data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:  # ValidationError and JSONDecodeError are ValueErrors
        log.warning("alert: %s cannot be read (%s); removed", path, str(error).splitlines()[0])
        path.unlink(missing_ok=True)
        return None
    if active.expired(now):
        log.info("alert: the kept alert expired while kiosk was not running: %s", active.describe())
        path.unlink(missing_ok=True)
        return None
    return active


def write_json_atomic(path: Path, data: object) -> None:
    """Write `data` as JSON to `path` through a temporary file and a rename, so a crash or
    a power cut leaves the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
