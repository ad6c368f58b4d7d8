"""Safe YAML -> Playlist, with every problem mapped to FILE:LINE:COL in plain words."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from kiosk.playlist.data import XLSX_OPTIONS, data_fills, load_chart_data
from kiosk.playlist.errors import PlaylistError, Problem
from kiosk.playlist.model import (
    SLIDE_TYPES,
    Playlist,
    PlaylistSettings,
    SlideBase,
)
from kiosk.playlist.paths import OutsideFolder, confine, real_path
from kiosk.playlist.safeyaml import Document, Path_, gc_paused, load_file, parse, readable
from kiosk.playlist.svg import svg_file_problem
from kiosk.playlist.theme_spec import BUILTIN_THEMES, ThemeSpec
from kiosk.playlist.xlsx import OptionProblem

M = TypeVar("M", bound=BaseModel)


def load_playlist(path: str | os.PathLike[str]) -> Playlist:
    """Read, check and return the playlist at `path`, or raise PlaylistError with all problems."""
    path = Path(path)
    return build_playlist(load_file(path), path)


def load_playlist_text(text: str, name: str = "<playlist>", folder: Path | None = None) -> Playlist:
    """The same as load_playlist for text in memory (tests, fuzzing)."""
    fake_path = (folder or Path.cwd()) / name
    return build_playlist(parse(text, name), fake_path)


def build_playlist(document: Document, path: Path) -> Playlist:
    # The playlist's real path, resolved once: its folder is the one the check confines
    # files to and the one the show and export open them from (kiosk/playlist/paths.py),
    # so a playlist reached through a symlink cannot be checked in one folder and
    # played from another.
    real = real_path(path)
    checker = _Checker(document, real.parent)
    with gc_paused():  # many small objects, none to collect: three times faster
        playlist = checker.check()
    if checker.problems:
        raise PlaylistError(checker.problems)
    assert playlist is not None
    playlist._path = real
    return playlist


class _Checker:
    def __init__(self, document: Document, folder: Path) -> None:
        self.document = document
        self.folder = folder
        self.problems: list[Problem] = []

    def add(self, path: Path_, message: str, *, key: bool = False) -> None:
        self.problems.append(Problem(self.document.mark_of(path, key=key), readable(message)))

    def check(self) -> Playlist | None:
        data = self.document.data
        if not isinstance(data, dict):
            self.add((), "a playlist is a mapping that starts with keys like 'slides:'")
            return None
        settings = self.validate(PlaylistSettings, {k: v for k, v in data.items() if k != "slides"}, ())
        if settings is not None:
            self.check_theme(settings.theme)
        raw_slides = data.get("slides")
        if not isinstance(raw_slides, list) or not raw_slides:
            where = ("slides",) if "slides" in data else ()
            self.add(where, "the playlist needs 'slides:', a list with at least one slide")
            return None
        slides = [self.check_slide(raw, ("slides", i)) for i, raw in enumerate(raw_slides)]
        self.check_unique_ids(slides)
        if self.problems or settings is None:
            return None
        # No problems: every slide was built (check_slide gives None only with a problem).
        return Playlist.model_construct(**dict(settings), slides=[s for s in slides if s is not None])

    # ------------------------------------------------------------ slides

    def check_slide(self, raw: Any, path: Path_) -> SlideBase | None:
        if not isinstance(raw, dict):
            self.add(path, "each slide is a mapping that starts with 'type:'")
            return None
        kind = raw.get("type")
        if kind is None:
            self.add(path, f"this slide has no 'type:'; known types: {_known_types()}")
            return None
        model = SLIDE_TYPES.get(str(kind))
        if model is None:
            hint = _did_you_mean(str(kind), SLIDE_TYPES, cutoff=0.5)
            self.add(
                (*path, "type"),
                f"unknown slide type '{_shown(kind, 60)}'{hint}; known types: {_known_types()}",
            )
            return None
        raw = self.with_data_file(raw, str(kind), path)
        if raw is None:
            return None  # the data file's own problems are reported; more would be noise
        slide = self.validate(model, raw, path)
        if slide is not None:
            self.check_files(slide, path)
        return slide

    def with_data_file(self, raw: dict[str, Any], kind: str, path: Path_) -> dict[str, Any] | None:
        """Fill bars/slices/x+series/columns+rows from the file named by `data:` (None if
        it is unusable); `sheet:` and `range:` choose the cells of an .xlsx file."""
        fills = data_fills(kind)
        if not fills:
            return raw
        data = raw.get("data")
        options = {k: raw[k] for k in XLSX_OPTIONS if raw.get(k) is not None}
        if options and not (isinstance(data, str) and data.lower().endswith(".xlsx")):
            key = next(iter(options))
            self.add((*path, key), f"'{key}:' goes with an .xlsx data file ('data: 数据.xlsx'); remove it")
            return None
        if not isinstance(data, str):
            return raw
        inline = [k for k in fills if k in raw]
        if inline:
            self.add((*path, "data"), f"give either 'data:' or '{inline[0]}:', not both")
            return raw
        file = self.existing_file(data, (*path, "data"))
        if file is None:
            return None
        sheet, cells = options.get("sheet"), options.get("range")
        try:
            loaded = load_chart_data(
                kind,
                file,
                sheet=None if sheet is None else str(sheet),
                cells=None if cells is None else str(cells),
            )
        except PlaylistError as error:
            self.problems.extend(error.problems)
            return None
        except OptionProblem as problem:
            self.add((*path, problem.field), str(problem))
            return None
        if len(fills) > 1:  # the file gives them all (x and series; columns and rows)
            self.document.graft(path, loaded)
            return {**raw, **loaded.data}
        key = fills[0]
        self.document.graft((*path, key), loaded)
        return {**raw, key: loaded.data}

    def check_files(self, slide: SlideBase, path: Path_) -> None:
        for name in slide.file_fields:
            value = getattr(slide, name)
            if value is not None and name != "data":  # data files were read already ('' is checked)
                self.check_picture(value, self.existing_file(value, (*path, name)), (*path, name))
        if slide.background and not slide.background_is_color():
            found = self.existing_file(slide.background, (*path, "background"))
            self.check_picture(slide.background, found, (*path, "background"))

    def check_picture(self, relative: str, found: Path | None, path: Path_) -> None:
        """An SVG the show would refuse (kiosk/playlist/svg.py) is reported here too."""
        problem = None if found is None else svg_file_problem(found, relative)
        if problem:
            self.add(path, problem)

    def existing_file(self, relative: str, path: Path_) -> Path | None:
        """The file, if it exists inside the playlist's folder (see SECURITY.md)."""
        problem = file_problem(self.folder, relative)
        if problem:
            self.add(path, problem)
            return None
        return self.folder / relative

    def check_unique_ids(self, slides: list[SlideBase | None]) -> None:
        seen: dict[str, int] = {}
        for index, slide in enumerate(slides):
            if slide is None or slide.id is None:
                continue
            if slide.id in seen:
                self.add(
                    ("slides", index, "id"),
                    f"id '{slide.id}' is already used by slide {seen[slide.id] + 1}; ids must be unique",
                )
            else:
                seen[slide.id] = index

    def check_theme(self, theme: str) -> None:
        if theme in BUILTIN_THEMES:
            return
        if theme.endswith((".yaml", ".yml")):
            path = self.existing_file(theme, ("theme",))
            if path is not None:
                self.check_theme_file(path)
            return
        hint = _did_you_mean(theme, BUILTIN_THEMES)
        self.add(
            ("theme",),
            f"unknown theme '{_shown(theme, 60)}'{hint}; built-in themes: {', '.join(BUILTIN_THEMES)}, "
            "or give the path of a theme .yaml file",
        )

    def check_theme_file(self, path: Path) -> None:
        """A playlist's own theme is checked with it: its problems (with the theme file's
        lines) and its logo, which follows the rule of every file a playlist names."""
        try:
            spec = load_theme_spec(path)
        except PlaylistError as error:
            self.problems.extend(error.problems)
            return
        if spec.logo is None:
            return
        # The logo is named relative to the theme file; joined as written (no '..' folded
        # away) so that resolving it follows symlinks as opening it will.
        relative = os.path.relpath(path.parent, self.folder) + "/" + spec.logo
        problem = name_problem(spec.logo) or file_problem(self.folder, relative)
        if problem:
            mark = load_file(path).mark_of(("logo",))
            self.problems.append(Problem(mark, readable(f"logo: {problem}")))

    # ------------------------------------------------------------ validation

    def validate(self, model: type[M], raw: dict[str, Any], path: Path_) -> M | None:
        try:
            return model.model_validate(raw)
        except ValidationError as error:
            self.report(error, model, raw, path)
            return None

    def report(self, error: ValidationError, model: type[BaseModel], raw: Any, path: Path_) -> None:
        messages: dict[Path_, list[tuple[str, bool]]] = {}
        union_paths: set[Path_] = set()
        for detail in error.errors(include_url=False):
            loc = tuple(p for p in detail["loc"] if not _is_union_member(p))
            if len(loc) != len(detail["loc"]):
                union_paths.add(loc)
            detail = {**detail, "loc": loc}
            message = explain(detail, _fields_at(model, raw, loc))
            entry = (message, detail["type"] == "extra_forbidden")
            if entry not in messages.setdefault(loc, []):
                messages[loc].append(entry)
        for loc, entries in messages.items():
            if loc in union_paths and any(o[: len(loc)] == loc and len(o) > len(loc) for o in messages):
                continue  # a list was given and one of its items is wrong: that is the news
            if loc in union_paths and len(entries) > 1:
                entries = [(_either(m for m, _ in entries), False)]
            for message, key in entries:
                self.add((*path, *loc), message, key=key)


