"""Heuristics over names: dynamic DNS, abused top-level domains, dual-use services, DoH/DoT."""

from __future__ import annotations

from collections import defaultdict

from stalkerscan.detect.net import catalog as c
from stalkerscan.detect.net.context import HeuristicContext
from stalkerscan.detect.net.evidence import cap_evidence, flow_evidence, sighting_evidence
from stalkerscan.detect.net.lists import NetLists
from stalkerscan.detect.net.naming import CaptureView, Sighting, is_public
from stalkerscan.indicators.domains import label_suffixes
from stalkerscan.model import Evidence, Finding
from stalkerscan.model.net import Flow, Transport


def _lines(sightings: tuple[Sighting, ...]) -> tuple[Evidence, ...]:
    return cap_evidence(sighting_evidence(s) for s in sightings)


def _zone(ctx: HeuristicContext, name: str) -> str | None:
    zone = ctx.lists.dynamic_dns_zone(name)
    if zone is not None:
        return zone
    matches = ctx.index.match_dyndns(name)
    return min(m.indicator.value for m in matches) if matches else None


def dynamic_dns(ctx: HeuristicContext) -> list[Finding]:
    """Names under a dynamic-DNS provider's zone (packaged list and the index's entries)."""
    out = []
    names = ctx.view.names
    for name in sorted(names):
        zone = _zone(ctx, name)
        if zone is not None and not ctx.quiet_name(name):
            out.append(
                c.make_finding(c.DYNAMIC_DNS, evidence=_lines(names[name]), subject=name, zone=zone)
            )
    return out


def _on_platform(ctx: HeuristicContext, name: str) -> bool:
    return any(s in ctx.index.platform_suffixes for s in label_suffixes(name))


def suspicious_tld(ctx: HeuristicContext) -> list[Finding]:
    """Names in an often-abused top-level domain, unless under a shared-hosting platform."""
    out = []
    names = ctx.view.names
    for name in sorted(names):
        if "." not in name or _on_platform(ctx, name) or ctx.quiet_name(name):
            continue
        tld = name.rsplit(".", 1)[1]
        if tld in ctx.lists.suspicious_tlds or ctx.index.match_tld(name):
            out.append(
                c.make_finding(
                    c.SUSPICIOUS_TLD, evidence=_lines(names[name]), subject=name, tld=f".{tld}"
                )
            )
    return out


def dual_use_service(ctx: HeuristicContext) -> list[Finding]:
    """Names of legitimate services that stalkerware can use as its server (never quieted)."""
    out = []
    names = ctx.view.names
    for name in sorted(names):
        service = ctx.lists.dual_use_service(name)
        if service is not None:
            out.append(
                c.make_finding(
                    c.DUAL_USE_SERVICE,
                    evidence=_lines(names[name]),
                    subject=name,
                    service=service.service,
                )
            )
    return out


def encrypted_dns_method(view: CaptureView, lists: NetLists, flow: Flow) -> str | None:
    """``DNS over TLS`` / ``DNS over QUIC`` / ``DNS over HTTPS`` if ``flow`` carries DNS unseen."""
    key = flow.key
    port = key.dport
    if port == 853 or flow.app_protocol in ("dot", "doq"):
        return "DNS over QUIC" if key.transport is Transport.UDP else "DNS over TLS"
    if port != 443 or not is_public(key.dst):
        return None
    if key.dst in lists.resolver_addresses:
        return "DNS over HTTPS"
    if any(lists.is_resolver_name(n) for n in view.flow_names(flow)):
        return "DNS over HTTPS"
    return None


def encrypted_dns(ctx: HeuristicContext) -> list[Finding]:
    """Connections to DNS-over-TLS (port 853) or to known DNS-over-HTTPS resolvers (information)."""
    methods: dict[str, set[str]] = defaultdict(set)
    flows: dict[str, list[Flow]] = defaultdict(list)
    for flow in ctx.view.capture.flows:
        method = encrypted_dns_method(ctx.view, ctx.lists, flow)
        if method is not None:
            subject = ctx.subject(flow)
            methods[subject].add(method)
            flows[subject].append(flow)
    return [
        c.make_finding(
            c.ENCRYPTED_DNS,
            evidence=cap_evidence(flow_evidence(f, subject) for f in flows[subject]),
            subject=subject,
            method=" and ".join(sorted(methods[subject])),
            count=len(flows[subject]),
        )
        for subject in sorted(flows)
    ]
