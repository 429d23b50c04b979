"""Which names the phone used, where each was seen, and which name each connection had.

Built once per detector run from a ``NetworkCapture``: a name sighting is one record that showed a
name (a DNS question or answer, a TLS or QUIC server name, an HTTP Host header). Multicast DNS is
kept out: it names devices on the local network, never Internet servers.
"""

from __future__ import annotations

import enum
import ipaddress
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from stalkerscan.indicators.domains import normalise_domain
from stalkerscan.model.net import DnsRecord, Flow, FlowKey, NetworkCapture


class SightingKind(enum.Enum):
    """The kind of record a name (or address) was seen in; the value is the locator's words."""

    DNS_QUERY = "DNS query"
    DNS_ANSWER = "DNS answer"
    TLS_SNI = "TLS ClientHello"
    TLS_CERTIFICATE = "TLS certificate"
    QUIC_SNI = "QUIC Initial"
    HTTP_HOST = "HTTP request"
    CONNECTION = "connection start"

    @property
    def source(self) -> str:
        """The record kind for timelines: ``dns``, ``tls``, ``quic``, ``http`` or ``flow``."""
        return _SOURCES[self]


_SOURCES = {
    SightingKind.DNS_QUERY: "dns",
    SightingKind.DNS_ANSWER: "dns",
    SightingKind.TLS_SNI: "tls",
    SightingKind.TLS_CERTIFICATE: "tls",
    SightingKind.QUIC_SNI: "quic",
    SightingKind.HTTP_HOST: "http",
    SightingKind.CONNECTION: "flow",
}


@dataclass(frozen=True, slots=True)
class Sighting:
    """One record in which a name or address was seen."""

    subject: str
    """The normalised name (or the address, for connections)."""
    kind: SightingKind
    packet: int
    time: float
    observed: str
    """What the record showed, in words."""


_NOT_IP = frozenset("ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ-_")


@lru_cache(maxsize=65_536)
def is_ip(text: str) -> bool:
    """True if ``text`` is an IPv4 or IPv6 address."""
    if not text or not _NOT_IP.isdisjoint(text):
        return False
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


@lru_cache(maxsize=65_536)
def is_public(address: str) -> bool:
    """A global unicast address: not private, shared, link-local, loopback, multicast, broadcast."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.is_global and not ip.is_multicast


def endpoint(key: FlowKey) -> str:
    """``1.2.3.4 port 443`` (or ``UDP port 443`` for UDP) for the server side of a flow."""
    udp = " UDP" if key.transport.value == "udp" else ""
    return f"{key.dst}{udp} port {key.dport}"


@lru_cache(maxsize=65_536)
def _clean_name(raw: str | None) -> str | None:
    if not raw:
        return None
    name = normalise_domain(raw)
    if not name or is_ip(name) or " " in name:
        return None
    return name


def _dns_sightings(record: DnsRecord) -> list[Sighting]:
    out: list[Sighting] = []
    query = _clean_name(record.query)
    if not record.is_response:
        if query:
            text = f"DNS query for {query} ({record.qtype}) to {record.server}"
            out.append(Sighting(query, SightingKind.DNS_QUERY, record.packet, record.time, text))
        return out
    values = ", ".join(f"{a.rtype} {a.value}" for a in record.answers) or f"rcode {record.rcode}"
    if query:
        text = f"DNS answer for {query}: {values}"
        out.append(Sighting(query, SightingKind.DNS_ANSWER, record.packet, record.time, text))
    for answer in record.answers:
        names = [answer.name]
        if answer.rtype == "CNAME":
            names.append(answer.value)
        for raw in names:
            name = _clean_name(raw)
            if name and name != query:
                text = f"DNS answer for {query}: {answer.name} {answer.rtype} {answer.value}"
                out.append(
                    Sighting(name, SightingKind.DNS_ANSWER, record.packet, record.time, text)
                )
    return out


@dataclass(frozen=True, slots=True)
class CaptureView:
    """A capture indexed by name and by address, shared by the network detectors."""

    capture: NetworkCapture
    names: Mapping[str, tuple[Sighting, ...]]
    """Every name seen -> its sightings in time order."""
    ip_names: Mapping[str, tuple[str, ...]]
    """Address -> names that DNS answers gave it (asked name first), in order of first answer."""
    ip_answers: Mapping[str, tuple[Sighting, ...]]
    """Address -> the DNS answers that gave it."""
    key_names: Mapping[FlowKey, tuple[str, ...]]
    """Flow key -> names its own records showed (TLS/QUIC server name, HTTP Host)."""
    dst_names: Mapping[str, tuple[str, ...]]
    """Server address -> names any connection to it showed itself (flow name, server name, Host)."""
    plain_dns_answers: int
    """DNS responses (not multicast) that carried at least one answer."""
    _flow_names: dict[Flow, tuple[str, ...]] = field(default_factory=dict, compare=False)
    """Memo of ``flow_names`` (the view is built once and read many times)."""

    def flow_names(self, flow: Flow) -> tuple[str, ...]:
        """Every name the connection had: its own, its address's DNS names, then names other
        connections to the same address had (a cached name is often shown by a sibling)."""
        known = self._flow_names.get(flow)
        if known is not None:
            return known
        found = list(own_names(flow, self.key_names))
        found += list(self.ip_names.get(flow.key.dst, ()))
        found += list(self.dst_names.get(flow.key.dst, ()))
        names = tuple(dict.fromkeys(found))
        self._flow_names[flow] = names
        return names

    def flow_subject(self, flow: Flow) -> str:
        """The host a connection is about: its first name, or its server address."""
        names = self.flow_names(flow)
        return names[0] if names else flow.key.dst


def own_names(flow: Flow, key_names: Mapping[FlowKey, tuple[str, ...]]) -> tuple[str, ...]:
    """The names a connection showed itself: the extractor's name, server names, Host."""
    own = _clean_name(flow.name)
    return tuple(dict.fromkeys(([own] if own else []) + list(key_names.get(flow.key, ()))))


