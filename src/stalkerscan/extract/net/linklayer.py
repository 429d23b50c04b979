"""Link layers: where the IP header starts in a frame, for each link type we read.

Each decoder takes the frame bytes and returns ``(offset of the network header, ethertype)``, or
None when the frame carries something other than IPv4/IPv6 (ARP, LLDP...) or is too short.
Ethernet is also decoded inline in the packet loop (it is by far the most common link type).
"""

from __future__ import annotations

from collections.abc import Callable

ETH_IPV4 = 0x0800
ETH_IPV6 = 0x86DD
VLAN_TAGS = frozenset((0x8100, 0x88A8, 0x9100))
"""802.1Q, 802.1ad (QinQ) and the older QinQ tag."""

LINK_ETHERNET = 1

LINK_NAMES: dict[int, str] = {
    0: "null",
    1: "ethernet",
    12: "raw",
    14: "raw",
    101: "raw",
    108: "loop",
    113: "linux_sll",
    228: "ipv4",
    229: "ipv6",
    258: "pktap",
    276: "linux_sll2",
}
"""Names of the link types we decode (pcap LINKTYPE_* values)."""

Decoded = tuple[int, int] | None
LinkDecoder = Callable[[bytes], Decoded]


def link_name(link: int) -> str:
    """Plain name of a link type, e.g. ``ethernet`` or ``linktype 127`` for one we do not read."""
    return LINK_NAMES.get(link, f"linktype {link}")


def decode_ethernet(data: bytes) -> Decoded:
    """Ethernet II, with any number of 802.1Q / QinQ tags."""
    if len(data) < 14:
        return None
    ethertype = data[12] << 8 | data[13]
    off = 14
    while ethertype in VLAN_TAGS and len(data) >= off + 4:
        ethertype = data[off + 2] << 8 | data[off + 3]
        off += 4
    return (off, ethertype) if ethertype in (ETH_IPV4, ETH_IPV6) else None


def decode_raw(data: bytes) -> Decoded:
    """Raw IP (LINKTYPE_RAW, DLT 12/14, 228, 229): the version nibble tells IPv4 from IPv6."""
    if not data:
        return None
    version = data[0] >> 4
    if version == 4:
        return (0, ETH_IPV4)
    if version == 6:
        return (0, ETH_IPV6)
    return None


def decode_sll(data: bytes) -> Decoded:
    """Linux cooked capture v1: 16-byte header, protocol in its last two bytes."""
    if len(data) < 16:
        return None
    proto = data[14] << 8 | data[15]
    return (16, proto) if proto in (ETH_IPV4, ETH_IPV6) else None


def decode_sll2(data: bytes) -> Decoded:
    """Linux cooked capture v2: 20-byte header, protocol in its first two bytes."""
    if len(data) < 20:
        return None
    proto = data[0] << 8 | data[1]
    return (20, proto) if proto in (ETH_IPV4, ETH_IPV6) else None


_AF_INET6 = frozenset((10, 24, 28, 30))
"""AF_INET6 on Linux, the BSDs and macOS."""


def decode_null(data: bytes) -> Decoded:
    """BSD loopback (NULL): a 4-byte address family in the writer's byte order."""
    if len(data) < 4:
        return None
    family = int.from_bytes(data[:4], "little")
    if family > 0xFFFF:  # written big-endian
        family = int.from_bytes(data[:4], "big")
    if family == 2:
        return (4, ETH_IPV4)
    return (4, ETH_IPV6) if family in _AF_INET6 else None


def decode_loop(data: bytes) -> Decoded:
    """OpenBSD loopback (LOOP): the address family in network byte order."""
    if len(data) < 4:
        return None
    family = int.from_bytes(data[:4], "big")
    if family == 2:
        return (4, ETH_IPV4)
    return (4, ETH_IPV6) if family in _AF_INET6 else None


def decode_pktap(data: bytes) -> Decoded:
    """Apple PKTAP (``tcpdump -i pktap`` on macOS, iOS remote captures): a header that names the
    link type of the frame after it."""
    if len(data) < 8:
        return None
    header = int.from_bytes(data[:4], "little")
    inner = int.from_bytes(data[4:8], "little")
    decoder = DECODERS.get(inner)
    if header < 8 or decoder is None or decoder is decode_pktap:
        return None
    found = decoder(data[header:])
    return (header + found[0], found[1]) if found is not None else None


DECODERS: dict[int, LinkDecoder] = {
    0: decode_null,
    1: decode_ethernet,
    12: decode_raw,
    14: decode_raw,
    101: decode_raw,
    108: decode_loop,
    113: decode_sll,
    228: decode_raw,
    229: decode_raw,
    258: decode_pktap,
    276: decode_sll2,
}
"""Decoder for each link type we read."""
