"""Which addresses phones on the venue Wi-Fi can reach this laptop at."""

from __future__ import annotations

import ipaddress
import re
import socket
import urllib.parse
from collections.abc import Callable

WILDCARDS = {"", "0.0.0.0", "::"}


def _primary_address() -> str | None:
    """The address of the interface with the default route.

    Connecting a UDP socket sends no packet; it only asks the kernel which source
    address it would use. The target is a documentation address (TEST-NET-1).
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            return probe.getsockname()[0]
    except OSError:
        return None


#: Names of Wi-Fi interfaces (Linux wl*/wlan*, Windows "Wi-Fi"/"Wireless"): the phones
#: are on the venue Wi-Fi, so its address goes in the QR code.
_WIFI = re.compile(r"^(wl|wlan|wi-?fi|wireless)", re.IGNORECASE)
#: VPNs, tunnels, container and VM bridges: addresses no phone in the room can reach.
_LAST = re.compile(
    r"^(tun|tap|wg|utun|ppp|ipsec|docker|br-|veth|virbr|vmnet|vboxnet|zt|tailscale|lxc|lxd)",
    re.IGNORECASE,
)


def _interfaces() -> list[tuple[str, str]]:
    """(interface name, IPv4 address) for every interface, from the `ifaddr` package."""
    try:
        import ifaddr

        adapters = ifaddr.get_adapters()
    except Exception:  # no permission, an odd platform: fall back to the resolver
        return []
    found = []
    for adapter in adapters:
        name = adapter.nice_name or adapter.name
        if isinstance(name, bytes):
            name = name.decode(errors="replace")
        found.extend((name, ip.ip) for ip in adapter.ips if isinstance(ip.ip, str))
    return found


def _usable(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast)


def lan_addresses() -> list[str]:
    """Every IPv4 address of this machine a phone might reach, best first: private
    addresses before public ones; within them Wi-Fi first, then the others (the
    default-route one first among equals), VPNs and container bridges last."""
    primary = _primary_address()
    interfaces = [(name, address) for name, address in _interfaces() if _usable(address)]
    if not interfaces:  # no ifaddr answer: the default route and the host name's addresses
        found = [primary] if primary else []
        try:
            infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        except OSError:
            infos = []
        found += [info[4][0] for info in infos]
        interfaces = [("", address) for address in found if _usable(address)]

    def rank(item: tuple[str, str]) -> tuple[int, int, int]:
        name, address = item
        kind = 2 if _LAST.match(name) else 0 if _WIFI.match(name) else 1
        return (not ipaddress.ip_address(address).is_private, kind, address != primary)

    ordered: list[str] = []
    for _, address in sorted(interfaces, key=rank):  # sorted is stable: ties keep order
        if address not in ordered:
            ordered.append(address)
    return ordered


def base_url(host: str, port: int) -> str:
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    suffix = "" if port == 80 else f":{port}"
    return f"http://{host}{suffix}"


def base_urls(
    bind_host: str,
    port: int,
    public_url: str | None = None,
    addresses: Callable[[], list[str]] = lan_addresses,
) -> list[str]:
    """Every address a phone might use; the first is the one for the QR code.

    A public URL (`--public-url`, the reverse proxy's address on the internet) is the only
    one: the server's own address behind the proxy is no use to a phone elsewhere. Else,
    when bound to all interfaces, the LAN addresses (`addresses`, asked again each time, so
    a console that calls this every few seconds follows the network); when bound to one
    address, that one. With no network at all, loopback, so the facilitator can still try
    it on the laptop.
    """
    if public_url:
        return [public_url]
    if bind_host in WILDCARDS:
        hosts = addresses() or ["127.0.0.1"]
    else:
        hosts = [bind_host]
    return [base_url(h, port) for h in hosts]


def public_url(text: str) -> str:
    """`--public-url` checked and normalised: http(s), a host, maybe a port and a path
    prefix; no query, fragment or credentials (they would end up in every QR code).
    The trailing slash is dropped, so `join_url` adds exactly one. ValueError says why."""
    parts = urllib.parse.urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{text!r} is not an http:// or https:// address")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"{text!r} has a query, a fragment or a password; give the address only")
    try:
        parts.port  # noqa: B018 -- urlsplit checks the port only when asked
    except ValueError:
        raise ValueError(f"{text!r} has no valid port") from None
    return urllib.parse.urlunsplit(
        (parts.scheme, parts.netloc.lower(), parts.path.rstrip("/"), "", "")
    )


def join_url(base: str, code: str) -> str:
    """The URL in the QR code: scanning it lands straight in the event."""
    return f"{base}/e/{code}"
