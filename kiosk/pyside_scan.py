"""A cheaper version of the check PySide6 runs on every module imported after it.

PySide6 (shibokensupport.feature, PYSIDE-2029) asks of each newly imported module
whether its source mentions "PySide6", with `inspect.getsource(module)`. That reads the
whole file through `linecache`, which keeps every line of every module as a Python
string for the life of the process: ~390 modules, 7.7 million characters, ~18 MB of
small objects in kiosk, scattered through the heap so they can never be handed back.

`install()` puts a finder first on `sys.meta_path` that does nothing but wait for
shiboken6 to be imported; at the next import after that it replaces the check with one
that reads the file's bytes and keeps nothing, and removes itself. The answer is the
same: whether the file contains "PySide6"; modules without a .py file go to the
original check, as before.
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

FEATURE_MODULE = "shibokensupport.feature"


def _file_mentions_pyside(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    mod_uses_pyside.kiosk_patched = True  # type: ignore[attr-defined]  # a mark on the function
    return mod_uses_pyside


def patch(feature: ModuleType) -> bool:
    """Replace the feature module's source check; False if it is not the expected one."""
    original = getattr(feature, "_mod_uses_pyside", None)
    if not callable(original) or getattr(original, "kiosk_patched", False):
        return False
    feature._mod_uses_pyside = _file_mentions_pyside(original)  # type: ignore[attr-defined]  # PySide6's own module
    return True


class _PatchAfterShiboken(importlib.abc.MetaPathFinder):
    """Finds nothing; patches the check at the first import once shiboken6 is loaded."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> None:
        feature = sys.modules.get(FEATURE_MODULE)
        # The feature module is in sys.modules while it still runs (its own imports come
        # through here too): wait until the check it defines is there.
        if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
            if self in sys.meta_path:
                sys.meta_path.remove(self)
            patch(feature)


def install() -> None:
    """Patch now if PySide6 is already imported, else at the first import after it."""
    feature = sys.modules.get(FEATURE_MODULE)
    if feature is not None:
        patch(feature)
    elif not any(isinstance(finder, _PatchAfterShiboken) for finder in sys.meta_path):
        sys.meta_path.insert(0, _PatchAfterShiboken())
