"""Offscreen render of each slide's final frame to PNG (and all of them to one PDF).

The same slide widgets as the live show paint the pictures: export calls
`render_image(w, h, t=1.0)` on each, exactly the contract the window uses.

Export streams: one slide is in memory at a time. Its view is built, painted, written
(PNG, and a page of the PDF) and destroyed before the next one, so a 3,000-slide
playlist takes as much memory as a 3-slide one (bench/export_overview.py). Every file is
written beside its final name and renamed into place only when complete, and a write
that fails (a full disk, a stick pulled) is an error that names the file: a truncated
picture or PDF is never reported as written.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from kiosk.playlist.model import Playlist, SlideBase

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

    from kiosk.slides.base import SlideView

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2

#: The largest picture export renders, in pixels: 8192x8192 (64 MP). A slide holds about
#: three pictures of its size at once while it is exported (the slide's frame, its
#: background and the PNG encoder's copy), 256 MB each at this size, so export stays
#: under 1 GB even here, within a display PC's 4 to 8 GB; 8K UHD (7680x4320, 33 MP) and
#: the square canvases of LED walls fit. 16384x16384 would be 1 GB a picture and 9 GB by
#: the fourth slide before export streamed.
MAX_EXPORT_PIXELS = 8192 * 8192


class WriteFailed(Exception):
    """A file could not be written completely; the message names the file and why."""


def export_file_name(index: int, slide: SlideBase) -> str:
    """'03-solve-rate.png': the position, then the id (or a safe form of the type)."""
    name = slide.id or slide.type
    safe = re.sub(r"[^\w\-]+", "-", name, flags=re.UNICODE).strip("-") or slide.type
    return f"{index:02d}-{safe}.png"


def size_problem(size: tuple[int, int]) -> str | None:
    """Why export refuses this picture size, or None."""
    width, height = size
    if width * height > MAX_EXPORT_PIXELS:
        return (
            f"--size {width}x{height} is {width * height / 1e6:.0f} megapixels; export renders at most "
            f"{MAX_EXPORT_PIXELS / 1e6:.0f} (8192x8192, about 256 MB a picture): choose a smaller size"
        )
    return None


def export_playlist(playlist: Playlist, out: Path, size: tuple[int, int], pdf: Path | None = None) -> int:
    """Render every playable slide; print progress to stderr. Returns an exit code."""
    problem = size_problem(size)
    if problem:
        print(f"kiosk export: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk.app import ensure_application

    ensure_application()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"kiosk export: cannot create {out}: {exc.strerror}", file=sys.stderr)
        return EXIT_FAILURE
    slides = playlist.playable()
    # On a terminal the progress line rewrites itself; in a log each step is a line.
    carriage, ending = ("\r", "") if sys.stderr.isatty() else ("", "\n")
    try:
        with _pdf_pages(pdf, size, pdf_metadata(playlist)) as add_page:
            for index, image in enumerate(render_slides(playlist, size, also=add_page), start=1):
                slide = slides[index - 1]
                name = slide.id or slide.type
                line = f"{carriage}kiosk export: slide {index}/{len(slides)} {name}"
                print(line, end=ending, file=sys.stderr)
                write_png(image, out / export_file_name(index, slide))
                del image  # before the next slide's picture is allocated
    except WriteFailed as failed:
        print(("\n" if carriage else "") + f"kiosk export: {failed}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"{carriage}kiosk export: {len(slides)} slides written to {out}" + " " * 20, file=sys.stderr)
    if pdf is not None and slides:
        print(f"kiosk export: PDF written to {pdf}", file=sys.stderr)
    return EXIT_OK


def render_slides(
    playlist: Playlist, size: tuple[int, int], also: Callable[[SlideView], None] | None = None
) -> Iterator[QImage]:
    """Each playable slide's final frame, one at a time: the view that painted it is gone
    (and its memory handed back) before the next is built. `also` is given each view at
    its final frame first (the PDF draws it again, as vectors)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from kiosk import memory, words
    from kiosk.app import slide_context
    from kiosk.slides import build_view

    # Every slide breaks between words: export can wait for a word child (kiosk/words.py).
    words.prepare(words.drawn_texts(playlist))
    context = slide_context(playlist)
    width, height = size
    for index, slide in enumerate(playlist.playable()):
        view = build_view(slide, context)
        image = view.render_image(width, height, 1.0)
        if also is not None:
            also(view)
        # A parentless view belongs to Python: dropping it destroys it now. deleteLater()
        # alone waits for an event loop that export never runs, and every view stayed.
        view.setParent(None)
        del view
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        yield image
        if index % 16 == 15:
            memory.release_free_memory()


