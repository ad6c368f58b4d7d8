"""The token (made once, kept 0600, given by the operator), the failure guard, where the
server listens (--remote, the playlist's `remote:` block), and the server's start in a show."""

from __future__ import annotations

import os
import stat
import textwrap
from pathlib import Path

import pytest

from kiosk.cli import play_parser
from kiosk.playlist import PlaylistError, load_playlist
from kiosk.remote import token as tokens
from kiosk.remote.address import Address, parse_address, reachable_host
from kiosk.remote.guard import FREE_FAILURES, MAX_DELAY, FailureGuard, Pace, delay_for
from kiosk.remote.service import wanted_address

# ---------------------------------------------------------------- the token


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_token_is_made_once_kept_0600_and_read_again(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    first = tokens.control_token(folder, {})
    path = folder / tokens.TOKEN_FILE
    assert mode_of(path) == 0o600
    assert len(first) >= 40 and first.isascii()
    assert tokens.control_token(folder, {}) == first  # a restart keeps it
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_two_folders_get_different_tokens(tmp_path: Path) -> None:
    assert tokens.control_token(tmp_path / "a", {}) != tokens.control_token(tmp_path / "b", {})


def test_rotation_is_deleting_the_file(tmp_path: Path) -> None:
    old = tokens.control_token(tmp_path, {})
    (tmp_path / tokens.TOKEN_FILE).unlink()  # SECURITY.md: how a token is rotated
    new = tokens.control_token(tmp_path, {})
    assert new != old
    assert mode_of(tmp_path / tokens.TOKEN_FILE) == 0o600


def test_a_token_file_others_can_read_is_made_0600(tmp_path: Path, caplog) -> None:
    path = tmp_path / tokens.TOKEN_FILE
    path.write_text("a-token-of-twenty-chars\n")
    path.chmod(0o644)
    assert tokens.control_token(tmp_path, {}) == "a-token-of-twenty-chars"
    assert mode_of(path) == 0o600
    assert "could be read by others" in caplog.text


def test_a_linked_token_file_is_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("someone-elses-token-0123\n")
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / tokens.TOKEN_FILE).symlink_to(elsewhere)
    with pytest.raises(tokens.TokenProblem, match="cannot read"):
        tokens.control_token(tmp_path / "state", {})


def test_the_operators_token_wins_and_is_checked(tmp_path: Path) -> None:
    given = "operator-chosen-token-123"
    assert tokens.control_token(tmp_path, {tokens.TOKEN_ENV: f" {given}\n"}) == given
    assert not (tmp_path / tokens.TOKEN_FILE).exists()  # nothing made when one is given
    for bad, words in [("short", "16 to 256"), ("with a space inside it", "visible ASCII"),
                       ("令牌令牌令牌令牌令牌令牌令牌令牌", "visible ASCII")]:
        with pytest.raises(tokens.TokenProblem, match=words):
            tokens.control_token(tmp_path, {tokens.TOKEN_ENV: bad})


def test_comparison_is_exact() -> None:
    assert tokens.matches("abc-token", "abc-token")
    assert not tokens.matches("abc-toke", "abc-token")
    assert not tokens.matches("abc-token ", "abc-token")
    assert not tokens.matches("\udcff", "abc-token")  # a lone surrogate from a header: no crash


# ---------------------------------------------------------------- the guard


def test_failures_are_free_at_first_then_slowed_doubling_up_to_a_cap() -> None:
    assert [delay_for(n) for n in range(1, FREE_FAILURES + 1)] == [0.0] * FREE_FAILURES
    assert delay_for(FREE_FAILURES + 1) == 0.25
    assert delay_for(FREE_FAILURES + 2) == 0.5
    assert delay_for(100) == MAX_DELAY


def test_the_guard_counts_per_client_and_forgets() -> None:
    now = [0.0]
    guard = FailureGuard(clock=lambda: now[0])
    for _ in range(FREE_FAILURES):
        assert guard.failed("10.0.0.5") == 0.0
    assert guard.failed("10.0.0.5") > 0
    assert guard.failed("10.0.0.6") == 0.0  # another client is not slowed by the first
    now[0] += 3600
    assert guard.failed("10.0.0.5") == 0.0  # quiet for an hour: starts again
    guard.succeeded("10.0.0.6")
    assert guard.failures("10.0.0.6") == 0


