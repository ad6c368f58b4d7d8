"""The cells of a data table, as a CSV file and a spreadsheet both give them (with where
each cell is), and the rule for cells a spreadsheet would run as formulas.

Shared by kiosk/playlist/data.py (CSV, and what a grid fills) and kiosk/playlist/xlsx.py
(Excel), so neither imports the other's reading code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kiosk.playlist.errors import Mark

# A cell that a spreadsheet would run as a formula (CSV injection, OWASP): '=' or '@' first,
# or '+'/'-' first unless a plain signed number follows ('-18.4%' and '+5.2万' are labels;
# '-2+3' and '+cmd|...' are not). Tabs and CRs in front are stripped before the check. The
# app never evaluates a cell; this catches formulas exported as text instead of values,
# and keeps such text off the screen and out of any file it ends up in.
FORMULA_PREFIXES = ("=", "@")
_SIGNED_NUMBER = re.compile(r"^[+-]\s*[\d.][^=+\-*/^&|!();@\"']*$")


@dataclass(frozen=True)
class GridCell:
    """One cell of a CSV or spreadsheet: its value (text from a CSV; text, a number or
    None from a spreadsheet) and where it is."""

    value: Any
    mark: Mark


@dataclass(frozen=True)
class GridRow:
    mark: Mark  # where the row starts (the CSV line, the spreadsheet's first cell)
    cells: list[GridCell]


def looks_like_formula(text: str) -> bool:
    """True for text a spreadsheet would run as a formula (see FORMULA_PREFIXES)."""
    text = text.lstrip("\t\r\n ")
    if text.startswith(FORMULA_PREFIXES):
        return True
    return len(text) > 1 and text[0] in "+-" and not _SIGNED_NUMBER.match(text)
