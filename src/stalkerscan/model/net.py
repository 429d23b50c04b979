"""Records extracted from a network capture. Times are POSIX seconds (float, UTC)."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Transport(enum.Enum):
    TCP = "tcp"
    UDP = "udp"


class NameSource(enum.Enum):
    """How the name of a destination was learnt."""

    DNS = "dns"
    """A DNS answer in the capture gave this IP for the name."""
    SNI = "sni"
    """The TLS or QUIC ClientHello named the server."""
    HTTP = "http"
    """The HTTP Host header named the server."""


@dataclass(frozen=True, slots=True)
class FlowKey:
    """The 5-tuple of a flow, oriented from the side that opened it."""

    transport: Transport
    src: str
    """Client IP (the side that sent the first packet or the SYN), compressed text form."""
    sport: int
    dst: str
    """Server IP."""
    dport: int


@dataclass(frozen=True, slots=True)
class Flow:
    """A bidirectional conversation, counted from the client's side."""

    key: FlowKey
    first_seen: float
    last_seen: float
    first_packet: int
    """1-based packet number in the capture where the flow was first seen."""
    packets_out: int
    """Packets from client to server."""
    bytes_out: int
    """IP bytes from client to server."""
    packets_in: int
    bytes_in: int
    payload_out: int
    """Transport payload bytes from client to server."""
    payload_in: int
    app_protocol: str | None
    """What the payload looked like: ``tls``, ``http``, ``dns``, ``quic``, ``dot``... or None."""
    name: str | None
    """The name the destination was reached by, or None if no DNS answer, SNI or Host named it."""
    name_source: NameSource | None


@dataclass(frozen=True, slots=True)
class DnsAnswer:
    name: str
    """Owner name of the record (lower-case, no trailing dot)."""
    rtype: str
    """``A``, ``AAAA``, ``CNAME``... (numeric text for unknown types)."""
    value: str
    """Address text, target name, or raw text."""
    ttl: int


@dataclass(frozen=True, slots=True)
class DnsRecord:
    """One DNS message (query or response) seen in the capture."""

    time: float
    packet: int
    client: str
    """The IP that asked (source of a query, destination of a response)."""
    server: str
    """The resolver's IP."""
    server_port: int
    transport: Transport
    is_response: bool
    query: str
    """First question name (lower-case, no trailing dot)."""
    qtype: str
    rcode: int | None
    """Response code for responses (0 NOERROR, 3 NXDOMAIN), None for queries."""
    answers: tuple[DnsAnswer, ...]
    mdns: bool
    """Multicast DNS (port 5353): kept, but never used to name a destination."""


@dataclass(frozen=True, slots=True)
class CertificateRecord:
    """One X.509 certificate seen in clear in a TLS (<= 1.2) handshake."""

    sha1: str
    """Lower-case hex SHA-1 of the DER certificate."""
    sha256: str
    subject: str
    """RFC 4514 text of the subject."""
    issuer: str
    not_before: str
    """ISO 8601 UTC."""
    not_after: str
    self_signed: bool
    """Subject equals issuer (and, where it could be checked, its own key verifies it)."""
    san: tuple[str, ...]
    """DNS names from subjectAltName."""
    position: int
    """0 for the server's own certificate, 1.. for the chain above it."""


@dataclass(frozen=True, slots=True)
class TlsRecord:
    """What one TLS connection showed in clear."""

    key: FlowKey
    time: float
    packet: int
    """Packet number of the ClientHello (or of the first TLS record seen)."""
    sni: str | None
    alpn: tuple[str, ...]
    client_version: str | None
    """Highest version the client offered, e.g. ``TLS 1.3``."""
    server_version: str | None
    """Version the server chose, e.g. ``TLS 1.2``; None if no ServerHello was seen."""
    ja3: str | None
    """The JA3 string; its MD5 is ``ja3_hash``."""
    ja3_hash: str | None
    ja4: str | None
    certificates: tuple[CertificateRecord, ...]
    certificate_encrypted: bool
    """True for TLS 1.3, where the certificate cannot be seen in a capture."""


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """An HTTP/1.x request head seen in clear."""

    key: FlowKey
    time: float
    packet: int
    method: str
    host: str | None
    """Host header, lower-case, port removed."""
    path: str
    user_agent: str | None
    body_bytes: int
    """Content-Length of the request body, 0 if none."""


@dataclass(frozen=True, slots=True)
class QuicRecord:
    """A QUIC connection seen from its Initial packet."""

    key: FlowKey
    time: float
    packet: int
    version: str
    """Version number as hex text, e.g. ``0x00000001``."""
    sni: str | None
    """From the decrypted Initial ClientHello, when it could be read."""


@dataclass(frozen=True, slots=True)
class DhcpRecord:
    """A DHCP message from a client: who the phone is."""

    time: float
    packet: int
    mac: str
    """Client MAC, lower-case colon form."""
    hostname: str | None
    """Option 12."""
    vendor_class: str | None
    """Option 60 (e.g. ``android-dhcp-13``)."""
    requested_ip: str | None


@dataclass(frozen=True, slots=True)
class CaptureSummary:
    """What the capture file was and how far it could be read."""

    file_format: str
    """``pcap`` or ``pcapng``."""
    link_types: tuple[str, ...]
    packets: int
    """Packets read."""
    bytes: int
    """Captured bytes of the packets read."""
    first_time: float | None
    last_time: float | None
    undecoded_packets: int
    """Packets whose link or network layer could not be decoded (other link types, ARP...)."""
    stopped_early: str | None
    """If the file is truncated or damaged: where reading stopped and why; else None."""


@dataclass(frozen=True, slots=True)
class NetworkCapture:
    """Everything extracted from one capture."""

    summary: CaptureSummary
    flows: tuple[Flow, ...]
    dns: tuple[DnsRecord, ...]
    tls: tuple[TlsRecord, ...]
    http: tuple[HttpRequest, ...]
    quic: tuple[QuicRecord, ...]
    dhcp: tuple[DhcpRecord, ...]
