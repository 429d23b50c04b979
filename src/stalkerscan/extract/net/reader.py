"""Read the packet records of a pcap or pcapng file, streaming, with ``struct``.

The file is read in large chunks and each record header is unpacked in place: building an object
per packet costs several times more than the whole header work. Records are yielded as
``(time, link_type, data)``; nothing is kept after it is yielded.

A truncated or damaged file is read up to the last whole record; ``CaptureReader.stopped_early``
then says where and why in one plain sentence. A file that is not a capture raises
:class:`InputFormatError` before any record is read.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from typing import BinaryIO

from stalkerscan.model.errors import InputFormatError

CHUNK = 4 << 20
"""Bytes read from the file at a time."""
MAX_RECORD = 16 << 20
"""A record claiming more captured bytes than this is damaged (real snap lengths are <= 256 KiB)."""

PCAPNG_SHB = 0x0A0D0D0A
_BOM = 0x1A2B3C4D
_PCAP_MAGICS: dict[bytes, tuple[str, int, int]] = {
    # magic bytes -> (struct byte order, fraction divisor, record header size)
    b"\xd4\xc3\xb2\xa1": ("<", 1_000_000, 16),
    b"\xa1\xb2\xc3\xd4": (">", 1_000_000, 16),
    b"\x4d\x3c\xb2\xa1": ("<", 1_000_000_000, 16),
    b"\xa1\xb2\x3c\x4d": (">", 1_000_000_000, 16),
    b"\x34\xcd\xb2\xa1": ("<", 1_000_000, 24),  # "modified" pcap (Kuznetsov): 8 more header bytes
    b"\xa1\xb2\xcd\x34": (">", 1_000_000, 24),
}

Progress = Callable[[int, int], None]
Record = tuple[float, int, bytes]


def capture_format(head: bytes) -> str | None:
    """``pcap`` or ``pcapng`` from the first bytes of a file, or None if it is neither."""
    if head[:4] in _PCAP_MAGICS:
        return "pcap"
    if (
        len(head) >= 12
        and head[:4] == b"\x0a\x0d\x0d\x0a"
        and head[8:12]
        in (
            b"\x4d\x3c\x2b\x1a",
            b"\x1a\x2b\x3c\x4d",
        )
    ):
        return "pcapng"
    return None


def _not_a_capture(name: str, head: bytes) -> InputFormatError:
    if head[:2] == b"\x1f\x8b":
        return InputFormatError(
            f"{name} is compressed with gzip, not a capture stalkerscan can read as it is",
            "Decompress it first (for example: gunzip -k FILE) and give the capture inside",
        )
    return InputFormatError(
        f"{name} is not a network capture (no pcap or pcapng header at its start)",
        "Give a .pcap or .pcapng file written by tcpdump, Wireshark, dumpcap or PCAPdroid",
    )


class CaptureReader:
    """Iterates the records of one open capture file; tells how far it got."""

    def __init__(self, stream: BinaryIO, total: int, name: str, progress: Progress | None) -> None:
        self._f = stream
        self.total = total
        """File size in bytes (for progress)."""
        self._progress = progress
        head = stream.read(24)
        if not head:
            raise InputFormatError(
                f"{name} is empty (0 bytes), so it holds no network capture",
                "Check that the capture was saved completely, or record it again",
            )
        fmt = capture_format(head)
        if fmt is None:
            raise _not_a_capture(name, head)
        self.file_format: str = fmt
        """``pcap`` or ``pcapng``."""
        self.link_types: list[int] = []
        """Link types seen, in order of first appearance."""
        self.count = 0
        """Records read so far (for pcapng, up to date when reading stops or reaches a block that
        is not an ordinary packet)."""
        self.stopped_early: str | None = None
        """Why reading stopped before the end of the file, or None."""
        self._head = head
        self._last_time = 0.0

    def records(self) -> Iterator[Record]:
        """Yield ``(time, link_type, data)`` for every packet record, in file order."""
        if self.file_format == "pcap":
            return self._pcap_records()
        return self._pcapng_records()

    # -- shared chunk handling ------------------------------------------------------------------

    def _more(self, buf: bytes, pos: int, base: int) -> tuple[bytes, int, bool]:
        """Drop consumed bytes, append the next chunk: ``(buffer, new base offset, got_more)``."""
        chunk = self._f.read(CHUNK)
        base += pos
        if self._progress is not None:
            self._progress(min(base + len(buf) - pos + len(chunk), self.total), self.total)
        return buf[pos:] + chunk, base, bool(chunk)

    def _truncated(self, offset: int) -> None:
        self.stopped_early = (
            f"the file ends in the middle of packet {self.count + 1} (byte offset {offset}); "
            "packets before it were analysed"
        )

    def _damaged(self, offset: int, what: str) -> None:
        self.stopped_early = (
            f"packet {self.count + 1} at byte offset {offset} is damaged ({what}); "
            "reading stopped there and packets before it were analysed"
        )

    def _link_seen(self, link: int) -> None:
        if link not in self.link_types:
            self.link_types.append(link)

    # -- pcap -----------------------------------------------------------------------------------

    def _pcap_records(self) -> Iterator[Record]:
        head = self._head
        if len(head) < 24:
            self._truncated(len(head))
            return
        order, divisor, rec_len = _PCAP_MAGICS[head[:4]]
        snaplen, link = struct.unpack_from(order + "II", head, 16)
        link &= 0xFFFF  # the upper bits carry FCS flags in newer files
        self._link_seen(link)
        limit = max(snaplen, 262144) if snaplen else MAX_RECORD
        limit = min(limit, MAX_RECORD)
        hdr = struct.Struct(order + "IIII")
        unpack = hdr.unpack_from
        buf, pos, base, more = b"", 0, 24, True
        while True:
            end_buf = len(buf)
            while pos + rec_len <= end_buf:
                sec, frac, incl, _orig = unpack(buf, pos)
                if incl > limit:
                    self._damaged(base + pos, f"it claims {incl} captured bytes")
                    return
                start = pos + rec_len
                end = start + incl
                if end > end_buf:
                    break
                self.count += 1
                yield sec + frac / divisor, link, buf[start:end]
                pos = end
            if not more:
                if pos < end_buf:
                    self._truncated(base + pos)
                return
            buf, base, more = self._more(buf, pos, base)
            pos = 0

    # -- pcapng ---------------------------------------------------------------------------------

    def _pcapng_records(self) -> Iterator[Record]:
        """Packet blocks, with a fast path for the enhanced and simple blocks of known interfaces.

        One unpack reads the first 24 bytes of a block: all the header of an enhanced packet
        block. An ordinary one (no options after the data) is recognised by its length alone.
        Any other block (section and interface descriptions, other kinds, a packet of an unknown
        interface, a block that is damaged, too short or not whole in the buffer yet) goes to
        :meth:`_block`, which reads every kind of block and gives the same records.
        """
        sec = _Section()
        buf, pos, base, more = self._head, 0, 0, True
        last, count = self._last_time, self.count
        while True:
            end_buf = len(buf)
            # in a buffer no longer than MAX_RECORD, a whole block cannot be longer than that
            fast_end = end_buf - 24 if end_buf <= MAX_RECORD else -1
            while pos + 12 <= end_buf:
                head, ifaces = _HEADS[sec.order].unpack_from, sec.ifaces
                nif = len(ifaces)
                while pos <= fast_end:
                    btype, blen, iface, hi, lo, caplen = head(buf, pos)
                    end = pos + blen
                    if btype == 6 and end <= end_buf and iface < nif:
                        start = pos + 28
                        stop = start + caplen
                        if blen != 32 + (caplen + 3 & -4):  # options after the data, or damaged
                            if blen < 32 or blen & 3:
                                break
                            stop = min(stop, end - 4)  # it may claim more than the block holds
                        link, per_second, offset = ifaces[iface]
                        last = (hi << 32 | lo) / per_second + offset
                        count += 1
                        yield last, link, buf[start:stop]
                        pos = end
                        continue
                    if btype == 3 and end <= end_buf and nif and blen >= 16 and not blen & 3:
                        count += 1  # interface 0, the time of the packet before
                        yield last, ifaces[0][0], buf[pos + 12 : pos + 12 + min(iface, blen - 16)]
                        pos = end
                        continue
                    break
                self._last_time, self.count = last, count
                size, rec = self._block(buf, pos, base, sec)
                if size <= 0:
                    if size < 0:
                        return
                    break
                pos += size
                last = self._last_time
                if rec is not None:
                    count += 1
                    yield rec
            self._last_time, self.count = last, count
            if not more:
                if pos < end_buf:
                    self._truncated(base + pos)
                return
            buf, base, more = self._more(buf, pos, base)
            pos = 0

    def _block(self, buf: bytes, pos: int, base: int, sec: _Section) -> tuple[int, Record | None]:
        """Read any block at ``pos``: ``(its length, the packet record it holds or None)``.

        Length 0: the block is not whole in ``buf`` yet. Length -1: it is damaged and reading
        stops (``stopped_early`` says why). A section header starts a new ``sec``.
        """
        if pos + 12 > len(buf):
            return 0, None
        order = sec.order
        btype = struct.unpack_from(order + "I", buf, pos)[0]
        if btype == PCAPNG_SHB:
            order = "<" if buf[pos + 8 : pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            if struct.unpack_from(order + "I", buf, pos + 8)[0] != _BOM:
                self._damaged(base + pos, "a section header with no byte-order mark")
                return -1, None
        blen = struct.unpack_from(order + "I", buf, pos + 4)[0]
        if blen < _MIN_LENGTH.get(btype, 12) or blen % 4 or blen > MAX_RECORD:
            self._damaged(base + pos, f"a block claims a length of {blen} bytes")
            return -1, None
        if pos + blen > len(buf):
            return 0, None
        if btype == PCAPNG_SHB:
            sec.order, sec.ifaces = order, []
            return blen, None
        return blen, self._pcapng_block(btype, buf, pos, blen, order, sec.ifaces)

    def _pcapng_block(
        self,
        btype: int,
        buf: bytes,
        pos: int,
        blen: int,
        order: str,
        ifaces: list[Interface],
    ) -> Record | None:
        """Decode one whole non-SHB block: a packet record, or None (an IDB is remembered)."""
        body = pos + 8
        if btype in (6, 2):  # enhanced packet block, obsolete packet block
            if btype == 6:
                iface, hi, lo, caplen = struct.unpack_from(order + "IIII", buf, body)
            else:
                iface, _drops, hi, lo, caplen = struct.unpack_from(order + "HHIII", buf, body)
            data_at = body + 20
            if iface >= len(ifaces):
                return None
            link, per_second, offset = ifaces[iface]
            caplen = min(caplen, pos + blen - 4 - data_at)
            self._last_time = (hi << 32 | lo) / per_second + offset
            return (self._last_time, link, buf[data_at : data_at + caplen])
        if btype == 3:  # simple packet block: interface 0, no timestamp (keep the previous one)
            if not ifaces:
                return None
            orig = struct.unpack_from(order + "I", buf, body)[0]
            caplen = min(orig, blen - 16)
            return (self._last_time, ifaces[0][0], buf[body + 4 : body + 4 + caplen])
        if btype == 1:  # interface description block
            ifaces.append(_interface(buf, body, pos + blen - 4, order))
            self._link_seen(ifaces[-1][0])
        return None


Interface = tuple[int, int, float]
"""An interface of a pcapng section: (link type, timestamp ticks per second, seconds offset)."""

_HEADS = {"<": struct.Struct("<6I"), ">": struct.Struct(">6I")}
"""Block type, block length, interface, time high, time low, captured length: the first 24
bytes of an enhanced packet block, in each byte order."""
_MIN_LENGTH = {6: 32, 2: 32, 3: 16, 1: 16}
"""The smallest whole block of the kinds whose fields are read: enhanced, obsolete and simple
packet blocks, interface descriptions (a shorter one is damaged)."""


class _Section:
    """What a pcapng section header sets for the blocks after it."""

    __slots__ = ("ifaces", "order")

    def __init__(self) -> None:
        self.order = "<"
        """Struct byte order of the section."""
        self.ifaces: list[Interface] = []
        """Its interfaces, by id."""


def _interface(buf: bytes, start: int, end: int, order: str) -> Interface:
    """(link type, timestamp ticks per second, seconds offset) from an IDB body."""
    link = struct.unpack_from(order + "H", buf, start)[0]
    per_second, offset = 1_000_000, 0.0
    pos = start + 8
    while pos + 4 <= end:
        code, length = struct.unpack_from(order + "HH", buf, pos)
        if code == 0:
            break
        value = buf[pos + 4 : pos + 4 + length]
        if code == 9 and length >= 1:  # if_tsresol
            res = value[0]
            per_second = 2 ** (res & 0x7F) if res & 0x80 else 10**res
        elif code == 14 and length >= 8:  # if_tsoffset
            offset = float(struct.unpack_from(order + "q", value)[0])
        pos += 4 + length + (-length % 4)
    return link, per_second, offset