def write_png(image: QImage, target: Path) -> None:
    """The picture as PNG at `target`, complete or not at all (WriteFailed)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 takes the format as str at run time; its stubs say bytes, which it refuses.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise WriteFailed(f"cannot encode {target} as PNG")
    buffer.close()
    with _atomic(target) as handle:
        handle.write(data.data())


@contextlib.contextmanager
def _atomic(target: Path) -> Iterator[BinaryIO]:
    """A binary file beside `target`, renamed over it once written and flushed to disk;
    removed, and WriteFailed raised, if anything fails (a full disk reports here)."""
    handle, temporary = _temporary_beside(target)
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise WriteFailed(f"cannot write {target}: {exc.strerror or exc}") from exc


def _temporary_beside(target: Path) -> tuple[BinaryIO, str]:
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
    except OSError as exc:
        raise WriteFailed(f"cannot write {target}: {exc.strerror or exc}") from exc
    # mkstemp makes the file private (0600); the pictures get the mode any new file gets.
    umask = os.umask(0)
    os.umask(umask)
    with contextlib.suppress(OSError, AttributeError):  # no fchmod on Windows
        os.fchmod(fd, 0o666 & ~umask)
    return os.fdopen(fd, "wb"), temporary


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


def pdf_complete(path: Path) -> bool:
    """Whether the PDF at `path` is whole. Qt's PDF writer counts the bytes it *meant* to
    write and records that count as the cross-reference table's offset at the end; a
    short write anywhere (a full disk, which QFile does not report) leaves the table
    somewhere else, or the end missing."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            handle.seek(max(0, size - 64))
            match = _STARTXREF.search(handle.read())
            if match is None:
                return False
            offset = int(match.group(1))
            handle.seek(offset)
            return offset < size and handle.read(4) == b"xref"
    except OSError:
        return False


def pdf_metadata(playlist: Playlist) -> PdfMetadata:
    """The PDF's title (the playlist's, else its first slide title, else the file's name)
    and its source line (every slide's source, once each, in order)."""
    titles = [getattr(slide, "title", None) for slide in playlist.playable()]
    title = playlist.title or next((t for t in titles if isinstance(t, str) and t), None)
    if title is None:
        title = Path(playlist.path).stem if playlist.path else "kiosk"
    sources = dict.fromkeys(slide.source for slide in playlist.playable() if slide.source)
    return PdfMetadata(" ".join(title.split()), "；".join(sources))


@dataclass(frozen=True)
class PdfMetadata:
    title: str
    source: str

    def xmp(self, creator: str) -> bytes:
        """XMP for the document: title, source line (dc:source and the description), creator."""
        from xml.sax.saxutils import escape

        def alt(text: str) -> str:
            return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt>'

        return (
            '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
            f"<dc:title>{alt(self.title)}</dc:title>"
            f"<dc:description>{alt(self.source)}</dc:description>"
            f"<dc:source>{escape(self.source)}</dc:source>"
            f"<xmp:CreatorTool>{escape(creator)}</xmp:CreatorTool>"
            f"<pdf:Producer>{escape(creator)}</pdf:Producer>"
            '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
        ).encode()


@contextlib.contextmanager
def _pdf_pages(
    pdf: Path | None, size: tuple[int, int], metadata: PdfMetadata
) -> Iterator[Callable[[SlideView], None]]:
    """A function that adds one page per slide view to the PDF at `pdf` (or does nothing),
    written page by page into a temporary file beside it, renamed into place at the end.

    Each page is the view painting its final frame into the PDF, with its sprites drawn
    again as vectors (sprites.as_vectors): text stays text in the bundled font, embedded
    as a subset, shapes are paths, and only pictures are pictures."""
    if pdf is None:
        yield lambda view: None
        return
    from PySide6.QtCore import QFile, QIODevice, QMarginsF, QPoint, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    from kiosk import __version__
    from kiosk.slides.sprites import as_vectors

    handle, temporary = _temporary_beside(pdf)
    handle.close()  # Qt writes it through its own QFile
    file = QFile(temporary)
    painter: QPainter | None = None
    writer: QPdfWriter | None = None
    pages = 0
    written = 0

    def failed(reason: str) -> WriteFailed:
        return WriteFailed(f"cannot write {pdf}: {reason}")

    def add_page(view: SlideView) -> None:
        nonlocal painter, writer, pages, written
        if writer is None:
            writer = QPdfWriter(file)
            writer.setResolution(96)
            writer.setTitle(metadata.title)
            writer.setCreator(f"kiosk {__version__}")
            writer.setDocumentXmpMetadata(metadata.xmp(f"kiosk {__version__}"))
            width, height = size
            page = QPageSize(QSizeF(width * 0.75, height * 0.75), QPageSize.Unit.Point)
            writer.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
            painter = QPainter()
            if not painter.begin(writer):
                raise failed("the PDF writer did not start")
        elif not writer.newPage():
            raise failed(file.errorString() or "no new page")
        elif file.size() <= written:
            # newPage() wrote the last page out: a file that did not grow is a full disk
            # (Qt's QFile reports no error for the short writes), so stop now.
            raise failed("the disk is full or no longer accepts writes")
        written = file.size()
        assert painter is not None
        with as_vectors():
            view.render(painter, QPoint(0, 0))
        pages += 1

    try:
        if not file.open(QIODevice.OpenModeFlag.WriteOnly | QIODevice.OpenModeFlag.Truncate):
            raise failed(file.errorString())
        yield add_page
        if painter is not None and not painter.end():
            raise failed("the PDF could not be finished")
        painter = None
        if not file.flush() or file.error() != QFile.FileError.NoError:
            raise failed(file.errorString())
        try:
            os.fsync(file.handle())
        except OSError as exc:
            raise failed(exc.strerror or str(exc)) from exc
        file.close()
        if pages and not pdf_complete(Path(temporary)):
            raise failed("the disk is full or no longer accepts writes (the PDF came out short)")
        if pages:
            try:
                os.replace(temporary, pdf)
            except OSError as exc:
                raise failed(exc.strerror or str(exc)) from exc
    finally:
        if painter is not None and painter.isActive():
            painter.end()
        file.close()
        with contextlib.suppress(OSError):
            os.unlink(temporary)
