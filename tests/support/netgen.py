"""Write realistic phone captures for tests and benchmarks.

    cap = CaptureBuilder(link="ethernet", seed=7)
    t = cap.dns_lookup("api.example.com", ["203.0.113.10"], t=cap.start)
    t = cap.tls_session("203.0.113.10", "api.example.com", t=t, split_certificate=True)
    cap.write_pcap(path)            # or cap.write_pcapng(path)

Everything is deterministic for a given seed (certificates included). Packets are kept as IP
bytes until written, in time order; for very large captures write in slices with
:meth:`CaptureBuilder.open_pcap` + :meth:`CaptureBuilder.flush`.
"""

from __future__ import annotations

import random
import struct
from collections.abc import Sequence
from pathlib import Path

from support import netgen_certs, netgen_msgs
from support.netgen_msgs import (
    SERVER_HELLO_DONE,
    certificate,
    client_hello,
    dhcp_request,
    dns_message,
    http_request,
    records,
    server_hello,
    server_key_exchange,
)
from support.netgen_quic import client_initials
from support.netgen_tcp import TcpConversation, filler
from support.netgen_wire import (
    LINKTYPES,
    PHONE_MAC,
    PROTO_UDP,
    PcapngWriter,
    PcapWriter,
    frame,
    ip_packet,
    ipv4,
    is_v6,
    udp,
)

__all__ = [
    "CaptureBuilder",
    "PcapWriter",
    "PcapngWriter",
    "TcpConversation",
    "filler",
    "netgen_certs",
    "netgen_msgs",
]


