"""Keeping a show's resident memory flat on glibc (Linux display PCs).

A slide's pictures are big (its background is 8 MB at 1920x1080, 33 MB at 3840x2160,
and a transition holds two more). glibc serves such blocks from mmap and gives them
back when freed, but after the first one is freed it raises its mmap threshold to that
size, so later pictures come from the heap, where freed pages stay resident: the
process kept ~20 MB more than it used (bench.soak at 1920x1080). Fixing the threshold
keeps big blocks on mmap; trimming after a slide has settled hands back what small
allocations left free. Elsewhere (Windows, macOS, musl) both are no-ops.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache

#: glibc's mallopt parameter number for the mmap threshold (malloc.h: M_MMAP_THRESHOLD)
M_MMAP_THRESHOLD = -3
#: blocks from this size up are always mmapped: full-screen pictures (8 MB at 1080p) and
#: up, not the smaller buffers a frame may allocate, which would then fault fresh pages
#: in every time (at 256 KB kiosk used ~0.6 % more of a core under Xvfb, bench/peers)
MMAP_THRESHOLD_BYTES = 4 * 1024 * 1024


@cache
def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
    except (OSError, AttributeError):
        return None  # not glibc (musl has no mallopt/malloc_trim)
    return libc


def tune_allocator() -> bool:
    """Keep big blocks (pictures) on mmap, so freeing one returns it to the system."""
    libc = _glibc()
    if libc is None:
        return False
    return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))


def release_free_memory() -> bool:
    """Give memory the allocator holds free back to the system (True if any was)."""
    libc = _glibc()
    if libc is None:
        return False
    return bool(libc.malloc_trim(0))
