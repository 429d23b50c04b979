"""Indicator rules over hand-built captures, with real Echap indicators."""

from __future__ import annotations

from pathlib import Path

import pytest

from detect.net.helpers import index_of, load_echap_indicators
from stalkerscan.detect.net import detect_network
from stalkerscan.detect.net.build import CaptureBuilder, certificate
from stalkerscan.detect.net.ioc import IocClass, classify, run_ioc
from stalkerscan.indicators.allowlist import Allowlist
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import (
    Confidence,
    Finding,
    Indicator,
    IndicatorKind,
    Role,
    Severity,
    Threat,
)
from stalkerscan.model.net import NetworkCapture
from stalkerscan.report.document import Verdict, compute_verdict

INPUT = "cases/phone-2026-05-28.pcapng"


@pytest.fixture(scope="module")
def echap(echap_dir: Path) -> IndicatorIndex:
    return index_of(*load_echap_indicators(echap_dir))


def long_capture(b: CaptureBuilder) -> NetworkCapture:
    """A 20-minute capture with ordinary traffic, so no coverage gap hides the verdict."""
    for i in range(6):
        b.dns(f"www.example{i}.org", f"93.184.216.{30 + i}", at=60.0 * i + 1)
        flow = b.flow(f"93.184.216.{30 + i}", 443, at=60.0 * i + 1.1, app="tls")
        b.tls(flow, f"www.example{i}.org", version="TLS 1.3")
    return b.build(duration=1200.0, packets=4_000)


def visit(name: str, address: str) -> NetworkCapture:
    b = CaptureBuilder()
    b.dns(name, address, at=400.0)
    flow = b.flow(address, 443, at=400.1, app="tls", name=name)
    b.tls(flow, name, version="TLS 1.3")
    return long_capture(b)


