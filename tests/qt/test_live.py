"""Live data in a running show (kiosk/live.py), offscreen: alerts over everything, the
alert file beside the playlist, figures pushed into slides on air and off, and what a
restart and a reload keep."""

from __future__ import annotations

import json
import logging
import textwrap
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from kiosk import alerts, lastgood
from kiosk.alert_layer import URGENT_RED, WARNING_AMBER
from kiosk.app import ensure_application, slide_context
from kiosk.live import LiveData
from kiosk.player import Player
from kiosk.playlist import Playlist, load_playlist
from kiosk.reload import Reloader
from kiosk.remote.errors import RequestError
from kiosk.theme import Metrics
from kiosk.window import ShowWindow

SHOW = """
defaults: {duration: 30s, transition: none}
slides:
  - {type: stat, id: rate, label: 破案率, value: 90.5, unit: "%"}
  - type: stats
    id: board
    items: [{label: 立案, value: 12.5, unit: 万}, {label: 破案, value: 9400, unit: 余名}]
  - {type: gauge, id: online, label: 网上办理, value: 40}
  - {type: title, id: end, title: 谢谢}
  - {type: bar, id: bars, bars: [{label: 立案数, value: -18.4}, {label: 破案数, value: 20.9}], unit: "%"}
  - {type: pie, id: share, unit: 件, slices: [{label: 盗窃, value: 45}, {label: 诈骗, value: 30}]}
  - {type: pie, id: parts, slices: [{label: 盗窃, value: 45}, {label: 诈骗, value: 30}]}
"""


class Wall:
    """The show's wall clock, moved by the tests."""

    def __init__(self) -> None:
        self.now = datetime(2024, 1, 10, 12, 0)
        self.real = False

    def __call__(self) -> datetime:
        return datetime.now() if self.real else self.now


class Show:
    """A window, its player and its LiveData, made again on demand (a restart)."""

    def __init__(self, qtbot, folder: Path, wall: Wall) -> None:
        self.qtbot, self.folder, self.wall = qtbot, folder, wall
        self.state = folder / "state"
        self.playlist_path = folder / "show" / "show.yaml"
        self.playlist_path.parent.mkdir(parents=True, exist_ok=True)
        self.write(SHOW)
        self.windows: list[ShowWindow] = []

    def write(self, text: str) -> None:
        self.playlist_path.write_text(textwrap.dedent(text), encoding="utf-8")

    def start(
        self, size: tuple[int, int] = (960, 540), playlist: Playlist | None = None
    ) -> tuple[ShowWindow, LiveData]:
        ensure_application()
        playlist = playlist or load_playlist(self.playlist_path)
        player = Player(playlist, clock=lambda: 0.0, wall=self.wall)
        window = ShowWindow(player, slide_context(playlist))
        self.qtbot.addWidget(window)
        window.show_on(None, fullscreen=False, size=size)
        player.start()
        self.qtbot.waitExposed(window)
        self.windows.append(window)
        return window, LiveData(window, player, state=self.state)

    def stop(self) -> None:
        for window in self.windows:
            window.quit()
        self.windows.clear()

    @property
    def alert_file(self) -> Path:
        return self.playlist_path.parent / alerts.ALERT_FILE


@pytest.fixture
def show(qtbot, tmp_path: Path) -> Iterator[Show]:
    made = Show(qtbot, tmp_path, Wall())
    yield made
    made.stop()


def on_top(window: ShowWindow, live: LiveData) -> bool:
    """The layer is visible and above every other child widget of the window."""
    widgets = [c for c in window.children() if isinstance(c, QWidget) and c.isVisible()]
    return live.layer.isVisible() and widgets[-1] is live.layer


