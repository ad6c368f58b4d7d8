"""`when` windows: date ranges, days of the week, daily hours (overnight too)."""

from __future__ import annotations

from datetime import datetime

import pytest

from kiosk.playlist.durations import format_duration, parse_duration
from kiosk.playlist.model import When
from kiosk.playlist.schedule import is_on_air, next_change, on_air

from .helpers import load

# 2024-01-10 is a Wednesday: Police Day.
POLICE_DAY = datetime(2024, 1, 10, 12, 0)


def when(**parts: object) -> When:
    return When.model_validate(parts)


@pytest.mark.parametrize(
    ("window", "moment", "expected"),
    [
        ({}, POLICE_DAY, True),
        ({"from": "2024-01-10T08:00", "until": "2024-01-10T20:00"}, POLICE_DAY, True),
        ({"from": "2024-01-10T08:00", "until": "2024-01-10T20:00"}, datetime(2024, 1, 10, 20, 0), False),
        ({"from": "2024-01-10T08:00"}, datetime(2024, 1, 10, 7, 59), False),
        ({"days": ["wed"]}, POLICE_DAY, True),
        ({"days": ["Mon", "TUESDAY"]}, POLICE_DAY, False),
        ({"hours": "08:00-18:00"}, datetime(2024, 1, 10, 18, 0), False),
        ({"hours": "08:00-18:00"}, datetime(2024, 1, 10, 8, 0), True),
        ({"hours": "00:00-24:00"}, datetime(2024, 1, 10, 23, 59), True),
        ({"hours": "22:00-06:00", "days": ["wed"]}, datetime(2024, 1, 10, 23, 0), True),
        ({"hours": "22:00-06:00", "days": ["wed"]}, datetime(2024, 1, 11, 5, 0), True),  # Wed night
        ({"hours": "22:00-06:00", "days": ["wed"]}, datetime(2024, 1, 10, 5, 0), False),  # Tue night
        ({"hours": "22:00-06:00"}, datetime(2024, 1, 10, 12, 0), False),
    ],
)
def test_is_on_air(window: dict, moment: datetime, expected: bool) -> None:
    assert is_on_air(when(**window), moment) is expected


def test_on_air_and_next_change(tmp_path) -> None:
    playlist = load(
        tmp_path,
        """
        slides:
          - {type: title, title: always}
          - {type: title, title: day, when: {hours: "08:00-18:00"}}
          - {type: title, title: police day, when: {from: 2024-01-10T00:00, until: 2024-01-11T00:00}}
          - {type: title, title: skipped, skip: true}
        """,
    )
    assert on_air(playlist.slides, POLICE_DAY) == [0, 1, 2]
    assert on_air(playlist.slides, datetime(2024, 1, 10, 19, 0)) == [0, 2]
    assert on_air(playlist.slides, datetime(2024, 1, 9, 12, 0)) == [0, 1]
    assert next_change(playlist.slides, POLICE_DAY) == datetime(2024, 1, 10, 18, 0)
    assert next_change(playlist.slides, datetime(2024, 1, 10, 19, 0)) == datetime(2024, 1, 11, 0, 0)


def test_next_change_none_without_windows(tmp_path) -> None:
    playlist = load(tmp_path, "slides:\n  - {type: title, title: a}\n")
    assert next_change(playlist.slides, POLICE_DAY) is None


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        (8, 8.0),
        (2.5, 2.5),
        ("8", 8.0),
        ("8s", 8.0),
        ("1m30s", 90.0),
        ("600ms", 0.6),
        ("1h", 3600.0),
        ("1m 5s", 65.0),
        (" 12S ", 12.0),
        ("0", 0.0),
    ],
)
def test_durations(written: object, seconds: float) -> None:
    assert parse_duration(written) == pytest.approx(seconds)


@pytest.mark.parametrize("written", ["8 parsecs", "s", "", "1m30", True, None, [8], "-5s", -1, "25h"])
def test_bad_durations(written: object) -> None:
    with pytest.raises(ValueError, match=r"duration|negative|24h"):
        parse_duration(written)


@pytest.mark.parametrize(("seconds", "text"), [(8, "8s"), (75, "1m15s"), (0.6, "600ms"), (3725, "1h2m5s")])
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text
