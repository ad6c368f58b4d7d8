"""pyqtgraph, imported without making every Qt class at once.

pyqtgraph keeps mirrors of QtCore, QtGui and QtWidgets (pyqtgraph/Qt/__init__.py,
`_copy_attrs`) and fills them by reading every name `dir()` lists for PySide6's modules.
PySide6 creates its classes lazily, on first use; that loop creates all ~720 of them,
with their enums, for the few dozen a chart uses: 8.6 MB of RSS and 60 ms at the first
chart (measured with and without this module, pyqtgraph 0.14, PySide6 6.11).

So while pyqtgraph is imported, `dir()` of those three modules answers pyqtgraph's copy
with nothing and gives the mirror a module `__getattr__` (PEP 562) that looks each name
up in PySide6 when pyqtgraph first uses it, and keeps it. Every other `dir()` answers as
before, and PySide6's own `__dir__` is put back after the import. Should pyqtgraph stop
copying that way, nothing here takes effect and it imports as it always did.

Chart modules take `pg` from here rather than importing pyqtgraph themselves.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from types import ModuleType

#: PySide6's modules that pyqtgraph mirrors, by name
MIRRORED = ("QtCore", "QtGui", "QtWidgets")


def _lookup_in(source: ModuleType, mirror: ModuleType) -> Callable[[str], object]:
    def __getattr__(name: str) -> object:
        value = getattr(source, name)  # AttributeError, as before, for a name Qt lacks
        setattr(mirror, name, value)  # found once: later uses skip this function
        return value

    return __getattr__


Names = Callable[[], list[str]]


def _dir_for(name: str, source: ModuleType, original: Names | None) -> Names:
    def __dir__() -> list[str]:
        mirror = sys.modules.get(f"pyqtgraph.Qt.{name}")
        if mirror is not None and "__getattr__" not in vars(mirror):
            mirror.__getattr__ = _lookup_in(source, mirror)  # type: ignore[method-assign]
            return []  # pyqtgraph's copy: nothing now, each name when it is used
        return original() if original is not None else sorted(vars(source))

    return __dir__


def import_pyqtgraph() -> None:
    """Import pyqtgraph with its Qt mirrors filled on use (the first call; later ones
    find it imported and do nothing)."""
    if "pyqtgraph" in sys.modules:
        return
    modules = {name: importlib.import_module(f"PySide6.{name}") for name in MIRRORED}
    originals: dict[str, Names | None] = {name: vars(m).get("__dir__") for name, m in modules.items()}
    for name, module in modules.items():
        module.__dir__ = _dir_for(name, module, originals[name])  # type: ignore[method-assign]
    try:
        importlib.import_module("pyqtgraph")
    finally:
        for name, module in modules.items():
            original = originals[name]
            if original is None:
                del module.__dir__
            else:
                module.__dir__ = original  # type: ignore[method-assign]


import_pyqtgraph()
import pyqtgraph as pg  # noqa: E402  (imported just above; bound here for the chart modules)

__all__ = ["pg"]
