"""tests/deploy: the session's one-folder build, shared with tests/packaging (one build
per session whichever asks first: tests/packaging/conftest.py keeps it)."""

from tests.packaging.conftest import build, clean_tree  # noqa: F401 (fixtures)
