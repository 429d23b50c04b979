"""DNS messages: question, response code and answers, with name compression.

A malformed message never raises: a bad header or question gives None (the message is skipped),
and answers stop at the first one that cannot be read.
"""

from __future__ import annotations

import struct
import sys
from functools import lru_cache
from ipaddress import IPv4Address, IPv6Address
from typing import NamedTuple

from stalkerscan.model.net import DnsAnswer

RTYPES: dict[int, str] = {
    1: "A",
    2: "NS",
    5: "CNAME",
    6: "SOA",
    12: "PTR",
    15: "MX",
    16: "TXT",
    28: "AAAA",
    33: "SRV",
    41: "OPT",
    47: "NSEC",
    64: "SVCB",
    65: "HTTPS",
    255: "ANY",
}
_NAME_TYPES = frozenset((2, 5, 12))
_MAX_JUMPS = 32


@lru_cache(maxsize=65536)
def ip_text(raw: bytes) -> str:
    """Compressed text form of a 4- or 16-byte address."""
    if len(raw) == 4:
        return str(IPv4Address(raw))
    return IPv6Address(raw).compressed


class DnsMessage(NamedTuple):
    """What one DNS message said."""

    is_response: bool
    query: str
    qtype: str
    rcode: int | None
    answers: tuple[DnsAnswer, ...]
    addresses: tuple[tuple[bytes, str], ...]
    """(A/AAAA address bytes, the queried name it answers, CNAME chain followed back)."""


def read_name(msg: bytes, pos: int) -> tuple[str, int]:
    """Read a possibly compressed name at ``pos``: (name, position after it). Raises ValueError."""
    labels: list[bytes] = []
    end = -1
    jumps = 0
    while True:
        length = msg[pos]
        if length == 0:
            pos += 1
            break
        if length >= 0xC0:
            target = (length & 0x3F) << 8 | msg[pos + 1]
            if end < 0:
                end = pos + 2
            jumps += 1
            if jumps > _MAX_JUMPS or target >= pos:
                raise ValueError("bad compression pointer")
            pos = target
            continue
        if length > 63 or pos + 1 + length > len(msg):
            raise ValueError("bad label")
        labels.append(msg[pos + 1 : pos + 1 + length])
        pos += 1 + length
    name = b".".join(labels).decode("ascii", "replace").lower()
    return sys.intern(name), (end if end >= 0 else pos)


def _rdata_text(msg: bytes, rtype: int, start: int, length: int) -> str:
    rdata = msg[start : start + length]
    if (rtype == 1 and length == 4) or (rtype == 28 and length == 16):
        return ip_text(rdata)
    if rtype in _NAME_TYPES:
        return read_name(msg, start)[0]
    if rtype == 15 and length > 2:
        return read_name(msg, start + 2)[0]
    if rtype == 16:
        parts, pos = [], 0
        while pos < length:
            size = rdata[pos]
            parts.append(rdata[pos + 1 : pos + 1 + size].decode("utf-8", "replace"))
            pos += 1 + size
        return "".join(parts)
    return rdata.hex()


def _answers(msg: bytes, pos: int, count: int) -> list[tuple[DnsAnswer, bytes | None]]:
    """Up to ``count`` answers from ``pos``, stopping quietly at the first damaged one."""
    out: list[tuple[DnsAnswer, bytes | None]] = []
    try:
        for _ in range(count):
            name, pos = read_name(msg, pos)
            rtype, _cls, ttl, length = struct.unpack_from("!HHIH", msg, pos)
            pos += 10
            if pos + length > len(msg):
                break
            value = _rdata_text(msg, rtype, pos, length)
            raw = msg[pos : pos + length] if rtype in (1, 28) and length in (4, 16) else None
            out.append((DnsAnswer(name, RTYPES.get(rtype, str(rtype)), value, ttl), raw))
            pos += length
    except (ValueError, IndexError, struct.error):
        return out  # a damaged answer: the answers before it stand
    return out


def _follow_back(name: str, parents: dict[str, str]) -> str:
    """Walk a CNAME chain from its end back to the name that was asked."""
    for _ in range(16):
        parent = parents.get(name)
        if parent is None:
            break
        name = parent
    return name


def parse_dns(msg: bytes) -> DnsMessage | None:
    """Parse one DNS message (without the TCP length prefix); None if it is not readable."""
    if len(msg) < 12:
        return None
    _id, flags, qdcount, ancount = struct.unpack_from("!HHHH", msg, 0)
    if qdcount == 0 or flags & 0x7800:  # no question, or an opcode other than QUERY
        return None
    try:
        query, pos = read_name(msg, 12)
        qtype_num = struct.unpack_from("!H", msg, pos)[0]
        pos += 4
        for _ in range(qdcount - 1):
            pos = read_name(msg, pos)[1] + 4
    except (ValueError, IndexError, struct.error):
        return None
    is_response = bool(flags & 0x8000)
    qtype = RTYPES.get(qtype_num, str(qtype_num))
    if not is_response:
        return DnsMessage(False, query, qtype, None, (), ())
    found = _answers(msg, pos, ancount)
    parents = {a.value: a.name for a, _ in found if a.rtype == "CNAME"}
    addresses = tuple((raw, _follow_back(a.name, parents)) for a, raw in found if raw is not None)
    return DnsMessage(True, query, qtype, flags & 0xF, tuple(a for a, _ in found), addresses)


def split_tcp_messages(buf: bytearray) -> list[bytes]:
    """Take every whole length-prefixed message off the front of a DNS-over-TCP stream buffer."""
    out: list[bytes] = []
    pos = 0
    while pos + 2 <= len(buf):
        size = buf[pos] << 8 | buf[pos + 1]
        if pos + 2 + size > len(buf):
            break
        out.append(bytes(buf[pos + 2 : pos + 2 + size]))
        pos += 2 + size
    del buf[:pos]
    return out