def load_theme_spec(path: Path) -> ThemeSpec:
    """Read a theme YAML (raises PlaylistError with file:line:col on problems)."""
    spec = validate_document(ThemeSpec, load_file(path))
    spec._folder = path.parent
    return spec


def validate_document(model: type[M], document: Document) -> M:
    """Validate a whole YAML document against `model` (themes), with marked errors."""
    checker = _Checker(document, Path(document.file).parent)
    if not isinstance(document.data, dict):
        checker.add((), "the file must be a mapping of keys to values")
        raise PlaylistError(checker.problems)
    result = checker.validate(model, document.data, ())
    if result is None:
        raise PlaylistError(checker.problems)
    return result


def file_problem(folder: Path, relative: str) -> str | None:
    """Why `relative` cannot be used as a file of this playlist, or None if it can.

    The rule (SECURITY.md): files a playlist names live in the playlist's folder or
    below it. Absolute paths, '..' that climbs out and symlinks that lead out are refused,
    so a playlist from a stranger's USB stick cannot show files from elsewhere on the PC.
    Web addresses are not fetched: a show must not depend on the network.
    """
    problem = name_problem(relative)
    if problem:
        return problem
    shown = _shown(relative, 80)
    try:
        root = folder.resolve()
        try:
            target = confine(root, relative)
        except OutsideFolder:
            return (
                f"'{shown}' is outside the playlist's folder; keep images and data files "
                "in the playlist's folder or below it"
            )
        if not target.exists():
            # The hint goes before the folder: readable() cuts long text between quotes.
            return f"file not found: '{shown}'{_name_hint(root, relative)} (looked in {root})"
        if not target.is_file():
            return f"'{shown}' is not a file"
    except RuntimeError:
        return f"'{shown}' cannot be resolved (a symlink loop?)"
    except (OSError, ValueError) as exc:  # a name too long for the file system, a symlink loop
        reason = getattr(exc, "strerror", None) or "the file system refuses this name"
        return f"'{shown}' cannot be used as a file name: {reason}"
    return None


