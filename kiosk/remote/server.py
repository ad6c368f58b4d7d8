"""The control server's HTTP side: the standard library's ThreadingHTTPServer, a token on
every API request, bounded JSON bodies, JSON answers always (never a traceback). Qt-free:
what a request does is the `Api`'s (kiosk/remote/api.py carries it to the GUI thread).

Each request runs in a thread of its own, so a slow client, a refused token's delay or a
busy show never holds up another request, and none of them runs in the GUI thread.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from kiosk import __version__
from kiosk.remote import token as tokens
from kiosk.remote.address import Address
from kiosk.remote.errors import RequestError
from kiosk.remote.guard import FailureGuard, Pace

log = logging.getLogger(__name__)

#: the largest request body read; a larger one is refused (413) unparsed
MAX_BODY = 64 * 1024
#: after refusing a request whose body it did not read, the server reads and drops what
#: the client is still sending, at most this many bytes for at most this long, before it
#: closes: closing with unread bytes makes the kernel reset the connection, and a client
#: still sending its body would see a broken pipe instead of the answer (a lingering
#: close, as Apache and nginx do)
LINGER_BYTES = 16 * 1024 * 1024
LINGER_SECONDS = 3.0
#: seconds a connection may stay silent (mid-request or between keep-alive requests)
#: before its thread lets it go: a client that opens connections and sends nothing
#: (slowloris) holds a thread for this long at most
IDLE_TIMEOUT = 10.0
#: connections served at once (a thread each); more wait in the listen queue for a free one
MAX_CONNECTIONS = 128

Json = dict[str, Any]


class Api(Protocol):
    """What the endpoints do. Each method raises RequestError for a refusal."""

    def status(self) -> Json: ...

    def command(self, name: object, argument: object) -> Json: ...

    def slide_image(self, slide: str, size: str | None) -> bytes: ...

    def show_alert(self, data: Mapping[str, object]) -> Json: ...

    def clear_alert(self) -> Json: ...

    def push_values(self, slide: str, data: Mapping[str, object]) -> Json: ...


# ---------------------------------------------------------------- the phone page

STATIC_TYPES = {
    "index.html": "text/html; charset=utf-8",
    "remote.css": "text/css; charset=utf-8",
    "remote.js": "text/javascript; charset=utf-8",
}
#: the page may load its own script, style and pictures and talk to this server, nothing else
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def static_files() -> dict[str, tuple[bytes, str]]:
    """The phone page's files, read once from the package: URL path -> (bytes, type)."""
    folder = resources.files("kiosk.remote") / "static"
    files = {f"/{name}": ((folder / name).read_bytes(), kind) for name, kind in STATIC_TYPES.items()}
    files["/"] = files["/index.html"]
    return files


# ---------------------------------------------------------------- routes

Route = Callable[["Handler", re.Match[str]], None]
SLIDE = r"/api/slides/(?P<slide>[^/]{1,200})"


def _status(handler: Handler, _: re.Match[str]) -> None:
    handler.send_json(HTTPStatus.OK, handler.server.api.status())


def _command(handler: Handler, _: re.Match[str]) -> None:
    body = handler.json_body()
    unknown = sorted(set(body) - {"command", "argument"})
    if unknown:
        field = unknown[0]
        raise RequestError(f"unknown field '{field}'; a command has 'command' and 'argument'", field)
    handler.send_json(HTTPStatus.OK, handler.server.api.command(body.get("command"), body.get("argument")))


def _image(handler: Handler, match: re.Match[str]) -> None:
    sizes = parse_qs(urlsplit(handler.path).query).get("size")
    png = handler.server.api.slide_image(unquote(match["slide"]), sizes[-1] if sizes else None)
    handler.send_bytes(HTTPStatus.OK, png, "image/png")


def _alert(handler: Handler, _: re.Match[str]) -> None:
    handler.send_json(HTTPStatus.OK, handler.server.api.show_alert(handler.json_body()))


def _clear_alert(handler: Handler, _: re.Match[str]) -> None:
    handler.send_json(HTTPStatus.OK, handler.server.api.clear_alert())


def _values(handler: Handler, match: re.Match[str]) -> None:
    data = handler.json_body()
    handler.send_json(HTTPStatus.OK, handler.server.api.push_values(unquote(match["slide"]), data))


