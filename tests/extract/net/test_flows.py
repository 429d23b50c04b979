"""Flows: orientation, counters, app protocol and naming."""

from __future__ import annotations

from pathlib import Path

from stalkerscan.extract.net import extract_capture
from stalkerscan.model.net import NameSource, NetworkCapture, Transport
from support.netgen import CaptureBuilder
from support.netgen_wire import (
    PROTO_TCP,
    PROTO_UDP,
    TCP_ACK,
    TCP_PSH,
    TCP_SYN,
    PcapWriter,
    frame,
    ipv4,
    tcp,
    udp,
)

from .conftest import extract


def test_counts_of_a_tls_flow(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=61)
    cap.tls_session("203.0.113.10", "count.example", cap.start, download=5000)
    got = extract(cap, tmp_path)
    (flow,) = got.flows
    # what netgen sent, counted from the packets themselves
    packets = [ipv for _ts, ipv in cap.frames("raw")]
    out = [p for p in packets if p[12:16] == bytes([192, 168, 1, 23])]
    back = [p for p in packets if p[12:16] != bytes([192, 168, 1, 23])]
    assert (flow.packets_out, flow.packets_in) == (len(out), len(back))
    assert (flow.bytes_out, flow.bytes_in) == (sum(map(len, out)), sum(map(len, back)))
    assert flow.payload_out == sum(len(p) - 40 for p in out)
    assert flow.payload_in == sum(len(p) - 40 for p in back)
    assert flow.first_packet == 1 and flow.app_protocol == "tls"
    assert flow.first_seen == cap.start and flow.last_seen > flow.first_seen
    assert (flow.key.src, flow.key.dst, flow.key.dport) == ("192.168.1.23", "203.0.113.10", 443)


APP_DATA = b"\x17\x03\x03\x00\x02hi"
"""A TLS application-data record."""


def _write(path: Path, frames: list[bytes]) -> NetworkCapture:
    with PcapWriter(path, 1) as w:
        for i, data in enumerate(frames):
            w.write(1.0 + i, frame("ethernet", data))
    return extract_capture(path)


def test_orientation_without_a_syn(tmp_path: Path) -> None:
    phone, server = "192.168.1.23", "198.51.100.1"
    got = _write(
        tmp_path / "mid.pcap",
        [
            # the capture starts mid-conversation with a server->phone segment on port 443
            ipv4(server, phone, PROTO_TCP, tcp(443, 50000, 1, 1, TCP_PSH | TCP_ACK, APP_DATA)),
            # a DNS response seen before its query
            ipv4("192.168.1.1", phone, PROTO_UDP, udp(53, 50001, b"\x00" * 12)),
            # a SYN-ACK seen without its SYN
            ipv4(server, phone, PROTO_TCP, tcp(8443, 50002, 1, 1, TCP_SYN | TCP_ACK)),
            # two unknown ports, no SYN: the first sender is the client
            ipv4(server, phone, PROTO_UDP, udp(30000, 31000, b"x")),
        ],
    )
    keys = [(f.key.transport, f.key.src, f.key.sport, f.key.dst, f.key.dport) for f in got.flows]
    assert keys == [
        (Transport.TCP, phone, 50000, server, 443),
        (Transport.UDP, phone, 50001, "192.168.1.1", 53),
        (Transport.TCP, phone, 50002, server, 8443),
        (Transport.UDP, server, 30000, phone, 31000),
    ]
    assert got.flows[0].packets_in == 1 and got.flows[0].packets_out == 0
    assert got.flows[0].app_protocol == "tls"


def test_syn_sender_is_the_client_even_from_a_server_port(tmp_path: Path) -> None:
    got = _write(
        tmp_path / "syn.pcap",
        [ipv4("10.0.0.5", "10.0.0.6", PROTO_TCP, tcp(443, 60000, 7, 0, TCP_SYN))],
    )
    assert (got.flows[0].key.src, got.flows[0].key.sport) == ("10.0.0.5", 443)


def test_dot_flows(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=62)
    cap.tls_session("8.8.4.4", "dns.google", cap.start, port=853)
    got = extract(cap, tmp_path)
    assert got.flows[0].app_protocol == "dot"
    assert got.tls[0].sni == "dns.google"


def test_naming_prefers_dns_then_sni(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=63)
    t = cap.dns_lookup("named.example", ["203.0.113.40"], cap.start)
    t = cap.tls_session("203.0.113.40", "other-sni.example", t)
    t = cap.tls_session("203.0.113.41", "only-sni.example", t)
    cap.tls_session("203.0.113.42", None, t)
    flows = [f for f in extract(cap, tmp_path).flows if f.key.transport is Transport.TCP]
    assert [(f.name, f.name_source) for f in flows] == [
        ("named.example", NameSource.DNS),
        ("only-sni.example", NameSource.SNI),
        (None, None),
    ]


def test_latest_answer_wins(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=64)
    t = cap.dns_lookup("old.example", ["203.0.113.50"], cap.start)
    t = cap.dns_lookup("new.example", ["203.0.113.50"], t)
    cap.tls_session("203.0.113.50", None, t)
    flow = next(f for f in extract(cap, tmp_path).flows if f.key.dport == 443)
    assert flow.name == "new.example"


def test_session_capture_has_every_kind(session_capture: NetworkCapture) -> None:
    apps = {f.app_protocol for f in session_capture.flows}
    assert {"dhcp", "dns", "tls", "http", "quic", "ntp", "mdns"} <= apps
    assert session_capture.summary.undecoded_packets == 0


def test_extraction_leaves_no_reference_cycles(tmp_path: Path) -> None:
    # the garbage collector is paused while a capture is read: nothing may rely on it
    import gc  # noqa: PLC0415

    path = CaptureBuilder(seed=65).write_pcap(tmp_path / "empty.pcap")
    cap = CaptureBuilder(seed=66)
    t = cap.http_request("198.51.100.7", "keep.example", "/", cap.start)  # left open at the end
    t = cap.tls_session("203.0.113.1", "a.example", t)
    t = cap.quic_session("203.0.113.2", "q.example", t)
    cap.dns_lookup("d.example", ["203.0.113.3"], t, transport="tcp")
    path = cap.write_pcap(tmp_path / "c.pcap")
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        result = extract_capture(path)
        del result
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()
    assert gc.isenabled() == was_enabled


def test_payload_is_no_longer_read_once_the_handshake_is_done(tmp_path: Path) -> None:
    from stalkerscan.extract.net.engine import PacketLoop  # noqa: PLC0415
    from stalkerscan.extract.net.reader import CaptureReader  # noqa: PLC0415
    from stalkerscan.extract.net.sink import RecordSink  # noqa: PLC0415

    cap = CaptureBuilder(seed=67)
    t = cap.tls_session("203.0.113.1", "big.example", cap.start, download=300_000)
    cap.tls_session("203.0.113.2", "tls13.example", t, version="1.3", download=300_000)
    path = cap.write_pcap(tmp_path / "bulk.pcap")
    loop = PacketLoop(RecordSink())
    with path.open("rb") as stream:
        loop.run(CaptureReader(stream, path.stat().st_size, "bulk", None).records())
    states = loop.flows()
    assert len(states) == 2 and len(loop.sink.tls) == 2
    for st in states:  # handshake read: no reader, no session, no buffer left on either side
        assert (st.on_out, st.on_in, st.session) == (None, None, None)
        assert st.pl_in > 300_000
