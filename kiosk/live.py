"""Live data in a running show: alerts over it and figures pushed into its slides.

`LiveData` is what the control server (kiosk/remote) calls, on the GUI thread, and what
makes `alert.yaml` work without any server:
- `show_alert(body)` / `clear_alert()`: the API's alert (kiosk/alerts.py), kept in the
  state folder so a restart shows it again until it expires;
- `push_values(slide_id, body)`: new figures for a slide (kiosk/pushed.py), kept in the
  state folder and applied again at the next start and after every reload, until the
  playlist itself changes that slide; a slide on air counts up from its old figures;
- `alert.yaml` beside the playlist is watched (an event and a poll, as the reloader does):
  a valid file shows its alert while it exists, an invalid one logs its FILE:LINE:COL
  problems and changes nothing on screen, a removed one clears its alert.

Every refusal is a RequestError (kiosk/remote/errors.py): 404 for an unknown slide, 400
with the field at fault otherwise. Without a state folder (`state=None`: tests, a
rehearsal) nothing is kept across restarts.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QFileSystemWatcher, QObject, QTimer, Signal

from kiosk import alerts
from kiosk.alert_layer import AlertLayer
from kiosk.alerts import ActiveAlert, Source
from kiosk.player import Player, Snapshot
from kiosk.playlist import Playlist, PlaylistError
from kiosk.pushed import PushedStore, find_slide, origin_path
from kiosk.reload import POLL_MS, Stat, stat_of
from kiosk.update_stamp import UpdateStamp
from kiosk.window import ShowWindow

log = logging.getLogger(__name__)

#: an expiry is checked again at least this often (the wall clock may be set meanwhile)
EXPIRY_RECHECK_MS = 30_000
#: a burst of writes to alert.yaml is read once, this long after the last
ALERT_DEBOUNCE_MS = 300
#: playlists remembered with their pushed copies (the one on air, one staged, spares)
KEPT_PLAYLISTS = 4


class LiveData(QObject):
    """Alerts and pushed values of one show window."""

    #: the alert now on the wall (an ActiveAlert), or None when it went
    alert_changed = Signal(object)
    #: the id of a slide whose figures were just pushed
    values_pushed = Signal(str)

    def __init__(self, window: ShowWindow, player: Player, *, state: Path | None = None) -> None:
        super().__init__(window)
        self.window, self.player, self.state = window, player, state
        self.store = PushedStore(state, now=player.wall)
        self.layer = AlertLayer(window.theme, window)
        self.stamp = UpdateStamp(window.theme, window)
        self._alerts: dict[Source, ActiveAlert] = {}
        #: the problems of an invalid alert.yaml (FILE:LINE:COL lines); empty when fine
        self.alert_problems: list[str] = []
        # (shown, as loaded): each playlist on air or staged, and the one it was made from
        self._playlists: list[tuple[Playlist, Playlist]] = []
        self._last_loaded: Playlist | None = None  # what the reloader loaded last, as loaded
        self._expiry = QTimer(self, singleShot=True)
        self._expiry.timeout.connect(self.expire)
        self._alert_stat: Stat = None
        self._alert_path: Path | None = None
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._alert_file_event)
        self._watcher.fileChanged.connect(self._alert_file_event)
        self._debounce = QTimer(self, singleShot=True, interval=ALERT_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.check_alert_file)
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self._alert_file_event)
        self._keep_on_top()
        player.subscribe(self._on_snapshot)
        window.stage.entered.connect(self._slide_entered)
        self._restore()

    # ------------------------------------------------------------ the API

    def show_alert(self, data: Mapping[str, object]) -> dict[str, object]:
        """Show the API's alert (replacing an earlier one of the API); RequestError if refused."""
        alert = alerts.parse_alert(dict(data) if isinstance(data, Mapping) else data)
        active = alerts.activate(alert, "api", self.player.wall())
        self._alerts["api"] = active
        if self.state is not None:
            try:
                alerts.save_api_alert(self.state, active)
            except OSError as error:  # shown all the same: the wall matters more than the disk
                log.error("alert: cannot keep it in %s: %s", self.state, error)
        log.info("alert set by the API: %s", active.describe())
        self._refresh()
        return {**active.as_json(), "on_screen": self.layer.active is active}

    def clear_alert(self) -> bool:
        """Clear the API's alert; False when there is none. An alert.yaml's alert stays
        while its file exists."""
        active = self._alerts.pop("api", None)
        if active is None:
            return False
        if self.state is not None:
            alerts.forget_api_alert(self.state)
        log.info("alert cleared by the API: %s", active.describe())
        self._refresh()
        return True

    def push_values(self, slide_id: str, data: Mapping[str, object]) -> dict[str, object]:
        """Push figures into slide `slide_id` of the playlist on air. RequestError 404 for an
        unknown slide id, 400 (with the field) for a body the slide's model refuses."""
        snapshot = self.player.snapshot()
        loaded = self._loaded_of(snapshot.playlist)
        before = find_slide(snapshot.playlist, slide_id)  # 404 before anything else
        slide, entry = self.store.push(loaded, slide_id, data)
        shown = self._with_pushed(loaded)
        on_air = snapshot.slide is not None and snapshot.slide.id == slide_id
        waiting = self.player.has_pending
        self.player.replace_playlist(shown)  # (this drops a reload waiting for the next slide)
        if waiting:
            self._restage()
        if on_air:
            self._count_from(before)
        log.info("figures pushed into slide '%s': %s", slide_id, _short(entry.values))
        self.values_pushed.emit(slide_id)
        return {
            "slide": slide_id,
            "type": slide.type,
            "values": entry.values,
            "updated": entry.updated.isoformat(timespec="seconds"),
            "on_air": on_air,
        }

    @property
    def alert(self) -> ActiveAlert | None:
        """The alert on the wall now."""
        return self.layer.active

    # ------------------------------------------------------------ reloads

    def playlist_loaded(self, playlist: Playlist) -> None:
        """The reloader loaded `playlist` (before it is staged or put on air): its pushed
        values go in now, in place, so the show takes it in once, figures included, and a
        playlist that did not change compares equal to the one on air."""
        loaded = playlist.model_copy(update={"slides": list(playlist.slides)})
        pushed = self.store.apply(loaded)
        if pushed is not loaded:
            playlist.slides[:] = pushed.slides
        self._remember(playlist, loaded)
        self._last_loaded = loaded
        self._watch_alert_file(loaded)

    def _on_snapshot(self, snapshot: Snapshot) -> None:
        """After every change of the show: keep the layers on top, the stamp right, and
        a playlist that came some other way (a last good copy) with its pushed values."""
        if all(shown is not snapshot.playlist for shown, _ in self._playlists):
            self._adopt(snapshot.playlist)
        self.layer.set_theme(self.window.theme)
        self._update_stamp(snapshot)
        self._raise()

    def _adopt(self, playlist: Playlist) -> None:
        self._remember(playlist, playlist)
        self._watch_alert_file(playlist)
        if self.store.entries_for(playlist):
            QTimer.singleShot(0, lambda: self._put_on_air(playlist))

    def _put_on_air(self, loaded: Playlist) -> None:
        """Show `loaded` with its pushed values (when it is still the one on air)."""
        if self.player.snapshot().playlist is not loaded:
            return
        shown = self._with_pushed(loaded)
        if shown is not loaded:
            self.player.replace_playlist(shown)

    def _with_pushed(self, loaded: Playlist) -> Playlist:
        shown = self.store.apply(loaded)
        self._remember(shown, loaded)
        return shown

    def _restage(self) -> None:
        """A reloaded playlist waits for the next slide: it takes the new push too (when
        the same slide is in it as the push found it: else the store drops the values)."""
        if self._last_loaded is not None:
            self.player.stage_playlist(self._with_pushed(self._last_loaded))

    def _loaded_of(self, playlist: Playlist) -> Playlist:
        """The playlist as loaded (no pushed values) behind the one on air."""
        for shown, loaded in self._playlists:
            if shown is playlist:
                return loaded
        return playlist

    def _remember(self, shown: Playlist, loaded: Playlist) -> None:
        self._playlists = [p for p in self._playlists if p[0] is not shown][-(KEPT_PLAYLISTS - 1) :]
        self._playlists.append((shown, loaded))

    # ------------------------------------------------------------ the start

    def _restore(self) -> None:
        """What an earlier run left: the API's alert (unless expired), pushed values, and
        the alert.yaml beside the playlist."""
        if self.state is not None:
            kept = alerts.load_api_alert(self.state, self.player.wall())
            if kept is not None:
                self._alerts["api"] = kept
                log.info("alert kept from the last run: %s", kept.describe())
        playlist = self.player.snapshot().playlist
        self._remember(playlist, playlist)
        self._put_on_air(playlist)
        self._watch_alert_file(playlist)
        self.check_alert_file()
        self._poll.start()
        self._refresh()

    # ------------------------------------------------------------ alert.yaml

    def _watch_alert_file(self, playlist: Playlist) -> None:
        """Watch alert.yaml beside `playlist` (beside the real one when a last good copy
        plays; a playlist built in code has no folder)."""
        origin = origin_path(playlist)
        path = alerts.alert_file(origin.parent) if origin is not None else None
        if path == self._alert_path:
            return
        self._alert_path = path
        watched = [*self._watcher.files(), *self._watcher.directories()]
        if watched:
            self._watcher.removePaths(watched)
        if path is not None and path.parent.is_dir():
            self._watcher.addPath(str(path.parent))
        self._alert_stat = None
        self._debounce.start()

    def _alert_file_event(self, _path: str = "") -> None:
        if self._alert_path is not None and stat_of(self._alert_path) != self._alert_stat:
            self._debounce.start()

    def check_alert_file(self) -> None:
        """Read alert.yaml again if it changed: show its alert, keep the last one when the
        file is invalid, clear it when the file is gone."""
        path = self._alert_path
        now_stat = stat_of(path) if path is not None else None
        if now_stat == self._alert_stat and (now_stat is not None or "file" not in self._alerts):
            return
        self._alert_stat = now_stat
        if path is None or now_stat is None:
            if self._alerts.pop("file", None) is not None:
                log.info("alert cleared: %s was removed", path)
            self.alert_problems = []
            self._refresh()
            return
        try:
            alert = alerts.load_alert_file(path)
        except PlaylistError as error:
            self.alert_problems = [str(p) for p in error.problems]
            for problem in self.alert_problems:
                log.error("alert file: %s", problem)
            log.error("alert file: nothing new is shown until %s is fixed", path.name)
            return
        except OSError as error:
            log.error("alert file: %s cannot be read: %s", path, error)
            return
        self.alert_problems = []
        written = datetime.fromtimestamp(os.stat(path).st_mtime)
        active = alerts.activate(alert, "file", self.player.wall(), since=written)
        self._alerts["file"] = active
        log.info("alert set by %s: %s", path, active.describe())
        self._refresh()

    # ------------------------------------------------------------ showing

    def expire(self) -> None:
        """Drop the alerts whose time is up, and show what remains."""
        now = self.player.wall()
        for source, active in list(self._alerts.items()):
            if active.expired(now):
                del self._alerts[source]
                if source == "api" and self.state is not None:
                    alerts.forget_api_alert(self.state)
                log.info("alert expired: %s", active.describe())
        self._refresh()

    def _refresh(self) -> None:
        now = self.player.wall()
        if any(a.expired(now) for a in self._alerts.values()):
            self.expire()
            return
        wanted = alerts.shown(list(self._alerts.values()), now)
        if wanted is not self.layer.active:
            if wanted is None:
                log.info("alert off the wall")
            else:
                log.info("alert on the wall: %s", wanted.describe())
            self.layer.setGeometry(self.window.rect())
            self.layer.set_alert(wanted)
            self.alert_changed.emit(wanted)
        self._arm_expiry(now)

    def _arm_expiry(self, now: datetime) -> None:
        ends = [a.expires for a in self._alerts.values() if a.expires is not None]
        if not ends:
            self._expiry.stop()
            return
        seconds = (min(ends) - now).total_seconds()
        self._expiry.start(max(50, min(EXPIRY_RECHECK_MS, round(seconds * 1000) + 50)))

    # ------------------------------------------------------------ the stamp and counting

    def _update_stamp(self, snapshot: Snapshot) -> None:
        slide = snapshot.slide
        entry = self.store.entry(self._loaded_of(snapshot.playlist), slide.id if slide else None)
        self.stamp.theme = self.window.theme
        in_transition = self.window.transition.isVisible()
        self.stamp.set_updated(entry.updated if entry is not None and not in_transition else None)

    def _slide_entered(self) -> None:
        self._update_stamp(self.window.snapshot)
        self._raise()

    def _count_from(self, before: object) -> None:
        """The slide on air was rebuilt with its new figures: count from the old ones."""
        view = self.window.view
        count_from = getattr(view, "count_from", None)
        if view is not None and callable(count_from):
            count_from(before)

    # ------------------------------------------------------------ staying on top

    def _keep_on_top(self) -> None:
        """The alert layer stays above everything the window raises (the black screen, the
        overview, a new slide view): it hears every raise of its siblings and follows."""
        self.window.installEventFilter(self)
        for sibling in (self.window.black, self.window.overview, self.window.overlay,
                        self.window.progress, self.window.transition):  # fmt: skip
            sibling.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.window and kind == QEvent.Type.Resize:
            self.layer.setGeometry(self.window.rect())
            self.stamp.place()
        elif kind in (QEvent.Type.ZOrderChange, QEvent.Type.Show, QEvent.Type.ChildAdded):
            self._raise()
        return False

    def _raise(self) -> None:
        if self.stamp.isVisible():
            self.stamp.stackUnder(self.window.overlay)
        if self.layer.isVisible():
            self.layer.raise_()


def _short(values: Mapping[str, object], limit: int = 200) -> str:
    text = repr(dict(values))
    return text if len(text) <= limit else text[: limit - 1] + "…"
