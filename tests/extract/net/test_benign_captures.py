"""The three real benign phone captures (nDPI test data): facts checked against tshark 4.0."""

from __future__ import annotations

from pathlib import Path

import pytest

from stalkerscan.extract.net import extract_capture
from stalkerscan.model.net import NameSource, NetworkCapture, Transport


@pytest.fixture(scope="module")
def benign(shared_data: Path) -> dict[str, NetworkCapture]:
    folder = shared_data / "pcaps" / "benign"
    return {
        name: extract_capture(folder / f"{name}.pcap")
        for name in ("android", "iphone", "googledns_android10")
    }


def _flows(cap: NetworkCapture, transport: Transport) -> int:
    return sum(1 for f in cap.flows if f.key.transport is transport)


def test_android(benign: dict[str, NetworkCapture]) -> None:
    cap = benign["android"]
    assert (cap.summary.packets, cap.summary.file_format, cap.summary.link_types) == (
        500,
        "pcap",
        ("ethernet",),
    )
    assert cap.summary.stopped_early is None
    assert (_flows(cap, Transport.TCP), _flows(cap, Transport.UDP)) == (28, 31)  # tshark -z conv
    assert len(cap.tls) == 18
    first = cap.tls[0]
    assert (first.sni, first.ja3_hash) == (
        "clients1.google.com",
        "c60d01d600aacc2c04844595ce224279",
    )
    assert {"connectivitycheck.gstatic.com", "play.googleapis.com", "time.android.com"} <= {
        d.query for d in cap.dns
    }
    assert [h.host for h in cap.http] == ["captive.apple.com"] + ["check.googlezip.net"] * 3
    assert ("4c:6a:f6:9f:f6:27", "android-dhcp-9", "192.168.2.16") in {
        (d.mac, d.vendor_class, d.requested_ip) for d in cap.dhcp
    }
    named = {(f.key.dst, f.name, f.name_source) for f in cap.flows}
    assert ("172.217.20.74", "play.googleapis.com", NameSource.DNS) in named
    tls13 = [t for t in cap.tls if t.server_version == "TLS 1.3"]
    assert tls13 and all(t.certificate_encrypted and not t.certificates for t in tls13)
    assert any(c.san and "google" in c.subject for t in cap.tls for c in t.certificates)


def test_iphone(benign: dict[str, NetworkCapture]) -> None:
    cap = benign["iphone"]
    assert cap.summary.packets == 500
    assert (_flows(cap, Transport.TCP), _flows(cap, Transport.UDP)) == (15, 31)
    assert len(cap.tls) == 14
    assert {t.sni for t in cap.tls} >= {
        "gateway.icloud.com",
        "mesu.apple.com",
        "p26-fmfmobile.icloud.com",
    }
    assert {t.ja3_hash for t in cap.tls} == {
        "6fa3244afc6bb6f9fad207b6b52af26b",
        "55271a105172d5f225e4704755b9b250",
    }
    mdns = [d for d in cap.dns if d.mdns]
    assert mdns and all(d.server_port == 5353 for d in mdns)
    assert {"_airport._tcp.local", "_homekit._tcp.local"} <= {d.query for d in mdns}
    assert {d.hostname for d in cap.dhcp} == {"Lucas-iMac", "Lucas-iPhone"}
    assert any(v6 for f in cap.flows if (v6 := ":" in f.key.src))


def test_googledns_android10_private_dns(benign: dict[str, NetworkCapture]) -> None:
    cap = benign["googledns_android10"]
    assert cap.summary.packets == 532
    assert not [d for d in cap.dns if d.is_response and not d.mdns]  # all DNS is inside TLS
    dot = [f for f in cap.flows if f.app_protocol == "dot"]
    assert len(dot) == len(cap.flows) == 7
    assert {(f.key.dst, f.key.dport) for f in dot} == {("8.8.4.4", 853), ("8.8.8.8", 853)}
    assert sum(1 for f in dot if f.key.dst == "8.8.4.4") == 5
    assert {t.sni for t in cap.tls} == {"dns.google"}
    assert {(f.name, f.name_source) for f in dot if f.name} == {("dns.google", NameSource.SNI)}
