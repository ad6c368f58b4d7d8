"""The control server's token: random, made on first use and kept in the state folder
with mode 0600, or given by the operator in $KIOSK_REMOTE_TOKEN. Qt-free.

Never in the playlist: playlists are synced to every screen and shared by mail.
Compared in constant time (hmac.compare_digest), so the time of a refusal says nothing
about how much of a guess was right.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import os
import secrets
import stat
from pathlib import Path

log = logging.getLogger(__name__)

TOKEN_FILE = "remote-token"
TOKEN_ENV = "KIOSK_REMOTE_TOKEN"
#: an operator's token shorter than this is refused: it could be guessed
MIN_LENGTH = 16
MAX_LENGTH = 256


class TokenProblem(ValueError):
    """The operator's token, or the token file, cannot be used (the message says why)."""


def control_token(folder: Path, environ: dict[str, str] | None = None) -> str:
    """The operator's token if one is given, else the one kept in `folder` (made now if
    there is none)."""
    given = (os.environ if environ is None else environ).get(TOKEN_ENV)
    if given is not None:
        return checked(given.strip(), f"${TOKEN_ENV}")
    return kept_token(folder)


def checked(token: str, origin: str) -> str:
    if not MIN_LENGTH <= len(token) <= MAX_LENGTH:
        raise TokenProblem(f"{origin}: a token must be {MIN_LENGTH} to {MAX_LENGTH} characters")
    if not all(33 <= ord(ch) <= 126 for ch in token):
        raise TokenProblem(f"{origin}: a token may hold only visible ASCII characters (no spaces)")
    return token


def kept_token(folder: Path) -> str:
    """The token in folder/remote-token; a new random one written there (mode 0600 from
    the moment the file exists) when there is none."""
    path = folder / TOKEN_FILE
    existing = _read(path)
    if existing is not None:
        return existing
    token = secrets.token_urlsafe(32)  # 256 random bits
    _write(path, token)
    log.info("remote: a new control token was written to %s (mode 0600)", path)
    return token


def matches(given: str, token: str) -> bool:
    """Constant-time comparison (of UTF-8 bytes: compare_digest takes ASCII str only)."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), token.encode("utf-8"))


def _read(path: Path) -> str | None:
    try:
        # O_NOFOLLOW: a link planted in the state folder is not followed to another file
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise TokenProblem(f"{path}: cannot read the control token ({exc.strerror})") from None
    with os.fdopen(fd, "r", encoding="ascii", errors="replace") as file:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise TokenProblem(f"{path}: the control token is not a regular file")
        if mode & 0o077 and hasattr(os, "fchmod"):
            log.warning("remote: %s could be read by others (mode %o); set to 0600", path, mode & 0o777)
            os.fchmod(fd, 0o600)
        text = file.read(MAX_LENGTH + 1).strip()
    return checked(text, str(path))


def _write(path: Path, token: str) -> None:
    """Atomically, created 0600: a temporary file in the same folder, then os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as file:
            file.write(token + "\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