class CaptureBuilder:
    """Builds the packets of a phone's traffic; write them with :meth:`write_pcap` / ``_pcapng``."""

    def __init__(
        self,
        link: str = "ethernet",
        seed: int = 7,
        *,
        phone: str = "192.168.1.23",
        phone6: str = "2001:db8:1::23",
        resolver: str = "192.168.1.1",
        start: float = 1_700_000_000.0,
    ) -> None:
        if link not in LINKTYPES:
            raise ValueError(f"unknown link {link!r}; one of {sorted(LINKTYPES)}")
        self.link = link
        self.rng = random.Random(seed)
        self.phone, self.phone6, self.resolver = phone, phone6, resolver
        self.start = start
        self._packets: list[tuple[float, int, bytes, bool]] = []
        self._count = 0
        self._ident = 0
        self._port = 40000 + seed % 1000

    # -- plumbing -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._packets)

    def ident(self) -> int:
        """Next IPv4 identification value."""
        self._ident = (self._ident + 1) & 0xFFFF
        return self._ident

    def next_port(self) -> int:
        """Next client (ephemeral) port."""
        self._port = self._port + 1 if self._port < 65000 else 40000
        return self._port

    def client_for(self, server: str) -> str:
        """The phone's address in the server's address family."""
        return self.phone6 if is_v6(server) else self.phone

    def add_ip(self, t: float, ip: bytes, outbound: bool = True) -> None:
        """Add one IP packet at time ``t`` (``outbound``: sent by the phone)."""
        self._count += 1
        self._packets.append((t, self._count, ip, outbound))

    def udp(self, t: float, src: str, sport: int, dst: str, dport: int, payload: bytes) -> None:
        """One UDP datagram."""
        outbound = src in (self.phone, self.phone6)
        self.add_ip(
            t, ip_packet(src, dst, PROTO_UDP, udp(sport, dport, payload), self.ident()), outbound
        )

    def tcp(
        self,
        server: str,
        port: int,
        t: float,
        *,
        client: str | None = None,
        cport: int | None = None,
    ) -> TcpConversation:
        """A new TCP conversation from the phone (not yet opened: call ``handshake()``)."""
        client = client or self.client_for(server)
        return TcpConversation(self, client, cport or self.next_port(), server, port, t)

    # -- sessions -------------------------------------------------------------------------------

    def dns_lookup(
        self,
        name: str,
        ips: Sequence[str] = (),
        t: float | None = None,
        *,
        cnames: Sequence[str] = (),
        qtype: str | None = None,
        transport: str = "udp",
        rcode: int = 0,
        server: str | None = None,
        ttl: int = 300,
    ) -> float:
        """A query for ``name`` and its response: CNAME chain ``name -> cnames...`` then ``ips``."""
        t = self.start if t is None else t
        server = server or self.resolver
        qtype = qtype or ("AAAA" if ips and is_v6(ips[0]) else "A")
        answers: list[tuple[str, str, str, int]] = []
        owner = name
        for target in cnames:
            answers.append((owner, "CNAME", target, ttl))
            owner = target
        answers += [(owner, "AAAA" if is_v6(ip) else "A", ip, ttl) for ip in ips]
        qid = self.rng.getrandbits(16)
        query = dns_message(qid, name, qtype)
        response = dns_message(qid, name, qtype, tuple(answers), response=True, rcode=rcode)
        if transport == "tcp":
            conv = self.tcp(server, 53, t).handshake()
            conv.send(struct.pack("!H", len(query)) + query)
            conv.send(struct.pack("!H", len(response)) + response, from_client=False)
            return conv.close()
        client, port = self.client_for(server), self.next_port()
        self.udp(t, client, port, server, 53, query)
        self.udp(t + 0.015, server, 53, client, port, response)
        return t + 0.02

    def mdns_announce(self, name: str, ip: str, t: float) -> float:
        """A multicast DNS announcement (response) from the phone."""
        msg = dns_message(0, name, "A", ((name, "A", ip, 120),), response=True)
        self.udp(t, self.phone, 5353, "224.0.0.251", 5353, msg)
        return t + 0.001

    def dhcp_request(
        self,
        t: float,
        *,
        hostname: str | None = "android-phone",
        vendor_class: str | None = "android-dhcp-13",
        requested_ip: str | None = None,
        mac: bytes = PHONE_MAC,
    ) -> float:
        """A DHCPREQUEST broadcast from the phone."""
        msg = dhcp_request(
            mac, self.rng.getrandbits(32), hostname, vendor_class, requested_ip or self.phone
        )
        ip = ipv4("0.0.0.0", "255.255.255.255", PROTO_UDP, udp(68, 67, msg), self.ident())
        self.add_ip(t, ip, True)
        return t + 0.01

    def ntp(self, t: float, server: str = "216.239.35.0") -> float:
        """An NTP client request and the server's reply."""
        port = self.next_port()
        self.udp(t, self.phone, port, server, 123, b"\x23" + b"\x00" * 47)
        self.udp(t + 0.02, server, 123, self.phone, port, b"\x24\x01" + filler(46, port))
        return t + 0.03

    def http_request(
        self,
        server: str,
        host: str,
        path: str = "/",
        t: float | None = None,
        *,
        method: str = "GET",
        port: int = 80,
        user_agent: str | None = "okhttp/4.12.0",
        body: bytes = b"",
        response_bytes: int = 600,
    ) -> float:
        """An HTTP/1.1 request (Host header as given, e.g. with a port) and a response."""
        t = self.start if t is None else t
        conv = self.tcp(server, port, t).handshake()
        conv.send(http_request(method, host, path, user_agent, body))
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {response_bytes}\r\n\r\n".encode()
        conv.send(head + filler(response_bytes, conv.sport), from_client=False)
        return conv.close()

    def tls_session(
        self,
        server: str,
        sni: str | None,
        t: float | None = None,
        *,
        version: str = "1.2",
        profile: str = "chrome",
        alpn: tuple[str, ...] = ("h2", "http/1.1"),
        chain: Sequence[bytes] | None = None,
        port: int = 443,
        split_client_hello: bool = False,
        reorder_client_hello: bool = False,
        split_certificate: bool = False,
        record_size: int = 16384,
        download: int = 2000,
    ) -> float:
        """A TLS connection: handshake (1.2 with a certificate chain in clear, or 1.3), then data.

        ``split_client_hello`` cuts the ClientHello over two TCP segments (``reorder_...`` also
        captures them in reverse order); ``split_certificate`` cuts the server flight inside the
        Certificate message; ``record_size`` < the message size splits handshake messages over
        several TLS records.
        """
        t = self.start if t is None else t
        conv = self.tcp(server, port, t).handshake()
        hello = records(22, client_hello(sni, alpn, profile, self.rng), record_size)
        cut = [len(hello) // 2] if split_client_hello or reorder_client_hello else []
        conv.send(hello, split_at=cut, reverse=reorder_client_hello)
        if version == "1.3":
            flight = records(22, server_hello("1.3", rng=self.rng)) + records(20, b"\x01")
            flight += records(23, filler(2400, conv.cport))
            conv.send(flight, from_client=False)
            conv.send(records(20, b"\x01") + records(23, filler(74, 3)))
        else:
            certs = list(chain) if chain is not None else list(netgen_certs.chain(sni or server))
            sh = server_hello("1.2", rng=self.rng)
            cert_msg = certificate(certs)
            flight = records(
                22, sh + cert_msg + server_key_exchange(self.rng) + SERVER_HELLO_DONE, record_size
            )
            cut = [5 + len(sh) + len(cert_msg) // 2] if split_certificate else []
            conv.send(flight, from_client=False, split_at=cut)
            conv.send(
                records(22, filler(70, 1)) + records(20, b"\x01") + records(22, filler(40, 2))
            )
            conv.send(records(20, b"\x01") + records(22, filler(40, 4)), from_client=False)
        conv.send(records(23, filler(300, 5)))
        if download:
            conv.send(records(23, filler(download, conv.sport)), from_client=False)
        return conv.close()

    def quic_session(
        self,
        server: str,
        sni: str | None,
        t: float | None = None,
        *,
        split: bool = False,
        port: int = 443,
        exchanges: int = 3,
    ) -> float:
        """A QUIC v1 connection: the client's encrypted Initial(s), then opaque packets each way."""
        t = self.start if t is None else t
        client, cport = self.client_for(server), self.next_port()
        dcid, scid = self.rng.randbytes(8), self.rng.randbytes(8)
        hello = client_hello(sni, ("h3",), "chrome", self.rng, quic_params=True)
        for datagram in client_initials(dcid, scid, hello, split):
            self.udp(t, client, cport, server, port, datagram)
            t += 0.001
        for i in range(exchanges):
            t += 0.01
            self.udp(t, server, port, client, cport, b"\x40" + scid + filler(1200, i))
            t += 0.01
            self.udp(t, client, cport, server, port, b"\x40" + dcid + filler(60, i))
        return t + 0.001

    # -- output ---------------------------------------------------------------------------------

    def frames(self, link: str | None = None) -> list[tuple[float, bytes]]:
        """Every packet as (time, frame bytes), in time order."""
        link = link or self.link
        return [(ts, frame(link, ip, out)) for ts, _n, ip, out in sorted(self._packets)]

    def open_pcap(self, path: Path, nano: bool = False, big_endian: bool = False) -> PcapWriter:
        """A pcap writer for this builder's link type (use with :meth:`flush`)."""
        return PcapWriter(path, LINKTYPES[self.link], nano=nano, big_endian=big_endian)

    def flush(self, writer: PcapWriter | PcapngWriter, before: float | None = None) -> int:
        """Write (in time order) and forget the packets earlier than ``before`` (all if None)."""
        self._packets.sort()
        cut = len(self._packets)
        if before is not None:
            cut = next((i for i, p in enumerate(self._packets) if p[0] >= before), cut)
        link = self.link
        for ts, _n, ip, out in self._packets[:cut]:
            writer.write(ts, frame(link, ip, out))
        del self._packets[:cut]
        return cut

    def write_pcap(self, path: Path, nano: bool = False, big_endian: bool = False) -> Path:
        """Write every packet as a classic pcap file."""
        with self.open_pcap(path, nano, big_endian) as writer:
            for ts, data in self.frames():
                writer.write(ts, data)
        return path

    def write_pcapng(self, path: Path, big_endian: bool = False, tsresol: int = 6) -> Path:
        """Write every packet as pcapng (one section, one interface)."""
        with PcapngWriter(path, big_endian) as writer:
            writer.interface(LINKTYPES[self.link], tsresol)
            for ts, data in self.frames():
                writer.write(ts, data)
        return path
