"""The control server's life in a show: where it listens, its token, its thread.

kiosk/app.py starts it with the show's other services (after the first frame) when
`--remote` or the playlist's `remote:` block asks for it, and stops it at the end. A
server that cannot start (the port is taken, the token file unreadable) is logged and
said on stderr; the show plays on without it: a wall must not go dark for its remote.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.player import Player
from kiosk.playlist.model import Playlist
from kiosk.remote.address import DEFAULT_HOST, Address, reachable_host
from kiosk.remote.api import LiveData, ShowApi, status_writer
from kiosk.remote.bridge import GuiBridge
from kiosk.remote.server import ControlServer, ServerThread
from kiosk.remote.token import TokenProblem, control_token

if TYPE_CHECKING:
    from kiosk.window import ShowWindow

log = logging.getLogger(__name__)


def wanted_address(cli: Address | None, playlist: Playlist) -> Address | None:
    """--remote wins over the playlist's `remote:` block; neither: no server."""
    if cli is not None:
        return cli
    block = getattr(playlist, "remote", None)
    if block is None:
        return None
    return Address(block.host or DEFAULT_HOST, block.port)


class RemoteService:
    """The control server of one show window."""

    def __init__(
        self,
        window: ShowWindow,
        player: Player,
        address: Address,
        *,
        state: Path,
        source: Path | None = None,
        live: LiveData | None = None,
    ) -> None:
        self.window, self.player, self.address = window, player, address
        self.state, self.source, self.live = state, source, live
        self.bridge = GuiBridge(window)
        self.server: ControlServer | None = None
        self._thread: ServerThread | None = None
        self.token = ""

    def start(self) -> bool:
        """Listen; False (logged, and said on stderr) when it cannot."""
        try:
            self.token = control_token(self.state)
            api = ShowApi(
                self.window,
                self.player,
                self.bridge,
                writer=status_writer(self.source, self.window.screen().name()),
                live=self.live,
            )
            self.server = ControlServer(self.address, api, self.token)
        except (OSError, TokenProblem) as exc:
            message = f"kiosk: the remote control could not start on {self.address}: {exc}"
            log.error("%s; the show plays without it", message)
            print(message, file=sys.stderr)
            return False
        self._thread = ServerThread(self.server)
        self._thread.start()
        if not self.address.is_loopback:
            log.warning("remote: listening on %s, open to the network (token needed)", self.address)
        log.info("remote: control server on http://%s:%d/", self.address.url_host(), self.server.port)
        return True

    @property
    def port(self) -> int:
        return self.server.port if self.server is not None else self.address.port

    def pairing_url(self) -> str | None:
        """The phone page's address with the token in the fragment (never sent to a server,
        never in a log or a Referer); None when the server listens on this PC only, where
        no phone can reach it."""
        if self.address.is_loopback:
            return None
        return f"http://{reachable_host(self.address)}:{self.port}/#token={self.token}"

    def stop(self) -> None:
        if self._thread is not None:
            self._thread.stop()
            self._thread = None
