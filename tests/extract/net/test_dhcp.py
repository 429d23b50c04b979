"""DHCP client messages: who the phone says it is."""

from __future__ import annotations

from pathlib import Path

from stalkerscan.extract.net.dhcp import parse_dhcp_request
from support.netgen import CaptureBuilder
from support.netgen_msgs import dhcp_request

from .conftest import extract


def test_hostname_vendor_class_and_requested_ip(tmp_path: Path) -> None:
    cap = CaptureBuilder(seed=51)
    cap.dhcp_request(
        cap.start,
        hostname="Galaxy-S23",
        vendor_class="android-dhcp-14",
        requested_ip="192.168.1.40",
        mac=bytes.fromhex("a0b1c2d3e4f5"),
    )
    got = extract(cap, tmp_path)
    (dhcp,) = got.dhcp
    assert (dhcp.mac, dhcp.hostname, dhcp.vendor_class, dhcp.requested_ip) == (
        "a0:b1:c2:d3:e4:f5",
        "Galaxy-S23",
        "android-dhcp-14",
        "192.168.1.40",
    )
    assert dhcp.packet == 1 and dhcp.time == cap.start
    assert got.flows[0].app_protocol == "dhcp"


def test_without_options_and_server_replies() -> None:
    msg = dhcp_request(b"\x01" * 6, 7, None, None, None)
    parsed = parse_dhcp_request(msg)
    assert parsed is not None and parsed.hostname is None and parsed.vendor_class is None
    reply = b"\x02" + msg[1:]
    assert parse_dhcp_request(reply) is None
    assert parse_dhcp_request(msg[:100]) is None
