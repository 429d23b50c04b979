"""Heuristics over connections: unusual ports, data sent in clear, unnamed addresses, uploads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from stalkerscan.detect.net import catalog as c
from stalkerscan.detect.net import thresholds as t
from stalkerscan.detect.net.context import HeuristicContext, is_internet
from stalkerscan.detect.net.evidence import (
    CAPTURE_INPUT,
    cap_evidence,
    flow_evidence,
    iso_time,
    locator,
    size_text,
)
from stalkerscan.detect.net.naming import SightingKind, endpoint
from stalkerscan.model import Evidence, Finding, Severity
from stalkerscan.model.net import Flow, HttpRequest


def _by_subject(ctx: HeuristicContext, flows: list[Flow]) -> dict[str, list[Flow]]:
    out: dict[str, list[Flow]] = defaultdict(list)
    for flow in flows:
        out[ctx.subject(flow)].append(flow)
    return dict(sorted(out.items()))


def _ports(flows: list[Flow]) -> str:
    return ", ".join(str(p) for p in sorted({f.key.dport for f in flows}))


def _flow_lines(flows: Iterable[Flow], subject: str) -> tuple[Evidence, ...]:
    return cap_evidence(flow_evidence(f, subject) for f in flows)


def tls_nonstandard_port(ctx: HeuristicContext) -> list[Finding]:
    """TLS to an Internet host on a port outside ``TLS_STANDARD_PORTS``."""
    hits = [
        f
        for f in ctx.internet_flows
        if f.key.dport not in t.TLS_STANDARD_PORTS
        and (f.app_protocol == "tls" or f.key in ctx.tls_by_key)
        and not ctx.quiet_flow(f)
    ]
    return [
        c.make_finding(
            c.TLS_PORT,
            evidence=_flow_lines(flows, subject),
            subject=subject,
            ports=_ports(flows),
            count=len(flows),
        )
        for subject, flows in _by_subject(ctx, hits).items()
    ]


def http_nonstandard_port(ctx: HeuristicContext) -> list[Finding]:
    """Plain HTTP to an Internet host on a port outside ``HTTP_STANDARD_PORTS``."""
    hits = [
        f
        for f in ctx.internet_flows
        if f.key.dport not in t.HTTP_STANDARD_PORTS
        and (f.app_protocol == "http" or f.key in ctx.http_by_key)
        and not ctx.quiet_flow(f)
    ]
    return [
        c.make_finding(
            c.HTTP_PORT,
            evidence=_flow_lines(flows, subject),
            subject=subject,
            ports=_ports(flows),
            count=len(flows),
        )
        for subject, flows in _by_subject(ctx, hits).items()
    ]


def _is_cert_status(request: HttpRequest) -> bool:
    host = (request.host or "").split(".", 1)[0]
    return host.startswith("ocsp") and request.body_bytes <= t.CERT_STATUS_MAX_BODY_BYTES


def _request_evidence(request: HttpRequest) -> Evidence:
    host = request.host or request.key.dst
    return Evidence(
        input=CAPTURE_INPUT,
        locator=locator(request.packet, SightingKind.HTTP_HOST),
        observed=f"HTTP {request.method} http://{host}{request.path} to {endpoint(request.key)}, "
        f"{size_text(request.body_bytes)} of body",
        time=iso_time(request.time),
    )


def cleartext_data(ctx: HeuristicContext) -> list[Finding]:
    """Data sent in clear: request bodies / data methods, or big plain-HTTP uploads."""
    sent: dict[str, int] = defaultdict(int)
    lines: dict[str, list[Evidence]] = defaultdict(list)
    counted = set()
    for request in ctx.view.capture.http:
        if not is_internet(request.key) or _is_cert_status(request):
            continue
        if request.method.upper() not in t.DATA_METHODS and request.body_bytes <= 0:
            continue
        subject = ctx.key_subject(request.key, request.host)
        if ctx.quiet(subject, request.key):
            continue
        sent[subject] += request.body_bytes
        lines[subject].append(_request_evidence(request))
        counted.add(request.key)
    for flow in ctx.internet_flows:
        if flow.app_protocol != "http" or flow.key in counted:
            continue
        if flow.payload_out >= t.CLEARTEXT_LARGE_UPLOAD_BYTES and not ctx.quiet_flow(flow):
            subject = ctx.subject(flow)
            sent[subject] += flow.payload_out
            lines[subject].append(flow_evidence(flow, subject))
    out = []
    for subject in sorted(lines):
        medium = sent[subject] >= t.CLEARTEXT_MEDIUM_BYTES
        out.append(
            c.make_finding(
                c.CLEARTEXT,
                evidence=cap_evidence(lines[subject]),
                subject=subject,
                severity=Severity.MEDIUM if medium else None,
                size=size_text(sent[subject]),
                count=len(lines[subject]),
            )
        )
    return out


def unnamed_address(ctx: HeuristicContext) -> list[Finding]:
    """Data sent by the phone to a public address that nothing in the capture named."""
    hits = [
        f
        for f in ctx.internet_flows
        if f.payload_out > 0
        and f.key.dst not in ctx.lists.resolver_addresses
        and not ctx.view.flow_names(f)
        and not ctx.quiet_flow(f)
    ]
    return [
        c.make_finding(
            c.UNNAMED_IP,
            evidence=_flow_lines(flows, subject),
            subject=subject,
            count=len(flows),
            size=size_text(sum(f.bytes_out + f.bytes_in for f in flows)),
        )
        for subject, flows in _by_subject(ctx, hits).items()
    ]


def upload_heavy(ctx: HeuristicContext) -> list[Finding]:
    """Much more sent than received, over ``UPLOAD_MIN_BYTES``, to a host not on the allowlist."""
    out = []
    for subject, flows in ctx.loud_by_subject.items():
        sent = sum(f.bytes_out for f in flows)
        received = sum(f.bytes_in for f in flows)
        if sent > t.UPLOAD_MIN_BYTES and sent > t.UPLOAD_RATIO * received:
            out.append(
                c.make_finding(
                    c.UPLOAD_HEAVY,
                    evidence=_flow_lines(flows, subject),
                    subject=subject,
                    sent=size_text(sent),
                    received=size_text(received),
                )
            )
    return out
