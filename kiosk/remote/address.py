"""Where the control server listens: `--remote [HOST:]PORT` and the playlist's `remote:`
block. Qt-free. 127.0.0.1 unless a host is named: a show's remote must never be open to
the whole network by default (Anthias #118)."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

DEFAULT_HOST = "127.0.0.1"


@dataclass(frozen=True)
class Address:
    host: str
    port: int

    @property
    def is_ipv6(self) -> bool:
        return ":" in self.host

    @property
    def is_loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    @property
    def is_wildcard(self) -> bool:
        return self.host in ("0.0.0.0", "::")

    def url_host(self) -> str:
        """The host as an address bar writes it (an IPv6 address in brackets)."""
        return f"[{self.host}]" if self.is_ipv6 else self.host

    def __str__(self) -> str:
        return f"{self.url_host()}:{self.port}"


def parse_address(text: str) -> Address:
    """'8765', '127.0.0.1:8765', '0.0.0.0:8765', '[::1]:8765' -> Address; ValueError says why."""
    text = text.strip()
    host, port_text = DEFAULT_HOST, text
    if text.startswith("["):
        host, bracket, rest = text[1:].partition("]")
        if not bracket or not rest.startswith(":"):
            raise ValueError(f"'{text}' is not HOST:PORT (write an IPv6 host as [::1]:8765)")
        port_text = rest[1:]
    elif ":" in text:
        host, _, port_text = text.rpartition(":")
        if ":" in host:
            raise ValueError(f"'{text}': write an IPv6 host in brackets, as [::1]:8765")
    if not host:
        raise ValueError(f"'{text}': the host before ':' is empty")
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ValueError(f"'{text}': the port must be a number from 1 to 65535")
    return Address(host, int(port_text))


def reachable_host(address: Address) -> str:
    """The host a phone should use: the named one, or for a wildcard (0.0.0.0) this
    machine's address on the network its default route leads to. A UDP connect sends
    nothing; it only makes the system choose the outgoing address."""
    if not address.is_wildcard:
        return address.url_host()
    family = socket.AF_INET6 if address.is_ipv6 else socket.AF_INET
    probe = ("2001:db8::1", 9) if address.is_ipv6 else ("192.0.2.1", 9)  # documentation ranges
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as udp:
            udp.connect(probe)
            own = str(udp.getsockname()[0])
    except OSError:
        own = "127.0.0.1" if family == socket.AF_INET else "::1"
    return f"[{own}]" if ":" in own else own
