"""A duration of 'nan' is no negative number: the message must say what is wrong."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.playlist.durations import parse_duration


@pytest.mark.parametrize("value", ["nan", "NaN", float("nan")])
def test_nan_is_not_a_number_not_negative(value: object) -> None:
    with pytest.raises(ValueError, match="is not a number") as info:
        parse_duration(value)
    assert "negative" not in str(info.value)


def test_quit_after_nan_says_not_a_number() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "--quit-after", "nan", "x.yaml"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "'nan' is not a number" in result.stderr
