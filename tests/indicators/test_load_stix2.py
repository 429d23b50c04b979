"""STIX 2.1 bundles: the Echap bundle, and the patterns MVT chokes on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.indicators.load import load_path
from stalkerscan.indicators.load_echap import ECHAP_LICENCE
from stalkerscan.indicators.stix_pattern import parse_pattern
from stalkerscan.model import IndicatorKind, IndicatorSet, Role, Threat

K = IndicatorKind
STIX = "generated/stalkerware.regenerated.stix2"


@pytest.fixture(scope="module")
def stix_set(echap_dir: Path) -> IndicatorSet:
    (s,) = load_path(echap_dir / STIX)
    return s


def _bundle(*objects: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "bundle",
        "id": "bundle--5b1c2f4e-0000-4000-8000-000000000001",
        "objects": list(objects),
    }


def _indicator(n: int, pattern: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--00000000-0000-4000-8000-{n:012d}",
        "created": "2025-01-01T00:00:00Z",
        "modified": "2025-01-01T00:00:00Z",
        "indicator_types": ["malicious-activity"],
        "pattern": pattern,
        "pattern_type": "stix",
        "valid_from": "2025-01-01T00:00:00Z",
        **extra,
    }


def _malware(n: int, name: str, description: str) -> dict[str, Any]:
    return {
        "type": "malware",
        "spec_version": "2.1",
        "id": f"malware--00000000-0000-4000-9000-{n:012d}",
        "name": name,
        "description": description,
        "is_family": False,
    }


def _indicates(n: int, source: dict[str, Any], target: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "relationship",
        "spec_version": "2.1",
        "id": f"relationship--00000000-0000-4000-a000-{n:012d}",
        "relationship_type": "indicates",
        "source_ref": source["id"],
        "target_ref": target["id"],
    }


def _write(tmp_path: Path, bundle: dict[str, Any], name: str = "feed.stix2") -> IndicatorSet:
    path = tmp_path / name
    path.write_text(json.dumps(bundle), "utf-8")
    (s,) = load_path(path)
    return s


def test_echap_bundle_every_indicator_loads(stix_set: IndicatorSet, echap_dir: Path) -> None:
    doc = json.loads((echap_dir / STIX).read_text("utf-8"))
    objects = doc["objects"]
    patterns = [o["pattern"] for o in objects if o["type"] == "indicator"]
    malware = [o for o in objects if o["type"] == "malware"]
    assert len(patterns) == 6073
    assert len(malware) == 174
    assert stix_set.skipped == ()
    loaded = {i.value.lower() for i in stix_set.indicators}
    assert all(parse_pattern(p).value.lower() in loaded for p in patterns)
    # 174 malware objects; WiseMo and FindMyKids are listed both as stalkerware and as watchware
    assert len({(i.app, i.threat) for i in stix_set.indicators}) == 174
    assert len({i.app for i in stix_set.indicators}) == 172
    assert stix_set.info.format == "stix2"
    assert stix_set.info.name == "echap-stalkerware-regenerated"
    assert stix_set.info.licence == ECHAP_LICENCE


def test_echap_bundle_apps_threats_and_roles(stix_set: IndicatorSet) -> None:
    index = IndicatorIndex([stix_set])
    hits = index.match_domain("x.y.copy9.com")
    assert {(m.indicator.app, m.indicator.threat, m.indicator.role) for m in hits} == {
        ("TheTruthSpy", Threat.STALKERWARE, Role.UNKNOWN)
    }
    life360 = index.match_bundle("com.life360.safetymap")
    assert [(m.indicator.app, m.indicator.threat) for m in life360] == [
        ("Life360", Threat.WATCHWARE)
    ]
    assert life360[0].indicator.kind is K.APP_ID
    cert = index.match_signing_cert("31:A6:EC:EC:D9:7C:F3:9B:C4:12:6B:87:45:CD:94:A7:C3:0B:F8:1C")
    assert cert and cert[0].indicator.role is Role.APP
    sha = "2f3bc9ebe8c249f0416f5b0367f34b4b8f6aaa7d351dc5b4912fe2558491b6b7"
    assert index.match_file_hash(sha.upper())[0].indicator.role is Role.SAMPLE


def test_values_with_equals_and_quotes_load(tmp_path: Path) -> None:
    spy = _malware(1, "QuoteSpy", "Stalkerware application")
    url = _indicator(1, r"[url:value='https://dl.quote.example/get?id=7&sig=a==&n=O\'Neil']")
    path = _indicator(2, r"[file:path='/sdcard/Android/data/it\'s\\here']")
    name = _indicator(3, "[file:name = 'a=b.apk']")
    s = _write(tmp_path, _bundle(spy, url, path, name, _indicates(1, url, spy)))
    values = {(i.kind, i.value, i.app) for i in s.indicators}
    assert values == {
        (K.URL, "https://dl.quote.example/get?id=7&sig=a==&n=O'Neil", "QuoteSpy"),
        (K.FILE_PATH, "/sdcard/Android/data/it's\\here", None),
        (K.FILE_NAME, "a=b.apk", None),
    }
    assert s.skipped == ()
    threat = {i.value: i.threat for i in s.indicators}
    assert threat["a=b.apk"] is Threat.UNKNOWN


def test_unsupported_patterns_are_skipped_and_counted(tmp_path: Path) -> None:
    good = _indicator(1, "[domain-name:value='ok.example']")
    compound = _indicator(2, "[domain-name:value='a.example' OR domain-name:value='b.example']")
    other = _indicator(3, "[network-traffic:dst_port = '443']")
    broken = _indicator(4, "[domain-name:value='unterminated]")
    yara = _indicator(5, "rule x { condition: true }", pattern_type="yara")
    revoked = _indicator(6, "[domain-name:value='old.example']", revoked=True)
    s = _write(tmp_path, _bundle(good, compound, other, broken, yara, revoked))
    assert [i.value for i in s.indicators] == ["ok.example"]
    assert s.info.skipped == 5
    reasons = {e.locator.rsplit("-", 1)[1]: e.reason for e in s.skipped}
    assert "compound comparison (OR)" in reasons["000000000002"]
    assert "network-traffic:dst_port" in reasons["000000000003"]
    assert reasons["000000000004"].startswith("invalid pattern")
    assert reasons["000000000005"] == "unsupported pattern type: yara"
    assert reasons["000000000006"] == "revoked indicator"


def test_hash_keys_in_every_spelling(tmp_path: Path) -> None:
    md5 = "d41d8cd98f00b204e9800998ecf8427e"
    sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
    sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    s = _write(
        tmp_path,
        _bundle(
            _indicator(1, f"[file:hashes.'SHA-256'='{sha256.upper()}']"),
            _indicator(2, f"[file:hashes.'MD5'='{md5}']"),
            _indicator(3, f"[file:hashes.'SHA-1'='{sha1}']"),
            _indicator(4, f"[app:cert.sha256='{sha256}']"),
            _indicator(5, "[ipv4-addr:value='198.51.100.0/24']"),
            _indicator(6, "[ipv6-addr:value='2001:DB8::0:1']"),
            _indicator(7, "[email-addr:value='boss@spy.example']"),
            _indicator(8, "[process:name='com.spy.service']"),
            _indicator(9, "[configuration-profile:id='com.spy.profile']"),
            _indicator(10, "[android-property:name='persist.spy.enabled']"),
        ),
    )
    kinds = {i.kind: i.value for i in s.indicators}
    assert kinds == {
        K.FILE_SHA256: sha256,
        K.FILE_MD5: md5,
        K.FILE_SHA1: sha1,
        K.CERT_SHA256: sha256,
        K.CIDR: "198.51.100.0/24",
        K.IPV6: "2001:db8::1",
        K.EMAIL: "boss@spy.example",
        K.PROCESS: "com.spy.service",
        K.CONFIG_PROFILE: "com.spy.profile",
        K.ANDROID_PROPERTY: "persist.spy.enabled",
    }


def test_report_groups_and_malware_wins(tmp_path: Path) -> None:
    in_report = _indicator(1, "[domain-name:value='report-only.example']")
    both = _indicator(2, "[domain-name:value='both.example']")
    orphan = _indicator(3, "[domain-name:value='orphan.example']")
    spy = _malware(1, "NamedSpy", "Watchware application")
    report = {
        "type": "report",
        "spec_version": "2.1",
        "id": "report--00000000-0000-4000-b000-000000000001",
        "name": "Operation Example",
        "report_types": ["threat-report"],
        "description": "Commercial spyware campaign",
        "published": "2025-01-01T00:00:00Z",
        "object_refs": [in_report["id"], both["id"]],
    }
    s = _write(tmp_path, _bundle(in_report, both, orphan, spy, report, _indicates(1, both, spy)))
    got = {i.value: (i.app, i.threat) for i in s.indicators}
    assert got == {
        "report-only.example": ("Operation Example", Threat.SPYWARE),
        "both.example": ("NamedSpy", Threat.WATCHWARE),
        "orphan.example": (None, Threat.UNKNOWN),
    }


def test_one_indicator_for_two_apps(tmp_path: Path) -> None:
    shared = _indicator(1, "[app:id='com.shared.pkg']")
    a, b = _malware(1, "A", "Stalkerware application"), _malware(2, "B", "Stalkerware application")
    s = _write(tmp_path, _bundle(shared, a, b, _indicates(1, shared, a), _indicates(2, shared, b)))
    assert sorted(str(i.app) for i in s.indicators) == ["A", "B"]
