"""A YAML reader that builds plain data and remembers where each value was written.

PyYAML's composer (libyaml when available, for speed) turns text into nodes; this
module walks the nodes itself so that it can refuse what a playlist must never hold
(object-constructing tags, duplicate keys, alias bombs, absurd nesting) and record
each value's Mark, keyed by its path (('slides', 3, 'value')), for error messages.
"""

from __future__ import annotations

import codecs
import gc
import re
import stat
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml import nodes

from kiosk.numbers import decimals_of
from kiosk.playlist.errors import Mark, PlaylistError, Problem, file_mark

try:
    from yaml import CSafeLoader as _Loader

    _BYTE_POSITIONS = True  # libyaml reports a bad character's place in UTF-8 bytes
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]  # the pure-Python twin

    _BYTE_POSITIONS = False

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_NODES = 500_000  # values after alias expansion: far beyond a real playlist
MAX_DEPTH = 40
TOO_MANY_VALUES = (
    f"the file holds more than {MAX_NODES:,} values once YAML aliases (*name) are expanded; "
    "a playlist is far smaller (is this an alias bomb?)"
)
MAX_INT_BITS = 1024  # about 1.8e308, the largest float: no playlist number is bigger

Path_ = tuple[str | int, ...]

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_YAML}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_KIND_WORDS = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "null": "empty",
    "str": "text",
}


