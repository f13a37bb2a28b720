"""Where a webhook may point: the guard against server-side request forgery.

By default an endpoint must be on a public address: loopback, private, link-local (cloud
metadata), shared, multicast and reserved addresses are refused, so a platform cannot make
the service call into the network it runs in. An operator allows chosen networks with
``THREAD_HEALTH_WEBHOOK_ALLOWED_NETWORKS`` (``127.0.0.0/8`` for a receiver on the same
machine). Plain ``http://`` is accepted only into those networks; public endpoints use
HTTPS. The URL is checked when it is registered, and every address its host resolves to is
checked again before each delivery, which then connects to the address it checked (a name
that later resolves elsewhere gains nothing).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import SplitResult, urlsplit

from ..schemas.fields import storable
from ..schemas.limits import MAX_URL

LOCAL_NAMES = ("localhost", "localhost.localdomain")
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(ValueError):
    """The URL or an address it resolves to is not allowed; the message says why."""


def _plain(address: Address) -> Address:
    """An IPv4-mapped IPv6 address as the IPv4 address it carries."""
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def allowed_network(address: Address, networks: tuple) -> bool:
    address = _plain(address)
    return any(address.version == net.version and address in net for net in networks)


def check_address(address: Address, networks: tuple, scheme: str) -> None:
    """Refused unless ``address`` may be called with ``scheme``."""
    address = _plain(address)
    if allowed_network(address, networks):
        return
    if not address.is_global or address.is_multicast:
        raise Refused(f"{address} is not a public address; an operator can allow its network "
                      "with THREAD_HEALTH_WEBHOOK_ALLOWED_NETWORKS")
    if scheme != "https":
        raise Refused("must use https (plain http only into the networks allowed by "
                      "THREAD_HEALTH_WEBHOOK_ALLOWED_NETWORKS)")


def literal(host: str) -> Address | None:
    """The host as an IP address when it is one (``[::1]`` comes without brackets)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_url(url, networks: tuple) -> SplitResult:
    """The parsed URL, or Refused saying what is wrong with it (for a registration)."""
    if not isinstance(url, str) or not url.strip():
        raise Refused("is required: an https URL")
    if len(url) > MAX_URL or not storable(url) or any(c.isspace() for c in url):
        raise Refused(f"must be a URL of at most {MAX_URL} characters, without spaces")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise Refused("must be an https URL (or http into an allowed network)")
    try:
        port = parts.port
    except ValueError as exc:
        raise Refused("has an invalid port") from exc
    if port == 0:
        raise Refused("has an invalid port")
    if not parts.hostname:
        raise Refused("must name a host")
    if parts.username is not None or parts.password is not None:
        raise Refused("must not carry a user name or password")
    if parts.fragment:
        raise Refused("must not have a #fragment")
    host = parts.hostname
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        for address in (ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")):
            if allowed_network(address, networks):
                return parts
        check_address(ipaddress.ip_address("127.0.0.1"), networks, parts.scheme)
    address = literal(host)
    if address is not None:
        check_address(address, networks, parts.scheme)
    elif parts.scheme == "http" and not networks:
        raise Refused("must use https (plain http only into the networks allowed by "
                      "THREAD_HEALTH_WEBHOOK_ALLOWED_NETWORKS)")
    return parts
