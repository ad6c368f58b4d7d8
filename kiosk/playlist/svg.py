"""The rules an SVG must pass before Qt's SVG reader sees it (SECURITY.md), with no Qt:
`kiosk check` reports them and the show refuses the same files.

An SVG is a program of sorts. Qt's reader follows `<image href>` to any local file, so
only self-contained documents are drawn: every href is a '#fragment' or an embedded
'data:' picture, with no DTD (its entities could spell an href the scan does not see).
And `#fragment` links multiply: each `<use>` draws its target again, so ten levels of
ten `<use>` each are 10^10 elements from 4.6 KB, and Qt's reader (holding the GIL)
never returns. The document is parsed here with the standard library's expat (no DTD
allowed, so no entity is expanded), every reference (`href`, `url(#id)` in fill, stroke,
markers, masks, clips, filters, styles) is expanded by counting, never by copying, and a
document that would draw more than MAX_SVG_ELEMENTS elements is refused.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

#: larger SVG files are not read at all
MAX_SVG_BYTES = 4 * 1024 * 1024
#: elements an SVG may draw once every reference is expanded. Qt reads and draws about
#: a million plain elements a second on the development machine; this keeps the worst
#: SVG near a tenth of a second (tests/fuzz/test_decode_budget.py measures it)
MAX_SVG_ELEMENTS = 100_000
#: elements inside elements, references inside references, counted together: Qt's
#: reader and renderer recurse, and so does this count
MAX_SVG_DEPTH = 200

_SVG_HREF = re.compile(rb"""href\s*=\s*["']\s*([^"']*)""", re.IGNORECASE)
_SVG_CSS_URL = re.compile(rb"""url\(\s*["']?\s*([^)"'\s]*)""", re.IGNORECASE)
_URL_ID = re.compile(r"""url\(\s*["']?\s*#([^)"'\s]+)""")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_MARKER_ATTRIBUTES = ("marker-start", "marker-mid", "marker-end", "marker")
#: paint servers: a reference to one sets a brush, it draws nothing of its own
_PAINT_SERVERS = frozenset({"linearGradient", "radialGradient", "solidColor", "solidcolor"})


@dataclass(frozen=True)
class SvgProblem:
    """Why an SVG is not drawn; `line`/`column` point into the SVG when one place is to blame."""

    message: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.message} (line {self.line}, column {self.column})" if self.line else self.message


def svg_is_self_contained(data: bytes) -> bool:
    """Whether an SVG document refers to nothing outside itself."""
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        return False
    references = _SVG_HREF.findall(data) + _SVG_CSS_URL.findall(data)
    return all(ref.startswith(b"#") or ref.lower().startswith(b"data:") for ref in references)


def looks_like_svg(data: bytes) -> bool:
    """Whether data is an SVG document, whatever its file is called."""
    head = data[:4096].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    prologue = head.startswith((b"<?xml", b"<!--", b"<!doctype"))
    return head.startswith(b"<svg") or (prologue and b"<svg" in head)


def svg_problem(data: bytes, compressed: bool = False) -> SvgProblem | None:
    """Why this SVG document must not be drawn, or None when it may be."""
    if compressed:
        return SvgProblem("a compressed SVG (.svgz) cannot be checked; save it as a plain .svg")
    if len(data) > MAX_SVG_BYTES:
        return SvgProblem(f"the SVG is larger than {MAX_SVG_BYTES // (1024 * 1024)} MB")
    if not svg_is_self_contained(data):
        return SvgProblem(
            "the SVG refers to something outside itself (a file, a web address or a DTD); "
            "embed pictures as data: or save it as a PNG"
        )
    return svg_complexity_problem(data)


def svg_file_problem(path: Path, shown: str) -> str | None:
    """For `kiosk check`: why the picture file at `path` (named `shown` in the playlist)
    would not be drawn by the SVG rules, with the place in the SVG; None when it would be
    (or it is no SVG: raster files are checked when decoded)."""
    try:
        info = path.stat()
    except OSError:
        return None
    problem = _svg_file_problem(str(path), info.st_mtime_ns, info.st_size)
    if problem is None:
        return None
    where = f" ({shown}:{problem.line}:{problem.column})" if problem.line else ""
    return f"'{shown}' cannot be shown: {problem.message}{where}"


@lru_cache(maxsize=256)  # a playlist of 3,000 slides may name one logo 3,000 times
def _svg_file_problem(path: str, mtime_ns: int, size: int) -> SvgProblem | None:
    name = path.lower()
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
            if not (name.endswith((".svg", ".svgz")) or looks_like_svg(head)):
                return None
            data = head + handle.read(MAX_SVG_BYTES + 1 - len(head))
    except OSError:
        return None
    return svg_problem(data, compressed=name.endswith(".svgz") or data[:2] == b"\x1f\x8b")


