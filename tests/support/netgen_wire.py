"""Capture writers (pcap, pcapng), link-layer framing and IPv4/IPv6/TCP/UDP packet builders.

Part of :mod:`support.netgen`; everything here is plain ``struct`` packing so a million packets can
be written in well under a minute.
"""

from __future__ import annotations

import struct
from functools import lru_cache
from ipaddress import ip_address
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Self

LINKTYPES: dict[str, int] = {
    "ethernet": 1,
    "vlan": 1,
    "qinq": 1,
    "sll": 113,
    "sll2": 276,
    "raw": 101,
    "raw12": 12,
    "raw14": 14,
    "null": 0,
    "loop": 108,
    "pktap": 258,
}
"""Link names accepted by :func:`frame` -> the LINKTYPE written in the file header."""

PHONE_MAC = bytes.fromhex("4c6af69ff627")
ROUTER_MAC = bytes.fromhex("d83062560011")
TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK = 0x01, 0x02, 0x04, 0x08, 0x10
PROTO_TCP, PROTO_UDP = 6, 17

_IP4 = struct.Struct("!BBHHHBBH4s4s")
_IP6 = struct.Struct("!IHBB16s16s")
_TCP = struct.Struct("!HHIIBBHHH")
_UDP = struct.Struct("!HHHH")


@lru_cache(maxsize=4096)
def packed(address: str) -> bytes:
    """4 or 16 bytes of an address given as text."""
    return ip_address(address).packed


def is_v6(address: str) -> bool:
    """True for an IPv6 address text."""
    return ":" in address


def _checksum(header: bytes) -> int:
    total = sum(struct.unpack(f"!{len(header) // 2}H", header))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4(
    src: str,
    dst: str,
    proto: int,
    payload: bytes,
    ident: int = 0,
    options: bytes = b"",
    frag: int = 0,
    ttl: int = 64,
) -> bytes:
    """An IPv4 packet (header checksum computed); ``frag`` is the flags+offset field."""
    ihl = 5 + len(options) // 4
    header = _IP4.pack(
        0x40 | ihl, 0, ihl * 4 + len(payload), ident, frag, ttl, proto, 0, packed(src), packed(dst)
    )
    header += options
    check = _checksum(header)
    return header[:10] + struct.pack("!H", check) + header[12:] + payload


def ipv6(src: str, dst: str, proto: int, payload: bytes, hop_by_hop: bool = False) -> bytes:
    """An IPv6 packet, optionally with a hop-by-hop extension header (8 bytes of padding)."""
    if hop_by_hop:
        payload = bytes([proto, 0, 1, 4, 0, 0, 0, 0]) + payload
        proto = 0
    return _IP6.pack(0x60000000, len(payload), proto, 64, packed(src), packed(dst)) + payload


def ip_packet(src: str, dst: str, proto: int, payload: bytes, ident: int = 0) -> bytes:
    """IPv4 or IPv6 according to the addresses."""
    if is_v6(src):
        return ipv6(src, dst, proto, payload)
    return ipv4(src, dst, proto, payload, ident)


def tcp(sport: int, dport: int, seq: int, ack: int, flags: int, payload: bytes = b"") -> bytes:
    """A TCP segment with a 20-byte header (checksum left 0, as offloading NICs capture it)."""
    return _TCP.pack(
        sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags, 65535, 0, 0
    ) + (payload)


def udp(sport: int, dport: int, payload: bytes) -> bytes:
    """A UDP datagram (checksum 0)."""
    return _UDP.pack(sport, dport, 8 + len(payload), 0) + payload


