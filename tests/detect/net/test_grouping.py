"""Per-host grouping of heuristics."""

from __future__ import annotations

from stalkerscan.detect.net.build import CaptureBuilder, certificate
from stalkerscan.detect.net.catalog import SEVERAL_SIGNS, TLS_PORT, make_finding
from stalkerscan.detect.net.grouping import group_host_signs
from stalkerscan.detect.net.heuristics import run_heuristics
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import Evidence, Severity
from stalkerscan.model.net import NetworkCapture

EMPTY = IndicatorIndex([])
ADDRESS = "139.59.40.50"


def suspicious_host(port: int, sent: int, extra_host: bool = True) -> NetworkCapture:
    b = CaptureBuilder()
    flow = b.flow(ADDRESS, port, at=8.0, app="tls", sent=sent, received=40_000)
    b.tls(flow, None, certificates=(certificate("CN=localhost", "CN=localhost", self_signed=True),))
    if extra_host:
        b.dns("game.example.net", "51.15.20.30", at=9.0)
        other = b.flow("51.15.20.30", 7777, at=9.1, app="tls", name="game.example.net")
        b.tls(other, "game.example.net", version="TLS 1.3")
    return b.build()


def test_three_or_more_signs_become_one_grouped_finding() -> None:
    result = run_heuristics(suspicious_host(4443, 3_000_000), EMPTY)
    on_host = [f for f in result.findings if f.subject == ADDRESS]
    assert [f.rule for f in on_host] == [SEVERAL_SIGNS.id]
    grouped = on_host[0]
    assert grouped.severity is Severity.MEDIUM
    assert len(grouped.reasons) == 4
    assert any("unusual port (4443)" in r for r in grouped.reasons)
    assert any("self-signed" in r for r in grouped.reasons)
    assert grouped.title.startswith("4 different warning signs")
    assert grouped.evidence and all(e.time for e in grouped.evidence)
    # another host with a single sign keeps its own finding
    assert {f.rule for f in result.findings if f.subject == "game.example.net"} == {TLS_PORT.id}


def test_two_signs_stay_separate() -> None:
    result = run_heuristics(suspicious_host(443, 20_000, extra_host=False), EMPTY)
    assert sorted(f.rule for f in result.findings) == ["net.ip.unnamed", "net.tls.self_signed"]


def test_information_findings_are_not_counted_nor_replaced() -> None:
    b = CaptureBuilder()
    b.flow("9.9.9.9", 853, at=1.0, app="dot", sent=5_000)
    flow = b.flow("9.9.9.9", 8853, at=2.0, app="tls", sent=5_000)
    b.tls(flow, None, certificates=(certificate("CN=x", "CN=x", self_signed=True),))
    rules = sorted(f.rule for f in run_heuristics(b.build(), EMPTY).findings)
    assert rules == ["net.dns.encrypted", "net.tls.nonstandard_port", "net.tls.self_signed"]


def test_grouping_is_per_subject_and_keeps_order_of_the_rest() -> None:
    line = Evidence("capture", "packet 1 (connection start)", "x", "2026-05-28T20:26:41+00:00")

    def tls_port(subject: str) -> object:
        return make_finding(TLS_PORT, evidence=(line,), subject=subject, ports="4443", count=1)

    singles = [tls_port("a.example"), tls_port("b.example"), tls_port("a.example")]
    assert list(group_host_signs(singles)) == singles  # one distinct rule per host