class WrittenFloat(float):
    """A float that remembers how it was written, so 2.90 keeps two decimals on screen."""

    written_text: str
    written_decimals: int

    def __new__(cls, value: float, text: str) -> WrittenFloat:
        self = super().__new__(cls, value)
        self.written_text = text
        try:
            self.written_decimals = decimals_of(text)  # the one reading of written precision
        except ValueError:
            self.written_decimals = 0  # .inf and .nan: the model refuses them with a message
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
        info = path.stat()
    except OSError as exc:
        raise _one(file_mark(path), f"cannot read the file: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise _one(file_mark(path), "this is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        # A named pipe or a device would block the reader (and the show) forever.
        raise _one(file_mark(path), "this is not a regular file (a pipe or a device?)")
    size = info.st_size
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
    with gc_paused():
        try:
            return _parse(text, name)
        except PlaylistError as error:
            problems = error.problems
    # Raised afresh, out here: the first error's traceback holds the frames of the walk and,
    # through them, the whole node graph (millions of objects for a file near the limit);
    # kept in any reference cycle, it would cost the collector seconds later on.
    raise PlaylistError(problems)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Composing makes a node object per value and nothing to collect; with the cyclic
    collector running, a file near the size limit took five times as long (8 s, not 1.5)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse(text: str, name: str) -> Document:
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(name, mark.line + 1, mark.column + 1) if mark else file_mark(name)
        if "maximum nesting depth" in str(exc.problem):  # libyaml stops at 1000 levels
            raise _one(where, f"values are nested more than {MAX_DEPTH} deep") from None
        hinted = _hint(text, name, where, exc)
        if hinted is not None:
            raise _one(*hinted) from None
        raise _one(where, f"this is not valid YAML: {exc.problem or exc.context}") from None
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow (a control character pasted from a chat message).
        position = exc.position
        if _BYTE_POSITIONS:
            position = len(text.encode("utf-8", "replace")[:position].decode("utf-8", "ignore"))
        where = _text_mark(text, name, position)
        raise _one(
            where, f"this is not valid YAML: the character {_char_name(exc.character)} is not allowed here"
        ) from None
    except yaml.YAMLError as exc:
        raise _one(file_mark(name), f"this is not valid YAML: {exc}") from None
    except UnicodeEncodeError as exc:  # lone surrogates, only possible in text built in memory
        raise _one(_text_mark(text, name, exc.start), "the text holds an invalid character") from None
    except RecursionError:  # pragma: no cover - libyaml stops at 1000 levels before Python would
        raise _one(file_mark(name), f"values are nested more than {MAX_DEPTH} deep") from None
    if root is None:
        raise _one(file_mark(name), "the file is empty")
    _measure(root, name)
    walker = _Walker(name)
    data = walker.convert(root, (), 0)
    if walker.problems:
        raise PlaylistError(walker.problems)
    return Document(data, name, walker.value_marks, walker.key_marks)


#: a key written with a full-width colon (an input method's '：'), as in `body： 内容`
_FULLWIDTH_KEY = re.compile(r"^(\s*(?:-\s+)?)([^\s:#'\"][^:#]*?)\s*：")
#: characters YAML reserves at the start of a plain value, and how to write them instead
_RESERVED_START = {
    "%": "a value that starts with '%' must be quoted, for example unit: \"%\"",
    "@": "a value that starts with '@' must be quoted, for example \"@江苏公安\"",
    "`": "a value that starts with '`' must be quoted",
    "\t": "indent with spaces, not tabs (YAML does not allow tabs for indentation)",
}


def _hint(text: str, name: str, where: Mark, exc: yaml.MarkedYAMLError) -> tuple[Mark, str] | None:
    """The usual slips behind libyaml's terse errors, said in a person's words: a
    full-width colon after a key, an unquoted '%' or '@', a tab used for indentation."""
    lines = text.splitlines()
    for number in range(min(where.line, len(lines)), 0, -1):
        match = _FULLWIDTH_KEY.match(lines[number - 1])
        if match and "could not find expected ':'" in str(exc.problem) + str(exc.context):
            colon_column = match.end()  # 1-based: the colon is the match's last character
            return Mark(name, number, colon_column), (
                f"'{match.group(2).strip()}' is followed by a full-width colon '：'; "
                "YAML needs an ASCII colon and a space: 'key: value'"
            )
    if 1 <= where.line <= len(lines):
        line = lines[where.line - 1]
        character = line[where.column - 1 : where.column]
        if character in _RESERVED_START and "cannot start any token" in str(exc.problem):
            return where, f"this is not valid YAML: {_RESERVED_START[character]}"
    return None


def load_file(path: Path) -> Document:
    return parse(read_text(path), str(path))


def _measure(root: nodes.Node, name: str) -> None:
    """Refuse alias bombs, self-containing values and deep nesting before building anything.

    The composer shares an anchored node between its aliases, so the nodes form a graph;
    each node's expanded size and height are computed once (memoized by identity), so a
    billion laughs costs as much as the few lines it is written in, not 500,000 values.
    """
    measured: dict[int, tuple[int, int]] = {}  # node -> (values once expanded, height)
    active: set[int] = set()

    def measure(node: nodes.Node, depth: int) -> tuple[int, int]:
        key = id(node)
        if key in active:
            raise _one(
                _mark(name, node),
                f"values are nested more than {MAX_DEPTH} deep: this one contains itself "
                "through an alias (*name)",
            )
        if key not in measured:
            if depth > MAX_DEPTH:
                raise _one(_mark(name, node), f"values are nested more than {MAX_DEPTH} deep")
            active.add(key)
            size, height = 1, 0
            children: list[nodes.Node] = []
            if isinstance(node, nodes.SequenceNode):
                children = node.value
            elif isinstance(node, nodes.MappingNode):
                children = [part for pair in node.value for part in pair]
            for child in children:
                child_size, child_height = measure(child, depth + 1)
                size, height = size + child_size, max(height, child_height + 1)
                if size > MAX_NODES:
                    raise _one(_mark(name, node), TOO_MANY_VALUES)
            active.discard(key)
            measured[key] = (size, height)
        size, height = measured[key]
        if depth + height > MAX_DEPTH:
            raise _one(_mark(name, node), f"values are nested more than {MAX_DEPTH} deep")
        return size, height

    measure(root, 0)


def _one(mark: Mark, message: str) -> PlaylistError:
    return PlaylistError([Problem(mark, readable(message))])


_QUOTED = re.compile(r"'([^'\n]{78})[^'\n]{4,}'")
_INVISIBLE = frozenset(["Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"])


def readable(message: str) -> str:
    """A problem's message as one line a person can read: what a playlist wrote and a
    message quotes ('...') is cut to 80 characters, and control, format and line-break
    characters are shown as escapes (a newline would break the FILE:LINE:COL format, a
    right-to-left override would scramble the terminal)."""
    message = _QUOTED.sub(lambda m: f"'{m.group(1)}...'", message)
    return "".join(
        repr(c)[1:-1] if unicodedata.category(c) in _INVISIBLE and c != "\u200d" else c for c in message
    )


def _text_mark(text: str, name: str, position: int) -> Mark:
    """The line and column (from 1) of a character index in text."""
    position = max(0, min(position, len(text)))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return Mark(name, line, column)


def _char_name(character: object) -> str:
    if isinstance(character, int):
        character = chr(character)
    if isinstance(character, str) and len(character) == 1:
        return f"U+{ord(character):04X}"
    return repr(character)


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
        self.problems.append(Problem(_mark(self.name, node), readable(message)))

    def enter(self, node: nodes.Node, depth: int) -> None:
        """Count one more value and check the depth: aliases and merges cannot run away."""
        self.count += 1
        if self.count > MAX_NODES:
            raise _one(_mark(self.name, node), TOO_MANY_VALUES)
        if depth > MAX_DEPTH:
            raise _one(_mark(self.name, node), f"values are nested more than {MAX_DEPTH} deep")

    def convert(self, node: nodes.Node, path: Path_, depth: int) -> Any:
        self.enter(node, depth)
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
        kind = tag[len(_YAML) :]
        try:
            value = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
        except (ValueError, KeyError, IndexError, TypeError, ArithmeticError):
            # '!!float y', '!!bool maybe', '!!int ""', or an int of more than 4300 digits
            # (Python's own limit on turning text into an int).
            if kind == "int" and node.value.strip("+-").isdigit():
                return self.too_large(node)
            self.fail(node, f"'{node.value}' is not {_KIND_WORDS[kind]}")
            return None
        if kind == "int" and abs(value).bit_length() > MAX_INT_BITS:
            return self.too_large(node)
        if kind == "float":
            return WrittenFloat(value, node.value)
        return value

    def too_large(self, node: nodes.ScalarNode) -> None:
        """An int beyond any float, that Python may refuse to turn back into text."""
        self.fail(node, f"the number '{node.value[:20]}...' is too large")

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
            self.enter(source, depth + 1)  # merges are counted like values: no merge bombs
            if not isinstance(source, nodes.MappingNode):
                self.fail(source, "'<<' merges only mappings")
                continue
            merged.update(self.mapping(source, path, depth + 1))  # _measure refused cycles
        return merged
