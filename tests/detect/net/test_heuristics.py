"""Heuristic rules: each positive and negative, and the allowlist's quieting."""

from __future__ import annotations

from detect.net.helpers import index_of
from stalkerscan.detect.net.build import CaptureBuilder, certificate
from stalkerscan.detect.net.context import build_context
from stalkerscan.detect.net.heur_tls import dn_attributes, free_issuer_name
from stalkerscan.detect.net.heuristics import run_heuristics
from stalkerscan.detect.net.lists import packaged_net_lists
from stalkerscan.detect.net.thresholds import TLS_STANDARD_PORTS
from stalkerscan.indicators.allowlist import EMPTY_ALLOWLIST, Allowlist, packaged_allowlist
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import Finding, Indicator, IndicatorKind, Role, Severity, Threat
from stalkerscan.model.net import CertificateRecord, NetworkCapture, Transport

EMPTY = IndicatorIndex([])
HOST = "sync.unknown-app.example"


def findings(capture: NetworkCapture, index: IndicatorIndex = EMPTY) -> tuple[Finding, ...]:
    return run_heuristics(capture, index).findings


def rules_for(capture: NetworkCapture, subject: str, index: IndicatorIndex = EMPTY) -> set[str]:
    return {f.rule for f in findings(capture, index) if f.subject == subject}


def tls_to(
    host: str,
    address: str,
    port: int = 443,
    *,
    certificates: tuple[CertificateRecord, ...] = (),
    version: str = "TLS 1.2",
) -> NetworkCapture:
    b = CaptureBuilder()
    b.dns(host, address, at=4.0)
    flow = b.flow(address, port, at=4.1, app="tls", name=host)
    b.tls(flow, host, certificates=certificates, version=version)
    return b.build()


def test_documented_tls_ports() -> None:
    assert {443, 465, 563, 636, 853, 989, 990, 993, 995, 5223, 8443} == TLS_STANDARD_PORTS


def test_tls_on_unusual_port_lists_every_port_once_per_host() -> None:
    b = CaptureBuilder()
    b.dns(HOST, "51.15.20.30", at=1.0)
    for at, port in ((2.0, 4443), (3.0, 7000), (4.0, 4443), (5.0, 443)):
        flow = b.flow("51.15.20.30", port, at=at, app="tls", name=HOST)
        b.tls(flow, HOST, version="TLS 1.3")
    [hit] = [f for f in findings(b.build()) if f.rule == "net.tls.nonstandard_port"]
    assert hit.subject == HOST and hit.severity is Severity.LOW
    assert "4443, 7000" in hit.title
    assert len(hit.evidence) == 3


def test_tls_on_8443_and_5223_is_standard() -> None:
    for port in (8443, 5223):
        assert not rules_for(tls_to(HOST, "51.15.20.30", port, version="TLS 1.3"), HOST)


def test_http_on_unusual_port_and_cleartext_upload() -> None:
    b = CaptureBuilder()
    b.dns(HOST, "51.15.20.30", at=1.0)
    flow = b.flow("51.15.20.30", 8080, at=2.0, app="http", name=HOST, sent=30_000)
    b.http(flow, "POST", HOST, "/protocols/set_device_status.aspx", 28_000)
    got = {f.rule: f for f in findings(b.build()) if f.subject == HOST}
    assert set(got) == {"net.http.nonstandard_port", "net.http.cleartext_data"}
    assert got["net.http.cleartext_data"].severity is Severity.LOW
    assert "28.0 kB" in got["net.http.cleartext_data"].title
    assert (
        "/protocols/set_device_status.aspx" in got["net.http.cleartext_data"].evidence[0].observed
    )


def test_cleartext_over_a_megabyte_is_medium() -> None:
    b = CaptureBuilder()
    b.dns(HOST, "51.15.20.30", at=1.0)
    for i in range(3):
        flow = b.flow("51.15.20.30", 80, at=2.0 + i, app="http", name=HOST, sent=450_000)
        b.http(flow, "POST", HOST, f"/upload/photo{i}.jpg", 400_000)
    [hit] = [f for f in findings(b.build()) if f.rule == "net.http.cleartext_data"]
    assert hit.severity is Severity.MEDIUM


