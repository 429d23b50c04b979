"""Which names the phone used, where each was seen, and which name each connection had.

Built once per scan from a ``NetworkCapture`` (``detect_network`` shares one view between the
network detectors): a name sighting is one record that showed a name (a DNS question or answer, a
TLS or QUIC server name, an HTTP Host header). Multicast DNS is kept out: it names devices on the
local network, never Internet servers.

Work is done per distinct value where it can be: a capture holds tens of thousands of records but
only hundreds or thousands of distinct names and addresses. Sightings are kept as plain tuples and
turned into ``Sighting`` values (with their words) only for the names a detector reads.
"""

from __future__ import annotations

import enum
import ipaddress
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from stalkerscan.indicators.domains import normalise_domain
from stalkerscan.model.net import (
    DnsAnswer,
    DnsRecord,
    Flow,
    FlowKey,
    HttpRequest,
    NetworkCapture,
    QuicRecord,
    TlsRecord,
)


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


DOCUMENTATION_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
)
"""Address ranges reserved for documentation (RFC 5737, RFC 3849). They stand for Internet hosts
in examples and generated test captures; no real phone reaches them, so counting them as public
changes nothing for real captures and keeps examples realistic."""


@lru_cache(maxsize=65_536)
def is_public(address: str) -> bool:
    """A global unicast address: not private, shared, link-local, loopback, multicast, broadcast.

    Documentation ranges count as public (see ``DOCUMENTATION_NETWORKS``).
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if any(ip in net for net in DOCUMENTATION_NETWORKS):
        return True
    return ip.is_global and not ip.is_multicast


@lru_cache(maxsize=65_536)
def _answer_address(value: str) -> str | None:
    """The compressed text of an A/AAAA answer's address, or None if it is not an address."""
    if not is_ip(value):
        return None
    return ipaddress.ip_address(value).compressed


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


Record = DnsRecord | TlsRecord | QuicRecord | HttpRequest
Seen = tuple[float, int, SightingKind, Record, DnsAnswer | None]
"""A sighting before its words are written: time, packet, kind, record, DNS answer (if one)."""
_WHEN = itemgetter(0, 1)


def _name_text(subject: str, seen: Seen) -> str:
    """The words of a name sighting."""
    _, _, kind, record, answer = seen
    if isinstance(record, DnsRecord):
        query = _clean_name(record.query)
        if answer is not None:
            return f"DNS answer for {query}: {answer.name} {answer.rtype} {answer.value}"
        if kind is SightingKind.DNS_QUERY:
            return f"DNS query for {query} ({record.qtype}) to {record.server}"
        values = ", ".join(f"{a.rtype} {a.value}" for a in record.answers)
        return f"DNS answer for {query}: {values or f'rcode {record.rcode}'}"
    if isinstance(record, HttpRequest):
        body = f", {record.body_bytes} bytes of body" if record.body_bytes else ""
        return f"HTTP {record.method} http://{subject}{record.path} to {endpoint(record.key)}{body}"
    protocol = "TLS" if isinstance(record, TlsRecord) else "QUIC"
    return f"{protocol} connection to {endpoint(record.key)} with server name {subject}"


def _address_text(subject: str, seen: Seen) -> str:
    """The words of a DNS answer that gave the address ``subject``."""
    record, answer = seen[3], seen[4]
    assert isinstance(record, DnsRecord) and answer is not None  # only DNS answers give addresses
    asked = _clean_name(record.query)
    return f"DNS answer for {asked}: {answer.name} {answer.rtype} {subject}"


