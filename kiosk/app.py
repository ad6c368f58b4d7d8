"""Qt application set-up shared by the show and export, and the play command itself."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication

from kiosk import __version__, memory
from kiosk.playlist.model import Playlist
from kiosk.slides.base import SlideContext
from kiosk.theme import load_theme, register_fonts

if TYPE_CHECKING:  # imported where used: they are not needed before the first frame
    from concurrent.futures import ThreadPoolExecutor

    from kiosk.live import LiveData
    from kiosk.player import Player
    from kiosk.playlog import PlayLogger
    from kiosk.presenter import PresenterWindow
    from kiosk.reload import Reloader
    from kiosk.remote.address import Address
    from kiosk.remote.service import RemoteService
    from kiosk.status import StatusPublisher
    from kiosk.system import ScreenSaverInhibitor, Watchdog
    from kiosk.window import ShowWindow

log = logging.getLogger("kiosk")
EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


def ensure_application() -> QApplication:
    """The process's QApplication (created once), with the bundled fonts registered."""
    app = QApplication.instance()
    if app is None:
        memory.tune_allocator()  # before the first slide's pictures are allocated
        app = QApplication(sys.argv[:1])
        app.setApplicationName("kiosk")
        app.setApplicationDisplayName("kiosk")
    register_fonts()
    assert isinstance(app, QApplication), "another kind of Qt application runs in this process"
    return app


def slide_context(playlist: Playlist) -> SlideContext:
    """The theme the playlist names, with the playlist's own footer line when it has one."""
    theme = load_theme(playlist.theme, playlist.folder)
    if playlist.footer is not None:
        theme = replace(theme, spec=theme.spec.model_copy(update={"footer": playlist.footer}))
    return SlideContext(theme, playlist.folder, playlist.defaults.duration)


def display_problem() -> str | None:
    """Why no window can be shown here, in one line, or None when a display looks usable."""
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform not in ("", "xcb") or sys.platform != "linux":
        return None
    if os.environ.get("WAYLAND_DISPLAY") and platform != "xcb":
        return None
    display = os.environ.get("DISPLAY", "")
    if not display:
        return (
            "kiosk: no display found (DISPLAY is not set). Run it on the display PC's desktop, "
            "or without a screen: QT_QPA_PLATFORM=offscreen kiosk ..., or render pictures "
            "with: kiosk export PLAYLIST --out DIR"
        )
    if display.startswith(":"):
        number = display[1:].split(".")[0]
        if number.isdigit() and not Path(f"/tmp/.X11-unix/X{number}").exists():
            return (
                f"kiosk: cannot reach display {display} (no X server is running there). "
                "Start one, or use QT_QPA_PLATFORM=offscreen, or kiosk export PLAYLIST --out DIR"
            )
    if x_connection_refused(display):
        # Qt would abort (SIGABRT, 134) with advice to reinstall; the usual cause is the
        # X server's key: XAUTHORITY unset or naming another session's file.
        where = os.environ.get("XAUTHORITY") or "not set"
        return (
            f"kiosk: the X server at {display} refused the connection (XAUTHORITY is {where}): "
            "run kiosk as the user logged in on that display, or set XAUTHORITY to that session's file"
        )
    return None


def x_connection_refused(display: str) -> bool:
    """Whether opening the X display fails, tried with libxcb (which Qt's xcb plugin
    loads anyway). False when libxcb is not there: Qt will say what it finds."""
    import ctypes
    import ctypes.util

    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        name = ctypes.util.find_library("xcb")  # slower: asks ldconfig
        try:
            xcb = ctypes.CDLL(name or "libxcb.so")
        except OSError:
            return False
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    # libxcb writes the server's refusal to stderr; kiosk says it in its own one line.
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
            connection = xcb.xcb_connect(display.encode(), None)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    try:
        return not connection or xcb.xcb_connection_has_error(connection) != 0
    finally:
        if connection:
            xcb.xcb_disconnect(connection)  # also frees the error object of a failed connect


