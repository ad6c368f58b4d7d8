"""The bridge to the GUI thread (a busy show answers 503), the server's start in a show
(kiosk/app.py ShowServices), and the pairing code in the help overlay, read back."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PySide6.QtCore import QThread

from kiosk.app import ShowServices, slide_context
from kiosk.commands import Command
from kiosk.player import Player
from kiosk.playlist import load_playlist
from kiosk.remote.address import Address
from kiosk.remote.bridge import GuiBridge
from kiosk.remote.errors import RequestError
from kiosk.remote.token import TOKEN_FILE
from kiosk.theme import register_fonts
from kiosk.window import ShowWindow

from .helpers import SHOW, http_call, write_show

# ---------------------------------------------------------------- the bridge


def test_work_runs_in_the_gui_thread_and_answers(qtbot) -> None:
    bridge = GuiBridge()
    gui = QThread.currentThread()
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(bridge.call, lambda: (QThread.currentThread() == gui, 42))
        qtbot.waitUntil(future.done, timeout=5000)
    assert future.result() == (True, 42)


def test_an_error_in_the_gui_thread_reaches_the_request(qtbot) -> None:
    bridge = GuiBridge()

    def refuse() -> None:
        raise RequestError("no such slide", "slide", 404)

    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(bridge.call, refuse)
        qtbot.waitUntil(future.done, timeout=5000)
    with pytest.raises(RequestError) as error:
        future.result()
    assert (error.value.status, error.value.field) == (404, "slide")


def test_a_busy_gui_thread_is_503_and_the_work_is_dropped(qtbot) -> None:
    bridge = GuiBridge()
    ran: list[int] = []
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(bridge.call, lambda: ran.append(1), 0.3)
        time.sleep(1.0)  # the GUI thread is busy: its event loop does not turn
        with pytest.raises(RequestError) as error:
            future.result(timeout=5)
    assert error.value.status == 503
    qtbot.wait(200)  # now it turns: the work its request gave up on is not done
    assert ran == [] and bridge.ran == 0


def test_a_call_from_the_gui_thread_itself_runs_at_once(qtbot) -> None:
    assert GuiBridge().call(lambda: 7) == 7


# ---------------------------------------------------------------- the show's services


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def show(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("KIOSK_REMOTE_TOKEN", raising=False)

    register_fonts()  # the bundled CJK fonts, as the show has them

    def make(text: str = SHOW) -> tuple[ShowWindow, Player, ShowServices]:
        path = write_show(tmp_path / "show", text)
        player = Player(load_playlist(path))
        window = ShowWindow(player, slide_context(player.playlist))
        qtbot.addWidget(window)
        player.start()
        window.resize(1280, 720)
        window.show()
        services = ShowServices(window, player, source=path)
        made.append(services)
        return window, player, services

    made: list[ShowServices] = []
    yield make
    for services in made:
        services.stop()


def test_no_server_unless_asked(show) -> None:
    window, _, services = show()
    services.start_remote()
    assert services.remote is None
    assert window.overlay.pairing is None


def test_the_playlists_remote_block_starts_it(show, qtbot, tmp_path: Path) -> None:
    port = free_port()
    window, player, services = show(f"remote: {{port: {port}}}\n" + SHOW)
    services.start_remote()
    assert services.remote is not None and services.remote.server is not None
    assert services.remote.server.server_address[:2] == ("127.0.0.1", port)  # this PC only, unless named
    token = (tmp_path / "state" / "kiosk" / TOKEN_FILE).read_text().strip()
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(http_call, port, "POST", "/api/command", body={"command": "next"}, token=token)
        qtbot.waitUntil(future.done, timeout=10_000)
    assert future.result().status == 200
    assert player.snapshot().position == 1
    assert window.overlay.pairing is None  # this PC only: no phone could reach the code's address


def test_remote_on_the_command_line_wins_and_stop_closes_the_port(show, qtbot) -> None:
    port = free_port()
    _, _, services = show("remote: {port: 1}\n" + SHOW)
    services.remote_address = Address("127.0.0.1", port)
    services.start_remote()
    assert services.remote is not None and services.remote.port == port
    services.stop()
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass


def test_a_port_in_use_leaves_the_show_playing_and_says_so(show, capfd, caplog) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        window, _, services = show()
        services.remote_address = Address("127.0.0.1", taken.getsockname()[1])
        services.start_remote()
    assert services.remote is None
    assert "the remote control could not start" in capfd.readouterr().err
    assert window.isVisible()
    caplog.clear()  # the logged error was the point


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_the_help_overlay_shows_a_pairing_code_phones_read(show, qtbot, tmp_path: Path, size) -> None:
    window, _, services = show()
    services.remote_address = Address("0.0.0.0", free_port())  # on the network: phones can pair
    services.start_remote()
    window.resize(*size)
    window.run(Command.HELP)
    qtbot.wait(50)
    assert shutil.which("zbarimg"), "zbarimg is missing: run tools/system-deps.sh test"
    picture = tmp_path / f"help-{size[0]}x{size[1]}.png"
    assert window.grab().save(str(picture))
    read = subprocess.run(["zbarimg", "--quiet", "--raw", str(picture)], capture_output=True, text=True,
                          timeout=60)
    url = services.remote.pairing_url()
    assert url is not None and read.stdout.strip() == url
    assert "#token=" in url and "?" not in url and "0.0.0.0" not in url  # the address phones reach


def test_the_presenter_views_help_shows_the_code_too(show, qtbot, tmp_path: Path) -> None:
    from kiosk.presenter import PresenterWindow

    window, _, services = show()
    presenter = PresenterWindow(window)
    qtbot.addWidget(presenter)
    presenter.resize(1280, 720)
    presenter.show()
    services.presenter = presenter
    services.remote_address = Address("0.0.0.0", free_port())
    services.start_remote()
    assert presenter.overlay.pairing is not None
    assert presenter.overlay.pairing == window.overlay.pairing
    presenter.overlay.set_state(help=True)
    qtbot.wait(50)
    picture = tmp_path / "presenter-help.png"
    assert presenter.grab().save(str(picture))
    read = subprocess.run(["zbarimg", "--quiet", "--raw", str(picture)], capture_output=True, text=True, timeout=60)
    assert read.stdout.strip() == services.remote.pairing_url()