def centre_colour(window: ShowWindow) -> QColor:
    image = window.grab().toImage()
    return image.pixelColor(image.width() // 2, image.height() // 2)


# ---------------------------------------------------------------- the API's alert


def test_an_urgent_alert_covers_the_show_and_the_black_screen(show: Show) -> None:
    window, live = show.start()
    answer = live.show_alert({"message": "三号门关闭，请从二号门有序离场", "priority": "urgent"})
    assert answer["on_screen"] is True and answer["source"] == "api"
    assert on_top(window, live)
    assert centre_colour(window).name() == URGENT_RED.name()
    window.player.toggle_black()
    assert window.black.isVisible()
    assert on_top(window, live)  # above the black layer the window just raised
    window.open_overview()
    assert on_top(window, live)
    assert centre_colour(window).name() == URGENT_RED.name()


def test_a_warning_dims_the_slide_around_its_band(show: Show) -> None:
    window, live = show.start()
    live.show_alert({"message": "演出即将开始，请关闭手机铃声"})
    image = window.grab().toImage()
    assert image.pixelColor(image.width() // 2, image.height() // 2).name() == WARNING_AMBER.name()
    corner = image.pixelColor(4, 4)
    assert corner.lightness() < 20  # the slide behind is dimmed, not hidden


def test_clearing(show: Show, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kiosk.live")
    _, live = show.start()
    assert live.clear_alert() is False  # nothing to clear
    live.show_alert({"message": "寻人", "priority": "info"})
    assert live.clear_alert() is True
    assert not live.layer.isVisible() and live.alert is None
    assert "alert cleared by the API: [info] 寻人" in caplog.text
    assert "alert off the wall" in caplog.text
    assert not (show.state / alerts.STATE_FILE).exists()


def test_a_refused_alert_changes_nothing(show: Show) -> None:
    _, live = show.start()
    live.show_alert({"message": "第一条", "priority": "info"})
    with pytest.raises(RequestError) as caught:
        live.show_alert({"message": "第二条", "priority": "loud"})
    assert caught.value.field == "priority"
    assert live.alert is not None and live.alert.alert.message == "第一条"


def test_an_alert_goes_when_it_expires(show: Show, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kiosk.live")
    _, live = show.start()
    live.show_alert({"message": "十分钟后闭馆", "seconds": 600})
    assert live._expiry.isActive()  # the timer that takes it down is armed
    show.wall.now += timedelta(seconds=599)
    live.expire()
    assert live.layer.isVisible()
    show.wall.now += timedelta(seconds=1)
    live.expire()
    assert not live.layer.isVisible()
    assert "alert expired: [warning] 十分钟后闭馆" in caplog.text
    assert not (show.state / alerts.STATE_FILE).exists()


def test_the_expiry_timer_takes_it_down_by_itself(show: Show, qtbot) -> None:
    show.wall.real = True  # the timer waits in real time
    _, live = show.start()
    live.show_alert({"message": "马上结束", "seconds": 0.3})
    assert live.alert is not None
    qtbot.waitUntil(lambda: live.alert is None, timeout=3000)


def test_an_api_alert_survives_a_restart_until_it_expires(show: Show) -> None:
    window, live = show.start()
    live.show_alert(
        {"message": "寻人：5岁男孩，蓝色上衣", "title": "寻人启事", "priority": "urgent", "seconds": 3600}
    )
    show.stop()
    show.wall.now += timedelta(minutes=30)
    window, live = show.start()  # a restart: the same state folder
    assert live.alert is not None and live.alert.alert.title == "寻人启事"
    assert on_top(window, live)
    show.stop()
    show.wall.now += timedelta(minutes=31)
    window, live = show.start()
    assert live.alert is None and not live.layer.isVisible()
    assert not (show.state / alerts.STATE_FILE).exists()


# ---------------------------------------------------------------- alert.yaml


def test_alert_file_shows_while_it_exists(show: Show, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kiosk.live")
    show.alert_file.write_text("message: 大厅东侧暂停开放\npriority: info\n", encoding="utf-8")
    _, live = show.start()
    live.check_alert_file()
    assert live.alert is not None and live.alert.source == "file"
    assert live.alert.alert.message == "大厅东侧暂停开放"
    show.alert_file.unlink()
    live.check_alert_file()
    assert live.alert is None
    assert "was removed" in caplog.text


def test_alert_file_is_picked_up_by_the_watch(show: Show, qtbot) -> None:
    _, live = show.start()
    show.alert_file.write_text("message: 紧急疏散\npriority: urgent\n", encoding="utf-8")
    qtbot.waitUntil(lambda: live.alert is not None, timeout=5000)  # the folder's event (or the poll)
    show.alert_file.unlink()
    qtbot.waitUntil(lambda: live.alert is None, timeout=5000)


def test_an_invalid_alert_file_logs_where_and_keeps_what_shows(
    show: Show, caplog: pytest.LogCaptureFixture
) -> None:
    show.alert_file.write_text("message: 第一版\n", encoding="utf-8")
    _, live = show.start()
    live.check_alert_file()
    show.alert_file.write_text("message: 第二版\npriority: loud\n", encoding="utf-8")
    live.check_alert_file()
    assert live.alert is not None and live.alert.alert.message == "第一版"  # nothing new
    problem = f"{show.alert_file}:2:11: priority cannot be 'loud'; choose one of: info, warning, urgent"
    assert live.alert_problems == [problem]
    assert problem in caplog.text


def test_an_invalid_alert_file_shows_nothing(show: Show) -> None:
    show.alert_file.write_text("mesage: 写错了\n", encoding="utf-8")
    _, live = show.start()
    live.check_alert_file()
    assert live.alert is None
    assert [p.split(": ", 1)[1] for p in live.alert_problems] == [
        "missing required key 'message'",
        "unknown key 'mesage' (did you mean 'message'?)",
    ]


def test_an_expired_alert_file_shows_nothing(show: Show) -> None:
    show.alert_file.write_text("message: 已过时\nuntil: 2024-01-10T11:00\n", encoding="utf-8")
    _, live = show.start()
    live.check_alert_file()
    assert live.alert is None


def test_a_last_good_copy_watches_the_alert_file_beside_the_real_playlist(show: Show) -> None:
    root = show.folder / "copies"
    lastgood.save(load_playlist(show.playlist_path), root)
    copy = lastgood.load(show.playlist_path, root)
    assert copy is not None
    show.alert_file.write_text("message: 紧急疏散\npriority: urgent\n", encoding="utf-8")
    _, live = show.start(playlist=copy.playlist)  # the playlist was broken at boot
    live.check_alert_file()
    assert live.alert is not None and live.alert.alert.message == "紧急疏散"


def test_the_api_and_the_file_the_higher_priority_shows(show: Show) -> None:
    show.alert_file.write_text("message: 文件通知\npriority: info\n", encoding="utf-8")
    _, live = show.start()
    live.check_alert_file()
    live.show_alert({"message": "紧急", "priority": "urgent"})
    assert live.alert is not None and live.alert.source == "api"
    live.clear_alert()
    assert live.alert is not None and live.alert.source == "file"  # the file's comes back


# ---------------------------------------------------------------- pushed figures


def test_a_pushed_figure_counts_from_the_old_one(show: Show) -> None:
    window, live = show.start()
    window.view.finish()
    assert window.view.number_text(1.0) == "90.5%"
    answer = live.push_values("rate", {"value": 93.2})
    assert answer == {
        "slide": "rate",
        "type": "stat",
        "values": {"value": 93.2},
        "updated": "2024-01-10T12:00:00",
        "on_air": True,
    }
    view = window.view
    assert view.model.value == 93.2
    assert view.number_text(0.0) == "90.5%"  # from the number the audience was reading
    assert view.number_text(1.0) == "93.2%"
    assert view.isVisible()
    assert live.stamp.isVisible() and live.stamp.text == "数据更新于 12:00"


@pytest.mark.parametrize("size", [(960, 540), (540, 960)])
def test_the_stamp_stays_clear_of_the_status_row(show: Show, size: tuple[int, int]) -> None:
    window, live = show.start(size)
    live.push_values("rate", {"value": 93.2})
    window.player.set_paused(True)  # the status row at its widest: paused mark and counter
    band = window.overlay._status_band(Metrics(*size))
    stamp = live.stamp.geometry()
    assert stamp.top() >= band.bottom()
    assert window.rect().contains(stamp)


def test_stats_and_gauge_count_from_the_old_figures(show: Show) -> None:
    window, live = show.start()
    window.player.go_to("board")
    live.push_values("board", {"items": [{"value": 13.1}, None]})
    view = window.view
    assert [view.number_text(i, 0.0) for i in (0, 1)] == ["12.5万", "9400余名"]
    assert [view.number_text(i, 1.0) for i in (0, 1)] == ["13.1万", "9400余名"]
    assert view.card_in(0, 0.0) == 1.0  # the cards stay; only the numbers move
    window.player.go_to("online")
    live.push_values("online", {"value": 60})
    gauge = window.view
    assert gauge.number_text(0.0) == "40%" and gauge.number_text(1.0) == "60%"
    assert gauge.sweep_angle(0.0) == pytest.approx(gauge.sweep_angle(1.0) * 40 / 60)


def test_bars_grow_on_from_their_old_lengths(show: Show) -> None:
    window, live = show.start()
    window.player.go_to("bars")
    window.view.finish()
    live.push_values("bars", {"bars": [{"label": "立案数", "value": -20}, {"label": "挽损", "value": 5.5}]})
    view = window.view
    assert view.bar_values(0.0) == [-18.4, 0.0]  # a label that was there moves on; a new one grows
    assert view.bar_values(1.0) == [-20, 5.5]
    assert view.value_texts(1.0) == ["-20.0%", "+5.5%"]


def test_a_pie_counts_its_hole_on_from_the_old_number(show: Show) -> None:
    window, live = show.start()
    window.player.go_to("share")
    live.push_values("share", {"slices": [{"label": "盗窃", "value": 50}, {"label": "诈骗", "value": 30}]})
    assert window.view.center_texts(0.0) == ("75件", "合计")  # the old total
    assert window.view.center_texts(1.0) == ("80件", "合计")
    window.player.go_to("parts")
    live.push_values("parts", {"slices": [{"label": "盗窃", "value": 30}, {"label": "诈骗", "value": 70}]})
    assert window.view.center_texts(0.0) == ("40%", "诈骗")  # 诈骗's old share: 30 of 75
    assert window.view.center_texts(1.0) == ("70%", "诈骗")


def test_a_slide_off_air_shows_its_pushed_figure_when_it_comes(show: Show) -> None:
    window, live = show.start()
    answer = live.push_values("online", {"value": 75})
    assert answer["on_air"] is False
    assert window.view.model.id == "rate" and not live.stamp.isVisible()
    window.player.go_to("online")
    assert window.view.model.value == 75
    assert window.view.number_text(0.0) == "0%"  # a slide coming on air counts as usual
    assert live.stamp.isVisible()
    window.player.go_to("end")
    assert not live.stamp.isVisible()


def test_refused_pushes(show: Show) -> None:
    window, live = show.start()
    with pytest.raises(RequestError) as caught:
        live.push_values("nobody", {"value": 1})
    assert caught.value.status == 404
    with pytest.raises(RequestError) as caught:
        live.push_values("rate", {"label": "改名"})
    assert (caught.value.status, caught.value.field) == (400, "label")
    with pytest.raises(RequestError) as caught:
        live.push_values("online", {"value": 101})
    assert caught.value.field == "value"
    assert window.view.model.value == 90.5
    assert not (show.state / "pushed.json").exists()


def test_pushed_figures_survive_a_restart(show: Show) -> None:
    window, live = show.start()
    live.push_values("rate", {"value": 93.2})
    show.stop()
    window, live = show.start()
    assert window.player.snapshot().slide.value == 93.2
    assert window.view.model.value == 93.2
    assert live.stamp.isVisible()


def test_a_reload_keeps_pushed_figures_until_the_playlist_changes_the_slide(show: Show) -> None:
    window, live = show.start()
    reloader = Reloader(window, window.player, source=show.playlist_path)
    reloader.loaded.connect(live.playlist_loaded)
    live.push_values("rate", {"value": 93.2})
    show.write(SHOW.replace("title: 谢谢", "title: 谢谢观看"))  # another slide changes
    assert reloader.reload_now()
    assert window.player.snapshot().playlist.slides[3].title == "谢谢观看"
    assert window.view.model.value == 93.2
    show.write(SHOW.replace("value: 90.5", "value: 91.0"))  # the playlist changes the slide
    assert reloader.reload_now()
    assert window.view.model.value == 91.0
    assert not live.stamp.isVisible()
    assert json.loads((show.state / "pushed.json").read_text(encoding="utf-8"))["playlists"] == {}


def test_a_push_while_a_reload_waits_goes_into_both(show: Show) -> None:
    window, live = show.start()
    reloader = Reloader(window, window.player, source=show.playlist_path)
    reloader.loaded.connect(live.playlist_loaded)
    show.write(SHOW.replace("title: 谢谢", "title: 谢谢观看"))
    assert reloader.reload_staged()
    assert window.player.has_pending  # taken in at the next slide change
    live.push_values("rate", {"value": 93.2})
    assert window.view.model.value == 93.2
    assert window.player.has_pending  # the push did not lose the waiting reload
    window.player.next()
    playlist = window.player.snapshot().playlist
    assert playlist.slides[3].title == "谢谢观看" and playlist.slides[0].value == 93.2
