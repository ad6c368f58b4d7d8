"""Which slides are on air at a given moment: pure functions of the `when` windows.

Times are the display PC's local wall-clock time, as the people who write
`hours: "08:00-18:00"` mean them; naive datetimes throughout.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from kiosk.playlist.model import DAY_NAMES, SlideBase, When


def is_on_air(when: When | None, now: datetime) -> bool:
    """True when every part of the window that is given holds at `now`."""
    if when is None:
        return True
    if when.from_ is not None and now < _naive(when.from_):
        return False
    if when.until is not None and now >= _naive(when.until):
        return False
    minutes = when.minutes()
    day_to_check = now
    if minutes is not None:
        start, end = minutes
        current = now.hour * 60 + now.minute
        if start < end:
            if not start <= current < end:
                return False
        elif current >= start:
            pass  # evening part of an overnight window: today's day counts
        elif current < end:
            day_to_check = now - timedelta(days=1)  # early morning: it began yesterday
        else:
            return False
    return not (when.days and DAY_NAMES[day_to_check.weekday()] not in when.days)


def on_air(slides: Sequence[SlideBase], now: datetime) -> list[int]:
    """Indexes of the slides to play at `now` (skipped slides never play)."""
    return [i for i, slide in enumerate(slides) if not slide.skip and is_on_air(slide.when, now)]


def next_change(
    slides: Sequence[SlideBase], now: datetime, horizon: timedelta = timedelta(days=8)
) -> datetime | None:
    """The next moment (to the minute) at which the set of slides on air changes, if any
    within the horizon. The player re-plans then instead of polling."""
    boundaries: set[datetime] = set()
    for slide in slides:
        when = slide.when
        if when is None or slide.skip:
            continue
        for moment in (when.from_, when.until):
            if moment is not None and _naive(moment) > now:
                boundaries.add(_naive(moment))
        if when.days or when.minutes():
            boundaries.update(_daily_boundaries(when, now, horizon))
    future = sorted(b for b in boundaries if now < b <= now + horizon)
    current = on_air(slides, now)
    for moment in future:
        if on_air(slides, moment) != current:
            return moment
    return None


def _daily_boundaries(when: When, now: datetime, horizon: timedelta) -> list[datetime]:
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    minutes = when.minutes() or (0, 0)
    result = []
    for day in range(horizon.days + 2):
        base = midnight + timedelta(days=day)
        result.append(base)
        result.extend(base + timedelta(minutes=m) for m in minutes)
    return result


def _naive(moment: datetime) -> datetime:
    """Playlist datetimes are local time; one with a zone is converted to local, then naive."""
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment
