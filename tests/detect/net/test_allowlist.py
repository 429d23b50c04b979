"""The allowlist: format, matching, and that it never covers a stalkerware host."""

from __future__ import annotations

from pathlib import Path

import pytest

from detect.net.helpers import load_echap_indicators
from stalkerscan.indicators.allowlist import load_allowlist, packaged_allowlist, parse_allowlist
from stalkerscan.indicators.domains import default_platform_suffixes
from stalkerscan.model import IndicatorKind, Threat
from stalkerscan.model.errors import InputFormatError, UserError


def test_packaged_allowlist_reads_and_matches_on_label_boundaries() -> None:
    allow = packaged_allowlist()
    assert allow.domain_owner("mtalk.google.com") == "Google"
    assert allow.domain_owner("notgoogle.com") is None
    assert allow.domain_owner("icloudappe.com") is None  # a TheTruthSpy server, not iCloud
    assert allow.network_owner("17.253.144.10") == "Apple"
    assert (allow.network_owner("2a03:2880:f12f:83:face:b00c::25de") or "").startswith("Meta")
    assert allow.network_owner("51.15.20.30") is None
    assert allow.network_owner("not an address") is None
    assert allow.apk_certificate_owner(
        "38:91:8A:45:3D:07:19:93:54:F8:B1:9A:F0:5E:C6:56:2C:ED:57:88"
    )
    assert allow.tls_certificates == {}


def test_packaged_allowlist_holds_no_shared_hosting_platform() -> None:
    platforms = default_platform_suffixes()
    assert not set(packaged_allowlist().domains) & platforms


def test_packaged_allowlist_covers_no_stalkerware_host(echap_dir: Path) -> None:
    """Only Microsoft Family Safety (watchware, under microsoft.com) lies under the allowlist;
    its indicator findings still fire (see test_ioc), only heuristics are quieted there."""
    allow = packaged_allowlist()
    covered = [
        i
        for i in load_echap_indicators(echap_dir)
        if (i.kind is IndicatorKind.DOMAIN and allow.domain_owner(i.value))
        or (i.kind is IndicatorKind.IPV4 and allow.network_owner(i.value))
    ]
    assert {(i.app, i.threat) for i in covered} == {("MicrosoftFamilySafe", Threat.WATCHWARE)}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("domains: [firebaseio.com]", "shared-hosting suffix"),
        ("domains: ['not a name']", "not a domain name"),
        ("networks: {Acme: [10.0.0.0/33]}", "not an IP range"),
        ("tls_certificates: [abcd]", "not a SHA-1"),
        ("hosts: []", "unknown section"),
        ("- a\n- b", "not an allowlist"),
        ("domains: {Acme: example.com}", "not a list"),
        ("domains: [unclosed", "not valid YAML"),
    ],
)
def test_bad_allowlists_say_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(InputFormatError) as caught:
        parse_allowlist(text, "my-allowlist.yaml")
    assert problem in caught.value.problem
    assert "my-allowlist.yaml" in caught.value.problem
    assert caught.value.fix


def test_examiner_file_is_merged(tmp_path: Path) -> None:
    path = tmp_path / "lab.yaml"
    path.write_text(
        "domains:\n  Lab: [lab.example.org]\nnetworks: [198.51.100.0/24]\n"
        "tls_certificates: ['AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD']\n",
        "utf-8",
    )
    allow = load_allowlist(path)
    assert allow.domain_owner("vpn.lab.example.org") == "Lab"
    assert allow.domain_owner("www.google.com") == "Google"
    assert allow.network_owner("198.51.100.7") == "allowlist"
    assert allow.tls_certificate_owner("aabbccddeeff00112233445566778899aabbccdd") == "allowlist"


def test_missing_examiner_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        load_allowlist(tmp_path / "missing.yaml")
    assert "does not exist" in caught.value.problem
