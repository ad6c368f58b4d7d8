"""What the control API's endpoints do to the show, each in the GUI thread (through the
bridge) or from the latest immutable snapshot.

- status: the latest snapshot the player published, as status.json says it (no GUI hop);
- command: the command layer's names, minus the ones that belong to someone at the screen;
- a slide's picture: its final frame rendered in the GUI thread, encoded to PNG here;
- alerts and pushed values: the live data's (kiosk/live.py), in the GUI thread.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage

from kiosk.commands import Command
from kiosk.player import Player, Snapshot
from kiosk.playlist.model import SlideBase
from kiosk.remote.bridge import GuiBridge
from kiosk.remote.errors import RequestError
from kiosk.status import StatusWriter, snapshot_json

if TYPE_CHECKING:
    from kiosk.window import ShowWindow

log = logging.getLogger(__name__)

Json = dict[str, Any]

#: what the API may do, by the command layer's names
ALLOWED = (
    Command.NEXT,
    Command.PREVIOUS,
    Command.FIRST,
    Command.LAST,
    Command.GOTO,
    Command.PAUSE,
    Command.RESUME,
    Command.BLACK,
    Command.RELOAD,
)
#: and what it may not, with the reason the refusal gives
REFUSED = {
    Command.QUIT: "quit is not taken remotely: a show on a wall is ended at the screen (or by its service)",
    Command.HELP: "help opens an overlay on the wall that is closed at the screen; not taken remotely",
    Command.OVERVIEW: "the overview grid is driven by keys at the screen; use goto remotely",
    Command.FULLSCREEN: "full screen or window is the screen's own setting; not taken remotely",
}
MAX_ARGUMENT = 200

#: a slide picture's size: default, and the bounds of each side
DEFAULT_SIZE = (640, 360)
MIN_SIDE, MAX_SIDE = 16, 1920
#: PNG bytes of slide pictures kept (the phone asks again at every slide change)
IMAGE_CACHE_BYTES = 8 * 1024 * 1024
#: rendering a slide can take longer than a command (pictures decoded, charts laid out)
IMAGE_TIMEOUT = 10.0


class LiveData(Protocol):
    """Alerts and pushed values (kiosk/live.py); each method raises RequestError."""

    def show_alert(self, data: Mapping[str, object]) -> dict[str, object]: ...

    def clear_alert(self) -> bool: ...

    def push_values(self, slide_id: str, data: Mapping[str, object]) -> dict[str, object]: ...


class ShowApi:
    """The endpoints' work for one show window."""

    def __init__(
        self,
        window: ShowWindow,
        player: Player,
        bridge: GuiBridge,
        *,
        writer: StatusWriter,
        live: LiveData | None = None,
        render: Callable[[SlideBase, int, int], QImage] | None = None,
    ) -> None:
        self.window, self.player, self.bridge, self.writer, self.live = window, player, bridge, writer, live
        self._render = render or self._render_final_frame
        self._latest = player.snapshot()
        writer.observe(self._latest)  # the playlist on air now: a later one is a reload
        player.subscribe(self._hear)  # in the GUI thread; snapshots are immutable
        self._images = PngCache(IMAGE_CACHE_BYTES)
        self._alert: Json | None = None  # the alert on the wall, as JSON (made in the GUI thread)
        self._follow_alerts(live)

    def _hear(self, snapshot: Snapshot) -> None:
        self.writer.observe(snapshot)  # notes a reload's time, as status.json's writer does
        self._latest = snapshot

    def _follow_alerts(self, live: LiveData | None) -> None:
        """The alert on the wall for /api/status: LiveData says when it changes (and its
        layer which one is up now: one restored at start came before this server)."""
        changed = getattr(live, "alert_changed", None)
        if changed is None:
            return
        changed.connect(self._alert_changed)
        self._alert_changed(getattr(getattr(live, "layer", None), "active", None))

    def _alert_changed(self, active: object) -> None:
        as_json = getattr(active, "as_json", None)
        self._alert = as_json() if callable(as_json) else None

    # ------------------------------------------------------------ status

    def status(self) -> Json:
        snapshot = self._latest
        content = self.writer.content(snapshot)
        content["snapshot"]["time_left"] = time_left_now(snapshot, self.player.clock())
        content["live"] = self.live is not None
        content["alert"] = self._alert  # replaced whole when it changes: never half made
        return content

    # ------------------------------------------------------------ commands

    def command(self, name: object, argument: object) -> Json:
        command = parse_command(name)
        text = parse_argument(command, argument)
        result: Json = self.bridge.call(lambda: self._run(command, text))
        log.info("remote: command %s%s carried out", command.value, f" {text}" if text else "")
        return result

    def _run(self, command: Command, argument: str) -> Json:
        """In the GUI thread: check, then carry out as a key would (ShowWindow.run)."""
        if command is Command.GOTO and self.player.find(argument) is None:
            count = self.player.snapshot().count
            raise RequestError(
                f"no slide '{argument}' on air; give a number from 1 to {count} or an id", "argument", 404
            )
        if command is Command.PAUSE:
            if not self.player.snapshot().paused:  # pause pauses (a key's pause toggles)
                self.window.run(Command.PAUSE)
        else:
            self.window.run(command, argument)
        return {"ok": True, "command": command.value, "snapshot": snapshot_json(self.player.snapshot())}

    # ------------------------------------------------------------ pictures

    def slide_image(self, slide: str, size: str | None) -> bytes:
        width, height = parse_size(size)
        playlist = self._latest.playlist
        found = find_slide(playlist.slides, slide)
        if found is None:
            raise RequestError(f"no slide '{slide[:100]}' in the playlist", "slide", 404)
        key = (found, width, height)
        cached = self._images.get(playlist, key)
        if cached is not None:
            return cached
        model = playlist.slides[found]
        image = self.bridge.call(lambda: self._render(model, width, height), timeout=IMAGE_TIMEOUT)
        png = encode_png(image)  # here, not in the GUI thread: QImage is reentrant
        self._images.put(playlist, key, png)
        return png

    def _render_final_frame(self, slide: SlideBase, width: int, height: int) -> QImage:
        from kiosk.slides import build_view
        from kiosk.thumbnails import render_thumbnail

        context = self.window.stage.context_for(self._latest.playlist)
        return render_thumbnail(build_view, slide, context, width, height)

    # ------------------------------------------------------------ alerts and pushed values

    def show_alert(self, data: Mapping[str, object]) -> Json:
        live = self._live()
        result: Json = self.bridge.call(lambda: live.show_alert(data))
        log.info("remote: alert shown: %s", result)
        return result

    def clear_alert(self) -> Json:
        live = self._live()
        cleared = self.bridge.call(live.clear_alert)
        if not cleared:
            raise RequestError("no alert is shown", status=404)
        log.info("remote: alert cleared")
        return {"ok": True, "cleared": True}

    def push_values(self, slide: str, data: Mapping[str, object]) -> Json:
        live = self._live()
        result: Json = self.bridge.call(lambda: live.push_values(slide, data))
        self._images.clear()  # the slide's picture shows the old figures
        log.info("remote: values pushed to %s", slide[:100])
        return result

    def _live(self) -> LiveData:
        if self.live is None:
            raise RequestError("alerts and pushed values are not available in this kiosk", status=501)
        return self.live


