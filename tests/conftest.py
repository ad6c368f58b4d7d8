"""Test-wide set-up: Qt runs offscreen, whatever the developer's shell has."""

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_SCALE_FACTOR", "1")
