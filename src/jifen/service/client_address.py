"""The address a request comes from, for login lock-outs and rate limits (issue 13, item 1).

Without a proxy it is the peer of the connection (``REMOTE_ADDR``). Behind a reverse proxy every request
arrives from the proxy, so the client's address is read from ``X-Forwarded-For`` -- but only when the
connection comes from one of JIFEN_TRUSTED_PROXIES, since anyone can send that header. The proxy appends the
address it received the request from; addresses further left were written by whoever sent the request and
prove nothing. So the client is the right-most address that is not itself a trusted proxy.
"""

from __future__ import annotations

from functools import lru_cache
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

from django.conf import settings
from django.http import HttpRequest

Address = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network
UNKNOWN = "0.0.0.0"  # noqa: S104 - not a bind: the clients of a connection without an IP address share it


def client_address(request: HttpRequest) -> str:
    """The client's IP address as text; UNKNOWN when the connection has none (a Unix socket)."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return UNKNOWN
    trusted = _networks(tuple(settings.JIFEN_TRUSTED_PROXIES))
    if not _within(peer, trusted):
        return str(peer)
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:  # not written by a proxy of ours: count the request against the proxy itself
            return str(peer)
        if not _within(address, trusted):
            return str(address)
    first = _address(hops[0]) if hops else None  # proxies all the way: the first one asked
    return str(first or peer)


def _address(text: str) -> Address | None:
    try:
        address = ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # ::ffff:192.0.2.1 is 192.0.2.1
    return address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ip_network(entry, strict=False) for entry in entries)


def _within(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)
