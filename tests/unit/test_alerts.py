"""The alert model (kiosk/alerts.py): what a request or alert.yaml may say, how long an
alert lasts, which one shows, and what a restart keeps. Qt-free."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk import alerts
from kiosk.alerts import ActiveAlert, Alert, activate, load_alert_file, parse_alert, shown
from kiosk.playlist import PlaylistError
from kiosk.remote.errors import RequestError

NOW = datetime(2024, 1, 10, 12, 0)


def refused(data: object) -> RequestError:
    with pytest.raises(RequestError) as caught:
        parse_alert(data)
    return caught.value


def test_a_message_alone_is_a_warning_until_cleared() -> None:
    alert = parse_alert({"message": "  三号门关闭，请从二号门离场  "})
    assert alert.message == "三号门关闭，请从二号门离场"  # trimmed
    assert alert.priority == "warning"
    assert activate(alert, "api", NOW).expires is None


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({}, "message", "missing required key 'message'"),
        ({"message": "   "}, "message", "is empty"),
        ({"message": "字" * (alerts.MAX_MESSAGE + 1)}, "message", f"at most {alerts.MAX_MESSAGE}"),
        ({"message": "a", "title": "字" * (alerts.MAX_TITLE + 1)}, "title", f"at most {alerts.MAX_TITLE}"),
        ({"message": "a", "priority": "red"}, "priority", "choose one of: info, warning, urgent"),
        ({"message": "a", "until": 1800}, "until", "not the number 1800"),
        ({"message": "a", "until": "tomorrow"}, "until", "date and time"),
        ({"message": "a", "seconds": -5}, "seconds", "negative"),
        ({"message": "a", "seconds": 0}, "seconds", "more than 0"),
        ({"message": "a", "seconds": "25h"}, "seconds", "at most 24h"),
        ({"message": "a", "seconds": 5, "until": "2030-01-01T00:00"}, "seconds", "not both"),
        ({"message": "a", "colour": "red"}, "colour", "unknown key 'colour'"),
        ({"message": "a", "source": "file"}, "source", "unknown key 'source'"),  # the show says who
    ],
)
def test_each_refusal_names_its_field(body: dict[str, object], field: str, words: str) -> None:
    error = refused(body)
    assert error.status == 400
    assert error.field == field
    assert words in error.message


def test_a_body_that_is_not_an_object_is_refused() -> None:
    error = refused(["message"])
    assert error.field is None
    assert "JSON object" in error.message


def test_seconds_and_until_set_the_expiry() -> None:
    assert activate(parse_alert({"message": "a", "seconds": "10m"}), "api", NOW).expires == NOW + timedelta(
        minutes=10
    )
    until = parse_alert({"message": "a", "until": "2024-01-10T18:30"})
    assert activate(until, "api", NOW).expires == datetime(2024, 1, 10, 18, 30)


def test_an_until_with_a_zone_is_taken_as_local_time() -> None:
    alert = parse_alert({"message": "a", "until": "2024-01-10T18:30+00:00"})
    assert alert.until is not None and alert.until.tzinfo is None
    utc = datetime(2024, 1, 10, 18, 30, tzinfo=UTC)
    assert alert.until == utc.astimezone().replace(tzinfo=None)


def test_an_api_alert_already_past_is_refused() -> None:
    with pytest.raises(RequestError) as caught:
        activate(parse_alert({"message": "a", "until": "2024-01-10T11:00"}), "api", NOW)
    assert caught.value.field == "until"


def test_a_file_alert_counts_its_seconds_from_the_file() -> None:
    written = NOW - timedelta(minutes=8)
    active = activate(parse_alert({"message": "a", "seconds": 600}), "file", NOW, since=written)
    assert active.expires == written + timedelta(seconds=600)
    assert not active.expired(NOW)
    assert active.expired(NOW + timedelta(minutes=2))


def _active(
    priority: str, source: str = "api", at: datetime = NOW, seconds: float | None = None
) -> ActiveAlert:
    body: dict[str, object] = {"message": priority, "priority": priority}
    if seconds is not None:
        body["seconds"] = seconds
    return activate(parse_alert(body), source, at)  # type: ignore[arg-type]


def test_the_highest_priority_shows_and_the_newest_among_equals() -> None:
    info, urgent = _active("info", "api"), _active("urgent", "file")
    assert shown([info, urgent], NOW) is urgent
    older, newer = _active("warning", "file"), _active("warning", "api", NOW + timedelta(seconds=1))
    assert shown([older, newer], NOW + timedelta(seconds=2)) is newer
    assert shown([], NOW) is None


def test_an_expired_alert_gives_way() -> None:
    short_urgent, info = _active("urgent", seconds=60), _active("info", "file")
    assert shown([short_urgent, info], NOW + timedelta(seconds=59)) is short_urgent
    assert shown([short_urgent, info], NOW + timedelta(seconds=60)) is info


# ---------------------------------------------------------------- kept across restarts


def test_an_api_alert_is_kept_until_it_expires(tmp_path: Path) -> None:
    active = _active("urgent", seconds=3600)
    alerts.save_api_alert(tmp_path, active)
    again = alerts.load_api_alert(tmp_path, NOW + timedelta(minutes=30))
    assert again == active
    assert alerts.load_api_alert(tmp_path, NOW + timedelta(hours=2)) is None
    assert not (tmp_path / alerts.STATE_FILE).exists()  # gone for good once expired


def test_a_broken_kept_alert_is_removed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / alerts.STATE_FILE).write_text('{"alert": {"message": ""}, "source": "api"}', encoding="utf-8")
    assert alerts.load_api_alert(tmp_path, NOW) is None
    assert not (tmp_path / alerts.STATE_FILE).exists()
    assert "cannot be read" in caplog.text


def test_the_kept_file_is_plain_json(tmp_path: Path) -> None:
    alerts.save_api_alert(tmp_path, _active("info", seconds=60))
    kept = json.loads((tmp_path / alerts.STATE_FILE).read_text(encoding="utf-8"))
    assert kept["expires"] == (NOW + timedelta(seconds=60)).isoformat()
    assert kept["source"] == "api"
    alerts.forget_api_alert(tmp_path)
    assert not (tmp_path / alerts.STATE_FILE).exists()


# ---------------------------------------------------------------- alert.yaml


def test_alert_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "alert.yaml"
    path.write_text(
        "message: 寻人：5岁男孩，蓝色上衣\ntitle: 寻人启事\npriority: urgent\nseconds: 30m\n",
        encoding="utf-8",
    )
    assert load_alert_file(path) == Alert(
        message="寻人：5岁男孩，蓝色上衣", title="寻人启事", priority="urgent", seconds=1800
    )


def test_alert_file_problems_are_file_line_col(tmp_path: Path) -> None:
    path = tmp_path / "alert.yaml"
    path.write_text(
        textwrap.dedent("""\
        message: 三号门关闭
        priority: red
        secs: 10
    """),
        encoding="utf-8",
    )
    with pytest.raises(PlaylistError) as caught:
        load_alert_file(path)
    lines = [str(p) for p in caught.value.problems]
    assert lines == [
        f"{path}:2:11: priority cannot be 'red'; choose one of: info, warning, urgent",
        f"{path}:3:1: unknown key 'secs' (did you mean 'seconds'?)",
    ]


def test_an_empty_alert_file_says_what_it_needs(tmp_path: Path) -> None:
    path = tmp_path / "alert.yaml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(PlaylistError) as caught:
        load_alert_file(path)
    assert str(caught.value).startswith(f"{path}:1:1:")


def test_the_models_import_no_qt() -> None:
    code = "import sys, kiosk.alerts, kiosk.pushed, kiosk.refusals; assert 'PySide6' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
