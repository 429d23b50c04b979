"""Generate a realistic phone capture for the network benchmarks.

Usage: ``python bench/gen_capture.py COUNT OUT [--seed N] [--format pcap|pcapng] [--link NAME]``

The mix is what a phone sends and receives during ordinary use: DNS (A and AAAA, CNAME chains,
NXDOMAIN probes, a few lookups over TCP), TLS 1.2 with real certificate chains (some self-signed,
about 3% of Certificate messages split over two segments) and TLS 1.3, five client profiles,
HTTP/1.1 (some ``ip:8080`` hosts), QUIC v1 with encrypted Initials (some split over two
datagrams), NTP, DHCP, IPv6 for the sites that have it, chatty long connections, and bulk
downloads and uploads that carry most of the bytes. At one million packets this is about
600 MB, 20,000 flows and 95 minutes of traffic.

Packets are written through :mod:`support.netgen` (tests/support). Bulk transfers reuse one
prebuilt header per direction and only pack the sequence and acknowledgement numbers, so a
million packets take well under a minute.
"""

from __future__ import annotations

import argparse
import math
import random
import struct
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from gen_sites import SITES, Site, site_ip  # noqa: E402

from support.netgen import CaptureBuilder, TcpConversation, netgen_certs  # noqa: E402
from support.netgen_msgs import client_hello, records, server_hello  # noqa: E402
from support.netgen_wire import (  # noqa: E402
    LINKTYPES,
    PROTO_TCP,
    TCP_ACK,
    TCP_PSH,
    PcapngWriter,
    PcapWriter,
    ip_packet,
    tcp,
)

MSS = 1448
"""Payload bytes of a full TCP segment (Ethernet MTU 1500, timestamps option)."""
PACKETS_PER_SECOND = 175.0
"""Average packet rate of the generated phone: 1M packets span about 95 minutes."""
_SEQACK = struct.Struct("!II")
_FILL = random.Random(1234).randbytes(1 << 18)


def filler(size: int, at: int = 0) -> bytes:
    """``size`` encrypted-looking bytes (slices of one random buffer, at offset ``at``)."""
    at %= len(_FILL) // 2
    out = _FILL[at : at + size]
    while len(out) < size:
        out += _FILL[: size - len(out)]
    return out


