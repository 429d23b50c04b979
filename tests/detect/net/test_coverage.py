"""Coverage facts, gaps and the timeline."""

from __future__ import annotations

from stalkerscan.detect.net import detect_network
from stalkerscan.detect.net.build import START, CaptureBuilder
from stalkerscan.detect.net.coverage import run_coverage
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import CoverageFact
from stalkerscan.model.net import NetworkCapture, Transport
from stalkerscan.report.document import Verdict, compute_verdict

EMPTY = IndicatorIndex([])


def ordinary_phone(minutes: float = 20.0, *, dns: bool = True) -> NetworkCapture:
    b = CaptureBuilder()
    b.dhcp("d8:30:62:56:00:1c", "Galaxy-A53")
    for i in range(12):
        host, address = f"www.example{i}.org", f"93.184.216.{30 + i}"
        if dns:
            b.dns(host, address, at=10.0 + 80 * i)
        flow = b.flow(address, 443, at=10.5 + 80 * i, app="tls", name=host if dns else None)
        b.tls(flow, host if dns else None, version="TLS 1.3" if i % 3 else "TLS 1.2")
    quic = b.flow("142.250.102.100", 443, at=30.0, transport=Transport.UDP, app="quic")
    b.quic(quic, "www.youtube.com")
    return b.build(duration=minutes * 60, packets=6_000)


def facts(capture: NetworkCapture) -> dict[str, CoverageFact]:
    return {f.name: f for f in run_coverage(capture, EMPTY).coverage}


def test_a_good_capture_has_no_gap_and_measures_what_it_saw() -> None:
    result = run_coverage(ordinary_phone(), EMPTY)
    assert result.gaps == ()
    got = {f.name: f.value for f in result.coverage}
    assert all(f.area == "network" for f in result.coverage)
    assert got["capture_duration_seconds"] == 1200.0
    assert got["packets"] == 6_000
    assert got["internet_connections"] == 13
    assert got["named_flow_share"] == 1.0
    assert got["dns_visible"] is True
    assert got["private_dns"] is False
    assert got["tls13_share"] == round(8 / 12, 3)
    assert got["quic_connections"] == 1
    assert got["device_hostname"] == "Galaxy-A53"
    assert got["device_mac"] == "d8:30:62:56:00:1c"
    verdict, _ = compute_verdict(detect_network(ordinary_phone(), EMPTY, "x").findings, (), True)
    assert verdict is Verdict.NO_KNOWN_STALKERWARE


def test_short_capture_is_a_gap_with_advice() -> None:
    result = run_coverage(ordinary_phone(minutes=6), EMPTY)
    [gap] = result.gaps
    assert gap.area == "network"
    assert "6 min 0 s" in gap.reason
    assert "at least 15 minutes" in gap.advice
    assert "take a photo" in gap.advice and "restart the phone" in gap.advice
    verdict, _ = compute_verdict((), result.gaps, True)
    assert verdict is Verdict.INCONCLUSIVE


def test_dns_blind_capture_is_a_gap_with_private_dns_advice() -> None:
    b = CaptureBuilder()
    b.flow("8.8.4.4", 853, at=1.0, app="dot", sent=6_000, received=20_000)
    for i in range(8):
        b.flow(f"95.216.10.{20 + i}", 443, at=30.0 + 60 * i, app="tls", sent=8_000)
    capture = b.build(duration=1200.0, packets=3_000)
    result = run_coverage(capture, EMPTY)
    [gap] = result.gaps
    assert "Not one plain DNS answer" in gap.reason and "encrypted" in gap.reason
    assert "Private DNS" in gap.advice and "Only if it is safe" in gap.advice
    got = {f.name: f for f in result.coverage}
    assert got["dns_visible"].value is False
    assert got["private_dns"].value is True
    assert got["encrypted_dns"].value == "DNS over TLS to 8.8.4.4"
    assert got["named_flow_share"].value == 0.0
    assert "most had none" in got["named_flow_share"].label


def test_names_before_capture_without_any_dns_is_dns_blind() -> None:
    result = run_coverage(ordinary_phone(dns=False), EMPTY)
    assert [g.reason[:30] for g in result.gaps] == ["Not one plain DNS answer was s"]


def test_almost_no_traffic_is_a_gap() -> None:
    b = CaptureBuilder()
    b.flow("93.184.216.34", 443, at=5.0, app="tls")
    result = run_coverage(b.build(duration=1200.0, packets=40), EMPTY)
    assert any("almost no traffic" in g.reason for g in result.gaps)


def test_empty_capture() -> None:
    capture = CaptureBuilder().build(packets=0)
    capture = capture.__class__(
        summary=capture.summary.__class__(
            file_format="pcap",
            link_types=(),
            packets=0,
            bytes=0,
            first_time=None,
            last_time=None,
            undecoded_packets=0,
            stopped_early=None,
        ),
        flows=(),
        dns=(),
        tls=(),
        http=(),
        quic=(),
        dhcp=(),
    )
    result = run_coverage(capture, EMPTY)
    assert any("almost no traffic" in g.reason for g in result.gaps)
    assert {f.name: f.value for f in result.coverage}["capture_duration_seconds"] == 0.0


def test_stopped_early_is_not_checked() -> None:
    b = CaptureBuilder()
    b.flow("93.184.216.34", 443, at=5.0, app="tls")
    capture = b.build(stopped_early="packet 812: record length 70000 exceeds the snapshot length")
    [entry] = run_coverage(capture, EMPTY).not_checked
    assert "packet 812" in entry.why


def test_timeline_has_first_contacts_and_evidence_events() -> None:
    b = CaptureBuilder()
    for at in (10.0, 70.0):
        b.dns("cam-17.duckdns.org", "51.15.20.30", at=at)
    b.dns("www.example.org", "93.184.216.34", at=5.0)
    result = detect_network(b.build(), EMPTY, "phone.pcap")
    first = [e for e in result.timeline if e.rule is None]
    assert [e.description.split(" (")[0] for e in first] == [
        "First contact with www.example.org",
        "First contact with cam-17.duckdns.org",
    ]
    evidence = [e for e in result.timeline if e.rule == "net.dns.dynamic_dns"]
    assert len(evidence) == 4  # two queries, two answers
    assert all(e.input == "phone.pcap" and e.source == "dns" for e in result.timeline)
    times = [e.time for e in result.timeline]
    assert times == sorted(times)
    assert first[0].time.startswith("2026-05-28T20:26:45")
    assert START == 1_780_000_000.0