def test_large_plain_http_flow_without_request_head_counts() -> None:
    b = CaptureBuilder()
    b.dns(HOST, "51.15.20.30", at=1.0)
    b.flow("51.15.20.30", 80, at=2.0, app="http", name=HOST, sent=300_000, received=2_000)
    assert "net.http.cleartext_data" in rules_for(b.build(), HOST)


def test_ocsp_post_and_allowlisted_host_are_not_cleartext_findings() -> None:
    b = CaptureBuilder()
    b.dns("ocsp.example-ca.example", "51.15.20.30", at=1.0)
    flow = b.flow("51.15.20.30", 80, at=2.0, app="http", name="ocsp.example-ca.example")
    b.http(flow, "POST", "ocsp.example-ca.example", "/", 85)
    b.dns("r11.o.lencr.org", "51.15.20.31", at=3.0)
    flow = b.flow("51.15.20.31", 80, at=4.0, app="http", name="r11.o.lencr.org")
    b.http(flow, "POST", "r11.o.lencr.org", "/", 5_000)
    assert not findings(b.build())


def test_self_signed_and_free_issuer() -> None:
    self_signed = tls_to(
        HOST,
        "51.15.20.30",
        certificates=(certificate(f"CN={HOST}", f"CN={HOST}", self_signed=True),),
    )
    assert rules_for(self_signed, HOST) == {"net.tls.self_signed"}
    free = tls_to(
        HOST, "51.15.20.30", certificates=(certificate(f"CN={HOST}", "CN=E6,O=Let's Encrypt,C=US"),)
    )
    [hit] = findings(free)
    assert hit.rule == "net.tls.free_issuer" and hit.severity is Severity.LOW
    assert "Let's Encrypt (E6)" in hit.title
    paid = tls_to(
        HOST,
        "51.15.20.30",
        certificates=(
            certificate(
                f"CN={HOST}", "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1,O=DigiCert Inc"
            ),
        ),
    )
    assert not findings(paid)


def test_free_issuer_matching_on_organisation_or_common_name() -> None:
    ctx = build_context(CaptureBuilder().build(), EMPTY, EMPTY_ALLOWLIST, packaged_net_lists())
    assert free_issuer_name(ctx, "CN=ZeroSSL RSA Domain Secure Site CA,O=ZeroSSL,C=AT")
    assert free_issuer_name(ctx, "CN=R10") == "R10"
    assert free_issuer_name(ctx, "CN=Buypass Class 2 CA 5,O=Buypass AS-983163327,C=NO")
    assert free_issuer_name(ctx, "CN=GTS CA 1C3,O=Google Trust Services LLC,C=US") is None
    assert dn_attributes(r"CN=Acme\, Inc.,O=Example+OU=Unit") == {
        "CN": "Acme, Inc.",
        "O": "Example",
        "OU": "Unit",
    }


def test_allowlisted_tls_certificate_quiets_a_self_signed_server() -> None:
    cert = certificate(f"CN={HOST}", f"CN={HOST}", self_signed=True)
    capture = tls_to(HOST, "51.15.20.30", certificates=(cert,))
    lab = Allowlist(
        domains={}, networks=(), tls_certificates={cert.sha1: "lab"}, apk_certificates={}
    )
    assert not run_heuristics(capture, EMPTY, allowlist=lab).findings


