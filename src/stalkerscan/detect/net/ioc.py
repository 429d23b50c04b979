"""Indicator rules: names, addresses, certificates and TLS fingerprints that are on a list.

The allowlist is never consulted here: a known stalkerware server hosted on Google, Firebase or
Amazon is reported like any other. One host gives one finding carrying all its evidence. When a
host matches several indicators, the strongest wins (a server of the app over the seller's website)
and the finding says what else it is listed as.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable
from typing import assert_never

from stalkerscan.detect.base import DetectorResult
from stalkerscan.detect.net import catalog as c
from stalkerscan.detect.net.evidence import (
    CAPTURE_INPUT,
    cap_evidence,
    flow_evidence,
    iso_time,
    locator,
    sighting_evidence,
)
from stalkerscan.detect.net.lists import NetLists, packaged_net_lists
from stalkerscan.detect.net.naming import CaptureView, SightingKind, build_view, endpoint, is_public
from stalkerscan.detect.rules import Rule
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import (
    Confidence,
    Evidence,
    Finding,
    Indicator,
    IndicatorMatch,
    MatchHow,
    Role,
    Severity,
    Threat,
)
from stalkerscan.model.net import Flow, NetworkCapture, TlsRecord


class IocClass(enum.Enum):
    """What a matched indicator means for the phone, strongest first."""

    C2 = "c2"
    WATCHWARE = "watchware"
    SUSPICIOUS = "suspicious"
    TRACKER = "tracker"
    DUAL_USE = "dual_use"
    VENDOR_SITE = "vendor_site"


_ORDER = tuple(IocClass)
_HOW_ORDER = (MatchHow.EXACT, MatchHow.SUBDOMAIN, MatchHow.NETWORK)
_HOST_RULES: dict[IocClass, Rule] = {
    IocClass.WATCHWARE: c.WATCHWARE,
    IocClass.SUSPICIOUS: c.SUSPICIOUS_IOC,
    IocClass.TRACKER: c.TRACKER,
    IocClass.DUAL_USE: c.DUAL_USE_IOC,
    IocClass.VENDOR_SITE: c.VENDOR_SITE,
}
_WHAT = {
    IocClass.C2: "a stalkerware or spyware app",
    IocClass.WATCHWARE: "a monitoring app that does not hide",
    IocClass.SUSPICIOUS: "a service listed as suspicious",
    IocClass.TRACKER: "a location-tracking service",
    IocClass.DUAL_USE: "a legitimate service that can be misused",
    IocClass.VENDOR_SITE: "a stalkerware seller's website",
}


_THREAT_CLASS = {
    Threat.STALKERWARE: IocClass.C2,
    Threat.SPYWARE: IocClass.C2,
    Threat.WATCHWARE: IocClass.WATCHWARE,
    Threat.TRACKER: IocClass.TRACKER,
    Threat.DUAL_USE: IocClass.DUAL_USE,
    Threat.SUSPICIOUS: IocClass.SUSPICIOUS,
}
"""Class of a match by threat (``Threat.UNKNOWN`` depends on the role)."""


def classify(indicator: Indicator) -> IocClass:
    """The meaning of a network indicator match, from its role and threat."""
    if indicator.role in (Role.WEBSITE, Role.DISTRIBUTION):
        return IocClass.VENDOR_SITE
    if indicator.role is Role.HEURISTIC:
        return IocClass.SUSPICIOUS
    if indicator.threat is Threat.UNKNOWN:
        return IocClass.C2 if indicator.role is Role.C2 else IocClass.SUSPICIOUS
    return _THREAT_CLASS[indicator.threat]


Classified = tuple[IndicatorMatch, IocClass]


def classify_matches(matches: Iterable[IndicatorMatch]) -> tuple[Classified, ...]:
    """Each match with its class, where a set that knows the role beats one that does not.

    TinyCheck-format feeds carry no role, so a seller's website arrives there as a role-less
    "stalkerware" domain; when another set says the same name is the website, the role-less entry
    is read as the website too. Only an explicit server (role C2) outranks a website listing.
    """
    items = tuple(matches)
    site_known = any(classify(m.indicator) is IocClass.VENDOR_SITE for m in items)
    out = []
    for match in items:
        cls = classify(match.indicator)
        if site_known and cls is IocClass.C2 and match.indicator.role is Role.UNKNOWN:
            cls = IocClass.VENDOR_SITE
        out.append((match, cls))
    return tuple(out)


def _rank(item: Classified) -> tuple[int, int, str, str, str]:
    match, cls = item
    ind = match.indicator
    return (
        _ORDER.index(cls),
        _HOW_ORDER.index(match.how),
        ind.app or "\uffff",
        ind.value,
        ind.set_name,
    )


def best_match(matches: Iterable[IndicatorMatch]) -> Classified:
    """The strongest match and its class."""
    return min(classify_matches(matches), key=_rank)


def step_down(severity: Severity, steps: int = 1) -> Severity:
    """A lower severity (never below information)."""
    order = tuple(Severity)
    return order[max(0, severity.rank - steps)]


def _how(match: IndicatorMatch) -> str:
    match match.how:
        case MatchHow.EXACT:
            return "exactly"
        case MatchHow.SUBDOMAIN:
            return "as a subdomain of it"
        case MatchHow.NETWORK:
            return "as an address inside that network"
        case _:
            assert_never(match.how)


def _note(matches: Iterable[IndicatorMatch]) -> str:
    """What else the host is listed as, in words ("" if nothing)."""
    items = classify_matches(matches)
    best, best_class = min(items, key=_rank)
    parts: list[str] = []
    classes = {cls for _, cls in items}
    if best_class is not IocClass.VENDOR_SITE and IocClass.VENDOR_SITE in classes:
        parts.append(
            "This name is also listed as the seller's website or download site: it is reported "
            "as a server of the app because it is listed as one, but a visit with a web browser "
            "would show it too."
        )
    if best_class is IocClass.C2 and IocClass.WATCHWARE in classes:
        parts.append(
            "It is also listed as a monitoring app that does not hide (watchware): if it was "
            "installed knowingly, by you or a family member, it may be expected."
        )
    others = sorted({m.indicator.app for m, _ in items if m.indicator.app} - {best.indicator.app})
    if others:
        parts.append(f"It is also listed for: {', '.join(others)}.")
    return " ".join(parts)


def _host_finding(
    subject: str,
    matches: tuple[IndicatorMatch, ...],
    evidence: list[Evidence],
    *,
    is_address: bool,
    extra_note: str = "",
    lower: int = 0,
) -> Finding:
    best, cls = best_match(matches)
    c2_rule = c.C2_IP if is_address else c.C2_DOMAIN
    rule = c2_rule if cls is IocClass.C2 else _HOST_RULES[cls]
    steps = lower + (1 if best.how is MatchHow.NETWORK else 0)
    confidence = rule.confidence
    if steps:
        confidence = Confidence.LIKELY if cls is IocClass.C2 and steps == 1 else Confidence.POSSIBLE
    capped = cap_evidence(evidence)
    return c.make_finding(
        rule,
        evidence=capped,
        subject=subject,
        app=best.indicator.app,
        indicator=best.indicator,
        severity=step_down(rule.severity, steps),
        confidence=confidence,
        listed=best.indicator.value,
        how=_how(best),
        set=best.indicator.set_name,
        count=len(set(evidence)),
        first_seen=capped[0].time or "an unknown time",
        note=" ".join(p for p in (_note(matches), extra_note) if p),
    )


def _domain_findings(view: CaptureView, index: IndicatorIndex) -> list[Finding]:
    listed = {name: m for name in sorted(view.names) if (m := index.match_domain(name))}
    flows: dict[str, list[Flow]] = defaultdict(list)
    for flow in view.capture.flows if listed else ():
        for name in view.flow_names(flow):
            if name in listed:
                flows[name].append(flow)
    out = []
    for name, matches in listed.items():
        evidence = [sighting_evidence(s) for s in view.names[name]]
        evidence += [flow_evidence(f, name) for f in flows.get(name, ())]
        out.append(_host_finding(name, matches, evidence, is_address=False))
    return out


def _remote_addresses(flow: Flow) -> tuple[str, ...]:
    """The server address, and the client's when a public host opened a flow to a local one."""
    key = flow.key
    if is_public(key.src) and not is_public(key.dst):
        return (key.dst, key.src)
    return (key.dst,)


