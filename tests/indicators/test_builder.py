"""Value normalisation shared by every loader: addresses found in name fields, names kept."""

from __future__ import annotations

import pytest

from stalkerscan.indicators.builder import ValueRejected, looks_like_ip, normalise_value
from stalkerscan.model import IndicatorKind


@pytest.mark.parametrize(
    "value",
    ["1.2.3.4", " 1.2.3.4 ", "::1", "[2001:db8::1]", "10.0.0.0/8", "fe80::1%eth0", "ABCD::12"],
)
def test_addresses_are_recognised(value: str) -> None:
    assert looks_like_ip(value)


@pytest.mark.parametrize(
    "value", ["copy9.com", "dead.beef", "abc", "1.2.3.4.example", "a-b.cd", "1.2.3", "", "::g"]
)
def test_names_and_near_misses_are_not_addresses(value: str) -> None:
    assert not looks_like_ip(value)


def test_a_domain_field_holding_an_address_becomes_an_ip_indicator() -> None:
    assert normalise_value(IndicatorKind.DOMAIN, "203.0.113.7") == (
        IndicatorKind.IPV4,
        "203.0.113.7",
    )
    assert normalise_value(IndicatorKind.DOMAIN, "2001:DB8::7/128") == (
        IndicatorKind.IPV6,
        "2001:db8::7",
    )
    assert normalise_value(IndicatorKind.DOMAIN, "Copy9.COM.") == (
        IndicatorKind.DOMAIN,
        "copy9.com",
    )
    with pytest.raises(ValueRejected):
        normalise_value(IndicatorKind.DOMAIN, "not a domain")
