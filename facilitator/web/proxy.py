"""The server behind a reverse proxy on the internet: whose address a request is, and
cookies that only travel over https.

Behind a proxy (Caddy, for `facilitator serve --public-url https://…`) every request
comes from the proxy's address, so the per-address limits would hold the whole internet to one
budget. The client's address is in `X-Forwarded-For`, but anyone can send that header: it
is believed only on a request whose peer is a proxy named with `--trust-proxy`, and then
only the part that proxy wrote (the rightmost address that is not a trusted proxy itself;
what a client put further left is its own claim). Without `--trust-proxy` the header is
ignored.
"""

from __future__ import annotations

import ipaddress

from aiohttp import web

TRUSTED_PROXIES = web.AppKey("trusted_proxies", frozenset)
#: Cookies get `Secure` when phones reach the server at an https:// public URL.
SECURE_COOKIES = web.AppKey("secure_cookies", bool)


def proxy_address(text: str) -> str:
    """`--trust-proxy` checked: one IP address (the proxy as the server sees it, e.g.
    127.0.0.1 for a Caddy on the same machine), in its canonical spelling."""
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        raise ValueError(f"{text!r} is not an IP address (the proxy's, e.g. 127.0.0.1)") from None


def _canonical(address: str) -> str | None:
    address = address.strip()
    if address.startswith("[") and "]" in address:  # [2001:db8::1]:443
        address = address[1:address.index("]")]
    elif address.count(":") == 1:  # 192.0.2.1:5678
        address = address.split(":", 1)[0]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    return str(ip.ipv4_mapped or ip) if isinstance(ip, ipaddress.IPv6Address) else str(ip)


def client_address(peer: str | None, forwarded_for: list[str], trusted: frozenset[str]) -> str:
    """The address the limits count: the peer's, unless the peer is a trusted proxy; then
    the rightmost address of `X-Forwarded-For` (every such header, in order) that is not a
    trusted proxy. A header that is missing or unreadable there leaves the peer's address
    (the proxy's), so a broken proxy is throttled as one client, never let through."""
    peer_ip = _canonical(peer or "")
    if peer_ip is None or peer_ip not in trusted:
        return peer or "?"
    hops = [hop for header in forwarded_for for hop in header.split(",")]
    for hop in reversed(hops):
        address = _canonical(hop)
        if address is None:
            break  # garbage written before our proxy's entry: believe nothing further left
        if address not in trusted:
            return address
    return peer_ip


@web.middleware
async def proxy_middleware(request: web.Request, handler):
    """Outermost: every handler and limit sees the client's address as `request.remote`."""
    trusted = request.app[TRUSTED_PROXIES]
    if trusted:
        client = client_address(request.remote, request.headers.getall("X-Forwarded-For", []),
                                trusted)
        if client != request.remote:
            request = request.clone(remote=client)
    response = await handler(request)
    if request.app[SECURE_COOKIES]:
        for morsel in response.cookies.values():
            morsel["secure"] = True
    return response