#: path pattern -> {method: route}; a known path with another method is a 405
ROUTES: list[tuple[re.Pattern[str], dict[str, Route]]] = [
    (re.compile(r"/api/status"), {"GET": _status}),
    (re.compile(r"/api/command"), {"POST": _command}),
    (re.compile(SLIDE + r"/image"), {"GET": _image}),
    (re.compile(SLIDE + r"/values"), {"PUT": _values}),
    (re.compile(r"/api/alert"), {"POST": _alert, "DELETE": _clear_alert}),
]


# ---------------------------------------------------------------- the handler


class Handler(BaseHTTPRequestHandler):
    """One request (or a keep-alive series of them from one client)."""

    server: ControlServer
    protocol_version = "HTTP/1.1"  # keep-alive: the phone page asks every second
    # A request line too broken to name its version is answered with headers (JSON) too,
    # not as HTTP/0.9 (a bare body no client of today reads).
    default_request_version = "HTTP/1.0"
    server_version = f"kiosk/{__version__}"
    timeout = IDLE_TIMEOUT

    def version_string(self) -> str:
        return self.server_version  # the Python version is nobody's business

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    #: whether the request's body, if it has one, was read (a refusal before that leaves
    #: it unread; see LINGER_BYTES)
    _body_read = False

    def _handle(self, method: str) -> None:
        self._body_read = False
        path = urlsplit(self.path).path
        self.server.pace.wait()  # a flood of requests waits here, in its own threads
        try:
            if method == "GET" and path in self.server.static:
                self._send_static(path)
                return
            routes = self._routes_for(path)
            if not self._authorized(path):
                raise RequestError("a valid token is needed: send the header 'Authorization: Bearer TOKEN'",
                                   status=401)
            route, match = self._route(method, path, routes)
            route(self, match)
            self._log_change(method, path, HTTPStatus.OK)
        except RequestError as refusal:
            if not self._body_read:
                self.close_connection = True  # an unread body must not be taken for the next request
            self.send_json(refusal.status, refusal.as_json())
            if refusal.status != HTTPStatus.UNAUTHORIZED:  # that one has its own warning
                self._log_change(method, path, refusal.status, refusal.message)
        except Exception:
            log.exception("remote: %s %s failed", method, path)
            self.close_connection = True
            error = {"error": "internal error; the kiosk log has it"}
            self.send_json(HTTPStatus.INTERNAL_SERVER_ERROR, error)

    def _log_change(self, method: str, path: str, status: int, refusal: str = "") -> None:
        """Who changed the show, or tried to: every request but a GET, with the client."""
        if method != "GET":
            log.info("remote: %s %s from %s: %d%s", method, path[:200], self.client_address[0], status,
                     f" ({refusal})" if refusal else "")

    @staticmethod
    def _routes_for(path: str) -> tuple[dict[str, Route], re.Match[str]] | None:
        for pattern, methods in ROUTES:
            match = pattern.fullmatch(path)
            if match:
                return methods, match
        return None

    def _route(
        self, method: str, path: str, found: tuple[dict[str, Route], re.Match[str]] | None
    ) -> tuple[Route, re.Match[str]]:
        if found is None:
            raise RequestError(f"no such endpoint: {path[:200]}", status=404)
        methods, match = found
        if method not in methods:
            raise RequestError(f"{path[:200]} takes {', '.join(methods)}, not {method}", status=405)
        return methods[method], match

    # ------------------------------------------------------------ the token

    def _authorized(self, path: str) -> bool:
        header = self.headers.get("Authorization", "")
        scheme, _, given = header.strip().partition(" ")
        client = self.client_address[0]
        if scheme.lower() == "bearer" and tokens.matches(given.strip(), self.server.token):
            self.server.guard.succeeded(client)
            return True
        delay = self.server.guard.failed(client)
        log.warning(
            "remote: %s token from %s for %s %s (%d failures in a row%s)",
            "no" if not header else "a wrong",
            client,
            self.command,
            path[:200],
            self.server.guard.failures(client),
            f", answered after {delay:g} s" if delay else "",
        )
        time.sleep(delay)  # this request's own thread: other clients and the show go on
        return False

    # ------------------------------------------------------------ the body

    def json_body(self) -> dict[str, object]:
        """The request's body: a JSON object of at most MAX_BODY bytes, or a RequestError."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise RequestError("send the body with a Content-Length, not chunked", status=411)
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            raise RequestError("a JSON body is needed (no Content-Length)", status=411)
        if not length_text.strip().isdigit():
            raise RequestError("Content-Length is not a number", status=400)
        length = int(length_text)
        if length > MAX_BODY:
            raise RequestError(f"the body is {length} bytes; at most {MAX_BODY} are taken", status=413)
        if self.headers.get_content_type() != "application/json":
            raise RequestError("send JSON, with the header 'Content-Type: application/json'", status=415)
        raw = self.rfile.read(length)
        self._body_read = len(raw) == length
        if not self._body_read:
            raise RequestError("the body ended before its Content-Length", status=400)
        return parse_json_object(raw)

    # ------------------------------------------------------------ answers

    def send_json(self, status: int, body: Mapping[str, object]) -> None:
        try:
            text = json.dumps(body, ensure_ascii=False)
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate a client sent, echoed in an error
            data = json.dumps(body).encode("ascii")
        self.send_bytes(status, data, "application/json; charset=utf-8")

    def send_bytes(self, status: int, data: bytes, kind: str, extra: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if status == HTTPStatus.UNAUTHORIZED:
            self.send_header("WWW-Authenticate", 'Bearer realm="kiosk"')
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def finish(self) -> None:
        super().finish()  # the answer is written out
        if self.close_connection and not self._body_read and self._has_body():
            self._drain_unread_body()

    def _has_body(self) -> bool:
        headers = getattr(self, "headers", None)  # none when the request line was refused
        if headers is None:
            return False
        length = headers.get("Content-Length", "").strip()
        chunked = "chunked" in headers.get("Transfer-Encoding", "").lower()
        return (length.isdigit() and int(length) > 0) or chunked

    def _drain_unread_body(self) -> None:
        """Tell the client the answer is complete (half-close), then read and drop what
        it is still sending until it closes, LINGER_BYTES or LINGER_SECONDS."""
        connection: socket.socket = self.connection
        deadline = time.monotonic() + LINGER_SECONDS
        left = LINGER_BYTES
        try:
            connection.shutdown(socket.SHUT_WR)
            while left > 0 and (remaining := deadline - time.monotonic()) > 0:
                connection.settimeout(remaining)
                chunk = connection.recv(min(left, 65536))
                if not chunk:
                    return  # the client read the answer and closed
                left -= len(chunk)
        except OSError:
            pass  # reset, timed out or gone: nothing more to do for this client

    def _send_static(self, path: str) -> None:
        data, kind = self.server.static[path]
        headers = {"Content-Security-Policy": PAGE_POLICY, "X-Frame-Options": "DENY"}
        self.send_bytes(HTTPStatus.OK, data, kind, headers)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (a malformed request line, headers too long, an
        unknown method) in JSON too."""
        self.close_connection = True
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "error"
        self.send_json(code, {"error": message or phrase})

    def log_message(self, format: str, *args: Any) -> None:
        # The request line (path and query; a token never travels there) at debug level:
        # the phone page asks every second.
        log.debug("remote: %s %s", self.client_address[0], format % args)