def _address_context(
    address: str, flows: list[Flow], view: CaptureView, index: IndicatorIndex, lists: NetLists
) -> tuple[str, int]:
    """What the names of a listed address say: a note, and how many steps to lower severity.

    An address is weaker evidence than a name when the names it was reached by explain it: the
    seller's website sharing a server with the app's servers, or a content-delivery network that
    thousands of websites share. The finding stays; it is lowered and says why.
    """
    names = sorted({n for f in flows for n in view.flow_names(f)})
    classes = {cls for n in names for _, cls in classify_matches(index.match_domain(n))}
    if classes == {IocClass.VENDOR_SITE}:
        return (
            f"The phone reached this address as {', '.join(names[:5])}, listed only as the "
            "seller's website or download site, which shares this server: a visit to the website "
            "explains this too.",
            2,
        )
    operator = lists.shared_network(address)
    if operator is None or classes:
        return "", 0
    if names:
        return (
            f"This address belongs to {operator}, which very many unrelated websites share. The "
            f"phone reached it as {', '.join(names[:5])}, a name on no indicator list, so another "
            "website on the same address may explain this.",
            2,
        )
    return (
        f"This address belongs to {operator}, which very many unrelated websites share, and no "
        "name was seen for these connections (it may have been looked up before the capture "
        "started), so another website on the same address could explain this.",
        1,
    )


