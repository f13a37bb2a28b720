"""One delivery attempt over HTTP(S): resolve, check every address, connect to the one
checked, POST, read the status. A deadline covers the whole attempt; redirects are not
followed (a 3xx is a failure). Standard library only."""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from .addresses import Refused, check_address, literal

MAX_ERROR = 300  # characters of a receiver's answer kept as the last error


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None
    error: str | None


class _Http(http.client.HTTPConnection):
    """Talks to ``host`` (Host header) on the address already checked."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _Https(http.client.HTTPSConnection):
    """HTTPS to the checked address; the certificate is verified for ``host``."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self):
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


def _addresses(host: str, port: int) -> list:
    address = literal(host)
    if address is not None:
        return [address]
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [literal(info[4][0].split("%")[0]) for info in infos]


def _abort(connection: http.client.HTTPConnection) -> None:
    """Past the deadline: cut the socket, so a receiver that answers slowly releases us."""
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def post(url: str, body: bytes, headers: dict[str, str], networks: tuple,
         timeout: float) -> Outcome:
    """POST ``body`` to ``url``; a 2xx answer is a success, anything else an error."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = _addresses(host, port)
        for address in addresses:
            check_address(address, networks, parts.scheme)
    except Refused as exc:
        return Outcome(False, None, f"refused: {exc}")
    except OSError as exc:
        return Outcome(False, None, f"cannot resolve {host}: {exc}")
    kind = _Https if parts.scheme == "https" else _Http
    connection = kind(host, port, str(addresses[0]), timeout)
    deadline = threading.Timer(timeout, _abort, (connection,))
    deadline.start()
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read(MAX_ERROR).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as exc:
        late = not deadline.is_alive()
        return Outcome(False, None, f"timed out after {timeout:g} s" if late or isinstance(
            exc, TimeoutError) else f"{type(exc).__name__}: {exc}"[:MAX_ERROR])
    finally:
        deadline.cancel()
        connection.close()
    if 200 <= response.status < 300:
        return Outcome(True, response.status, None)
    if 300 <= response.status < 400:
        where = response.getheader("Location", "")[:200]
        return Outcome(False, response.status,
                       f"HTTP {response.status}: redirect to {where!r} not followed")
    detail = " ".join(answer.split())[:200]
    return Outcome(False, response.status,
                   f"HTTP {response.status}" + (f": {detail}" if detail else ""))