_TLS_STREAM = records(23, filler(16384 * 8, 777)) * 2
"""Eight whole TLS application-data records, twice, so any segment slice exists unwrapped."""
_PLAIN_STREAM = filler(1 << 17, 4242) * 2
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_STREAM_PERIOD = {id(_TLS_STREAM): len(_TLS_STREAM) // 2, id(_PLAIN_STREAM): 1 << 17}


class Stream:
    """One direction of a TCP conversation as prebuilt headers: only seq and ack are packed."""

    def __init__(self, conv: TcpConversation, from_client: bool, size: int) -> None:
        src, dst = (conv.client, conv.server) if from_client else (conv.server, conv.client)
        sport, dport = (conv.cport, conv.sport) if from_client else (conv.sport, conv.cport)
        flags = TCP_PSH | TCP_ACK if size else TCP_ACK
        segment = tcp(sport, dport, 0, 0, flags, bytes(size))
        ip = ip_packet(src, dst, PROTO_TCP, segment, conv.cap.ident())
        at = len(ip) - size - 20
        self.head: bytes = ip[: at + 4]
        self.tail: bytes = ip[at + 12 : at + 20]

    def packet(self, seq: int, ack: int, payload: bytes = b"") -> bytes:
        """The IP packet with these numbers (``payload`` of the template's size)."""
        return self.head + _SEQACK.pack(seq & 0xFFFFFFFF, ack & 0xFFFFFFFF) + self.tail + payload


def bulk(conv: TcpConversation, size: int, from_client: bool, rate: float, stream: bytes) -> None:
    """Send ``size`` bytes of ``stream`` at ``rate`` bytes/s, the receiver ACKing every 2nd."""
    cap = conv.cap
    data, acks = Stream(conv, from_client, MSS), Stream(conv, not from_client, 0)
    period = _STREAM_PERIOD[id(stream)]
    seq, ack = (conv.cseq, conv.sseq) if from_client else (conv.sseq, conv.cseq)
    step, t, sent, add = MSS / rate, conv.t, 0, cap.add_ip
    while sent + MSS <= size:
        off = sent % period
        add(t, data.packet(seq + sent, ack, stream[off : off + MSS]), from_client)
        sent += MSS
        if not sent % (2 * MSS):
            add(t + 0.00004, acks.packet(ack, seq + sent), not from_client)
        t += step
    if from_client:
        conv.cseq += sent
    else:
        conv.sseq += sent
    conv.t = t
    off = sent % period
    conv.send(stream[off : off + size - sent], from_client)


@dataclass(slots=True)
class Stats:
    """What was generated."""

    packets: int = 0
    bytes: int = 0
    flows: int = 0
    sessions: int = 0
    minutes: float = 0.0
    """Capture time covered (about)."""
    seconds: float = 0.0
    """Time taken to write it."""


class PhoneTraffic:
    """Session generators over one :class:`CaptureBuilder`; each returns the flows it opened."""

    def __init__(self, cap: CaptureBuilder) -> None:
        self.cap, self.rng = cap, cap.rng
        self.v6_share = 0.35
        """Share of connections to dual-stack sites made over IPv6."""

    def pick(self, want: Callable[[Site], bool] = lambda s: True) -> tuple[Site, str]:
        """A site and one of its host names."""
        site = self.rng.choice([s for s in SITES if want(s)])
        label = self.rng.choice(site.hosts)
        if site.spread > 1 and (edge := self.rng.randrange(site.spread)):
            first, dot, rest = label.partition(".")
            label = f"{first}-{edge}{dot}{rest}"
        return site, f"{label}.{site.domain}" if label else site.domain

    def resolve(
        self, site: Site, name: str, t: float, cached: float = 0.45
    ) -> tuple[str, float, int]:
        """Maybe look ``name`` up (A and AAAA); returns the address to use, time and flows.

        ``cached`` is the chance that the phone still has the answer and sends no query.
        """
        v6 = site.net6 is not None and self.rng.random() < self.v6_share
        addr = site_ip(site, name, v6, self.rng.randrange(3))
        if self.rng.random() < cached:
            return addr, t, 0
        chain = [c.format(name=name) for c in site.cname.split("|")] if site.cname else []
        tcp_dns = self.rng.random() < 0.01
        v4 = [site_ip(site, name, False, i) for i in range(2)]
        t = self.cap.dns_lookup(name, v4, t, cnames=chain, transport="tcp" if tcp_dns else "udp")
        v6s = [site_ip(site, name, True, i) for i in range(2)] if site.net6 else []
        t = self.cap.dns_lookup(name, v6s, t, cnames=chain, qtype="AAAA")
        return addr, t, 2

    def tls_api(self, t: float) -> int:
        """An app's API call: TLS 1.2 or 1.3, small request and response."""
        site, name = self.pick(lambda s: not s.quic or self.rng.random() < 0.4)
        addr, t, flows = self.resolve(site, name, t)
        chain = (netgen_certs.self_signed(name),) if site.self_signed else None
        if not chain and site.tls == "1.2":
            chain = netgen_certs.chain(site.domain, (site.domain, "*." + site.domain))
        profile = site.profile if self.rng.random() < 0.85 else "firefox"
        if site.tls == "1.3" and self.rng.random() < 0.1:
            profile = "legacy12"  # an old SDK inside an app: TLS 1.2 even where 1.3 exists
        version = "1.2" if profile == "legacy12" else site.tls
        self.cap.tls_session(
            addr, name, t, version=version, profile=profile, chain=chain,
            port=8443 if site.self_signed and self.rng.random() < 0.5 else 443,
            split_client_hello=self.rng.random() < 0.03,
            split_certificate=self.rng.random() < 0.03,
            download=int(math.exp(self.rng.uniform(math.log(300), math.log(60_000)))),
        )  # fmt: skip
        return flows + 1

    def tls_open(self, addr: str, name: str, profile: str, t: float) -> TcpConversation:
        """A TLS 1.3 connection up to the first application data."""
        conv = self.cap.tcp(addr, 443, t).handshake()
        conv.send(records(22, client_hello(name, ("h2", "http/1.1"), profile, self.rng)))
        flight = records(22, server_hello("1.3", rng=self.rng)) + records(20, b"\x01")
        conv.send(flight + records(23, filler(2800, conv.cport)), from_client=False)
        conv.send(records(20, b"\x01") + records(23, filler(80, 3)))
        return conv

    def transfer(self, t: float, upload: bool = False) -> int:
        """A bulk download (media, app update) or upload (photo backup) over TLS 1.3."""
        site, name = self.pick(lambda s: s.tls == "1.3" or self.rng.random() < 0.3)
        addr, t, flows = self.resolve(site, name, t)
        conv = self.tls_open(addr, name, site.profile, t)
        conv.send(records(23, filler(self.rng.randrange(200, 900), 9)))
        low, high = (1e5, 8e6) if upload else (2e5, 1.5e7)
        size = int(math.exp(self.rng.uniform(math.log(low), math.log(high))))
        bulk(conv, size, upload, self.rng.uniform(1.5e6, 1.2e7), _TLS_STREAM)
        conv.close()
        return flows + 1

    def chatty(self, t: float) -> int:
        """A long connection with many small messages (messaging, push, MQTT)."""
        site, name = self.pick(lambda s: s.tls == "1.3" and not s.self_signed)
        addr, t, flows = self.resolve(site, name, t)
        conv = self.tls_open(addr, name, site.profile, t)
        for _ in range(self.rng.randrange(8, 60)):
            conv.t += self.rng.expovariate(1 / 1.5)
            out = self.rng.random() < 0.5
            conv.send(records(23, filler(self.rng.randrange(40, 700), 11)), out)
        conv.close()
        return flows + 1

    def quic(self, t: float, stream: bool = False) -> int:
        """A QUIC v1 connection; ``stream`` makes it a video stream of many datagrams."""
        site, name = self.pick(lambda s: s.quic)
        addr, t, flows = self.resolve(site, name, t)
        exchanges = self.rng.randrange(200, 1500) if stream else self.rng.randrange(2, 30)
        self.cap.quic_session(addr, name, t, split=self.rng.random() < 0.3, exchanges=exchanges)
        return flows + 1

    def http(self, t: float) -> int:
        """A plain HTTP/1.1 request: connectivity check, an ``ip:8080`` API, or a download."""
        roll = self.rng.random()
        if roll < 0.5:
            server = site_ip(SITES[1], "connectivitycheck", False)
            self.cap.http_request(server, "connectivitycheck.gstatic.com", "/generate_204", t,
                                  user_agent="Dalvik/2.1.0", response_bytes=0)  # fmt: skip
            return 1
        site, name = self.pick(lambda s: s.tls == "1.2")
        addr, t, flows = self.resolve(site, name, t)
        host = f"{addr}:8080" if roll < 0.75 else name
        port = 8080 if roll < 0.75 else 80
        if roll < 0.97:
            path = f"/v1/items/{self.rng.randrange(10**6)}"
            size = self.rng.randrange(100, 20_000)
            self.cap.http_request(addr, host, path, t, port=port, response_bytes=size)
            return flows + 1
        conv = self.cap.tcp(addr, port, t).handshake()
        conv.send(f"GET /apk/update-{self.rng.randrange(99)}.apk HTTP/1.1\r\nHost: {host}\r\n"
                  "User-Agent: okhttp/4.12.0\r\n\r\n".encode())  # fmt: skip
        size = self.rng.randrange(500_000, 6_000_000)
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n".encode()
        conv.send(head, from_client=False, ack=False)
        bulk(conv, size, False, self.rng.uniform(2e6, 8e6), _PLAIN_STREAM)
        conv.close()
        return flows + 1

    def dns_noise(self, t: float) -> int:
        """Lookups without a connection: NXDOMAIN probes, prefetches, NTP, mDNS, DHCP."""
        roll = self.rng.random()
        if roll < 0.4:  # Chrome's random single-label probes, and leaked local names
            names = ["wpad.home", "_ldap._tcp.home"]
            if roll < 0.25:
                sizes = [self.rng.randrange(7, 16) for _ in range(3)]
                names = ["".join(self.rng.choices(_LETTERS, k=k)) for k in sizes]
            for name in names:
                t = self.cap.dns_lookup(name, [], t, rcode=3)
            return len(names)
        if roll < 0.85:
            site, name = self.pick()
            return self.resolve(site, name, t, cached=0.0)[2]
        if roll < 0.97:
            self.cap.ntp(t, "216.239.35." + str(self.rng.choice((0, 4, 8, 12))))
            return 1
        if roll < 0.99:
            self.cap.mdns_announce("Pixel-7.local", self.cap.phone, t)
            return 1
        self.cap.dhcp_request(t)
        return 1


MIX: tuple[tuple[str, float], ...] = (
    ("tls_api", 0.33),
    ("dns_noise", 0.25),
    ("quic", 0.12),
    ("chatty", 0.22),
    ("http", 0.05),
    ("transfer", 0.004),
    ("upload", 0.003),
    ("quic_stream", 0.017),
)
"""Session kinds and their shares of sessions."""


def _session(traffic: PhoneTraffic, kind: str, t: float) -> int:
    if kind == "upload":
        return traffic.transfer(t, upload=True)
    if kind == "quic_stream":
        return traffic.quic(t, stream=True)
    method: Callable[[float], int] = getattr(traffic, kind)
    return method(t)


def generate_capture(
    count: int, path: Path, seed: int = 1, fmt: str = "pcap", link: str = "ethernet"
) -> Stats:
    """Write a capture of about ``count`` packets (a little more: the last sessions finish)."""
    started = time.perf_counter()
    cap = CaptureBuilder(link=link, seed=seed)
    traffic = PhoneTraffic(cap)
    kinds, weights = zip(*MIX, strict=True)
    stats = Stats()
    writer: PcapWriter | PcapngWriter
    if fmt == "pcapng":
        writer = PcapngWriter(path)
        writer.interface(LINKTYPES[link])
    else:
        writer = cap.open_pcap(path)
    t, written = cap.start, 0
    with writer:
        t = cap.dhcp_request(t)
        while written + len(cap) < count:
            before = len(cap)
            stats.flows += _session(traffic, cap.rng.choices(kinds, weights)[0], t)
            stats.sessions += 1
            mean_gap = (written + len(cap)) / stats.sessions / PACKETS_PER_SECOND
            t += cap.rng.expovariate(1 / mean_gap) + 0.0001 * (len(cap) == before)
            if len(cap) > 50_000:
                written += cap.flush(writer, before=t)  # later sessions all start at or after t
        written += cap.flush(writer)
    stats.minutes = (t - cap.start) / 60
    stats.packets, stats.bytes = written, path.stat().st_size
    stats.seconds = time.perf_counter() - started
    return stats


def main(argv: list[str] | None = None) -> int:
    """Command line: generate one capture and print what it holds."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of packets (about)")
    parser.add_argument("out", type=Path, help="output file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=("pcap", "pcapng"), default="pcap")
    parser.add_argument("--link", choices=sorted(LINKTYPES), default="ethernet")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    stats = generate_capture(args.count, args.out, args.seed, args.format, args.link)
    print(
        f"{args.out}: {stats.packets:,} packets, {stats.bytes / 1e6:.1f} MB, "
        f"~{stats.flows:,} flows, {stats.sessions:,} sessions, "
        f"{stats.minutes:.0f} min of traffic; written in {stats.seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
