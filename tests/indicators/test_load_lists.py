"""Plain host lists and Echap network.csv."""

from __future__ import annotations

import csv
from pathlib import Path

from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.indicators.load import load_path
from stalkerscan.indicators.load_echap import ECHAP_LICENCE
from stalkerscan.model import IndicatorKind, Role, Threat

K = IndicatorKind


def test_echap_hosts_and_hosts_full(echap_dir: Path) -> None:
    (hosts,) = load_path(echap_dir / "generated" / "hosts")
    (full,) = load_path(echap_dir / "generated" / "hosts_full")
    assert hosts.info.format == full.info.format == "host-list"
    assert (hosts.info.name, full.info.name) == ("echap-hosts", "echap-hosts-full")
    assert len(hosts.indicators) == 925
    assert len(full.indicators) == 989
    assert {i.role for i in full.indicators} == {Role.UNKNOWN}
    assert {i.threat for i in hosts.indicators} == {Threat.STALKERWARE}
    assert hosts.info.licence == ECHAP_LICENCE
    assert hosts.skipped == full.skipped == ()


def test_echap_network_csv(echap_dir: Path) -> None:
    path = echap_dir / "generated" / "network.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    (s,) = load_path(path)
    assert s.info.format == "echap-network-csv"
    assert s.skipped == ()
    assert {(i.value, i.app) for i in s.indicators} == {(r["indicator"], r["app"]) for r in rows}
    assert {i.role for i in s.indicators} == {Role.UNKNOWN}
    assert {i.threat for i in s.indicators} == {Threat.STALKERWARE}
    kinds = {i.kind for i in s.indicators}
    assert kinds == {K.DOMAIN, K.IPV4, K.URL}  # two distribution entries are full URLs
    index = IndicatorIndex([s])
    assert index.match_domain("a.copy9.com")[0].indicator.app == "TheTruthSpy"


def test_hosts_file_with_boilerplate_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "blocklist.txt"
    path.write_text(
        "# Stalkerware blocklist\n"
        "127.0.0.1 localhost\n"
        "::1 localhost ip6-localhost ip6-loopback\n"
        "255.255.255.255 broadcasthost\n"
        "\n"
        "0.0.0.0 spy-upload.example   # C2\n"
        "127.0.0.1 Panel.Spy-Example.NET. mirror.spy-example.net\n"
        "spy-direct.example\n"
        "203.0.113.77\n"
        "2001:db8::77\n"
        "198.51.100.0/24\n"
        "https://dl.spy-example.net/a.apk\n"
        "this line is prose\n"
        "||adblock.example^\n",
        "utf-8",
    )
    (s,) = load_path(path)
    assert s.info.name == "blocklist"
    assert s.info.licence is None
    got = {(i.kind, i.value) for i in s.indicators}
    assert got == {
        (K.DOMAIN, "spy-upload.example"),
        (K.DOMAIN, "panel.spy-example.net"),
        (K.DOMAIN, "mirror.spy-example.net"),
        (K.DOMAIN, "spy-direct.example"),
        (K.IPV4, "203.0.113.77"),
        (K.IPV6, "2001:db8::77"),
        (K.CIDR, "198.51.100.0/24"),
        (K.URL, "https://dl.spy-example.net/a.apk"),
    }
    assert {i.threat for i in s.indicators} == {Threat.UNKNOWN}
    assert [e.locator for e in s.skipped] == ["line 13", "line 14"]
