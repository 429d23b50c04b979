"""Hand-built network captures for rule examples and tests.

``CaptureBuilder`` writes the records an extractor would have produced for a phone on a capture
Wi-Fi: packet numbers in order, times as offsets from the start, the phone at ``PHONE`` and its
resolver at ``RESOLVER``. Nothing here reads a pcap.
"""

from __future__ import annotations

import hashlib

from stalkerscan.model.net import (
    CaptureSummary,
    CertificateRecord,
    DhcpRecord,
    DnsAnswer,
    DnsRecord,
    Flow,
    FlowKey,
    HttpRequest,
    NameSource,
    NetworkCapture,
    QuicRecord,
    TlsRecord,
    Transport,
)

PHONE = "192.168.100.2"
"""The phone's address on the capture network (TinyCheck's DHCP range)."""
RESOLVER = "192.168.100.1"
"""The capture box, also the phone's DNS resolver."""
START = 1_780_000_000.0
"""2026-05-28T20:26:40Z: the start of every hand-built capture."""


def certificate(
    subject: str, issuer: str, *, self_signed: bool = False, position: int = 0
) -> CertificateRecord:
    """A certificate record; its hashes are derived from its names (stable across runs)."""
    seed = f"{subject}|{issuer}|{position}".encode()
    return CertificateRecord(
        sha1=hashlib.sha1(seed, usedforsecurity=False).hexdigest(),
        sha256=hashlib.sha256(seed).hexdigest(),
        subject=subject,
        issuer=issuer,
        not_before="2026-04-01T00:00:00+00:00",
        not_after="2026-06-30T00:00:00+00:00",
        self_signed=self_signed,
        san=(),
        position=position,
    )


