"""HTTP/1.x request heads on any TCP port."""

from __future__ import annotations

from pathlib import Path

import pytest

from stalkerscan.extract.net.http import RequestStream, host_without_port, parse_request_head
from stalkerscan.model.net import NameSource
from support.netgen import CaptureBuilder
from support.netgen_msgs import http_request

from .conftest import extract


def test_request_head_and_host_without_port(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=31)
    cap.http_request(
        "198.51.100.7",
        "Upload.Example.COM:8080",
        "/api/v1/up?id=3",
        cap.start,
        method="POST",
        body=b"z" * 123,
        port=8080,
        user_agent="Dalvik/2.1.0",
    )
    got = extract(cap, tmp_path)
    (req,) = got.http
    assert (req.method, req.host, req.path) == ("POST", "upload.example.com", "/api/v1/up?id=3")
    assert (req.user_agent, req.body_bytes) == ("Dalvik/2.1.0", 123)
    assert (req.key.dst, req.key.dport) == ("198.51.100.7", 8080)
    flow = got.flows[0]
    assert (flow.app_protocol, flow.name, flow.name_source) == (
        "http",
        "upload.example.com",
        NameSource.HTTP,
    )


def test_ip_literal_host_does_not_name_the_flow(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=32)
    cap.http_request("198.51.100.8", "198.51.100.8:8080", "/", cap.start, port=8080)
    got = extract(cap, tmp_path)
    assert got.http[0].host == "198.51.100.8"
    assert got.flows[0].name is None


@pytest.mark.parametrize(
    ("value", "host"),
    [
        ("a.example:80", "a.example"),
        ("[2001:db8::1]:8080", "2001:db8::1"),
        ("B.Example.", "b.example"),
        ("2001:db8::2", "2001:db8::2"),
        ("", None),
    ],
)
def test_host_without_port(value: str, host: str | None) -> None:
    assert host_without_port(value) == host


def test_keep_alive_requests_and_bodies_are_skipped() -> None:
    stream = RequestStream()
    first = http_request("POST", "a.example", "/one", None, b"GET /fake HTTP/1.1\r\n\r\n")
    second = http_request("GET", "a.example", "/two")
    heads = (
        stream.feed(first[:30]) + stream.feed(first[30:] + second[:10]) + stream.feed(second[10:])
    )
    assert [(h.method, h.path) for h in heads] == [("POST", "/one"), ("GET", "/two")]
    assert not stream.failed


def test_not_http() -> None:
    assert parse_request_head(b"GET / SPDY/3") is None
    stream = RequestStream()
    assert stream.feed(b"\x16\x03\x01\x02\x00 hello") == []
    assert stream.failed


def test_request_after_the_server_spoke_first(tmp_path: Path) -> None:
    # the capture starts mid-conversation: a response goes by before the next request
    from stalkerscan.extract.net import extract_capture  # noqa: PLC0415
    from support.netgen_wire import PROTO_TCP, TCP_ACK, TCP_PSH, PcapWriter, frame, ipv4, tcp  # noqa: PLC0415

    phone, server = "192.168.1.23", "198.51.100.9"
    response = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    request = http_request("GET", "late.example", "/next")
    path = tmp_path / "mid.pcap"
    with PcapWriter(path, 1) as w:
        w.write(
            1.0,
            frame(
                "ethernet",
                ipv4(server, phone, PROTO_TCP, tcp(80, 50000, 7, 9, TCP_PSH | TCP_ACK, response)),
            ),
        )
        w.write(
            2.0,
            frame(
                "ethernet",
                ipv4(
                    phone,
                    server,
                    PROTO_TCP,
                    tcp(50000, 80, 9, 7 + len(response), TCP_PSH | TCP_ACK, request),
                ),
            ),
        )
    got = extract_capture(path)
    assert [(h.host, h.path, h.packet) for h in got.http] == [("late.example", "/next", 2)]
    assert got.flows[0].key.src == phone and got.flows[0].app_protocol == "http"