def choose_screen(app: QGuiApplication, wanted: str | None) -> QScreen | None:
    """The screen named by --screen (index or name); None means 'no such screen'."""
    screens = app.screens()
    if wanted is None:
        return app.primaryScreen()
    if wanted.isdigit() and int(wanted) < len(screens):
        return screens[int(wanted)]
    for screen in screens:
        if screen.name() == wanted:
            return screen
    return None


def play(
    playlist: Playlist,
    options: argparse.Namespace,
    *,
    source: Path | None = None,
    problems: Sequence[str] = (),
    make_player: Callable[[Playlist], Player] | None = None,
) -> int:
    """Put the playlist on a screen and run until quit (or --quit-after).

    `make_player` makes the show's player in place of the usual one (a rehearsal's:
    kiosk/rehearse.py, manual advance only, listened to before the first slide).

    `source` is the playlist file the user named; it differs from `playlist.path` when the
    named one did not load and its last good copy plays instead (then `problems` says why,
    and the show watches `source` until it loads)."""
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_FAILURE
    from kiosk.system import QuitOnSignals, SingleInstance, Watchdog, setup_logging

    log_file = setup_logging(options.log_level)
    # Armed before Qt starts its threads (its watching process is forked then) and before
    # the first slide is laid out: a picture that hangs the first frame is a hang too.
    watchdog = Watchdog(log_file=log_file)
    watchdog.arm()
    from kiosk import crash

    crash.install()  # an exception in a Qt event handler or slot lands in the log file too
    app = ensure_application()
    watchdog.start()
    from kiosk.player import Player
    from kiosk.window import ShowWindow

    screen = choose_screen(app, options.screen)
    if screen is None:
        names = ", ".join(f"{i} ({s.name()})" for i, s in enumerate(app.screens()))
        print(f"kiosk: no screen '{options.screen}'; screens: {names}", file=sys.stderr)
        watchdog.stop()
        return EXIT_BAD_INPUT
    presenter_screen = None
    if options.presenter is not None:
        from kiosk.presenter import choose_presenter_screen

        presenter_screen, presenter_problem = choose_presenter_screen(app, screen, options.presenter)
        if presenter_problem:
            print(presenter_problem, file=sys.stderr)
            watchdog.stop()
            return EXIT_BAD_INPUT
    instance = SingleInstance(screen.name())
    other = instance.claim()
    if other is not None:
        print(
            f"kiosk: {other} is already playing on screen {screen.name()}; quit it first "
            "or choose another screen with --screen",
            file=sys.stderr,
        )
        watchdog.stop()
        return EXIT_FAILURE
    if make_player is None:
        player = Player(playlist, loop=False if options.no_loop else None)
    else:
        player = make_player(playlist)
    from kiosk import words

    words.use_cache(words.cache_file())  # the last start's words: the first slide breaks between them
    window = ShowWindow(player, slide_context(playlist), lock=options.lock)
    if not player.start(options.start):
        print(
            f"kiosk: --start {options.start}: no such slide on air "
            f"(give a number from 1 to {player.snapshot().count} or an id)",
            file=sys.stderr,
        )
        watchdog.stop()
        return EXIT_BAD_INPUT
    window.show_on(screen, fullscreen=not (options.windowed or options.size), size=options.size)
    presenter = None
    if options.presenter is not None:
        from kiosk.presenter import open_presenter

        presenter = open_presenter(window, presenter_screen)
    log.info(
        "kiosk %s playing %s: %d slides on %s; log file %s",
        __version__,
        playlist.path,
        player.snapshot().count,
        screen.name(),
        log_file,
    )
    if player.synced:  # sync: clock is only as good as the system clock: say when it is not
        from kiosk import clock

        clock.check_in_background()
    services = ShowServices(window, player, source=source or playlist.path, problems=list(problems))
    services.watchdog = watchdog
    services.remote_address = getattr(options, "remote", None)  # --remote (rehearse has none)
    services.presenter = presenter  # its help overlay shows the phone remote's code too

    def quit_with(code: int) -> None:  # SIGINT / SIGTERM: the orderly way out
        window.quit()
        app.exit(code)

    signals = QuitOnSignals(quit_with)
    after_first_frame = [services.start, lambda: _segment_in_background(playlist)]
    if os.environ.get(FIRST_FRAME_PROBE):
        after_first_frame.insert(0, _report_first_frame)  # the time the audience waited, alone
    first_frame = FirstFrame(window.view, after_first_frame, fallback_ms=SERVICES_FALLBACK_MS)
    if options.quit_after is not None:
        QTimer.singleShot(round(options.quit_after * 1000), lambda: _quit_after(window, options.screenshot))
    try:
        return app.exec()
    finally:
        services.stop()  # puts the screen-blanking settings back (after SIGINT/SIGTERM too)
        signals.close()
        _ = (instance, first_frame, presenter)  # kept alive for the show's whole life


