"""Network capture files (pcap, pcapng): recognised by their first bytes, not their name.

The magic numbers are also known to ``extract/net/reader.py``: sources and extractors are
independent layers (neither imports the other), so each keeps the few bytes it needs.
"""

from __future__ import annotations

import struct
from pathlib import Path

_PCAP_MAGICS = {
    b"\xd4\xc3\xb2\xa1": "<",
    b"\xa1\xb2\xc3\xd4": ">",
    b"\x4d\x3c\xb2\xa1": "<",
    b"\xa1\xb2\x3c\x4d": ">",
    b"\x34\xcd\xb2\xa1": "<",
    b"\xa1\xb2\xcd\x34": ">",
}
_PCAPNG_SHB = b"\x0a\x0d\x0d\x0a"
_PCAPNG_BOMS = {b"\x4d\x3c\x2b\x1a": "<", b"\x1a\x2b\x3c\x4d": ">"}


def _score(head: bytes) -> int:
    """How sure the first 24 bytes make us that this is a capture (0-100)."""
    order = _PCAP_MAGICS.get(head[:4])
    if order is not None:
        if len(head) < 24:
            return 60  # the right magic, but too short to hold a whole file header
        major, _minor = struct.unpack_from(order + "HH", head, 4)
        return 100 if major == 2 else 70
    if head[:4] == _PCAPNG_SHB and len(head) >= 12:
        order = _PCAPNG_BOMS.get(head[8:12])
        if order is None:
            return 0
        major = struct.unpack_from(order + "H", head, 12)[0] if len(head) >= 14 else 0
        return 100 if major == 1 else 70
    return 0


def sniff_pcap(path: Path) -> int:
    """Score 0-100 of how sure we are that ``path`` is a pcap or pcapng file; never raises."""
    try:
        if not path.is_file():
            return 0
        with path.open("rb") as stream:
            return _score(stream.read(24))
    except OSError:
        return 0
