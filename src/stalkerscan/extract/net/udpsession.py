"""What a UDP flow carries: DNS (by port), DHCP client messages, or a QUIC connection."""

from __future__ import annotations

from stalkerscan.extract.net.dhcp import parse_dhcp_request
from stalkerscan.extract.net.flows import FlowState, Handler
from stalkerscan.extract.net.quic import (
    CryptoStream,
    crypto_frames,
    decrypt_initial,
    initial_header,
)
from stalkerscan.extract.net.sink import RecordSink
from stalkerscan.model.net import DhcpRecord, QuicRecord

DNS_PORTS = frozenset((53, 5353, 5355))
"""DNS, mDNS and LLMNR: every datagram is one DNS message."""
DHCP_PORTS = frozenset((67, 68))
HTTPS_PORT = 443
MAX_INITIALS = 3
"""Client Initial packets read while looking for a whole ClientHello."""


def udp_handlers(
    sink: RecordSink, st: FlowState, dns: Handler
) -> tuple[Handler | None, Handler | None]:
    """(client->server, server->client) handlers for a new UDP flow; ``dns`` reads DNS flows."""
    if st.sport in DNS_PORTS or st.cport in DNS_PORTS:
        return dns, dns
    if st.sport in DHCP_PORTS and st.cport in DHCP_PORTS:
        handler = _DhcpReader(sink).feed
        return handler, handler
    return _QuicProbe(sink).feed, None


class _DhcpReader:
    __slots__ = ("sink",)

    def __init__(self, sink: RecordSink) -> None:
        self.sink = sink

    def feed(self, _st: FlowState, _d: int, payload: bytes, _seq: int, t: float, n: int) -> None:
        request = parse_dhcp_request(payload)
        if request is not None:
            self.sink.dhcp.append(DhcpRecord(t, n, *request))


class _QuicProbe:
    """Looks at the first client datagram of a UDP flow: is it a QUIC Initial?"""

    __slots__ = ("sink",)

    def __init__(self, sink: RecordSink) -> None:
        self.sink = sink

    def feed(self, st: FlowState, d: int, payload: bytes, seq: int, t: float, n: int) -> None:
        head = initial_header(payload)
        if head is None:
            if st.sport == HTTPS_PORT and payload[0] & 0x40:  # QUIC seen after its Initials
                st.app = "quic"
            st.stop()
            return
        st.app = "quic"
        session = QuicSession(self.sink, st, head.version, t, n)
        st.session = session
        st.on_out = session.feed
        session.feed(st, d, payload, seq, t, n)


class QuicSession:
    """The client's first Initial packets of one QUIC connection."""

    __slots__ = ("crypto", "done", "packet", "seen", "sink", "sni", "st", "time", "version")

    def __init__(
        self, sink: RecordSink, st: FlowState, version: int, time: float, packet: int
    ) -> None:
        self.sink = sink
        self.st = st
        self.version = version
        self.time = time
        self.packet = packet
        self.crypto = CryptoStream()
        self.seen = 0
        self.sni: str | None = None
        self.done = False

    def feed(self, st: FlowState, _d: int, payload: bytes, _seq: int, _t: float, _n: int) -> None:
        """Read one client datagram."""
        self.seen += 1
        head = initial_header(payload)
        frames = decrypt_initial(payload, head) if head is not None else None
        if frames is not None:
            hello = self.crypto.add(crypto_frames(frames))
            if hello is not None:
                self.sni = hello.sni
                st.sni = st.sni or hello.sni
                self.seen = MAX_INITIALS
        if self.seen >= MAX_INITIALS or head is None or head.version != self.version:
            st.on_out = None
            st.session = None
            self.finish()

    def finish(self) -> None:
        """Write the record, once."""
        if self.done:
            return
        self.done = True
        version = f"0x{self.version:08x}"
        self.sink.quic.append(QuicRecord(self.st.key(), self.time, self.packet, version, self.sni))