class SightingTable(Mapping[str, tuple[Sighting, ...]]):
    """Subject -> its sightings in time order, each subject's words written on first read."""

    __slots__ = ("_done", "_seen", "_text")

    def __init__(self, seen: dict[str, list[Seen]], text: Callable[[str, Seen], str]) -> None:
        self._seen = seen
        self._text = text
        self._done: dict[str, tuple[Sighting, ...]] = {}

    def __getitem__(self, subject: str) -> tuple[Sighting, ...]:
        done = self._done.get(subject)
        if done is None:
            ordered = sorted(self._seen[subject], key=_WHEN)
            done = tuple(self._sighting(subject, seen) for seen in ordered)
            self._done[subject] = done
        return done

    def __iter__(self) -> Iterator[str]:
        return iter(self._seen)

    def __len__(self) -> int:
        return len(self._seen)

    def __contains__(self, subject: object) -> bool:
        return subject in self._seen

    def first(self, subject: str) -> tuple[float, int, SightingKind]:
        """Time, packet and kind of the earliest sighting of ``subject`` (no words written)."""
        seen = min(self._seen[subject], key=_WHEN)
        return seen[0], seen[1], seen[2]

    def kinds(self, subject: str) -> frozenset[SightingKind]:
        """The kinds of record ``subject`` was seen in (none if it was not seen)."""
        return frozenset(seen[2] for seen in self._seen.get(subject, ()))

    def _sighting(self, subject: str, seen: Seen) -> Sighting:
        return Sighting(subject, seen[2], seen[1], seen[0], self._text(subject, seen))


@dataclass(frozen=True, slots=True)
class CaptureView:
    """A capture indexed by name and by address, shared by the network detectors."""

    capture: NetworkCapture
    names: SightingTable
    """Every name seen -> its sightings in time order."""
    ip_names: Mapping[str, tuple[str, ...]]
    """Address -> names that DNS answers gave it (asked name first), in order of first answer."""
    ip_answers: SightingTable
    """Address -> the DNS answers that gave it."""
    key_names: Mapping[FlowKey, tuple[str, ...]]
    """Flow key -> names its own records showed (TLS/QUIC server name, HTTP Host)."""
    dst_names: Mapping[str, tuple[str, ...]]
    """Server address -> names any connection to it showed itself (flow name, server name, Host)."""
    plain_dns_answers: int
    """DNS responses (not multicast) that carried at least one answer."""
    flow_table: Mapping[int, tuple[str, ...]]
    """``id(flow)`` -> ``flow_names(flow)`` for the flows of ``capture`` (it keeps them alive)."""

    def flow_names(self, flow: Flow) -> tuple[str, ...]:
        """Every name the connection had: its own, its address's DNS names, then names other
        connections to the same address had (a cached name is often shown by a sibling)."""
        known = self.flow_table.get(id(flow))
        if known is not None:
            return known
        dst = flow.key.dst
        own = own_names(flow, self.key_names)
        return _merge(own, self.ip_names.get(dst, ()), self.dst_names.get(dst, ()))

    def flow_subject(self, flow: Flow) -> str:
        """The host a connection is about: its first name, or its server address."""
        names = self.flow_names(flow)
        return names[0] if names else flow.key.dst


def _merge(*parts: tuple[str, ...]) -> tuple[str, ...]:
    """The names of ``parts`` in order, each once."""
    return tuple(dict.fromkeys(name for part in parts for name in part))


def own_names(flow: Flow, key_names: Mapping[FlowKey, tuple[str, ...]]) -> tuple[str, ...]:
    """The names a connection showed itself: the extractor's name, server names, Host."""
    own = _clean_name(flow.name)
    return _merge((own,) if own else (), key_names.get(flow.key, ()))


def _index_dns(
    records: tuple[DnsRecord, ...],
    names: dict[str, list[Seen]],
    ip_names: dict[str, dict[str, None]],
    ip_answers: dict[str, list[Seen]],
) -> int:
    """Name and address sightings of the DNS records; returns the plain answers counted."""
    plain_answers = 0
    query_kind, answer_kind = SightingKind.DNS_QUERY, SightingKind.DNS_ANSWER
    for record in records:
        if record.mdns:
            continue
        query = _clean_name(record.query)
        if not record.is_response:
            if query:
                names[query].append((record.time, record.packet, query_kind, record, None))
            continue
        if query:
            names[query].append((record.time, record.packet, answer_kind, record, None))
        if record.answers:
            plain_answers += 1
            _index_answers(record, query, names, ip_names, ip_answers)
    return plain_answers


