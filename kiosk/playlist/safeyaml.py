"""A YAML reader that builds plain data and remembers where each value was written.

PyYAML's composer (libyaml when available, for speed) turns text into nodes; this
module walks the nodes itself so that it can refuse what a playlist must never hold
(object-constructing tags, duplicate keys, alias bombs, absurd nesting) and record
each value's Mark, keyed by its path (('slides', 3, 'value')), for error messages.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml import nodes

from kiosk.playlist.errors import Mark, PlaylistError, Problem, file_mark

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_NODES = 500_000  # values after alias expansion: far beyond a real playlist
MAX_DEPTH = 40

Path_ = tuple[str | int, ...]

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_YAML}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class WrittenFloat(float):
    """A float that remembers how it was written, so 2.90 keeps two decimals on screen."""

    written_text: str
    written_decimals: int

    def __new__(cls, value: float, text: str) -> WrittenFloat:
        self = super().__new__(cls, value)
        self.written_text = text
        mantissa = text.lower().split("e")[0]
        self.written_decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return self


@dataclass
class Document:
    """Plain data read from YAML, with the marks of its values and keys."""

    data: Any
    file: str
    value_marks: dict[Path_, Mark] = field(default_factory=dict)
    key_marks: dict[Path_, Mark] = field(default_factory=dict)

    def mark_of(self, path: Path_, *, key: bool = False) -> Mark:
        """The mark of the value at `path` (or of its key), else of its nearest parent."""
        if key and path in self.key_marks:
            return self.key_marks[path]
        for end in range(len(path), -1, -1):
            mark = self.value_marks.get(path[:end])
            if mark is not None:
                return mark
        return file_mark(self.file)

    def graft(self, prefix: Path_, other: Document) -> None:
        """Take in another document's marks under `prefix` (data files named by a slide)."""
        for path, mark in other.value_marks.items():
            self.value_marks[prefix + path] = mark
        for path, mark in other.key_marks.items():
            self.key_marks[prefix + path] = mark


def read_text(path: Path) -> str:
    """The file's text; UTF-8 only (a BOM is fine), with a clear word for anything else."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _one(file_mark(path), f"cannot read the file: {exc.strerror or exc}") from None
    if path.is_dir():
        raise _one(file_mark(path), "this is a folder, not a file")
    if size > MAX_FILE_BYTES:
        raise _one(
            file_mark(path),
            f"the file is {size / 1e6:.1f} MB; a playlist or data file may be at most "
            f"{MAX_FILE_BYTES / 1e6:.0f} MB",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _one(file_mark(path), f"cannot read the file: {exc.strerror or exc}") from None
    return decode(raw, str(path))


def decode(raw: bytes, name: str) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _one(file_mark(name), "the file is saved as UTF-16; save it as UTF-8")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = "save it as UTF-8"
        try:
            raw.decode("gbk")
            hint = (
                "it looks like GBK (GB2312), as older Windows editors save Chinese text; "
                "save it again as UTF-8"
            )
        except UnicodeDecodeError:
            pass
        raise _one(Mark(name, line, column), f"the file is not UTF-8: {hint}") from None
    if "\x00" in text:
        raise _one(file_mark(name), "the file holds NUL bytes; it is not a text file")
    return text


def parse(text: str, name: str) -> Document:
    """Compose YAML text and convert it to plain data, refusing anything unsafe."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(name, mark.line + 1, mark.column + 1) if mark else file_mark(name)
        raise _one(where, f"this is not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise _one(file_mark(name), f"this is not valid YAML: {exc}") from None
    if root is None:
        raise _one(file_mark(name), "the file is empty")
    walker = _Walker(name)
    data = walker.convert(root, (), 0)
    if walker.problems:
        raise PlaylistError(walker.problems)
    return Document(data, name, walker.value_marks, walker.key_marks)


def load_file(path: Path) -> Document:
    return parse(read_text(path), str(path))


def _one(mark: Mark, message: str) -> PlaylistError:
    return PlaylistError([Problem(mark, message)])


def _mark(name: str, node: nodes.Node) -> Mark:
    return Mark(name, node.start_mark.line + 1, node.start_mark.column + 1)


class _Walker:
    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0
        self.problems: list[Problem] = []
        self.value_marks: dict[Path_, Mark] = {}
        self.key_marks: dict[Path_, Mark] = {}

    def fail(self, node: nodes.Node, message: str) -> None:
        self.problems.append(Problem(_mark(self.name, node), message))

    def convert(self, node: nodes.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _one(
                _mark(self.name, node),
                f"the file expands to more than {MAX_NODES:,} values through YAML aliases "
                "(*name); this looks like an alias bomb, not a playlist",
            )
        if depth > MAX_DEPTH:
            raise _one(_mark(self.name, node), f"values are nested more than {MAX_DEPTH} deep")
        self.value_marks[path] = _mark(self.name, node)
        if isinstance(node, nodes.ScalarNode):
            return self.scalar(node)
        if isinstance(node, nodes.SequenceNode):
            if node.tag != f"{_YAML}seq":
                return self.refuse_tag(node)
            return [self.convert(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, nodes.MappingNode):
            if node.tag != f"{_YAML}map":
                return self.refuse_tag(node)
            return self.mapping(node, path, depth)
        return self.refuse_tag(node)  # pragma: no cover - composer makes only these three

    def refuse_tag(self, node: nodes.Node) -> None:
        self.fail(
            node,
            f"the tag '{node.tag}' is not allowed: a playlist holds plain text, numbers, "
            "lists and mappings, and nothing in it can run code",
        )

    def scalar(self, node: nodes.ScalarNode) -> Any:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            return self.refuse_tag(node)
        if tag == f"{_YAML}timestamp":
            return node.value  # pydantic reads dates; keeps '2024-01-10T08:00' as written
        value = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
        if tag == f"{_YAML}float":
            return WrittenFloat(value, node.value)
        return value

    def mapping(self, node: nodes.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, nodes.Node] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == f"{_YAML}merge":
                merged.update(self.merge_source(value_node, path, depth))
                continue
            if not isinstance(key_node, nodes.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                self.fail(key_node, "a key must be plain text")
                continue
            key = str(key_node.value)
            if key in first_seen:
                line = first_seen[key].start_mark.line + 1
                self.fail(key_node, f"duplicate key '{key}' (first written on line {line})")
                continue
            first_seen[key] = key_node
            self.key_marks[(*path, key)] = _mark(self.name, key_node)
            result[key] = self.convert(value_node, (*path, key), depth + 1)
        return {**merged, **result}

    def merge_source(self, node: nodes.Node, path: Path_, depth: int) -> dict[str, Any]:
        """`<<: *defaults` merges a mapping (or a list of them) into this one."""
        sources = node.value if isinstance(node, nodes.SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in reversed(sources):
            if not isinstance(source, nodes.MappingNode):
                self.fail(source, "'<<' merges only mappings")
                continue
            merged.update(self.mapping(source, path, depth + 1))
        return merged