def _ip_findings(view: CaptureView, index: IndicatorIndex, lists: NetLists) -> list[Finding]:
    by_address: dict[str, list[Flow]] = defaultdict(list)
    for flow in view.capture.flows:
        for address in _remote_addresses(flow):
            by_address[address].append(flow)
    out = []
    for address, flows in sorted(by_address.items()):
        matches = index.match_ip(address)
        if not matches:
            continue
        evidence = [flow_evidence(f, view.flow_subject(f)) for f in flows]
        evidence += [sighting_evidence(s) for s in view.ip_answers.get(address, ())]
        note, lower = ("", 0)
        if best_match(matches)[0].how is MatchHow.EXACT:
            note, lower = _address_context(address, flows, view, index, lists)
        out.append(
            _host_finding(address, matches, evidence, is_address=True, extra_note=note, lower=lower)
        )
    return out


def _record_host(record: TlsRecord) -> str:
    return record.sni or record.key.dst


def _record_finding(
    rule: Rule,
    value: str,
    matches: tuple[IndicatorMatch, ...],
    records: list[TlsRecord],
    describe: str,
) -> Finding:
    best, cls = best_match(matches)
    severity = rule.severity if cls is IocClass.C2 else _HOST_RULES[cls].severity
    evidence = [
        Evidence(
            input=CAPTURE_INPUT,
            locator=locator(
                r.packet,
                SightingKind.TLS_CERTIFICATE if rule is c.TLS_CERTIFICATE else SightingKind.TLS_SNI,
            ),
            observed=f"{describe} in the TLS connection to {endpoint(r.key)}"
            + (f" (server name {r.sni})" if r.sni else ""),
            time=iso_time(r.time),
        )
        for r in records
    ]
    capped = cap_evidence(evidence)
    hosts = sorted({_record_host(r) for r in records})
    return c.make_finding(
        rule,
        evidence=capped,
        subject=value if rule is not c.TLS_CERTIFICATE else _record_host(records[0]),
        app=best.indicator.app,
        indicator=best.indicator,
        severity=severity,
        listed=best.indicator.value,
        what=_WHAT[cls],
        set=best.indicator.set_name,
        count=len(records),
        first_seen=capped[0].time or "an unknown time",
        hosts=", ".join(hosts[:10]) + (f" and {len(hosts) - 10} more" if len(hosts) > 10 else ""),
        note=_note(matches),
    )


def _certificate_findings(capture: NetworkCapture, index: IndicatorIndex) -> list[Finding]:
    records: dict[str, list[TlsRecord]] = defaultdict(list)
    sha256: dict[str, str] = {}
    for tls in capture.tls:
        for cert in tls.certificates:
            records[cert.sha1].append(tls)
            sha256[cert.sha1] = cert.sha256
    out = []
    for sha1, found in sorted(records.items()):
        matches = tuple(
            dict.fromkeys(index.match_tls_cert(sha1) + index.match_tls_cert(sha256[sha1]))
        )
        if matches:
            out.append(
                _record_finding(
                    c.TLS_CERTIFICATE, sha1, matches, found, f"certificate SHA-1 {sha1}"
                )
            )
    return out


def _fingerprint_findings(capture: NetworkCapture, index: IndicatorIndex) -> list[Finding]:
    ja3: dict[str, list[TlsRecord]] = defaultdict(list)
    ja4: dict[str, list[TlsRecord]] = defaultdict(list)
    for tls in capture.tls:
        if tls.ja3_hash:
            ja3[tls.ja3_hash.lower()].append(tls)
        if tls.ja4:
            ja4[tls.ja4.lower()].append(tls)
    out = []
    for value, found in sorted(ja3.items()):
        matches = index.match_ja3(value)
        if matches:
            out.append(
                _record_finding(c.JA3, value, matches, found, f"ClientHello with JA3 {value}")
            )
    for value, found in sorted(ja4.items()):
        matches = index.match_ja4(value)
        if matches:
            out.append(
                _record_finding(c.JA4, value, matches, found, f"ClientHello with JA4 {value}")
            )
    return out


def run_ioc(
    capture: NetworkCapture,
    index: IndicatorIndex,
    lists: NetLists | None = None,
    *,
    view: CaptureView | None = None,
) -> DetectorResult:
    """Every indicator rule over one capture (``view``: its view, if already built)."""
    net_lists = lists or packaged_net_lists()
    view = build_view(capture) if view is None else view
    findings = (
        _domain_findings(view, index)
        + _ip_findings(view, index, net_lists)
        + _certificate_findings(capture, index)
        + _fingerprint_findings(capture, index)
    )
    return DetectorResult(findings=tuple(findings))
