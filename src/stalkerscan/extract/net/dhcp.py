"""DHCP messages from clients (BOOTREQUEST): who the phone says it is."""

from __future__ import annotations

from typing import NamedTuple

from stalkerscan.extract.net.dns import ip_text

_COOKIE = b"\x63\x82\x53\x63"
_OPTIONS_AT = 240
OPT_HOSTNAME, OPT_REQUESTED_IP, OPT_VENDOR_CLASS = 12, 50, 60


class DhcpRequest(NamedTuple):
    mac: str
    hostname: str | None
    vendor_class: str | None
    requested_ip: str | None


def _text(value: bytes | None) -> str | None:
    if not value:
        return None
    return value.rstrip(b"\x00").decode("utf-8", "replace") or None


def parse_dhcp_request(msg: bytes) -> DhcpRequest | None:
    """Read a client's DHCP message; None for server replies and anything malformed."""
    if len(msg) < _OPTIONS_AT or msg[0] != 1 or msg[236:240] != _COOKIE:
        return None
    hlen = min(msg[2], 16) or 6
    mac = ":".join(f"{b:02x}" for b in msg[28 : 28 + hlen])
    options: dict[int, bytes] = {}
    pos = _OPTIONS_AT
    while pos < len(msg):
        code = msg[pos]
        if code == 255:
            break
        if code == 0:
            pos += 1
            continue
        if pos + 2 > len(msg):
            break
        size = msg[pos + 1]
        options.setdefault(code, msg[pos + 2 : pos + 2 + size])
        pos += 2 + size
    requested = options.get(OPT_REQUESTED_IP)
    return DhcpRequest(
        mac=mac,
        hostname=_text(options.get(OPT_HOSTNAME)),
        vendor_class=_text(options.get(OPT_VENDOR_CLASS)),
        requested_ip=ip_text(requested) if requested is not None and len(requested) == 4 else None,
    )
