"""kiosk: a full-screen statistics slideshow driven by a YAML playlist."""

import os

__version__ = "0.1.0"

# kiosk uses no pydantic plugins; skipping their entry-point scan shortens start-up.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

# PySide6 reads the source of every module imported after it into linecache (~18 MB
# kept for ever); pyside_scan makes that check read and forget (see its docstring).
from kiosk import pyside_scan

pyside_scan.install()