def test_unnamed_address_fires_only_for_public_data_flows() -> None:
    b = CaptureBuilder()
    b.flow("95.216.10.20", 443, at=1.0, app="tls", sent=9_000)
    for address in (
        "224.0.0.251",
        "239.255.255.250",
        "255.255.255.255",
        "169.254.10.1",
        "10.0.0.7",
        "100.64.1.1",
        "fe80::1",
        "ff02::fb",
    ):
        b.flow(address, 443, at=2.0, transport=Transport.UDP, sent=9_000)
    b.flow("95.216.10.21", 443, at=3.0, sent=0, received=500, packets=2)  # nothing sent
    b.flow("8.8.8.8", 443, at=4.0, app="tls", sent=9_000)  # a DNS-over-HTTPS resolver
    b.flow("95.216.10.22", 123, at=5.0, transport=Transport.UDP, sent=90)  # NTP
    hits = [f for f in findings(b.build()) if f.rule == "net.ip.unnamed"]
    assert [f.subject for f in hits] == ["95.216.10.20"]
    assert "DNS caching" in hits[0].explanation


def test_address_named_by_a_sibling_connection_is_named() -> None:
    b = CaptureBuilder()
    first = b.flow("95.216.10.20", 443, at=1.0, app="tls")
    b.tls(first, HOST, version="TLS 1.3")
    b.flow("95.216.10.20", 443, at=9.0, app="tls", sent=9_000)  # resumed, no server name
    assert "net.ip.unnamed" not in {f.rule for f in findings(b.build())}


def test_network_allowlist_quiets_unnamed_flows_only() -> None:
    b = CaptureBuilder()
    b.flow("149.154.167.51", 443, at=1.0, sent=2_000_000, received=10_000)  # Telegram, no name
    b.dns("exfil.unknown.example", "149.154.167.52", at=2.0)
    b.flow(
        "149.154.167.52", 443, at=3.0, name="exfil.unknown.example", sent=2_000_000, received=10_000
    )
    got = {f.subject for f in findings(b.build())}
    assert "149.154.167.51" not in got
    assert "exfil.unknown.example" in got


def test_dynamic_dns_from_list_and_from_index() -> None:
    capture = tls_to("cam-4711.duckdns.org", "51.15.20.30", version="TLS 1.3")
    [hit] = findings(capture)
    assert hit.rule == "net.dns.dynamic_dns" and hit.severity is Severity.MEDIUM
    assert "duckdns.org" in hit.title
    assert not findings(tls_to("duckdns.org", "51.15.20.30", version="TLS 1.3"))
    index = index_of(
        Indicator(
            IndicatorKind.DYNDNS_SUFFIX,
            "dyn.example",
            None,
            Role.HEURISTIC,
            Threat.SUSPICIOUS,
            "tinycheck",
        )
    )
    assert rules_for(
        tls_to("home.dyn.example", "51.15.20.30", version="TLS 1.3"), "home.dyn.example", index
    ) == {"net.dns.dynamic_dns"}


def test_suspicious_tld_from_list_and_index_but_not_on_platforms() -> None:
    assert rules_for(tls_to("panel-7f.top", "51.15.20.30", version="TLS 1.3"), "panel-7f.top") == {
        "net.dns.suspicious_tld"
    }
    index = index_of(
        Indicator(IndicatorKind.TLD, "ru", None, Role.HEURISTIC, Threat.SUSPICIOUS, "tinycheck")
    )
    assert rules_for(
        tls_to("anmon.example.ru", "51.15.20.30", version="TLS 1.3"), "anmon.example.ru", index
    ) == {"net.dns.suspicious_tld"}
    assert not findings(tls_to("www.example.ru", "51.15.20.30", version="TLS 1.3"))


def test_encrypted_dns_is_information_for_dot_and_doh() -> None:
    b = CaptureBuilder()
    b.flow("8.8.4.4", 853, at=1.0, app="dot", sent=3_000)
    b.flow("1.1.1.1", 443, at=2.0, app="tls", sent=3_000)
    b.dns("dns.nextdns.io", "45.90.28.10", at=3.0)
    flow = b.flow("45.90.28.10", 443, at=3.1, app="tls", name="dns.nextdns.io")
    b.tls(flow, "dns.nextdns.io", version="TLS 1.3")
    got = {f.subject: f for f in findings(b.build())}
    assert set(got) == {"8.8.4.4", "1.1.1.1", "dns.nextdns.io"}
    assert all(f.rule == "net.dns.encrypted" and f.severity is Severity.INFO for f in got.values())
    assert "DNS over TLS" in got["8.8.4.4"].title
    assert "DNS over HTTPS" in got["1.1.1.1"].title


