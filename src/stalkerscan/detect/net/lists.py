"""The packaged network lists (``data/net_lists.yaml``): heuristics data, never indicators."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from functools import cache

from stalkerscan.indicators.domains import label_suffixes, normalise_domain
from stalkerscan.model.errors import InputFormatError
from stalkerscan.model.packaged import load_yaml, read_packaged_text

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class DualUseService:
    """A legitimate service that stalkerware can use as its server."""

    name: str
    """Normalised name; covers its subdomains."""
    service: str
    """What the service is, in words for people."""


@dataclass(frozen=True, slots=True)
class NetLists:
    """Everything in ``net_lists.yaml``, parsed."""

    dynamic_dns_zones: frozenset[str]
    suspicious_tlds: frozenset[str]
    resolver_names: frozenset[str]
    """Public DoH/DoT resolver names (label boundary)."""
    resolver_addresses: frozenset[str]
    """Public DoH/DoT resolver addresses (compressed text)."""
    dual_use: tuple[DualUseService, ...]
    free_issuer_organisations: frozenset[str]
    free_issuer_common_names: frozenset[str]
    tor_ports: frozenset[int]
    tor_name_pattern: re.Pattern[str]
    shared_networks: tuple[tuple[IpNetwork, str], ...]
    """(range, operator) of content-delivery networks whose addresses many sites share."""
    _resolver_memo: dict[str, bool] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    """Memo of ``is_resolver_name`` (asked once per connection to port 443)."""

    def dynamic_dns_zone(self, name: str) -> str | None:
        """The dynamic-DNS zone ``name`` lies strictly under, if any."""
        observed = normalise_domain(name)
        for suffix in label_suffixes(observed):
            if suffix != observed and suffix in self.dynamic_dns_zones:
                return suffix
        return None

    def resolver_name(self, name: str) -> str | None:
        """The listed DoH/DoT resolver name ``name`` is (or lies under), if any."""
        for suffix in label_suffixes(normalise_domain(name)):
            if suffix in self.resolver_names:
                return suffix
        return None

    def is_resolver_name(self, name: str) -> bool:
        """True if ``resolver_name(name)`` names a resolver (remembered per name)."""
        known = self._resolver_memo.get(name)
        if known is None:
            known = self._resolver_memo[name] = bool(self.resolver_name(name))
        return known

    def dual_use_service(self, name: str) -> DualUseService | None:
        """The dual-use service ``name`` belongs to, if any."""
        suffixes = set(label_suffixes(normalise_domain(name)))
        for service in self.dual_use:
            if service.name in suffixes:
                return service
        return None

    def shared_network(self, address: str) -> str | None:
        """The content-delivery network operator whose shared range holds ``address``."""
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return None
        for network, operator in self.shared_networks:
            if ip.version == network.version and ip in network:
                return operator
        return None


def _strings(data: dict[str, object], key: str, source: str) -> list[str]:
    raw = data.get(key)
    if not isinstance(raw, list):
        raise InputFormatError(f"{source}: '{key}' is missing or not a list", "Restore the file")
    return [str(x).strip() for x in raw]


def _section(data: dict[str, object], key: str, source: str) -> dict[str, object]:
    raw = data.get(key)
    if not isinstance(raw, dict):
        raise InputFormatError(f"{source}: '{key}' is missing or not a mapping", "Restore the file")
    return {str(k): v for k, v in raw.items()}


def _dual_use(data: dict[str, object], source: str) -> tuple[DualUseService, ...]:
    raw = data.get("dual_use_services")
    if not isinstance(raw, list):
        raise InputFormatError(f"{source}: 'dual_use_services' is not a list", "Restore the file")
    out = []
    for item in raw:
        if not isinstance(item, dict) or "name" not in item or "service" not in item:
            raise InputFormatError(
                f"{source}: a dual-use entry lacks 'name' or 'service'", "Restore the file"
            )
        out.append(DualUseService(normalise_domain(str(item["name"])), str(item["service"])))
    return tuple(out)


def _shared(data: dict[str, object], source: str) -> tuple[tuple[IpNetwork, str], ...]:
    out: list[tuple[IpNetwork, str]] = []
    for operator, ranges in _section(data, "shared_networks", source).items():
        if not isinstance(ranges, list):
            raise InputFormatError(f"{source}: ranges of {operator} are not a list", "Restore it")
        try:
            out.extend((ipaddress.ip_network(str(r), strict=False), operator) for r in ranges)
        except ValueError as exc:
            raise InputFormatError(f"{source}: bad range ({exc})", "Restore the file") from exc
    return tuple(out)


def parse_net_lists(text: str, source: str) -> NetLists:
    """Parse the ``net_lists.yaml`` format; ``source`` names the file in errors."""
    data = load_yaml(text)
    if not isinstance(data, dict):
        raise InputFormatError(f"{source} is not a mapping of lists", "Restore the file")
    resolvers = _section(data, "encrypted_dns_resolvers", source)
    issuers = _section(data, "free_certificate_issuers", source)
    tor = _section(data, "tor", source)
    tor_ports = tor.get("ports")
    if not isinstance(tor_ports, list):
        raise InputFormatError(f"{source}: 'tor.ports' is not a list", "Restore the file")
    return NetLists(
        dynamic_dns_zones=frozenset(
            normalise_domain(x) for x in _strings(data, "dynamic_dns_zones", source)
        ),
        suspicious_tlds=frozenset(
            normalise_domain(x).lstrip(".") for x in _strings(data, "suspicious_tlds", source)
        ),
        resolver_names=frozenset(normalise_domain(x) for x in _strings(resolvers, "names", source)),
        resolver_addresses=frozenset(
            ipaddress.ip_address(x).compressed for x in _strings(resolvers, "addresses", source)
        ),
        dual_use=_dual_use(data, source),
        free_issuer_organisations=frozenset(_strings(issuers, "organisations", source)),
        free_issuer_common_names=frozenset(_strings(issuers, "common_names", source)),
        tor_ports=frozenset(int(p) for p in tor_ports),
        tor_name_pattern=re.compile(str(tor.get("random_name_pattern"))),
        shared_networks=_shared(data, source),
    )


@cache
def packaged_net_lists() -> NetLists:
    """The lists shipped with stalkerscan, read once."""
    text = read_packaged_text("data", "net_lists.yaml")
    return parse_net_lists(text, "the packaged net_lists.yaml")
