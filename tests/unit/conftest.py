"""Tests that read the Jiangsu report in `../shared/sources` (marker `sources`).

The report lives outside the repository. In a clone with nothing beside it, those tests
are deselected (and the summary says so), so the README's test command passes for
anyone who clones the project; where the report must be checked (CI, which has
`../shared`, sets KIOSK_REQUIRE_SOURCES=1) a missing report fails the run instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPORT_NAME = "jiangsu-police-day-2023-report.txt"
BESIDE = Path(__file__).resolve().parents[3] / "shared" / "sources"


def sources_dir() -> Path | None:
    """`../shared/sources` beside the clone, else $KIOSK_SOURCES; None if neither has the report."""
    if (BESIDE / REPORT_NAME).is_file():
        return BESIDE
    env = os.environ.get("KIOSK_SOURCES")
    if env and (Path(env) / REPORT_NAME).is_file():
        return Path(env)
    return None


def sources_required() -> bool:
    return os.environ.get("KIOSK_REQUIRE_SOURCES", "") not in ("", "0")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sources: needs the source report in ../shared/sources")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if sources_dir() is not None or sources_required():
        return  # present, or required: the tests run (and fail if the report is missing)
    needing = [item for item in items if item.get_closest_marker("sources")]
    if not needing:
        return
    items[:] = [item for item in items if not item.get_closest_marker("sources")]
    config.hook.pytest_deselected(items=needing)
    config.stash[_DESELECTED] = len(needing)


_DESELECTED = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    count = config.stash.get(_DESELECTED, 0)
    if count:
        terminalreporter.write_line(
            f"{count} test(s) that read the source report deselected: it is not in {BESIDE} "
            "and KIOSK_SOURCES is not set (CI sets KIOSK_REQUIRE_SOURCES=1 and runs them)"
        )
