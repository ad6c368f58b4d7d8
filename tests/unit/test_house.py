"""Rules of the house that keep the next features cheap (issue 14): built-in themes named
once, and no import cycle in the Qt-free playlist language (lazy imports counted)."""

from __future__ import annotations

import ast
from pathlib import Path

from kiosk import resources
from kiosk.playlist.theme_spec import BUILTIN_THEMES, builtin_theme_file

PACKAGE = Path(__file__).resolve().parents[2] / "kiosk" / "playlist"


def test_built_in_theme_names_are_the_theme_files() -> None:
    assert sorted(BUILTIN_THEMES) == sorted(p.stem for p in resources.themes().glob("*.yaml"))
    assert all(builtin_theme_file(name).is_file() for name in BUILTIN_THEMES)
    assert builtin_theme_file("mine.yaml") is None


def imports_of(path: Path) -> set[str]:
    """The kiosk.playlist modules a module imports, at its top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kiosk.playlist."):
            found.add(node.module.removeprefix("kiosk.playlist."))
        elif isinstance(node, ast.Import):
            found.update(
                a.name.removeprefix("kiosk.playlist.")
                for a in node.names
                if a.name.startswith("kiosk.playlist.")
            )
    return found


def test_the_playlist_language_has_no_import_cycle() -> None:
    graph = {p.stem: imports_of(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    cycles = []

    def visit(module: str, trail: tuple[str, ...]) -> None:
        for target in sorted(graph.get(module, ())):
            if target in trail:
                cycles.append(" -> ".join((*trail[trail.index(target) :], target)))
            elif target in graph:
                visit(target, (*trail, target))

    for module in graph:
        visit(module, (module,))
    assert cycles == []
