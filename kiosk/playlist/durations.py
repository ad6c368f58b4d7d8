"""Durations as people write them: 8, "8s", "1m30s", "600ms", "1h"."""

from __future__ import annotations

import math
import re

_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_WHOLE = re.compile(r"^(?:\d+(?:\.\d+)?(?:ms|h|m|s))+$")
_UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
MAX_SECONDS = 24 * 3600.0


def parse_duration(value: object) -> float:
    """Seconds for a duration written as a number of seconds or as text like "1m30s".

    Raises ValueError with a message meant for the person who wrote the playlist.
    """
    if isinstance(value, bool):
        raise ValueError(f"a duration must be a number of seconds or text like '8s', got {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        seconds = _parse_text(value)
    else:
        raise ValueError(f"a duration must be a number of seconds or text like '8s', got {value!r}")
    if math.isnan(seconds):  # 'nan' parses as a float; it is no length of time at all
        raise ValueError(f"{value!r} is not a number; write seconds like 8, '8s', '1m30s' or '600ms'")
    if seconds < 0:
        raise ValueError(f"a duration cannot be negative, got {value!r}")
    if seconds > MAX_SECONDS:
        raise ValueError(f"a duration must be at most 24h, got {value!r}")
    return seconds


def _parse_text(text: str) -> float:
    compact = text.strip().lower().replace(" ", "")
    try:
        return float(compact)
    except ValueError:
        pass
    if not _WHOLE.match(compact):
        raise ValueError(f"'{text}' is not a duration; write seconds like 8, '8s', '1m30s' or '600ms'")
    return sum(float(number) * _UNIT_SECONDS[unit] for number, unit in _PART.findall(compact))


def format_duration(seconds: float) -> str:
    """Short human form: 75 -> '1m15s', 8 -> '8s', 0.6 -> '600ms'."""
    if seconds < 1:
        return f"{round(seconds * 1000)}ms"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else "", f"{secs}s" if secs else ""]
    return "".join(parts) or "0s"
