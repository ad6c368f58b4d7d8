"""kiosk: a full-screen statistics slideshow driven by a YAML playlist."""

import os

__version__ = "0.1.0"

# kiosk uses no pydantic plugins; skipping their entry-point scan shortens start-up.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