def parse_json_object(raw: bytes) -> dict[str, object]:
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise RequestError("the body is not UTF-8") from None
    except RecursionError:
        raise RequestError("the JSON nests too deep") from None
    except ValueError as exc:  # json.JSONDecodeError and _no_constant's
        raise RequestError(f"the body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise RequestError("the body must be a JSON object ({...})")
    return data


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


# ---------------------------------------------------------------- the server


class ControlServer(ThreadingHTTPServer):
    daemon_threads = True  # a request still waiting for the show does not hold up quitting
    request_queue_size = 64

    def __init__(self, address: Address, api: Api, token: str, *, guard: FailureGuard | None = None) -> None:
        self.address_family = socket.AF_INET6 if address.is_ipv6 else socket.AF_INET
        self.api = api
        self.token = token
        self.guard = guard or FailureGuard()
        self.pace = Pace()
        self.static = static_files()
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__((address.host, address.port), Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """A thread for the connection once one of MAX_CONNECTIONS is free: a flood of
        connections waits in the kernel's queue instead of starting a thread each. The
        wait is bounded, so the accept loop still notices a shutdown."""
        if not self._slots.acquire(timeout=IDLE_TIMEOUT + 1):
            self.shutdown_request(request)  # every slot held by silent clients: drop this one
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks DNS for the host's full name (socket.getfqdn), which
        # can take seconds on a screen without a name server; nothing here needs it.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class ServerThread:
    """The server's accept loop in a daemon thread of its own."""

    def __init__(self, server: ControlServer) -> None:
        self.server = server
        self._thread = threading.Thread(target=server.serve_forever, name="kiosk-remote", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)
