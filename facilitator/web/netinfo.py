"""Which addresses phones on the venue Wi-Fi can reach this laptop at."""

from __future__ import annotations

import ipaddress
import socket

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


def lan_addresses() -> list[str]:
    """Non-loopback IPv4 addresses of this machine, the default-route one first."""
    found: list[str] = []
    primary = _primary_address()
    if primary:
        found.append(primary)
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        infos = []
    for info in infos:
        address = info[4][0]
        if address not in found:
            found.append(address)
    usable = []
    for address in found:
        ip = ipaddress.ip_address(address)
        if not (ip.is_loopback or ip.is_link_local or ip.is_unspecified):
            usable.append(address)
    return usable


def base_url(host: str, port: int) -> str:
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    suffix = "" if port == 80 else f":{port}"
    return f"http://{host}{suffix}"


def base_urls(bind_host: str, port: int) -> list[str]:
    """Every address a phone might use; the first is the one for the QR code.

    When bound to all interfaces, the LAN addresses; when bound to one address, that one.
    With no network at all, loopback, so the facilitator can still try it on the laptop.
    """
    if bind_host in WILDCARDS:
        hosts = lan_addresses() or ["127.0.0.1"]
    else:
        hosts = [bind_host]
    return [base_url(h, port) for h in hosts]


def join_url(base: str, code: str) -> str:
    """The URL in the QR code: scanning it lands straight in the event."""
    return f"{base}/e/{code}"
