"""The participant web server (aiohttp): join, the open activity's form, submissions."""

from facilitator.web.netinfo import base_urls, join_url, lan_addresses
from facilitator.web.server import ParticipantServer, PortInUse, bind_socket

__all__ = [
    "ParticipantServer",
    "PortInUse",
    "base_urls",
    "bind_socket",
    "join_url",
    "lan_addresses",
]
