"""What a TCP flow carries: TLS handshake, HTTP request heads or DNS messages.

A session is made at the first payload of a flow. Each direction is put back in order, and the
first bytes say which protocol it is. Once nothing more is wanted from a direction, the packet
loop stops handing its payload over (``FlowState.on_out`` / ``on_in`` become None).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from stalkerscan.extract.net.dns import split_tcp_messages
from stalkerscan.extract.net.flows import FlowState
from stalkerscan.extract.net.http import METHODS, RequestStream, is_ip_literal
from stalkerscan.extract.net.sink import RecordSink
from stalkerscan.extract.net.tcpstream import TcpStream
from stalkerscan.extract.net.tls import version_name
from stalkerscan.extract.net.tlsflow import TLS13, TlsHandshake, looks_like_tls_record
from stalkerscan.model.net import HttpRequest, TlsRecord

MAX_DNS_BUFFER = 64 * 1024
"""Bytes of a DNS-over-TCP direction held while waiting for a whole message."""
DNS_PORT, DOT_PORT = 53, 853

_Reader = Callable[["TcpSession", FlowState, int, bytes, float, int], None]
"""A TcpSession method, kept unbound: a bound one would tie the session to itself in a cycle."""


def start_tcp_session(
    sink: RecordSink, st: FlowState, d: int, payload: bytes, seq: int, t: float, n: int
) -> None:
    """Handler for the first payload of a TCP flow: make its session and hand the payload on."""
    session = TcpSession(sink, st)
    st.session = session
    st.on_out = st.on_in = session.feed
    session.feed(st, d, payload, seq, t, n)


class TcpSession:
    """Reassembly and protocol reading for one TCP flow."""

    __slots__ = (
        "dns_bufs",
        "first_packet",
        "first_time",
        "http",
        "reader",
        "sink",
        "st",
        "streams",
        "tls",
        "tls_done",
    )

    def __init__(self, sink: RecordSink, st: FlowState) -> None:
        self.sink = sink
        self.st = st
        self.streams = (TcpStream(st.isn_out), TcpStream(st.isn_in))
        self.reader: _Reader = TcpSession._decide
        self.tls: TlsHandshake | None = None
        self.tls_done = False
        self.http: RequestStream | None = None
        self.dns_bufs = (bytearray(), bytearray())
        self.first_packet = 0
        self.first_time = 0.0

    def feed(self, st: FlowState, d: int, payload: bytes, seq: int, t: float, n: int) -> None:
        """Take one segment of direction ``d``."""
        stream = self.streams[d]
        data = stream.add(seq, payload)
        if data:
            self.reader(self, st, d, data, t, n)
        elif stream.broken:
            self._stop(st, d)

    def _stop(self, st: FlowState, d: int) -> None:
        if d:
            st.on_in = None
        else:
            st.on_out = None
        if st.on_out is None and st.on_in is None:
            self._stop_all(st)

    def _stop_all(self, st: FlowState) -> None:
        st.stop()
        self.finish()
        st.session = None

    def _decide(self, st: FlowState, d: int, data: bytes, t: float, n: int) -> None:
        """The first in-order bytes of the flow say what it carries."""
        self.first_packet, self.first_time = n, t
        if DNS_PORT in (st.sport, st.cport):
            st.app = "dns"
            self.reader = TcpSession._dns
        elif looks_like_tls_record(data) and data[0] == 22:
            st.app = "dot" if st.sport == DOT_PORT else "tls"
            self.tls = TlsHandshake()
            self.reader = TcpSession._tls
        elif d == 0 and data.startswith(METHODS):
            st.app = "http"
            self.http = RequestStream()
            self.reader = TcpSession._http
            st.on_in = None
        elif looks_like_tls_record(data):  # a TLS connection seen after its handshake
            st.app = "dot" if st.sport == DOT_PORT else "tls"
            self._stop_all(st)
            return
        else:
            # the server spoke first (a banner, or a capture that starts mid-conversation): the
            # client's first bytes may still say what this is; anything else is not read
            if d:
                self._stop(st, d)
            else:
                self._stop_all(st)
            return
        self.reader(self, st, d, data, t, n)

    def _tls(self, st: FlowState, d: int, data: bytes, t: float, n: int) -> None:
        assert self.tls is not None
        if self.tls.data(d, data):
            self._stop(st, d)
        if self.tls.hello is not None and self.tls.hello.sni and not st.sni:
            st.sni = self.tls.hello.sni

    def _http(self, st: FlowState, _d: int, data: bytes, t: float, n: int) -> None:
        assert self.http is not None
        for head in self.http.feed(data):
            if head.host and not st.host and not is_ip_literal(head.host):
                st.host = head.host
            self.sink.http.append(
                HttpRequest(
                    key=st.key(),
                    time=t,
                    packet=n,
                    method=head.method,
                    host=head.host,
                    path=head.path,
                    user_agent=head.user_agent,
                    body_bytes=head.content_length,
                )
            )
        if self.http.failed:
            self._stop_all(st)

    def _dns(self, st: FlowState, d: int, data: bytes, t: float, n: int) -> None:
        buf = self.dns_bufs[d]
        buf += data
        for msg in split_tcp_messages(buf):
            self.sink.dns_message(st, d, msg, t, n)
        if len(buf) > MAX_DNS_BUFFER:
            buf.clear()
            self._stop(st, d)

    def finish(self) -> None:
        """Write the TLS record, once, when the handshake is over or the capture ends."""
        if self.tls is None or self.tls_done:
            return
        self.tls_done = True
        record = tls_record(self.sink, self.st, self.tls, self.first_time, self.first_packet)
        if record is not None:
            self.sink.tls.append(record)


def tls_record(
    sink: RecordSink, st: FlowState, hs: TlsHandshake, time: float, packet: int
) -> TlsRecord | None:
    """The record of one handshake; None if neither hello was seen."""
    hello = hs.hello
    if hello is None and hs.server_version is None:
        return None
    ja3_text = ja3_hash = ja4_text = client_version = None
    if hello is not None:
        ja3_text, ja3_hash, ja4_text = sink.fingerprints.of(hello)
        client_version = version_name(hello.highest_version)
    server = hs.server_version
    return TlsRecord(
        key=st.key(),
        time=time,
        packet=packet,
        sni=hello.sni if hello is not None else None,
        alpn=tuple(sys.intern(p.decode("ascii", "replace")) for p in hello.alpn) if hello else (),
        client_version=client_version,
        server_version=version_name(server) if server is not None else None,
        ja3=ja3_text,
        ja3_hash=ja3_hash,
        ja4=ja4_text,
        certificates=sink.certs.chain(hs.certificates),
        certificate_encrypted=server == TLS13,
    )
