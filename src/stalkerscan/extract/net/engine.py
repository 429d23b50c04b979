"""The packet loop: transport headers, flow counters, and payload hand-off.

This runs once per packet, so it stays lean: headers are read straight from the frame bytes
(``struct`` and indexing, no object per packet), each flow is found with a single dict look-up
(both orientations of its 5-tuple are keys), and payload is only sliced and handed on while some
reader still wants that direction of the flow (the handshake, a request head, DNS messages).
The network layer is decoded by :func:`iplayer.decode_ip` (a call per packet measured no slower
than inlining it).
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Iterable
from dataclasses import dataclass

from stalkerscan.extract.net.flows import FlowState, client_side_is_dst
from stalkerscan.extract.net.iplayer import decode_ip
from stalkerscan.extract.net.sink import RecordSink
from stalkerscan.extract.net.tcpsession import start_tcp_session
from stalkerscan.extract.net.udpsession import udp_handlers
from stalkerscan.model.net import Transport

_TCP = struct.Struct("!4xI4xH")
"""Of a TCP header: the sequence number, then data offset and flags (ports are in the flow key)."""
_PORTS = struct.Struct("!HH")

FlowTable = dict[bytes, tuple[FlowState, int]]


@dataclass(slots=True)
class LoopTotals:
    """Counts over every packet read."""

    packets: int = 0
    bytes: int = 0
    first_time: float | None = None
    last_time: float | None = None
    undecoded: int = 0


class PacketLoop:
    """Reads packets into flows and records (kept in ``sink``)."""

    def __init__(self, sink: RecordSink) -> None:
        self.sink = sink
        self.tcp: FlowTable = {}
        self.udp: FlowTable = {}
        self.totals = LoopTotals()
        self._tcp_start = functools.partial(start_tcp_session, sink)
        self._udp_dns = sink.on_udp_dns  # one bound method shared by every DNS flow

    def flows(self) -> list[FlowState]:
        """Every flow, in the order it was first seen."""
        found = [st for st, d in self.tcp.values() if d == 0]
        found += [st for st, d in self.udp.values() if d == 0]
        found.sort(key=lambda st: st.first_packet)
        return found

    def _new_flow(self, key: bytes, tcp: bool, flags: int, time: float, packet: int) -> None:
        """Make the state of a flow first seen with packet ``key`` (src, dst, sport, dport)."""
        half = (len(key) - 4) // 2
        src, dst = key[:half], key[half : 2 * half]
        sport, dport = _PORTS.unpack_from(key, 2 * half)
        # a SYN-ACK comes from the server; without a SYN, the well-known port is the server's
        reverse = bool(flags & 0x10) if tcp and flags & 0x02 else client_side_is_dst(sport, dport)
        if reverse:
            src, dst, sport, dport = dst, src, dport, sport
        st = FlowState(
            Transport.TCP if tcp else Transport.UDP, src, sport, dst, dport, time, packet
        )
        st.dns_name = self.sink.names.get(dst)
        if tcp:
            st.on_out = st.on_in = self._tcp_start
        else:
            st.on_out, st.on_in = udp_handlers(self.sink, st, self._udp_dns)
        table = self.tcp if tcp else self.udp
        table[dst + src + _PORTS.pack(dport, sport)] = (st, 1)
        table[src + dst + _PORTS.pack(sport, dport)] = (st, 0)  # last: wins for a host to itself

    def run(self, records: Iterable[tuple[float, int, bytes]]) -> None:
        """Read every record: headers, flow counters, payload to whoever still wants it."""
        tcp_table, udp_table, new_flow = self.tcp, self.udp, self._new_flow
        unpack_tcp = _TCP.unpack_from
        n = nbytes = undecoded = 0
        first, last = float("inf"), float("-inf")
        for ts, link, data in records:
            n += 1
            nbytes += len(data)
            if ts < first:  # noqa: PLR1730 - a plain test is cheaper than min() per packet
                first = ts
            if ts > last:  # noqa: PLR1730
                last = ts
            try:
                ip = decode_ip(link, data)
                if ip is None:
                    undecoded += 1
                    continue
                key, proto, l4, end, iplen, whole = ip
                if proto == 6:
                    seq, offflags = unpack_tcp(data, l4)
                    pstart, flags, table = l4 + ((offflags >> 12) << 2), offflags & 0x3F, tcp_table
                elif proto == 17:
                    _sp, _dp = _PORTS.unpack_from(data, l4 + 4)  # the whole header must be there
                    pstart, seq, flags, table = l4 + 8, 0, 0, udp_table
                else:
                    continue  # ICMP and others: decoded, but no flow
            except (IndexError, struct.error):
                undecoded += 1
                continue
            hit = table.get(key)
            if hit is None:
                new_flow(key, proto == 6, flags, ts, n)
                hit = table[key]
            st, d = hit
            plen = end - pstart if end > pstart else 0
            handler = st.count(d, iplen, plen, ts)
            if flags & 0x02:
                st.syn(d, seq)
            if handler is not None and plen and whole and (payload := data[pstart:end]):
                handler(st, d, payload, seq, ts, n)
        totals = self.totals
        totals.packets, totals.bytes, totals.undecoded = n, nbytes, undecoded
        if n:
            totals.first_time, totals.last_time = first, last
