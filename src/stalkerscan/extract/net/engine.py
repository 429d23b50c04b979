"""The packet loop: link, IP and transport headers, flow counters, and payload hand-off.

This loop runs once per packet, so it is written flat: headers are read straight from the frame
bytes (``struct`` and indexing, no objects per packet), each flow is found with a single dict
look-up (both orientations of its 5-tuple are keys), and payload is only sliced and handed on
while some reader still wants that direction of the flow. Splitting it into functions per layer
measured about 25% slower, so it stays one function on purpose.

IPv4 fragments are counted with their flow when they carry the transport header (the first
fragment) but their payload is not read; later fragments cannot be placed without reassembly
and count as undecoded. IPv6 extension headers are skipped.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Iterable
from dataclasses import dataclass

from stalkerscan.extract.net.flows import FlowState, client_side_is_dst
from stalkerscan.extract.net.linklayer import DECODERS, ETH_IPV4, ETH_IPV6, VLAN_TAGS
from stalkerscan.extract.net.sink import RecordSink
from stalkerscan.extract.net.tcpsession import start_tcp_session
from stalkerscan.extract.net.udpsession import udp_handlers
from stalkerscan.model.net import Transport

_TCP = struct.Struct("!HHIIH")
_PORTS = struct.Struct("!HH")
_IPV6_SKIP = frozenset((0, 43, 60, 51, 44))
"""Extension headers skipped to reach the transport header."""

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
        table[src + dst + _PORTS.pack(sport, dport)] = (st, 0)
        table[dst + src + _PORTS.pack(dport, sport)] = (st, 1)

    def run(self, records: Iterable[tuple[float, int, bytes]]) -> None:  # noqa: PLR0912, PLR0915
        """Read every record (the hot loop: see the module docstring)."""
        tcp_table, udp_table = self.tcp, self.udp
        decoders = DECODERS
        new_flow = self._new_flow
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
                if link == 1:
                    et = data[12] << 8 | data[13]
                    off = 14
                    while et in VLAN_TAGS:
                        et = data[off + 2] << 8 | data[off + 3]
                        off += 4
                else:
                    decoder = decoders.get(link)
                    decoded = decoder(data) if decoder is not None else None
                    if decoded is None:
                        undecoded += 1
                        continue
                    off, et = decoded
                whole = True
                if et == ETH_IPV4:
                    iplen = data[off + 2] << 8 | data[off + 3]
                    if not iplen:  # segmentation offload on the capturing host
                        iplen = len(data) - off
                    frag = data[off + 6] << 8 | data[off + 7]
                    if frag & 0x1FFF:
                        undecoded += 1
                        continue
                    whole = not frag & 0x2000
                    proto = data[off + 9]
                    l4 = off + ((data[off] & 15) << 2)
                    ips = data[off + 12 : off + 20]
                elif et == ETH_IPV6:
                    iplen = 40 + (data[off + 4] << 8 | data[off + 5])
                    proto = data[off + 6]
                    l4 = off + 40
                    while proto in _IPV6_SKIP:
                        if proto == 44:
                            if (data[l4 + 2] << 8 | data[l4 + 3]) & 0xFFF8:
                                raise ValueError("non-first IPv6 fragment")
                            whole = not data[l4 + 3] & 1
                            proto, l4 = data[l4], l4 + 8
                        elif proto == 51:
                            proto, l4 = data[l4], l4 + ((data[l4 + 1] + 2) << 2)
                        else:
                            proto, l4 = data[l4], l4 + ((data[l4 + 1] + 1) << 3)
                    ips = data[off + 8 : off + 40]
                else:
                    undecoded += 1
                    continue
                end = off + iplen
                if proto == 6:
                    _sp, _dp, seq, _ack, offflags = unpack_tcp(data, l4)
                    pstart = l4 + ((offflags >> 12) << 2)
                    flags = offflags & 0x3F
                    table = tcp_table
                elif proto == 17:
                    if len(data) < l4 + 8:
                        raise ValueError("short UDP header")
                    pstart = l4 + 8
                    seq = flags = 0
                    table = udp_table
                else:
                    continue
                key = ips + data[l4 : l4 + 4]
            except (IndexError, ValueError, struct.error):
                undecoded += 1
                continue
            hit = table.get(key)
            if hit is None:
                new_flow(key, proto == 6, flags, ts, n)
                hit = table[key]
            st, d = hit
            plen = end - pstart
            if plen < 0:  # noqa: PLR1730 - cheaper than max() in the hot loop
                plen = 0
            st.last_seen = ts
            if d:
                st.pk_in += 1
                st.by_in += iplen
                st.pl_in += plen
                handler = st.on_in
            else:
                st.pk_out += 1
                st.by_out += iplen
                st.pl_out += plen
                handler = st.on_out
            if flags & 0x02:
                if d:
                    st.isn_in = (seq + 1) & 0xFFFFFFFF
                else:
                    st.isn_out = (seq + 1) & 0xFFFFFFFF
            if handler is not None and plen and whole:
                payload = data[pstart:end]
                if payload:
                    handler(st, d, payload, seq, ts, n)
        totals = self.totals
        totals.packets, totals.bytes, totals.undecoded = n, nbytes, undecoded
        if n:
            totals.first_time, totals.last_time = first, last