# ---------------------------------------------------------------- checks, Qt-free


def parse_command(name: object) -> Command:
    if not isinstance(name, str):
        raise RequestError("'command' must be one of: " + ", ".join(c.value for c in ALLOWED), "command")
    try:
        command = Command(name)
    except ValueError:
        raise RequestError(
            f"unknown command '{name[:50]}'; commands: " + ", ".join(c.value for c in ALLOWED), "command"
        ) from None
    if command in REFUSED:
        raise RequestError(REFUSED[command], "command", 403)
    return command


def parse_argument(command: Command, argument: object) -> str:
    """goto's slide (a number from 1 or an id); every other command takes none."""
    if command is not Command.GOTO:
        if argument not in (None, ""):
            raise RequestError(f"{command.value} takes no argument", "argument")
        return ""
    if isinstance(argument, bool) or not isinstance(argument, str | int):
        raise RequestError("goto needs 'argument': a slide number (from 1) or an id", "argument")
    text = str(argument).strip()
    if not text or len(text) > MAX_ARGUMENT:
        raise RequestError(f"goto's argument must be 1 to {MAX_ARGUMENT} characters", "argument")
    return text


SIZE = re.compile(r"(\d{1,5})x(\d{1,5})")


def parse_size(text: str | None) -> tuple[int, int]:
    if text is None:
        return DEFAULT_SIZE
    match = SIZE.fullmatch(text.strip().lower())
    if match is None:
        raise RequestError(f"size '{text[:50]}' is not WxH, like 640x360", "size")
    width, height = int(match[1]), int(match[2])
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise RequestError(f"size: each side must be {MIN_SIDE} to {MAX_SIDE} pixels", "size")
    return width, height


def find_slide(slides: list[SlideBase], name: str) -> int | None:
    """A slide as status names it: its id, or its number in the playlist (from 1)."""
    for index, slide in enumerate(slides):
        if slide.id and slide.id == name:
            return index
    if name.isdigit() and 1 <= int(name) <= len(slides) and not slides[int(name) - 1].id:
        return int(name) - 1
    return None


def time_left_now(snapshot: Snapshot, now: float) -> float | None:
    """The snapshot's time left, counted down to now (a snapshot is taken at a change)."""
    if snapshot.time_left is None:
        return None
    return round(max(0.0, snapshot.time_left - max(0.0, now - snapshot.taken_at)), 3)


def encode_png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 takes the format as str at run time; its stubs say bytes, which it refuses.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise RuntimeError("cannot encode the slide's picture as PNG")
    return bytes(data.data())


class PngCache:
    """Least recently used PNG bytes of one playlist's slides, bounded in bytes; a reload
    (another playlist object) empties it. Request threads share it: one lock."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._playlist: object = None
        self._items: OrderedDict[tuple[int, int, int], bytes] = OrderedDict()
        self._bytes = 0

    def get(self, playlist: object, key: tuple[int, int, int]) -> bytes | None:
        with self._lock:
            if playlist is not self._playlist:
                return None
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def clear(self) -> None:
        with self._lock:
            self._playlist, self._items, self._bytes = None, OrderedDict(), 0

    def put(self, playlist: object, key: tuple[int, int, int], value: bytes) -> None:
        with self._lock:
            if playlist is not self._playlist:
                self._playlist, self._items, self._bytes = playlist, OrderedDict(), 0
            old = self._items.pop(key, None)
            self._bytes += len(value) - (len(old) if old else 0)
            self._items[key] = value
            while self._bytes > self.max_bytes and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped)


def status_writer(source: Path | None, screen: str) -> StatusWriter:
    """status.json's content maker, for /api/status (it never writes the file here)."""
    from kiosk.state import state_folder

    return StatusWriter(state_folder(), screen=screen, source=source)
