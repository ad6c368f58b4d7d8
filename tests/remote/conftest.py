from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import Remote, start_show


@pytest.fixture
def remote(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Remote]:
    monkeypatch.delenv("KIOSK_REMOTE_TOKEN", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))  # status_writer's folder
    show = start_show(qtbot, tmp_path)
    yield show
    show.service.stop()
    show.pool.shutdown(wait=True)