def _name_hint(root: Path, relative: str) -> str:
    """Why a name that is not found may still be meant: Windows separators ('images\\logo.png'
    names one file called that on Linux) or a case that differs (names are case-sensitive
    here, not on the Windows PC the playlist was written on)."""
    if "\\" in relative:
        fixed = re.sub(r"[\\/]+", "/", relative)
        try:
            if confine(root, fixed).is_file():
                return f"; did you mean '{_shown(fixed, 80)}'? (write folders with /, not \\)"
        except (OutsideFolder, RuntimeError, OSError, ValueError):
            pass
        relative = fixed
    folder, _, name = relative.rpartition("/")
    try:
        parent = confine(root, folder) if folder else root
        names = [entry.name for entry in parent.iterdir()] if parent.is_dir() else []
    except (OutsideFolder, RuntimeError, OSError, ValueError):
        return ""
    same = [n for n in names if n.lower() == name.lower() and n != name]
    if same:
        return f"; the folder has '{_shown(same[0], 80)}': names are case-sensitive"
    return ""


def name_problem(relative: str) -> str | None:
    """What is wrong with a file name as written, before looking at the disk: empty, a
    web address, a control character, an absolute path or a home folder."""
    if not relative.strip():
        return "the file name is empty"
    shown = _shown(relative, 80)
    if _URL.match(relative):
        return (
            f"'{shown}' is a web address; kiosk shows only files in the playlist's folder "
            "(download the file and put it there)"
        )
    if any(ord(c) < 32 for c in relative):
        return f"'{shown}' holds a control character; a file name cannot"
    if Path(relative).is_absolute() or relative.startswith(("/", "\\")) or ":" in relative[:3]:
        return f"'{shown}' is an absolute path; name files relative to the playlist's folder"
    if relative == "~" or relative.startswith(("~/", "~\\")):
        return f"'{shown}' names a home folder; name files relative to the playlist's folder"
    return None


