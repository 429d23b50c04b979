"""TinyCheck / SpyGuard JSON feeds."""

from __future__ import annotations

import json
from pathlib import Path

from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.indicators.load import load_path
from stalkerscan.model import IndicatorKind, Role, Threat

K = IndicatorKind


def test_echap_feed(echap_dir: Path) -> None:
    path = echap_dir / "generated" / "indicators-for-tinycheck.json"
    raw = json.loads(path.read_text("utf-8"))["iocs"]
    (s,) = load_path(path)
    assert s.info.format == "tinycheck"
    assert s.info.name == "echap-indicators-for-tinycheck"
    assert s.skipped == ()
    assert {i.value for i in s.indicators} == {e["value"] for e in raw}
    assert {i.role for i in s.indicators} == {Role.UNKNOWN}
    assert {i.threat for i in s.indicators} == {Threat.STALKERWARE}
    assert {i.tags for i in s.indicators} == {("stalkerware", "tlp:white")}
    # vendor websites and C2 servers share one tag here: mspy.com is in, with no role
    index = IndicatorIndex([s])
    assert [m.indicator.role for m in index.match_domain("mspy.com")] == [Role.UNKNOWN]
    assert {i.kind for i in s.indicators} == {K.DOMAIN, K.IPV4, K.URL}


def test_spyguard_feed_every_type(tmp_path: Path) -> None:
    feed = {
        "iocs": [
            {"type": "domain", "tag": "pegasus", "tlp": "white", "value": "Free247Downloads.com"},
            {"type": "ip4addr", "tag": "stalkerware", "tlp": "white", "value": "176.9.5.17"},
            {"type": "ip6addr", "tag": "spyware", "tlp": "green", "value": "2a01:4f8:0:a0a1::2"},
            {"type": "cidr", "tag": "suspect", "tlp": "white", "value": "185.125.190.0/24"},
            {
                "type": "sha1cert",
                "tag": "stalkerware",
                "tlp": "white",
                "value": "9B:2D:39:4E:1F:52:13:EF:05:28:6E:6A:D8:AD:D0:F0:61:2F:A6:8C",
            },
            {"type": "freedns", "tag": "suspect", "tlp": "white", "value": "duckdns.org"},
            {"type": "ns", "tag": "suspect", "tlp": "white", "value": "ns1.njalla.net"},
            {"type": "tld", "tag": "suspect", "tlp": "white", "value": ".xyz"},
            {
                "type": "domain",
                "tag": "tracker",
                "tlp": "white",
                "value": "app-measurement.example",
            },
            {"type": "domain", "tag": "malicious", "tlp": "amber", "value": "bad.example"},
            {
                "type": "snort",
                "tag": "apt",
                "tlp": "white",
                "value": 'alert tcp any any -> any 443 (msg:"x"; sid:1;)',
            },
            {"type": "yara", "tag": "apt", "tlp": "white", "value": "rule x {}"},
            {"type": "domain", "tag": "stalkerware", "tlp": "white", "value": "not a domain"},
            {"type": "domain", "tag": "stalkerware"},
        ],
        "to_delete": [{"value": "old.example"}],
    }
    path = tmp_path / "iocs.json"
    path.write_text(json.dumps(feed), "utf-8")
    (s,) = load_path(path)
    got = {(i.kind, i.value): (i.role, i.threat) for i in s.indicators}
    assert got == {
        (K.DOMAIN, "free247downloads.com"): (Role.UNKNOWN, Threat.SPYWARE),
        (K.IPV4, "176.9.5.17"): (Role.UNKNOWN, Threat.STALKERWARE),
        (K.IPV6, "2a01:4f8:0:a0a1::2"): (Role.UNKNOWN, Threat.SPYWARE),
        (K.CIDR, "185.125.190.0/24"): (Role.UNKNOWN, Threat.SUSPICIOUS),
        (K.TLS_CERT_SHA1, "9b2d394e1f5213ef05286e6ad8add0f0612fa68c"): (
            Role.UNKNOWN,
            Threat.STALKERWARE,
        ),
        (K.DYNDNS_SUFFIX, "duckdns.org"): (Role.HEURISTIC, Threat.SUSPICIOUS),
        (K.NAMESERVER, "ns1.njalla.net"): (Role.HEURISTIC, Threat.SUSPICIOUS),
        (K.TLD, "xyz"): (Role.HEURISTIC, Threat.SUSPICIOUS),
        (K.DOMAIN, "app-measurement.example"): (Role.UNKNOWN, Threat.TRACKER),
        (K.DOMAIN, "bad.example"): (Role.UNKNOWN, Threat.UNKNOWN),
    }
    reasons = [e.reason for e in s.skipped]
    assert reasons[0] == "unsupported: Suricata/Snort rule"
    assert reasons[1] == "unsupported type: yara"
    assert reasons[2].startswith("not a domain name")
    assert reasons[3] == "entry without a value"
    assert s.info.skipped == 4
    tags = {i.value: i.tags for i in s.indicators}
    assert tags["bad.example"] == ("malicious", "tlp:amber")
    index = IndicatorIndex([s])
    assert index.match_ip("185.125.190.7")
    assert index.match_dyndns("my-phone.duckdns.org")
    assert index.match_tld("anything.xyz")
    assert index.match_tls_cert("9b2d394e1f5213ef05286e6ad8add0f0612fa68c")
