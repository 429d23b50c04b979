"""Captures for the extraction tests, written with support.netgen."""

from __future__ import annotations

from pathlib import Path

import pytest

from stalkerscan.extract.net import extract_capture
from stalkerscan.model.net import NetworkCapture
from support.netgen import CaptureBuilder

BENIGN = ("android.pcap", "iphone.pcap", "googledns_android10.pcap")


def phone_session(link: str = "ethernet", seed: int = 5) -> CaptureBuilder:
    """A short phone session touching every protocol the extractor reads."""
    cap = CaptureBuilder(link=link, seed=seed)
    t = cap.dhcp_request(cap.start, hostname="Pixel-7", vendor_class="android-dhcp-14")
    t = cap.dns_lookup("api.example.com", ["203.0.113.10"], t, cnames=["api.edge.example.net"])
    t = cap.tls_session("203.0.113.10", "api.example.com", t)
    t = cap.dns_lookup("v6.example.org", ["2001:db8::10"], t)
    t = cap.tls_session("2001:db8::10", "v6.example.org", t, version="1.3", profile="okhttp")
    t = cap.http_request(
        "198.51.100.7",
        "Upload.Example.com:8080",
        "/up",
        t,
        method="POST",
        body=b"x" * 40,
        port=8080,
    )
    t = cap.quic_session("142.250.1.1", "quic.example.com", t)
    t = cap.ntp(t)
    cap.mdns_announce("pixel-7.local", cap.phone, t)
    return cap


def extract(cap: CaptureBuilder, tmp_path: Path, pcapng: bool = False) -> NetworkCapture:
    """Write ``cap`` to a file in ``tmp_path`` and extract it."""
    if pcapng:
        return extract_capture(cap.write_pcapng(tmp_path / "cap.pcapng"))
    return extract_capture(cap.write_pcap(tmp_path / "cap.pcap"))


@pytest.fixture(scope="module")
def session_capture(tmp_path_factory: pytest.TempPathFactory) -> NetworkCapture:
    """The records of :func:`phone_session` written as Ethernet pcap."""
    return extract(phone_session(), tmp_path_factory.mktemp("session"))