def test_tor_by_port_certificate_and_random_server_name() -> None:
    b = CaptureBuilder()
    b.flow("5.9.60.70", 9001, at=1.0, sent=4_000)
    flow = b.flow("5.9.60.71", 443, at=2.0, app="tls")
    b.tls(
        flow,
        "www.k3xq7vbn2ad.com",
        certificates=(certificate("CN=www.p4fmu7dl3zq.net", "CN=www.xk2vbn5tqmre.com"),),
    )
    got = {f.subject: f for f in findings(b.build()) if f.rule == "net.tor.traffic"}
    assert set(got) == {"5.9.60.70", "www.k3xq7vbn2ad.com"}
    assert "port 9001" in got["5.9.60.70"].explanation
    why = got["www.k3xq7vbn2ad.com"].explanation
    assert "random names" in why and "random server name" in why


def test_real_www_names_are_not_tor() -> None:
    for name in ("www.facebook.com", "www.wikipedia.net", "www.abc2def3.com"):
        b = CaptureBuilder()
        b.dns(name, "51.15.20.30", at=1.0)
        flow = b.flow("51.15.20.30", 443, at=2.0, app="tls", name=name)
        b.tls(flow, name, version="TLS 1.3")
        assert "net.tor.traffic" not in {f.rule for f in findings(b.build())}


def test_dual_use_service_is_low_and_never_quieted() -> None:
    everything = Allowlist(
        domains={"telegram.org": "Telegram"}, networks=(), tls_certificates={}, apk_certificates={}
    )
    capture = tls_to("api.telegram.org", "149.154.167.220", version="TLS 1.3")
    [hit] = run_heuristics(capture, EMPTY, allowlist=everything).findings
    assert hit.rule == "net.service.dual_use" and hit.severity is Severity.LOW
    assert "Telegram bot interface" in hit.explanation


def test_upload_heavy_thresholds() -> None:
    def upload(sent: int, received: int, host: str = HOST) -> set[str]:
        b = CaptureBuilder()
        b.dns(host, "51.15.20.30", at=1.0)
        b.flow("51.15.20.30", 443, at=2.0, app="tls", name=host, sent=sent, received=received)
        return rules_for(b.build(), host)

    assert upload(3_000_000, 900_000) == {"net.flow.upload_heavy"}
    assert upload(1_000_000, 10_000) == set()  # not more than 1 MB
    assert upload(3_000_000, 1_000_000) == set()  # not more than 3 times what came back
    assert upload(3_000_000, 10_000, "upload.photos.icloud.com") == set()  # allowlisted


def test_upload_heavy_adds_up_the_flows_of_one_host() -> None:
    b = CaptureBuilder()
    b.dns(HOST, "51.15.20.30", at=1.0)
    for i in range(5):
        b.flow(
            "51.15.20.30",
            443,
            at=10.0 + 37 * i * i,
            app="tls",
            name=HOST,
            sent=300_000,
            received=5_000,
        )
    [hit] = [f for f in findings(b.build()) if f.rule == "net.flow.upload_heavy"]
    assert "1.5 MB out" in hit.title and len(hit.evidence) == 5


def test_local_network_traffic_is_never_judged() -> None:
    b = CaptureBuilder()
    b.flow("192.168.100.1", 8080, at=1.0, app="http", sent=5_000_000, received=1_000)
    b.flow("192.168.100.20", 8009, at=2.0, app="tls", sent=9_000)
    assert not findings(b.build())


def test_packaged_allowlist_quiets_platform_hosts() -> None:
    assert packaged_allowlist().domain_owner("mtalk.google.com") == "Google"
    capture = tls_to(
        "mtalk.google.com",
        "142.250.102.188",
        5228,
        certificates=(certificate("CN=mtalk.google.com", "CN=E6,O=Let's Encrypt,C=US"),),
    )
    assert not findings(capture)