def frame(link: str, ip: bytes, outbound: bool = True) -> bytes:  # noqa: PLR0911 - one per link
    """Wrap an IP packet in the named link layer."""
    v6 = ip[0] >> 4 == 6
    ethertype = b"\x86\xdd" if v6 else b"\x08\x00"
    src, dst = (PHONE_MAC, ROUTER_MAC) if outbound else (ROUTER_MAC, PHONE_MAC)
    if link == "ethernet":
        return dst + src + ethertype + ip
    if link == "vlan":
        return dst + src + b"\x81\x00\x00\x64" + ethertype + ip
    if link == "qinq":
        return dst + src + b"\x88\xa8\x00\x0a\x81\x00\x00\x64" + ethertype + ip
    if link == "sll":
        kind = 4 if outbound else 0
        return struct.pack("!HHH", kind, 1, 6) + src + b"\x00\x00" + ethertype + ip
    if link == "sll2":
        kind = 4 if outbound else 0
        return ethertype + b"\x00\x00" + struct.pack("!IHBB", 2, 1, kind, 6) + src + b"\0\0" + ip
    if link in ("raw", "raw12", "raw14"):
        return ip
    if link == "null":
        return struct.pack("<I", 30 if v6 else 2) + ip
    if link == "loop":
        return struct.pack("!I", 30 if v6 else 2) + ip
    if link == "pktap":  # Apple's 108-byte PKTAP v1 header naming an Ethernet frame
        header = struct.pack("<III", 108, 1, 1) + b"en0".ljust(24, b"\0") + b"\0" * 72
        return header + dst + src + ethertype + ip
    raise ValueError(f"unknown link {link!r}")


class _Writer:
    def __init__(self, target: Path | BinaryIO) -> None:
        self._own = isinstance(target, Path)
        self._f: BinaryIO = target.open("wb") if isinstance(target, Path) else target

    def close(self) -> None:
        """Flush, and close the file if this writer opened it."""
        self._f.flush()
        if self._own:
            self._f.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class PcapWriter(_Writer):
    """Classic pcap: either byte order, micro- or nanosecond timestamps."""

    def __init__(
        self,
        target: Path | BinaryIO,
        linktype: int = 1,
        nano: bool = False,
        big_endian: bool = False,
        snaplen: int = 262144,
    ) -> None:
        super().__init__(target)
        self._order = ">" if big_endian else "<"
        self._scale = 1_000_000_000 if nano else 1_000_000
        self._rec = struct.Struct(self._order + "IIII")
        magic = 0xA1B23C4D if nano else 0xA1B2C3D4
        self._f.write(struct.pack(self._order + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype))

    def write(self, ts: float, data: bytes, orig_len: int | None = None) -> None:
        """Write one record."""
        ticks = round(ts * self._scale)
        sec, frac = divmod(ticks, self._scale)
        length = len(data) if orig_len is None else orig_len
        self._f.write(self._rec.pack(sec, frac, len(data), length) + data)


class PcapngWriter(_Writer):
    """pcapng: sections, interfaces with their own link type and timestamp resolution."""

    def __init__(self, target: Path | BinaryIO, big_endian: bool = False) -> None:
        super().__init__(target)
        self._order = ">" if big_endian else "<"
        self._ifaces: list[int] = []
        self.section()

    def _block(self, btype: int, body: bytes) -> None:
        body += b"\x00" * (-len(body) % 4)
        size = len(body) + 12
        self._f.write(struct.pack(self._order + "II", btype, size) + body)
        self._f.write(struct.pack(self._order + "I", size))

    def section(self) -> None:
        """Start a new section (its interfaces must be added again)."""
        self._ifaces = []
        self._block(0x0A0D0D0A, struct.pack(self._order + "IHHq", 0x1A2B3C4D, 1, 0, -1))

    def interface(self, linktype: int, tsresol: int = 6, snaplen: int = 262144) -> int:
        """Add an interface; ``tsresol`` is the power of ten (6 = microseconds). Returns its id."""
        opts = b""
        if tsresol != 6:
            opts = struct.pack(self._order + "HH", 9, 1) + bytes([tsresol]) + b"\0\0\0"
            opts += struct.pack(self._order + "HH", 0, 0)
        self._block(1, struct.pack(self._order + "HHI", linktype, 0, snaplen) + opts)
        self._ifaces.append(tsresol)
        return len(self._ifaces) - 1

    def write(self, ts: float, data: bytes, iface: int = 0) -> None:
        """An enhanced packet block."""
        ticks = round(ts * 10 ** self._ifaces[iface])
        head = struct.pack(
            self._order + "IIIII", iface, ticks >> 32, ticks & 0xFFFFFFFF, len(data), len(data)
        )
        self._block(6, head + data)

    def write_simple(self, data: bytes) -> None:
        """A simple packet block (interface 0, no timestamp)."""
        self._block(3, struct.pack(self._order + "I", len(data)) + data)

    def write_other(self, btype: int, body: bytes) -> None:
        """Any other block (e.g. a name resolution or custom block a reader must skip)."""
        self._block(btype, body)
