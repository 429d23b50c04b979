"""The packaged network lists."""

from __future__ import annotations

import pytest

from stalkerscan.detect.net.lists import packaged_net_lists, parse_net_lists
from stalkerscan.indicators.allowlist import packaged_allowlist
from stalkerscan.model.errors import InputFormatError


def test_lists_read_and_match_on_label_boundaries() -> None:
    lists = packaged_net_lists()
    assert lists.dynamic_dns_zone("cam.duckdns.org") == "duckdns.org"
    assert lists.dynamic_dns_zone("duckdns.org") is None
    assert lists.dynamic_dns_zone("xduckdns.org") is None
    assert lists.resolver_name("dns.google") == "dns.google"
    assert lists.resolver_name("abc123.dns.nextdns.io") == "dns.nextdns.io"
    assert "2606:4700:4700::1111" in lists.resolver_addresses
    service = lists.dual_use_service("API.Telegram.org.")
    assert service is not None and "bot" in service.service
    assert lists.dual_use_service("telegram.org") is None
    assert lists.dual_use_service("x.firebaseio.com") is None  # deliberately not listed
    assert lists.shared_network("172.67.81.216") == "Cloudflare"
    assert lists.shared_network("69.64.74.239") is None
    assert {"tk", "xyz", "top"} <= lists.suspicious_tlds and "app" not in lists.suspicious_tlds
    assert lists.tor_ports == {9001, 9030, 9050, 9150}
    assert lists.tor_name_pattern.fullmatch("www.abcdefgh2.net")
    assert not lists.tor_name_pattern.fullmatch("www.abc.net")


def test_dual_use_services_and_resolvers_are_not_allowlisted() -> None:
    allow = packaged_allowlist()
    lists = packaged_net_lists()
    assert [s.name for s in lists.dual_use if allow.domain_owner(s.name)] == []
    assert [z for z in lists.dynamic_dns_zones if allow.domain_owner(z)] == []


def test_a_broken_lists_file_is_reported() -> None:
    with pytest.raises(InputFormatError):
        parse_net_lists("dynamic_dns_zones: 3", "net_lists.yaml")
