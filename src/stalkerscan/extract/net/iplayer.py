"""The network layer of one frame: where its IPv4/IPv6 packet is and what it carries.

Headers are read straight from the frame bytes (indexing, no object per packet). IPv4 options
and IPv6 extension headers are skipped. IPv4 fragments: the first one (it holds the transport
header) is decoded but marked not whole, so its payload is counted but never read; later
fragments cannot be placed without reassembly and are not decoded. A frame too short for its
headers raises IndexError (the caller counts it as undecoded).
"""

from __future__ import annotations

from stalkerscan.extract.net.linklayer import DECODERS, ETH_IPV4, ETH_IPV6, VLAN_TAGS

IpPacket = tuple[bytes, int, int, int, int, bool]
"""(flow key: source and destination address bytes then the first 4 transport bytes (the ports),
protocol, transport offset, end of the IP packet in the frame, IP length, whole: False for a
first fragment)."""

_IPV6_SKIP = frozenset((0, 43, 60, 51, 44))
"""IPv6 extension headers skipped to reach the transport header."""


def decode_ip(link: int, data: bytes) -> IpPacket | None:
    """The IP packet in a frame of link type ``link``; None if there is none we can read."""
    if link == 1:  # Ethernet, by far the most common: decoded here rather than by a call
        et = data[12] << 8 | data[13]
        off = 14
        while et in VLAN_TAGS:
            et = data[off + 2] << 8 | data[off + 3]
            off += 4
    else:
        decoder = DECODERS.get(link)
        decoded = decoder(data) if decoder is not None else None
        if decoded is None:
            return None
        off, et = decoded
    if et == ETH_IPV4:
        iplen = data[off + 2] << 8 | data[off + 3]
        if not iplen:  # segmentation offload on the capturing host leaves the length 0
            iplen = len(data) - off
        frag = data[off + 6] << 8 | data[off + 7]
        if frag & 0x1FFF:
            return None
        l4 = off + ((data[off] & 15) << 2)
        # without options the ports follow the addresses: one slice makes the whole key
        key = (
            data[off + 12 : off + 24]
            if l4 == off + 20
            else data[off + 12 : off + 20] + data[l4 : l4 + 4]
        )
        return key, data[off + 9], l4, off + iplen, iplen, not frag & 0x2000
    if et == ETH_IPV6:
        return _ipv6(data, off)
    return None


def _ipv6(data: bytes, off: int) -> IpPacket | None:
    iplen = 40 + (data[off + 4] << 8 | data[off + 5])
    proto = data[off + 6]
    l4 = off + 40
    whole = True
    while proto in _IPV6_SKIP:
        if proto == 44:  # fragment header
            if (data[l4 + 2] << 8 | data[l4 + 3]) & 0xFFF8:
                return None
            whole = not data[l4 + 3] & 1
            proto, l4 = data[l4], l4 + 8
        elif proto == 51:  # authentication header: length in 4-byte units, minus 2
            proto, l4 = data[l4], l4 + ((data[l4 + 1] + 2) << 2)
        else:
            proto, l4 = data[l4], l4 + ((data[l4 + 1] + 1) << 3)
    key = (
        data[off + 8 : off + 44] if l4 == off + 40 else data[off + 8 : off + 40] + data[l4 : l4 + 4]
    )
    return key, proto, l4, off + iplen, iplen, whole