def _sort(table: dict[str, list[Sighting]]) -> dict[str, tuple[Sighting, ...]]:
    return {k: tuple(sorted(v, key=lambda s: (s.time, s.packet))) for k, v in table.items()}


def _record_names(
    capture: NetworkCapture, names: dict[str, list[Sighting]]
) -> dict[FlowKey, list[str]]:
    key_names: dict[FlowKey, list[str]] = defaultdict(list)
    for tls in capture.tls:
        name = _clean_name(tls.sni)
        if name:
            text = f"TLS connection to {endpoint(tls.key)} with server name {name}"
            names[name].append(Sighting(name, SightingKind.TLS_SNI, tls.packet, tls.time, text))
            key_names[tls.key].append(name)
    for quic in capture.quic:
        name = _clean_name(quic.sni)
        if name:
            text = f"QUIC connection to {endpoint(quic.key)} with server name {name}"
            names[name].append(Sighting(name, SightingKind.QUIC_SNI, quic.packet, quic.time, text))
            key_names[quic.key].append(name)
    for http in capture.http:
        name = _clean_name(http.host)
        if name:
            body = f", {http.body_bytes} bytes of body" if http.body_bytes else ""
            text = f"HTTP {http.method} http://{name}{http.path} to {endpoint(http.key)}{body}"
            names[name].append(Sighting(name, SightingKind.HTTP_HOST, http.packet, http.time, text))
            key_names[http.key].append(name)
    return key_names


_LAST_VIEW: list[CaptureView] = []
"""The view of the capture last indexed: the detectors of one scan share it."""


def build_view(capture: NetworkCapture) -> CaptureView:
    """Index ``capture`` by name and address (the same capture object is indexed only once)."""
    if _LAST_VIEW and _LAST_VIEW[0].capture is capture:
        return _LAST_VIEW[0]
    view = _index(capture)
    _LAST_VIEW[:] = [view]
    return view


def _index(capture: NetworkCapture) -> CaptureView:
    names: dict[str, list[Sighting]] = defaultdict(list)
    ip_names: dict[str, list[str]] = defaultdict(list)
    ip_answers: dict[str, list[Sighting]] = defaultdict(list)
    plain_answers = 0
    for record in capture.dns:
        if record.mdns:
            continue
        for sighting in _dns_sightings(record):
            names[sighting.subject].append(sighting)
        if not record.is_response or not record.answers:
            continue
        plain_answers += 1
        asked = _clean_name(record.query)
        for answer in record.answers:
            if answer.rtype not in ("A", "AAAA") or not is_ip(answer.value):
                continue
            address = ipaddress.ip_address(answer.value).compressed
            for name in (asked, _clean_name(answer.name)):
                if name and name not in ip_names[address]:
                    ip_names[address].append(name)
            text = f"DNS answer for {asked}: {answer.name} {answer.rtype} {address}"
            ip_answers[address].append(
                Sighting(address, SightingKind.DNS_ANSWER, record.packet, record.time, text)
            )
    key_names = {k: tuple(dict.fromkeys(v)) for k, v in _record_names(capture, names).items()}
    dst_names: dict[str, list[str]] = defaultdict(list)
    for flow in capture.flows:
        dst_names[flow.key.dst].extend(own_names(flow, key_names))
    return CaptureView(
        capture=capture,
        names=_sort(names),
        ip_names={k: tuple(v) for k, v in ip_names.items()},
        ip_answers=_sort(ip_answers),
        key_names=key_names,
        dst_names={k: tuple(dict.fromkeys(v)) for k, v in dst_names.items() if v},
        plain_dns_answers=plain_answers,
    )
