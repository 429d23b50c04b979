"""One direction of a TCP byte stream, put back in order within a bound.

Only the start of a stream is ever wanted (a handshake, a request head), so segments that arrive
ahead of a gap are held (up to ``MAX_PENDING`` bytes) and retransmitted bytes are dropped.
"""

from __future__ import annotations

MAX_PENDING = 64 * 1024
"""Bytes held ahead of a gap before the stream gives up."""
_MOD = 1 << 32
_HALF = 1 << 31


class TcpStream:
    """Turns segments (sequence number, bytes) into the contiguous bytes they complete."""

    __slots__ = ("broken", "delivered", "next_seq", "pending", "pending_bytes")

    def __init__(self, first_seq: int | None) -> None:
        self.next_seq = first_seq
        """Sequence number of the next byte expected; None until the first segment."""
        self.pending: dict[int, bytes] = {}
        self.pending_bytes = 0
        self.delivered = 0
        """Bytes delivered so far."""
        self.broken = False
        """Too much was held ahead of a gap: nothing more will be delivered."""

    def add(self, seq: int, data: bytes) -> bytes:
        """Add one segment; return the bytes that are now contiguous (often just ``data``)."""
        if self.broken:
            return b""
        if self.next_seq is None:
            self.next_seq = seq
        rel = (seq - self.next_seq) % _MOD
        if rel >= _HALF:
            rel -= _MOD
        if rel > 0:
            if seq not in self.pending:
                self.pending[seq] = data
                self.pending_bytes += len(data)
                if self.pending_bytes > MAX_PENDING:
                    self.broken = True
                    self.pending.clear()
            return b""
        if -rel >= len(data):
            return b""  # a retransmission of bytes already delivered
        out = data[-rel:] if rel else data
        self.next_seq = (self.next_seq + len(out)) % _MOD
        if self.pending:
            out += self._drain()
        self.delivered += len(out)
        return out

    def _drain(self) -> bytes:
        """Bytes held ahead of the gap that the last segment closed."""
        parts: list[bytes] = []
        progress = True
        while progress and self.pending:
            progress = False
            for seq in list(self.pending):
                assert self.next_seq is not None
                rel = (seq - self.next_seq) % _MOD
                if rel >= _HALF:
                    rel -= _MOD
                if rel > 0:
                    continue
                data = self.pending.pop(seq)
                self.pending_bytes -= len(data)
                if -rel < len(data):
                    part = data[-rel:] if rel else data
                    parts.append(part)
                    self.next_seq = (self.next_seq + len(part)) % _MOD
                progress = True
        return b"".join(parts)