def _segment_in_background(playlist: Playlist) -> None:
    """Have every text of the playlist segmented into words by a child process, after
    the first frame: slides built later break between words (kiosk/words.py), and the
    next start reads the words from the state folder."""
    from kiosk import words

    words.preload(words.drawn_texts(playlist), words.cache_file())


#: start the services anyway after this long if the first frame never paints (a hidden screen)
SERVICES_FALLBACK_MS = 3000


class ShowServices:
    """What keeps a show going but is not needed to show its first frame: the file watcher
    (inotify and Qt's lazy enum set-up cost ~60 ms), the screensaver inhibitor (D-Bus) and
    the watchdog thread, status.json and the proof-of-play log. They start just after the
    first frame, so the audience sees the first slide sooner (bench/startup.py)."""

    def __init__(
        self,
        window: ShowWindow,
        player: Player,
        *,
        source: Path | None = None,
        problems: list[str] | None = None,
    ) -> None:
        self.window, self.player = window, player
        self.source = source
        self.boot_problems = problems or []
        self.reloader: Reloader | None = None
        self._copier: ThreadPoolExecutor | None = None
        self.inhibitor: ScreenSaverInhibitor | None = None
        self.watchdog: Watchdog | None = None
        self.play_logger: PlayLogger | None = None
        self.status: StatusPublisher | None = None
        self.remote_address: Address | None = None
        self.remote: RemoteService | None = None
        self.presenter: PresenterWindow | None = None
        self.live: LiveData | None = None  # alerts and pushed figures: the server calls it

    def start(self) -> None:
        from kiosk.reload import Reloader
        from kiosk.system import ScreenSaverInhibitor

        self.reloader = Reloader(self.window, self.player, source=self.source, problems=self.boot_problems)
        self.window.reload_requested.connect(self.reloader.reload_now)
        self.reloader.loaded.connect(self.keep_last_good)
        self.inhibitor = ScreenSaverInhibitor()
        self.inhibitor.inhibit()
        if self.watchdog is not None:  # armed before the first frame by play()
            self.watchdog.ready()
        if not self.boot_problems:
            self.keep_last_good(self.player.snapshot().playlist)
        self.start_live()
        self.start_records()
        self.start_remote()

    def start_live(self) -> None:
        """Alerts over the show and pushed figures (kiosk/live.py), with or without the
        control server: alert.yaml beside the playlist works on a screen reached only by
        file sync, and what an earlier run kept in the state folder comes back."""
        from kiosk.live import LiveData
        from kiosk.state import state_folder

        self.live = LiveData(self.window, self.player, state=state_folder())
        if self.reloader is not None:  # a reloaded playlist takes its pushed figures in
            self.reloader.loaded.connect(self.live.playlist_loaded)

    def start_records(self) -> None:
        """status.json and the play log in the state folder (kiosk/status.py, kiosk/playlog.py);
        both hear every snapshot, and the status file's single alarm is a Qt timer."""
        from kiosk.playlog import PLAYS_FOLDER, DayFiles, PlayLogger
        from kiosk.state import state_folder
        from kiosk.status import StatusPublisher, StatusWriter

        folder, screen = state_folder(), self.window.screen().name()
        alarm = QTimer(self.window, singleShot=True)
        writer = StatusWriter(folder, screen=screen, source=self.source)
        self.status = status = StatusPublisher(writer, arm=lambda seconds: alarm.start(round(seconds * 1000)))
        alarm.timeout.connect(status.wake)
        self.play_logger = PlayLogger(DayFiles(folder / PLAYS_FOLDER), screen=screen)
        self.play_logger.join(self.player.snapshot())  # the first slide came up before the logger
        status(self.player.snapshot())
        self.player.subscribe(self.play_logger)
        self.player.subscribe(status)

    def start_remote(self) -> None:
        """The control server and phone remote (kiosk/remote), when --remote or the
        playlist's `remote:` block asks for it; the help overlay shows its pairing code."""
        from kiosk.remote.service import RemoteService, wanted_address
        from kiosk.state import state_folder

        address = wanted_address(self.remote_address, self.player.snapshot().playlist)
        if address is None:
            return
        remote = RemoteService(self.window, self.player, address, state=state_folder(), source=self.source,
                               live=self.live)  # start_live made it just before
        if remote.start():
            self.remote = remote
            # The presenter's screen is the better place to scan it: the audience sees the wall.
            for overlay in [self.window.overlay] + ([self.presenter.overlay] if self.presenter else []):
                overlay.set_pairing(remote.pairing_url())

    def keep_last_good(self, playlist: Playlist) -> None:
        """Copy a playlist that loaded into the state folder, for the next boot
        (kiosk/lastgood.py). Copying pictures takes time: it runs beside the show, one
        copy at a time, and a copy that fails is logged, never shown."""
        from concurrent.futures import ThreadPoolExecutor

        from kiosk import lastgood

        if self._copier is None:
            self._copier = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-last-good")
        self._copier.submit(lastgood.save, playlist)

    def stop(self) -> None:
        if self.remote is not None:
            self.remote.stop()  # no request reaches a window that is going
        if self.play_logger is not None:
            self.play_logger.close()  # the slide on screen gets its line
        if self.status is not None:
            self.status.flush()  # and status.json the show's last state
        if self._copier is not None:
            self._copier.shutdown(wait=True)  # a copy half written is never swapped in; finish it
        if self.watchdog is not None:
            self.watchdog.stop()
        if self.inhibitor is not None:
            self.inhibitor.release()