def _index_answers(
    record: DnsRecord,
    query: str | None,
    names: dict[str, list[Seen]],
    ip_names: dict[str, dict[str, None]],
    ip_answers: dict[str, list[Seen]],
) -> None:
    """The names and addresses the answers of one DNS response gave (``query``: asked name)."""
    for answer in record.answers:
        seen = (record.time, record.packet, SightingKind.DNS_ANSWER, record, answer)
        owner = _clean_name(answer.name)
        if owner and owner != query:
            names[owner].append(seen)
        if answer.rtype == "CNAME":
            target = _clean_name(answer.value)
            if target and target != query:
                names[target].append(seen)
        elif answer.rtype in ("A", "AAAA"):
            address = _answer_address(answer.value)
            if address is None:
                continue
            for name in (query, owner):
                if name:
                    ip_names[address].setdefault(name)
            ip_answers[address].append(seen)


def _index_records(
    capture: NetworkCapture, names: dict[str, list[Seen]]
) -> dict[FlowKey, tuple[str, ...]]:
    """Server names and Host headers: name sightings, and names by flow key."""
    key_names: dict[FlowKey, dict[str, None]] = defaultdict(dict)
    kinds = (
        (capture.tls, SightingKind.TLS_SNI),
        (capture.quic, SightingKind.QUIC_SNI),
    )
    for records, kind in kinds:
        for record in records:
            name = _clean_name(record.sni)
            if name:
                names[name].append((record.time, record.packet, kind, record, None))
                key_names[record.key].setdefault(name)
    for http in capture.http:
        name = _clean_name(http.host)
        if name:
            names[name].append((http.time, http.packet, SightingKind.HTTP_HOST, http, None))
            key_names[http.key].setdefault(name)
    return {k: tuple(v) for k, v in key_names.items()}


def _flow_table(
    flows: tuple[Flow, ...],
    key_names: Mapping[FlowKey, tuple[str, ...]],
    ip_names: Mapping[str, tuple[str, ...]],
) -> tuple[dict[str, tuple[str, ...]], dict[int, tuple[str, ...]]]:
    """(server address -> names its connections showed, ``id(flow)`` -> the flow's names)."""
    owns: dict[tuple[str | None, tuple[str, ...]], tuple[str, ...]] = {}
    flow_owns: list[tuple[str, ...]] = []
    by_dst: dict[str, dict[str, None]] = {}
    for flow in flows:
        shown = (flow.name, key_names.get(flow.key, ()))
        own = owns.get(shown)
        if own is None:
            own = owns[shown] = own_names(flow, key_names)
        flow_owns.append(own)
        seen = by_dst.get(flow.key.dst)
        if seen is None:
            seen = by_dst[flow.key.dst] = {}
        for name in own:
            seen.setdefault(name)
    dst_names = {k: tuple(v) for k, v in by_dst.items() if v}
    merged: dict[tuple[tuple[str, ...], str], tuple[str, ...]] = {}
    table: dict[int, tuple[str, ...]] = {}
    for flow, own in zip(flows, flow_owns, strict=True):
        dst = flow.key.dst
        names = merged.get((own, dst))
        if names is None:
            names = _merge(own, ip_names.get(dst, ()), dst_names.get(dst, ()))
            merged[(own, dst)] = names
        table[id(flow)] = names
    return dst_names, table


def build_view(capture: NetworkCapture) -> CaptureView:
    """Index ``capture`` by name and address."""
    names: dict[str, list[Seen]] = defaultdict(list)
    given: dict[str, dict[str, None]] = defaultdict(dict)
    ip_answers: dict[str, list[Seen]] = defaultdict(list)
    plain_answers = _index_dns(capture.dns, names, given, ip_answers)
    key_names = _index_records(capture, names)
    ip_names = {k: tuple(v) for k, v in given.items()}
    dst_names, table = _flow_table(capture.flows, key_names, ip_names)
    return CaptureView(
        capture=capture,
        names=SightingTable(dict(names), _name_text),
        ip_names=ip_names,
        ip_answers=SightingTable(dict(ip_answers), _address_text),
        key_names=key_names,
        dst_names=dst_names,
        plain_dns_answers=plain_answers,
        flow_table=table,
    )
