"""The control API (issue 16): an HTTP server inside kiosk, off unless asked for."""