FIRST_FRAME_PROBE = "KIOSK_FIRST_FRAME_PROBE"


class FirstFrame(QObject):
    """Runs callbacks once, just after `view` has painted for the first time (or after
    fallback_ms, whichever comes first)."""

    def __init__(self, view: QObject | None, callbacks: list[Callable[[], None]], fallback_ms: int) -> None:
        super().__init__()
        self._callbacks = callbacks
        self._done = False
        if view is not None:
            view.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._done:
            QTimer.singleShot(0, self._run)  # after this paint has been flushed
        return False

    def _run(self) -> None:
        if self._done:
            return
        self._done = True
        for callback in self._callbacks:
            callback()


def _report_first_frame() -> None:
    """For bench/: the wall-clock time of the first painted slide as 'kiosk-first-frame
    <seconds>' on stderr, then exit 0 (set KIOSK_FIRST_FRAME_PROBE=1) once the services
    have started too (an exit now would leave them half made)."""
    print(f"kiosk-first-frame {time.time():.6f}", file=sys.stderr, flush=True)
    QTimer.singleShot(0, lambda: QApplication.exit(EXIT_OK))


def _quit_after(window: object, screenshot: Path | None) -> None:
    from kiosk.window import ShowWindow

    assert isinstance(window, ShowWindow)
    code = EXIT_OK
    if screenshot is not None:
        # Encoded in memory and written by Python: QImage.save() says only False, and a
        # smoke test that asked for a picture must fail, naming the file and why.
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice

        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        kind = (screenshot.suffix.lstrip(".") or "png").upper()
        try:
            if not window.grab().save(buffer, kind):
                raise OSError(0, f"cannot encode a {kind} picture")
            screenshot.write_bytes(data.data())
        except OSError as exc:
            reason = exc.strerror or exc
            print(f"kiosk: cannot save the screenshot to {screenshot}: {reason}", file=sys.stderr)
            code = EXIT_FAILURE
    window.quit()
    app = QApplication.instance()
    assert app is not None  # a window exists, so the application does
    app.exit(code)