_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]+://|(data|file|javascript):)", re.IGNORECASE)


# ---------------------------------------------------------------- messages


def _known_types() -> str:
    return ", ".join(SLIDE_TYPES)


def _did_you_mean(word: str, choices: Any, cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _fields_at(model: type[BaseModel], raw: Any, loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed in the mapping that holds the error, for 'did you mean'."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part) or _by_alias(current, part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", {})
    return [f.alias or name for name, f in fields.items()]


def _is_union_member(part: object) -> bool:
    """pydantic names the member of a union (`Text | list[Text]`) in an error's location,
    as 'list[function-before[_text(), str]]'; a person never wrote that."""
    return isinstance(part, str) and ("[" in part or "(" in part)


_WANT = re.compile(r"^(?P<field>.+?) must be (?P<want>.+?), got (?P<given>'.*')$", re.DOTALL)


def _either(messages: Any) -> str:
    """One message for a value no member of a union accepts: 'body must be text or a list'."""
    messages = list(messages)
    matches = [_WANT.match(m) for m in messages]
    if all(matches):
        wants = list(dict.fromkeys(m["want"] for m in matches if m))
        first = matches[0]
        assert first is not None
        return f"{first['field']} must be {' or '.join(wants)}, got {first['given']}"
    return str(messages[0])


def _by_alias(model: Any, alias: str) -> Any:
    for field in getattr(model, "model_fields", {}).values():
        if field.alias == alias:
            return field
    return None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _shown(value: Any, limit: int = 40) -> str:
    """The value as written, cut to `limit` characters (readable() escapes the invisible)."""
    text = getattr(value, "written_text", None) or str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def explain(detail: Any, allowed: list[str]) -> str:
    """Turn one pydantic error into words for a person who is not a programmer."""
    kind = detail["type"]
    loc = [p for p in detail["loc"] if isinstance(p, str)]
    field = loc[-1] if loc else "value"
    given = detail.get("input")
    ctx = detail.get("ctx", {})
    if kind == "extra_forbidden":
        hint = _did_you_mean(field, allowed)
        return f"unknown key '{_shown(field, 60)}'{hint}"
    if kind == "missing":
        return f"missing required key '{field}'"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        want = "a whole number" if kind.startswith("int") else "a number"
        return f"{field} must be {want}, got '{_shown(given)}'"
    if kind == "finite_number":
        return f"{field} must be a finite number, got '{_shown(given)}'"
    if kind in ("string_type", "string_too_long"):
        return f"{field} must be text, got '{_shown(given)}'"
    if kind in ("bool_type", "bool_parsing"):
        return f"{field} must be true or false, got '{_shown(given)}'"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"{field} cannot be '{_shown(given)}'; choose one of: {expected}"
    if kind in ("list_type", "model_type", "dict_type", "model_attributes_type"):
        want = "a list" if kind == "list_type" else "a mapping (key: value lines)"
        return f"{field} must be {want}, got '{_shown(given)}'"
    if kind == "too_short":
        return f"{field} needs at least {ctx.get('min_length')} entries, got {ctx.get('actual_length')}"
    if kind == "too_long":
        return f"{field} may have at most {ctx.get('max_length')} entries, got {ctx.get('actual_length')}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        words = {
            "greater_than": f"more than {ctx.get('gt')}",
            "greater_than_equal": f"at least {ctx.get('ge')}",
            "less_than": f"less than {ctx.get('lt')}",
            "less_than_equal": f"at most {ctx.get('le')}",
        }[kind]
        return f"{field} must be {words}, got '{_shown(given)}'"
    if kind.startswith(("datetime", "date")):
        return f"{field} must be a date and time like 2024-01-10T08:00, got '{_shown(given)}'"
    if kind in ("value_error", "assertion_error"):
        message = str(ctx.get("error", detail.get("msg", "")))
        return message if not loc or field in ("type",) else f"{field}: {message}"
    return f"{field}: {detail.get('msg', kind)}"


__all__ = [
    "BUILTIN_THEMES",
    "PlaylistError",
    "file_problem",
    "load_playlist",
    "load_playlist_text",
    "load_theme_spec",
]