def only(findings: tuple[Finding, ...], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def test_c2_domain_is_critical_and_names_the_app(echap: IndicatorIndex) -> None:
    result = detect_network(visit("media-sync-a740.thetruthspy.com", "69.64.81.166"), echap, INPUT)
    [hit] = only(result.findings, "net.ioc.c2_domain")
    assert hit.severity is Severity.CRITICAL
    assert hit.confidence is Confidence.CONFIRMED
    assert hit.app == "TheTruthSpy"
    assert hit.indicator is not None and hit.indicator.role is Role.C2
    assert "TheTruthSpy" in hit.title and "media-sync-a740.thetruthspy.com" in hit.title
    assert {e.input for e in hit.evidence} == {INPUT}
    locators = [e.locator for e in hit.evidence]
    assert any(loc.endswith("(DNS query)") for loc in locators)
    assert any(loc.endswith("(TLS ClientHello)") for loc in locators)
    assert all(e.time and e.time.endswith("+00:00") for e in hit.evidence)
    verdict, _ = compute_verdict(result.findings, result.gaps, True)
    assert verdict is Verdict.STALKERWARE


def test_subdomain_of_a_c2_matches_on_a_label_boundary(echap: IndicatorIndex) -> None:
    result = run_ioc(visit("upload.media-sync-a740.thetruthspy.com", "69.64.81.166"), echap)
    [hit] = only(result.findings, "net.ioc.c2_domain")
    assert hit.severity is Severity.CRITICAL
    assert "matches the indicator media-sync-a740.thetruthspy.com as a subdomain" in hit.explanation


def test_notcopy9_stays_quiet(echap: IndicatorIndex) -> None:
    result = detect_network(visit("notcopy9.com", "51.15.20.30"), echap, INPUT)
    assert not [f for f in result.findings if f.rule.startswith("net.ioc.")]


def test_firebase_c2_fires_while_another_firebase_database_stays_quiet(
    echap: IndicatorIndex,
) -> None:
    b = CaptureBuilder()
    for at, name in (
        (100.0, "thetruth-db94a.firebaseio.com"),
        (200.0, "weather-7c1e2.firebaseio.com"),
    ):
        b.dns(name, "34.120.160.131", at=at)
        flow = b.flow("34.120.160.131", 443, at=at + 0.1, app="tls", name=name)
        b.tls(flow, name, version="TLS 1.3")
    result = detect_network(long_capture(b), echap, INPUT)
    subjects = {f.subject: f for f in result.findings}
    assert subjects["thetruth-db94a.firebaseio.com"].rule == "net.ioc.c2_domain"
    assert subjects["thetruth-db94a.firebaseio.com"].severity is Severity.CRITICAL
    assert "weather-7c1e2.firebaseio.com" not in subjects


def test_raw_c2_ip_is_critical(echap: IndicatorIndex) -> None:
    b = CaptureBuilder()
    b.flow("69.64.74.239", 443, at=300.0, app="tls", sent=20_000)
    result = detect_network(long_capture(b), echap, INPUT)
    [hit] = only(result.findings, "net.ioc.c2_ip")
    assert hit.subject == "69.64.74.239"
    assert hit.severity is Severity.CRITICAL
    assert hit.app == "TheTruthSpy"
    assert hit.evidence[0].locator.endswith("(connection start)")


def test_shared_cdn_ip_reached_by_an_unlisted_name_is_weaker(echap: IndicatorIndex) -> None:
    """EasyLogger lists a Cloudflare address that thousands of sites share."""
    result = run_ioc(visit("blog.example.org", "172.67.81.216"), echap)
    [hit] = only(result.findings, "net.ioc.c2_ip")
    assert hit.severity is Severity.MEDIUM
    assert hit.confidence is Confidence.POSSIBLE
    assert "Cloudflare" in hit.explanation and "blog.example.org" in hit.explanation


def test_shared_cdn_ip_without_any_name_is_high(echap: IndicatorIndex) -> None:
    b = CaptureBuilder()
    b.flow("172.67.81.216", 443, at=3.0, app="tls")
    [hit] = only(run_ioc(b.build(), echap).findings, "net.ioc.c2_ip")
    assert hit.severity is Severity.HIGH
    assert hit.confidence is Confidence.LIKELY


def test_cidr_match_is_high_not_critical() -> None:
    index = index_of(
        Indicator(
            IndicatorKind.CIDR, "69.64.80.0/20", "TheTruthSpy", Role.C2, Threat.STALKERWARE, "test"
        )
    )
    b = CaptureBuilder()
    b.flow("69.64.81.20", 443, at=3.0, app="tls")
    [hit] = only(run_ioc(b.build(), index).findings, "net.ioc.c2_ip")
    assert hit.severity is Severity.HIGH
    assert "69.64.80.0/20 as an address inside that network" in hit.explanation


def test_vendor_website_visit_is_information_only(echap: IndicatorIndex) -> None:
    result = detect_network(visit("www.thetruthspy.com", "51.15.20.50"), echap, INPUT)
    [hit] = only(result.findings, "net.ioc.vendor_site")
    assert hit.severity is Severity.INFO
    assert "not an infection by itself" in hit.explanation
    assert not only(result.findings, "net.ioc.c2_domain")
    verdict, _ = compute_verdict(result.findings, result.gaps, True)
    assert verdict is not Verdict.STALKERWARE
    assert verdict is Verdict.NO_KNOWN_STALKERWARE


def test_website_on_a_listed_server_address_is_lowered_not_hidden(echap: IndicatorIndex) -> None:
    """TheTruthSpy's website and its servers share 69.64.81.98: a website visit reaches a C2 IP."""
    result = detect_network(visit("www.thetruthspy.com", "69.64.81.98"), echap, INPUT)
    [ip_hit] = only(result.findings, "net.ioc.c2_ip")
    assert ip_hit.severity is Severity.MEDIUM
    assert ip_hit.confidence is Confidence.POSSIBLE
    assert "www.thetruthspy.com" in ip_hit.explanation and "website" in ip_hit.explanation
    verdict, _ = compute_verdict(result.findings, result.gaps, True)
    assert verdict is Verdict.SUSPICIOUS


def test_c2_name_on_a_listed_address_keeps_both_critical(echap: IndicatorIndex) -> None:
    result = run_ioc(visit("media-sync-a.copy9.com", "69.64.81.98"), echap)
    assert {(f.rule, f.severity) for f in result.findings} == {
        ("net.ioc.c2_domain", Severity.CRITICAL),
        ("net.ioc.c2_ip", Severity.CRITICAL),
    }


def test_name_both_c2_and_website_is_c2_and_says_so(echap: IndicatorIndex) -> None:
    result = run_ioc(visit("copy9.com", "51.15.20.50"), echap)
    rules = [f.rule for f in result.findings]
    assert rules == ["net.ioc.c2_domain"]
    assert "also listed as the seller's website" in result.findings[0].explanation


def test_watchware_is_medium_and_asks_about_family_apps(echap: IndicatorIndex) -> None:
    result = detect_network(visit("app-api-pro.wondershare.cc", "51.15.20.40"), echap, INPUT)
    [hit] = only(result.findings, "net.ioc.watchware")
    assert hit.severity is Severity.MEDIUM
    assert "a monitoring app that does not hide" in hit.title
    assert "did you or a family member install" in hit.advice.lower()
    assert hit.app == "FamiSafe"
    verdict, _ = compute_verdict(result.findings, result.gaps, True)
    assert verdict is Verdict.SUSPICIOUS


def test_app_listed_as_stalkerware_and_watchware_is_critical_and_says_both(
    echap: IndicatorIndex,
) -> None:
    """Echap lists WiseMo in both ioc.yaml (stalkerware) and watchware.yaml."""
    [hit] = only(
        run_ioc(visit("mycloud.wisemo.com", "51.15.20.40"), echap).findings, "net.ioc.c2_domain"
    )
    assert hit.severity is Severity.CRITICAL
    assert "also listed as a monitoring app that does not hide" in hit.explanation


def test_allowlist_never_suppresses_an_indicator(echap: IndicatorIndex) -> None:
    """TinyCheck whitelisted Firebase, Amazon and Google ranges before matching indicators."""
    broad = Allowlist(
        domains={"firebaseio.com": "Google", "amazonaws.com": "Amazon", "thetruthspy.com": "x"},
        networks=(),
        tls_certificates={},
        apk_certificates={},
    )
    b = CaptureBuilder()
    for at, name in (
        (100.0, "thetruth-db94a.firebaseio.com"),
        (200.0, "bark-android-media.s3.amazonaws.com"),
    ):
        b.dns(name, "52.216.8.10", at=at)
        flow = b.flow("52.216.8.10", 443, at=at + 0.1, app="tls", name=name)
        b.tls(flow, name, version="TLS 1.3")
    result = detect_network(long_capture(b), echap, INPUT, allowlist=broad)
    subjects = {f.subject: f.rule for f in result.findings}
    assert subjects["thetruth-db94a.firebaseio.com"] == "net.ioc.c2_domain"
    assert subjects["bark-android-media.s3.amazonaws.com"] == "net.ioc.c2_domain"


def test_packaged_allowlisted_host_that_is_an_indicator_still_fires() -> None:
    index = index_of(
        Indicator(
            IndicatorKind.DOMAIN,
            "mtalk.google.com",
            "ListedByMistake",
            Role.C2,
            Threat.STALKERWARE,
            "test",
        )
    )
    b = CaptureBuilder()
    b.dns("mtalk.google.com", "142.250.102.188", at=3.0)
    flow = b.flow("142.250.102.188", 5228, at=3.1, app="tls", name="mtalk.google.com")
    b.tls(flow, "mtalk.google.com", version="TLS 1.3")
    result = detect_network(b.build(), index, INPUT)
    rules = {f.rule for f in result.findings if f.subject == "mtalk.google.com"}
    assert rules == {"net.ioc.c2_domain"}  # the heuristics (port 5228) stay quiet, the IOC does not


def test_watchware_under_an_allowlisted_domain_still_fires(echap: IndicatorIndex) -> None:
    """Microsoft Family Safety's servers lie under microsoft.com, which the allowlist holds."""
    result = detect_network(visit("location.family.microsoft.com", "20.190.151.7"), echap, INPUT)
    [hit] = [f for f in result.findings if f.subject == "location.family.microsoft.com"]
    assert hit.rule == "net.ioc.watchware"
    assert hit.app == "MicrosoftFamilySafe"


def test_one_host_gives_one_finding_with_all_its_evidence(echap: IndicatorIndex) -> None:
    b = CaptureBuilder()
    b.dns("cdn.innocent.example", "69.64.81.166", at=10.0, cname="media-sync-a.thetruthspy.com")
    flow = b.flow("69.64.81.166", 443, at=10.1, app="tls", name="media-sync-a.thetruthspy.com")
    b.tls(flow, "media-sync-a.thetruthspy.com", version="TLS 1.3")
    plain = b.flow("69.64.81.166", 80, at=20.0, app="http")
    b.http(plain, "POST", "media-sync-a.thetruthspy.com", "/protocols/upload.aspx", 5_000)
    quic = b.flow("69.64.81.166", 443, at=30.0, app="quic")
    b.quic(quic, "media-sync-a.thetruthspy.com")
    result = run_ioc(b.build(), echap)
    hits = [f for f in result.findings if f.subject == "media-sync-a.thetruthspy.com"]
    assert len(hits) == 1
    kinds = {e.locator.split("(")[1].rstrip(")") for e in hits[0].evidence}
    assert kinds >= {
        "DNS answer",
        "TLS ClientHello",
        "HTTP request",
        "QUIC Initial",
        "connection start",
    }
    assert any("CNAME media-sync-a.thetruthspy.com" in e.observed for e in hits[0].evidence)


def test_tls_certificate_indicator_by_sha1_and_sha256() -> None:
    cert = certificate("CN=api.spy.example", "CN=Spy CA")
    for value, kind in (
        (cert.sha1, IndicatorKind.TLS_CERT_SHA1),
        (cert.sha256, IndicatorKind.CERT_SHA256),
    ):
        index = index_of(Indicator(kind, value, "ExampleSpy", Role.C2, Threat.STALKERWARE, "t"))
        b = CaptureBuilder()
        flow = b.flow("51.15.20.30", 443, at=2.0, app="tls")
        b.tls(flow, "api.spy.example", certificates=(cert,))
        [hit] = run_ioc(b.build(), index).findings
        assert hit.rule == "net.ioc.tls_certificate"
        assert hit.severity is Severity.HIGH
        assert hit.subject == "api.spy.example"


def test_watchware_certificate_keeps_watchware_severity() -> None:
    cert = certificate("CN=api.family.example", "CN=Family CA")
    index = index_of(
        Indicator(
            IndicatorKind.TLS_CERT_SHA1, cert.sha1, "FamilyApp", Role.C2, Threat.WATCHWARE, "t"
        )
    )
    b = CaptureBuilder()
    flow = b.flow("51.15.20.30", 443, at=2.0, app="tls")
    b.tls(flow, "api.family.example", certificates=(cert,))
    [hit] = run_ioc(b.build(), index).findings
    assert hit.severity is Severity.MEDIUM
    assert "a monitoring app that does not hide" in hit.explanation


def test_ja3_lists_every_host_it_was_seen_with() -> None:
    ja3 = "e7d705a3286e19ea42f587b344ee6865"
    index = index_of(
        Indicator(IndicatorKind.JA3, ja3, "ExampleSpy", Role.APP, Threat.STALKERWARE, "t")
    )
    b = CaptureBuilder()
    for at, host in ((2.0, "a.example.net"), (9.0, "b.example.net")):
        flow = b.flow("51.15.20.30", 443, at=at, app="tls", name=host)
        b.tls(flow, host, ja3_hash=ja3.upper(), version="TLS 1.3")
    [hit] = run_ioc(b.build(), index).findings
    assert hit.rule == "net.ioc.ja3" and hit.subject == ja3
    assert "a.example.net, b.example.net" in hit.explanation
    assert len(hit.evidence) == 2


def test_classify_covers_every_threat_and_role() -> None:
    for threat in Threat:
        for role in Role:
            ind = Indicator(IndicatorKind.DOMAIN, "x.example", None, role, threat, "t")
            assert isinstance(classify(ind), IocClass)
    website = Indicator(IndicatorKind.DOMAIN, "x", None, Role.WEBSITE, Threat.STALKERWARE, "t")
    assert classify(website) is IocClass.VENDOR_SITE
    sample = Indicator(IndicatorKind.DOMAIN, "x", None, Role.SAMPLE, Threat.SPYWARE, "t")
    assert classify(sample) is IocClass.C2
    unknown = Indicator(IndicatorKind.DOMAIN, "x", None, Role.UNKNOWN, Threat.UNKNOWN, "t")
    assert classify(unknown) is IocClass.SUSPICIOUS


def test_results_are_deterministic_and_sorted(echap: IndicatorIndex) -> None:
    b = CaptureBuilder()
    b.dns("www.thetruthspy.com", "51.15.20.50", at=50.0)
    b.dns("app-api-pro.wondershare.cc", "51.15.20.40", at=60.0)
    b.dns("media-sync-a.copy9.com", "69.64.81.49", at=70.0)
    b.flow("69.64.74.239", 443, at=80.0, app="tls")
    capture = long_capture(b)
    first = detect_network(capture, echap, INPUT)
    assert first == detect_network(capture, echap, INPUT)
    ranks = [f.severity.rank for f in first.findings]
    assert ranks == sorted(ranks, reverse=True)
    assert [f.rule for f in first.findings][:3] == [
        "net.ioc.c2_domain",
        "net.ioc.c2_ip",
        "net.ioc.watchware",
    ]


def test_role_less_feed_entry_for_a_known_website_is_read_as_the_website(echap_dir: Path) -> None:
    """Echap's TinyCheck-format feed lists ~495 seller websites as plain 'stalkerware' domains."""
    feed = Indicator(
        IndicatorKind.DOMAIN,
        "thetruthspy.com",
        None,
        Role.UNKNOWN,
        Threat.STALKERWARE,
        "echap-tinycheck",
    )
    both = index_of(*load_echap_indicators(echap_dir), feed)
    result = run_ioc(visit("www.thetruthspy.com", "51.15.20.50"), both)
    assert [(f.rule, f.severity) for f in result.findings] == [
        ("net.ioc.vendor_site", Severity.INFO)
    ]


def test_role_less_feed_entry_alone_is_read_as_a_server() -> None:
    feed = Indicator(
        IndicatorKind.DOMAIN,
        "media-sync-a.thetruthspy.com",
        None,
        Role.UNKNOWN,
        Threat.STALKERWARE,
        "echap-tinycheck",
    )
    [hit] = run_ioc(visit("media-sync-a.thetruthspy.com", "51.15.20.50"), index_of(feed)).findings
    assert hit.rule == "net.ioc.c2_domain" and hit.severity is Severity.CRITICAL
