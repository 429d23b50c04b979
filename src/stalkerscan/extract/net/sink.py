"""Where the records found while reading a capture are collected, with what naming needs."""

from __future__ import annotations

from stalkerscan.extract.net.certs import CertificateCache
from stalkerscan.extract.net.dns import ip_text, parse_dns
from stalkerscan.extract.net.flows import FlowState
from stalkerscan.extract.net.tls import FingerprintCache
from stalkerscan.model.net import (
    DhcpRecord,
    DnsRecord,
    HttpRequest,
    QuicRecord,
    TlsRecord,
)

MDNS_PORT = 5353


class RecordSink:
    """Records in the order they were found, the DNS names learnt so far, parsed certificates."""

    def __init__(self) -> None:
        self.dns: list[DnsRecord] = []
        self.tls: list[TlsRecord] = []
        self.http: list[HttpRequest] = []
        self.quic: list[QuicRecord] = []
        self.dhcp: list[DhcpRecord] = []
        self.names: dict[bytes, str] = {}
        """Address bytes -> the name whose DNS answer gave it most recently (mDNS never counts)."""
        self.certs = CertificateCache()
        self.fingerprints = FingerprintCache()

    def dns_message(self, st: FlowState, d: int, msg: bytes, time: float, packet: int) -> None:
        """Record one DNS message sent in direction ``d`` of flow ``st``."""
        parsed = parse_dns(msg)
        if parsed is None:
            return
        if d:
            src, sport, dst, dport = st.server, st.sport, st.client, st.cport
        else:
            src, sport, dst, dport = st.client, st.cport, st.server, st.sport
        mdns = MDNS_PORT in (sport, dport)
        if parsed.is_response:
            client, server, server_port = dst, src, sport
            if not mdns and parsed.rcode == 0:
                for raw, name in parsed.addresses:
                    self.names[raw] = name
        else:
            client, server, server_port = src, dst, dport
        self.dns.append(
            DnsRecord(
                time=time,
                packet=packet,
                client=ip_text(client),
                server=ip_text(server),
                server_port=server_port,
                transport=st.transport,
                is_response=parsed.is_response,
                query=parsed.query,
                qtype=parsed.qtype,
                rcode=parsed.rcode,
                answers=parsed.answers,
                mdns=mdns,
            )
        )

    def on_udp_dns(
        self, st: FlowState, d: int, payload: bytes, _seq: int, t: float, n: int
    ) -> None:
        """Handler for a UDP DNS/mDNS flow: every datagram is one message."""
        self.dns_message(st, d, payload, t, n)
