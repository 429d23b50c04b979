"""TCP conversations for generated captures: sequence numbers, ACKs, segmenting, reordering.

Part of :mod:`support.netgen`.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from typing import Protocol

from support.netgen_wire import PROTO_TCP, TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN, ip_packet, tcp


class PacketSink(Protocol):
    """What a conversation needs from its builder."""

    rng: random.Random

    def ident(self) -> int: ...

    def add_ip(self, t: float, ip: bytes, outbound: bool = True) -> None: ...


MSS = 1448
_FILLER = random.Random(99).randbytes(1 << 16)
"""Bytes reused as encrypted-looking payload (fast to slice, never compressible)."""


def filler(size: int, at: int = 0) -> bytes:
    """``size`` pseudo-random bytes."""
    at %= len(_FILLER)
    out = _FILLER[at : at + size]
    while len(out) < size:
        out += _FILLER[: size - len(out)]
    return out


class TcpConversation:
    """One TCP connection in a builder; sequence numbers and times are tracked for you."""

    def __init__(
        self, cap: PacketSink, client: str, cport: int, server: str, sport: int, t: float
    ) -> None:
        self.cap, self.client, self.cport, self.server, self.sport = (
            cap,
            client,
            cport,
            server,
            sport,
        )
        self.t = t
        self.rtt = 0.02
        """Round-trip time: the gap between a packet and the other side's answer."""
        self.cseq = cap.rng.getrandbits(32)
        self.sseq = cap.rng.getrandbits(32)

    def _emit(
        self, from_client: bool, flags: int, payload: bytes = b"", seq: int | None = None
    ) -> None:
        if from_client:
            segment = tcp(
                self.cport, self.sport, self.cseq if seq is None else seq, self.sseq, flags, payload
            )
            self.cap.add_ip(
                self.t,
                ip_packet(self.client, self.server, PROTO_TCP, segment, self.cap.ident()),
                True,
            )
        else:
            segment = tcp(
                self.sport, self.cport, self.sseq if seq is None else seq, self.cseq, flags, payload
            )
            self.cap.add_ip(
                self.t,
                ip_packet(self.server, self.client, PROTO_TCP, segment, self.cap.ident()),
                False,
            )

    def handshake(self) -> TcpConversation:
        """SYN, SYN-ACK, ACK."""
        self._emit(True, TCP_SYN)
        self.cseq += 1
        self.t += self.rtt / 2
        self._emit(False, TCP_SYN | TCP_ACK)
        self.sseq += 1
        self.t += self.rtt / 2
        self._emit(True, TCP_ACK)
        return self

    def send(
        self,
        data: bytes,
        from_client: bool = True,
        *,
        split_at: Sequence[int] = (),
        reverse: bool = False,
        ack: bool = True,
    ) -> TcpConversation:
        """Send ``data`` in MSS-sized segments (and at ``split_at`` offsets), then an ACK back.

        With ``reverse`` the segments are captured in reverse order (out-of-order delivery).
        """
        cuts = sorted({0, len(data), *split_at, *range(MSS, len(data), MSS)})
        base = self.cseq if from_client else self.sseq
        segments = [(base + a, data[a:b]) for a, b in itertools.pairwise(cuts) if b > a]
        if reverse:
            segments.reverse()
        self.t += 0.0005
        for seq, part in segments:
            self._emit(from_client, TCP_PSH | TCP_ACK, part, seq=seq & 0xFFFFFFFF)
            self.t += 0.0002
        if from_client:
            self.cseq += len(data)
        else:
            self.sseq += len(data)
        self.t += self.rtt / 2
        if ack:
            self._emit(not from_client, TCP_ACK)
        return self

    def close(self) -> float:
        """FIN from the client, FIN from the server; returns the time after the last packet."""
        self._emit(True, TCP_FIN | TCP_ACK)
        self.cseq += 1
        self.t += self.rtt / 2
        self._emit(False, TCP_FIN | TCP_ACK)
        self.sseq += 1
        self.t += self.rtt / 2
        self._emit(True, TCP_ACK)
        return self.t + 0.001