# ---------------------------------------------------------------- where it listens


@pytest.mark.parametrize(
    ("text", "host", "port"),
    [("8765", "127.0.0.1", 8765), ("127.0.0.1:80", "127.0.0.1", 80), ("0.0.0.0:8765", "0.0.0.0", 8765),
     ("[::1]:9000", "::1", 9000), ("kiosk.local:8765", "kiosk.local", 8765)],
)
def test_addresses(text: str, host: str, port: int) -> None:
    assert parse_address(text) == Address(host, port)


@pytest.mark.parametrize("text", ["", "0", "70000", "host:", ":8765", "::1:8765", "[::1]8765", "port"])
def test_bad_addresses_say_why(text: str) -> None:
    with pytest.raises(ValueError, match=r"port|host|IPv6|HOST"):
        parse_address(text)


def test_loopback_and_wildcard() -> None:
    assert Address("127.0.0.1", 1).is_loopback and Address("::1", 1).is_loopback
    assert not Address("0.0.0.0", 1).is_loopback
    assert reachable_host(Address("127.0.0.1", 1)) == "127.0.0.1"
    assert reachable_host(Address("::1", 1)) == "[::1]"
    assert reachable_host(Address("0.0.0.0", 1)) not in ("0.0.0.0", "")


def test_the_command_line_takes_remote(capsys) -> None:
    assert play_parser().parse_args(["--remote", "8765"]).remote == Address("127.0.0.1", 8765)
    assert play_parser().parse_args([]).remote is None
    with pytest.raises(SystemExit):
        play_parser().parse_args(["--remote", "99999"])
    assert "1 to 65535" in capsys.readouterr().err


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "show.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


SLIDES = "slides:\n  - {type: title, title: 你好}\n"


def test_the_playlists_remote_block(tmp_path: Path) -> None:
    playlist = load_playlist(write(tmp_path, "remote: {port: 8765}\n" + SLIDES))
    assert wanted_address(None, playlist) == Address("127.0.0.1", 8765)
    named = load_playlist(write(tmp_path, "remote: {port: 9000, host: 0.0.0.0}\n" + SLIDES))
    assert wanted_address(None, named) == Address("0.0.0.0", 9000)
    assert wanted_address(Address("127.0.0.1", 1234), named) == Address("127.0.0.1", 1234)  # --remote wins
    assert wanted_address(None, load_playlist(write(tmp_path, SLIDES))) is None  # off unless asked


def test_a_token_in_the_playlist_is_refused_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(PlaylistError) as error:
        load_playlist(write(tmp_path, "remote:\n  port: 8765\n  token: secret\n" + SLIDES))
    text = "\n".join(str(p) for p in error.value.problems)
    assert "show.yaml:3:" in text and "token" in text


def test_a_bad_port_in_the_playlist_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PlaylistError):
        load_playlist(write(tmp_path, "remote: {port: 0}\n" + SLIDES))


def test_the_token_file_is_not_world_readable_even_with_a_loose_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        tokens.control_token(tmp_path / "loose", {})
    finally:
        os.umask(old)
    assert mode_of(tmp_path / "loose" / tokens.TOKEN_FILE) == 0o600
    assert stat.S_IMODE((tmp_path / "loose").stat().st_mode) == 0o700


# ---------------------------------------------------------------- the pace


def test_the_pace_lets_a_burst_through_then_spaces_requests() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)

    pace = Pace(rate=50.0, burst=20, clock=lambda: now[0], sleep=sleep)
    assert [pace.wait() for _ in range(20)] == [0.0] * 20  # ten phones at once: no wait
    assert pace.wait() == pytest.approx(0.02)
    assert pace.wait() == pytest.approx(0.04)  # the turns already promised come first
    now[0] += 10.0  # quiet for a while: the burst is back, never more
    assert [pace.wait() for _ in range(20)] == [0.0] * 20
    assert pace.wait() > 0
    assert slept == pytest.approx([0.02, 0.04, 0.02])
