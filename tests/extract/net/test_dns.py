"""DNS: queries and answers over UDP and TCP, compression, CNAME chains, mDNS, bad messages."""

from __future__ import annotations

import struct
from pathlib import Path

from stalkerscan.extract.net.dns import parse_dns
from stalkerscan.model.net import NameSource, Transport
from support.netgen import CaptureBuilder
from support.netgen_msgs import dns_message
from support.netgen_wire import PROTO_TCP, TCP_ACK, TCP_PSH, TCP_SYN, PcapWriter, frame, ipv4, tcp

from .conftest import extract


def test_query_and_response_with_cname_chain(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=21)
    cap.dns_lookup(
        "www.shop.example",
        ["203.0.113.5", "203.0.113.6"],
        cap.start,
        cnames=["shop.cdn.example", "edge7.cdn.example"],
    )
    query, response = extract(cap, tmp_path).dns
    assert (query.is_response, query.rcode, query.answers) == (False, None, ())
    assert (query.client, query.server, query.server_port) == ("192.168.1.23", "192.168.1.1", 53)
    assert response.is_response and response.rcode == 0
    assert (response.client, response.server) == ("192.168.1.23", "192.168.1.1")
    assert [(a.name, a.rtype, a.value) for a in response.answers] == [
        ("www.shop.example", "CNAME", "shop.cdn.example"),
        ("shop.cdn.example", "CNAME", "edge7.cdn.example"),
        ("edge7.cdn.example", "A", "203.0.113.5"),
        ("edge7.cdn.example", "A", "203.0.113.6"),
    ]
    assert response.answers[0].ttl == 300


def test_cname_chain_names_the_flow_by_the_queried_name(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=22)
    t = cap.dns_lookup("tracker.example", ["198.51.100.20"], cap.start, cnames=["a.b.example"])
    cap.tls_session("198.51.100.20", "sni-differs.example", t)
    flow = next(f for f in extract(cap, tmp_path).flows if f.key.dport == 443)
    assert (flow.name, flow.name_source) == ("tracker.example", NameSource.DNS)


def test_aaaa_and_nxdomain(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=23)
    t = cap.dns_lookup("six.example", ["2001:db8::6"], cap.start)
    cap.dns_lookup("gone.example", [], t, rcode=3)
    records = extract(cap, tmp_path).dns
    assert records[1].answers[0].rtype == "AAAA" and records[1].answers[0].value == "2001:db8::6"
    assert records[1].qtype == "AAAA"
    assert records[3].rcode == 3 and records[3].answers == ()


def test_dns_over_tcp(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=24)
    cap.dns_lookup("tcp.example", ["203.0.113.9"], cap.start, transport="tcp")
    got = extract(cap, tmp_path)
    assert [(d.transport, d.is_response, d.query) for d in got.dns] == [
        (Transport.TCP, False, "tcp.example"),
        (Transport.TCP, True, "tcp.example"),
    ]
    assert got.dns[1].answers[0].value == "203.0.113.9"
    assert got.flows[0].app_protocol == "dns"


def test_dns_over_tcp_two_messages_split_across_segments(tmp_path: Path) -> None:
    one, two = dns_message(1, "first.example"), dns_message(2, "second.example")
    stream = struct.pack("!H", len(one)) + one + struct.pack("!H", len(two)) + two
    cut = len(one) + 5  # the second message starts in the first segment, ends in the second
    path = tmp_path / "tcpdns.pcap"
    src, dst = "10.0.0.2", "10.0.0.53"
    with PcapWriter(path, 1) as w:
        seg = [
            tcp(5000, 53, 99, 0, TCP_SYN),
            tcp(5000, 53, 100, 1, TCP_PSH | TCP_ACK, stream[:cut]),
        ]
        seg.append(tcp(5000, 53, 100 + cut, 1, TCP_PSH | TCP_ACK, stream[cut:]))
        for i, segment in enumerate(seg):
            w.write(1.0 + i, frame("ethernet", ipv4(src, dst, PROTO_TCP, segment)))
        # and the first data segment again: a retransmission, read once
        w.write(9.0, frame("ethernet", ipv4(src, dst, PROTO_TCP, seg[1])))
    from stalkerscan.extract.net import extract_capture  # noqa: PLC0415

    got = extract_capture(path)
    assert [(d.query, d.packet) for d in got.dns] == [("first.example", 2), ("second.example", 3)]


def test_mdns_is_flagged_and_never_names_flows(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=25)
    t = cap.mdns_announce("printer.local", "203.0.113.77", cap.start)
    cap.tls_session("203.0.113.77", None, t)
    got = extract(cap, tmp_path)
    assert got.dns[0].mdns and got.dns[0].query == "printer.local"
    assert got.dns[0].client == "224.0.0.251"  # a response: the "client" is where it went
    flow = next(f for f in got.flows if f.key.dport == 443)
    assert flow.name is None and flow.name_source is None


def test_answer_after_the_flow_started_does_not_name_it(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=26)
    t = cap.tls_session("203.0.113.30", "by-sni.example", cap.start)
    cap.dns_lookup("late.example", ["203.0.113.30"], cap.start + 0.001)
    flow = next(f for f in extract(cap, tmp_path).flows if f.key.dport == 443)
    assert (flow.name, flow.name_source) == ("by-sni.example", NameSource.SNI)
    assert t > cap.start


def test_compression_loops_and_bad_messages_are_skipped() -> None:
    header = struct.pack("!HHHHHH", 1, 0x8180, 1, 1, 0, 0)
    looping = header + b"\xc0\x0c" + b"\x00\x01\x00\x01"  # a name pointing at itself
    assert parse_dns(looping) is None
    forward = header + b"\xc0\x20" + b"\x00\x01\x00\x01"  # pointing forward, past the end
    assert parse_dns(forward) is None
    assert parse_dns(b"\x00\x01") is None
    good = dns_message(5, "ok.example", "A", (("ok.example", "A", "192.0.2.1", 60),), response=True)
    cut = parse_dns(good[:-3])  # last answer cut short: question kept, answer dropped
    assert cut is not None and cut.query == "ok.example" and cut.answers == ()
    whole = parse_dns(good)
    assert whole is not None and whole.addresses == ((bytes([192, 0, 2, 1]), "ok.example"),)


def test_other_record_types_keep_a_readable_value() -> None:
    msg = dns_message(
        6, "txt.example", "TXT", (("txt.example", "TXT", "v=spf1 -all", 60),), response=True
    )
    parsed = parse_dns(msg)
    assert parsed is not None
    assert (parsed.qtype, parsed.answers[0].rtype, parsed.answers[0].value) == (
        "TXT",
        "TXT",
        "v=spf1 -all",
    )
