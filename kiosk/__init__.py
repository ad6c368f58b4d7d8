"""kiosk: a full-screen statistics slideshow driven by a YAML playlist."""

__version__ = "0.1.0"