class CaptureBuilder:
    """Collects records in order, then ``build()`` returns the ``NetworkCapture``."""

    def __init__(self, phone: str = PHONE, resolver: str = RESOLVER) -> None:
        self.phone = phone
        self.resolver = resolver
        self._packet = 0
        self._port = 40000
        self._last = 0.0
        self.flows: list[Flow] = []
        self.dns_records: list[DnsRecord] = []
        self.tls_records: list[TlsRecord] = []
        self.http_requests: list[HttpRequest] = []
        self.quic_records: list[QuicRecord] = []
        self.dhcp_records: list[DhcpRecord] = []

    def _next(self, at: float) -> tuple[int, float]:
        self._packet += 1
        self._last = max(self._last, at)
        return self._packet, START + at

    def _dns_record(
        self,
        at: float,
        query: str,
        qtype: str,
        answers: tuple[DnsAnswer, ...] | None,
    ) -> DnsRecord:
        packet, time = self._next(at)
        return DnsRecord(
            time=time,
            packet=packet,
            client=self.phone,
            server=self.resolver,
            server_port=53,
            transport=Transport.UDP,
            is_response=answers is not None,
            query=query,
            qtype=qtype,
            rcode=None if answers is None else (0 if answers else 3),
            answers=answers or (),
            mdns=False,
        )

    def dns(self, name: str, *addresses: str, at: float, cname: str | None = None) -> None:
        """A DNS query for ``name`` and its answer (through ``cname`` if given; none: NXDOMAIN)."""
        qtype = "AAAA" if addresses and ":" in addresses[0] else "A"
        self.dns_records.append(self._dns_record(at, name, qtype, None))
        answers: list[DnsAnswer] = []
        owner = name
        if cname:
            answers.append(DnsAnswer(name, "CNAME", cname, 300))
            owner = cname
        answers += [DnsAnswer(owner, "AAAA" if ":" in a else "A", a, 60) for a in addresses]
        self.dns_records.append(self._dns_record(at + 0.02, name, qtype, tuple(answers)))

    def flow(
        self,
        dst: str,
        dport: int,
        *,
        at: float,
        duration: float = 1.0,
        sent: int = 1_500,
        received: int = 6_000,
        transport: Transport = Transport.TCP,
        app: str | None = None,
        name: str | None = None,
        name_source: NameSource | None = None,
        packets: int = 12,
    ) -> Flow:
        """A connection from the phone; ``sent``/``received`` are IP bytes (payload a bit less)."""
        packet, time = self._next(at)
        self._port += 1
        self._last = max(self._last, at + duration)
        self._packet += packets
        key = FlowKey(transport, self.phone, self._port, dst, dport)
        flow = Flow(
            key=key,
            first_seen=time,
            last_seen=time + duration,
            first_packet=packet,
            packets_out=packets // 2,
            bytes_out=sent,
            packets_in=packets - packets // 2,
            bytes_in=received,
            payload_out=max(0, sent - 40 * (packets // 2)),
            payload_in=max(0, received - 40 * (packets - packets // 2)),
            app_protocol=app,
            name=name,
            name_source=name_source if name_source or not name else NameSource.DNS,
        )
        self.flows.append(flow)
        return flow

    def tls(
        self,
        flow: Flow,
        sni: str | None = None,
        *,
        certificates: tuple[CertificateRecord, ...] = (),
        version: str = "TLS 1.2",
        ja3_hash: str | None = None,
        ja4: str | None = None,
    ) -> TlsRecord:
        """The TLS handshake of ``flow`` (its ClientHello is the flow's second packet)."""
        record = TlsRecord(
            key=flow.key,
            time=flow.first_seen + 0.05,
            packet=flow.first_packet + 1,
            sni=sni,
            alpn=("h2", "http/1.1"),
            client_version="TLS 1.3",
            server_version=version,
            ja3="771,4865-4866-4867,0-23-65281-10-11-35-16-5-13-18-51-45-43-27,29-23-24,0",
            ja3_hash=ja3_hash,
            ja4=ja4,
            certificates=() if version == "TLS 1.3" else certificates,
            certificate_encrypted=version == "TLS 1.3",
        )
        self.tls_records.append(record)
        return record

    def http(
        self,
        flow: Flow,
        method: str = "GET",
        host: str | None = None,
        path: str = "/",
        body: int = 0,
    ) -> HttpRequest:
        """An HTTP request head on ``flow``."""
        request = HttpRequest(
            key=flow.key,
            time=flow.first_seen + 0.05,
            packet=flow.first_packet + 1,
            method=method,
            host=host,
            path=path,
            user_agent="Dalvik/2.1.0 (Linux; U; Android 13; SM-A536B Build/TP1A.220624.014)",
            body_bytes=body,
        )
        self.http_requests.append(request)
        return request

    def quic(self, flow: Flow, sni: str | None) -> QuicRecord:
        """The QUIC Initial of ``flow``."""
        record = QuicRecord(flow.key, flow.first_seen, flow.first_packet, "0x00000001", sni)
        self.quic_records.append(record)
        return record

    def dhcp(self, mac: str, hostname: str | None, *, at: float = 0.0) -> None:
        """A DHCP request from the phone."""
        packet, time = self._next(at)
        self.dhcp_records.append(
            DhcpRecord(time, packet, mac, hostname, "android-dhcp-13", self.phone)
        )

    def build(
        self,
        *,
        duration: float | None = None,
        packets: int | None = None,
        stopped_early: str | None = None,
    ) -> NetworkCapture:
        """The capture; ``duration`` and ``packets`` default to what was added."""
        span = duration if duration is not None else self._last + 1.0
        count = packets if packets is not None else max(self._packet, 1)
        summary = CaptureSummary(
            file_format="pcapng",
            link_types=("ethernet",),
            packets=count,
            bytes=sum(f.bytes_out + f.bytes_in for f in self.flows) + 90 * len(self.dns_records),
            first_time=START,
            last_time=START + span,
            undecoded_packets=0,
            stopped_early=stopped_early,
        )
        return NetworkCapture(
            summary=summary,
            flows=tuple(sorted(self.flows, key=lambda f: (f.first_seen, f.first_packet))),
            dns=tuple(sorted(self.dns_records, key=lambda d: d.packet)),
            tls=tuple(self.tls_records),
            http=tuple(self.http_requests),
            quic=tuple(self.quic_records),
            dhcp=tuple(self.dhcp_records),
        )