@dataclass
class _Element:
    line: int
    column: int
    tag: str
    label: str = ""  # how the message names it: <g id="l5">
    children: list[int] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # ids drawn again where this element is
    markers: list[str] = field(default_factory=list)  # ids drawn at each vertex
    vertices: int = 0


class _TooComplex(Exception):
    def __init__(self, problem: SvgProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def svg_complexity_problem(data: bytes, limit: int = MAX_SVG_ELEMENTS) -> SvgProblem | None:
    """Too many elements once references are expanded, nested too deep, a reference
    to itself, or not well-formed XML: a problem; else None."""
    counted = svg_element_count(data, limit)
    return counted if isinstance(counted, SvgProblem) else None


def svg_element_count(data: bytes, limit: int = MAX_SVG_ELEMENTS) -> int | SvgProblem:
    """How many elements the SVG draws once its references are expanded, or why it is
    refused (more than `limit` of them among the reasons)."""
    elements: list[_Element] = []
    ids: dict[str, int] = {}
    open_elements: list[int] = []
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")

    def refuse_dtd(*_: object) -> None:
        where = (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        raise _TooComplex(SvgProblem("the SVG has a DTD", *where))

    def start(name: str, attributes: dict[str, str]) -> None:
        if len(open_elements) >= MAX_SVG_DEPTH:
            raise _TooComplex(
                SvgProblem(f"the SVG nests elements more than {MAX_SVG_DEPTH} deep",
                           parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
            )  # fmt: skip
        element = _Element(parser.CurrentLineNumber, parser.CurrentColumnNumber + 1, name.rpartition(" ")[2])
        index = len(elements)
        elements.append(element)
        if open_elements:
            elements[open_elements[-1]].children.append(index)
        open_elements.append(index)
        for key, value in attributes.items():
            local = key.rpartition(" ")[2]
            if local == "id":
                ids.setdefault(value.strip(), index)
                element.label = f' id="{value.strip()[:40]}"'
            elif local == "href" and value.strip().startswith("#"):
                element.references.append(value.strip()[1:])
            elif local == "points" or (local == "d" and element.tag == "path"):
                element.vertices = max(element.vertices, len(_NUMBER.findall(value)) // 2)
            if "url(" in value:
                found = _URL_ID.findall(value)
                if local in _MARKER_ATTRIBUTES or (local == "style" and "marker" in value):
                    element.markers.extend(found)
                else:
                    element.references.extend(found)

    def end(_: str) -> None:
        open_elements.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    try:
        parser.Parse(data, True)
    except _TooComplex as refused:
        return refused.problem
    except xml.parsers.expat.ExpatError as error:
        return SvgProblem(f"the SVG is not well-formed XML: {xml.parsers.expat.errors.messages[error.code]}",
                          error.lineno, error.offset + 1)  # fmt: skip
    if not elements:
        return SvgProblem("the SVG has no elements")
    try:
        return _Counter(elements, ids, limit).count(0, 0)
    except _TooComplex as refused:
        return refused.problem


class _Counter:
    """Elements drawn by each element, its references expanded, memoised: each element
    is counted once however often it is drawn. Saturates just above the limit."""

    def __init__(self, elements: list[_Element], ids: dict[str, int], limit: int) -> None:
        self.elements, self.ids, self.limit = elements, ids, limit
        self.memo: dict[int, int] = {}
        self.active: set[int] = set()

    def count(self, index: int, depth: int) -> int:
        if index in self.memo:
            return self.memo[index]
        element = self.elements[index]
        where = (element.line, element.column)
        if index in self.active:
            raise _TooComplex(SvgProblem(f"the SVG's <{element.tag}> refers to itself", *where))
        if depth > MAX_SVG_DEPTH:
            raise _TooComplex(SvgProblem(f"the SVG's references nest more than {MAX_SVG_DEPTH} deep", *where))
        self.active.add(index)
        total = 1
        for child in element.children:
            total += self.count(child, depth + 1)
            total = min(total, self.limit + 1)
        for name in element.references:
            target = self.ids.get(name)
            if target is not None and self.elements[target].tag not in _PAINT_SERVERS:
                total = min(total + self.count(target, depth + 1), self.limit + 1)
        for name in element.markers:
            target = self.ids.get(name)
            if target is not None:
                total = min(total + self.count(target, depth + 1) * max(1, element.vertices), self.limit + 1)
        self.active.discard(index)
        if total > self.limit:
            raise _TooComplex(
                SvgProblem(
                    f"the SVG draws more than {self.limit:,} elements once its <use> and url(#...)"
                    f" references are expanded (from this <{element.tag}{element.label}> on);"
                    " simplify it or save a PNG",
                    *where,
                )
            )
        self.memo[index] = total
        return total
