"""Heuristics over TLS: self-signed and free certificates, and Tor."""

from __future__ import annotations

from collections import defaultdict

from stalkerscan.detect.net import catalog as c
from stalkerscan.detect.net.context import HeuristicContext, is_internet
from stalkerscan.detect.net.evidence import (
    CAPTURE_INPUT,
    cap_evidence,
    flow_evidence,
    iso_time,
    locator,
)
from stalkerscan.detect.net.naming import SightingKind, endpoint, is_public
from stalkerscan.model import Evidence, Finding
from stalkerscan.model.net import CertificateRecord, TlsRecord


def dn_attributes(dn: str) -> dict[str, str]:
    """The attributes of an RFC 4514 name (``CN=R11,O=Let's Encrypt,C=US``), upper-case keys.

    Escaped separators (``\\,``) stay inside values; of a repeated attribute the first is kept.
    """
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in dn:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in ",+":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    out: dict[str, str] = {}
    for part in parts:
        key, sep, value = part.partition("=")
        if sep:
            out.setdefault(key.strip().upper(), value.strip())
    return out


def _server_certificates(ctx: HeuristicContext) -> list[tuple[TlsRecord, CertificateRecord]]:
    """(record, server certificate) for TLS to Internet hosts, capture order."""
    return [
        (tls, cert)
        for tls in ctx.view.capture.tls
        if is_internet(tls.key)
        for cert in tls.certificates
        if cert.position == 0
    ]


def _cert_evidence(tls: TlsRecord, cert: CertificateRecord) -> Evidence:
    named = f" (server name {tls.sni})" if tls.sni else ""
    return Evidence(
        input=CAPTURE_INPUT,
        locator=locator(tls.packet, SightingKind.TLS_CERTIFICATE),
        observed=f"certificate from {endpoint(tls.key)}{named}: subject {cert.subject}, "
        f"issuer {cert.issuer}, SHA-1 {cert.sha1}",
        time=iso_time(tls.time),
    )


def _hello_evidence(tls: TlsRecord) -> Evidence:
    return Evidence(
        input=CAPTURE_INPUT,
        locator=locator(tls.packet, SightingKind.TLS_SNI),
        observed=f"TLS connection to {endpoint(tls.key)} with server name {tls.sni}",
        time=iso_time(tls.time),
    )


def _group(
    ctx: HeuristicContext, pairs: list[tuple[TlsRecord, CertificateRecord]]
) -> dict[str, list[tuple[TlsRecord, CertificateRecord]]]:
    out: dict[str, list[tuple[TlsRecord, CertificateRecord]]] = defaultdict(list)
    for tls, cert in pairs:
        subject = ctx.key_subject(tls.key, tls.sni)
        if not ctx.quiet(subject, tls.key):
            out[subject].append((tls, cert))
    return dict(sorted(out.items()))


def self_signed(ctx: HeuristicContext) -> list[Finding]:
    """Internet servers whose own certificate is self-signed."""
    pairs = [(tls, cert) for tls, cert in _server_certificates(ctx) if cert.self_signed]
    return [
        c.make_finding(
            c.SELF_SIGNED,
            evidence=cap_evidence(_cert_evidence(*p) for p in found),
            subject=subject,
            certificate=found[0][1].subject,
        )
        for subject, found in _group(ctx, pairs).items()
    ]


def free_issuer_name(ctx: HeuristicContext, issuer: str) -> str | None:
    """The free authority's name if ``issuer`` is one (matched on O= or CN=)."""
    attrs = dn_attributes(issuer)
    organisation, common = attrs.get("O", ""), attrs.get("CN", "")
    if organisation in ctx.lists.free_issuer_organisations:
        return f"{organisation} ({common})" if common else organisation
    if common in ctx.lists.free_issuer_common_names:
        return common
    return None


def free_issuer(ctx: HeuristicContext) -> list[Finding]:
    """Internet servers (not on the allowlist) with a certificate from a free automatic CA."""
    issuers: dict[str, str | None] = {}
    for _, cert in _server_certificates(ctx):
        if cert.issuer not in issuers:
            issuers[cert.issuer] = free_issuer_name(ctx, cert.issuer)
    pairs = [
        (tls, cert)
        for tls, cert in _server_certificates(ctx)
        if not cert.self_signed and issuers[cert.issuer]
    ]
    return [
        c.make_finding(
            c.FREE_ISSUER,
            evidence=cap_evidence(_cert_evidence(*p) for p in found),
            subject=subject,
            issuer=issuers[found[0][1].issuer] or found[0][1].issuer,
        )
        for subject, found in _group(ctx, pairs).items()
    ]


def _tor_shaped(ctx: HeuristicContext, name: str) -> bool:
    return ctx.lists.tor_name_pattern.fullmatch(name) is not None


def _tor_certificate(ctx: HeuristicContext, cert: CertificateRecord) -> bool:
    subject = dn_attributes(cert.subject).get("CN", "")
    issuer = dn_attributes(cert.issuer).get("CN", "")
    return (
        subject.endswith(".net")
        and issuer.endswith(".com")
        and _tor_shaped(ctx, subject)
        and _tor_shaped(ctx, issuer)
    )


def _tor_cert(
    ctx: HeuristicContext, cert: CertificateRecord, memo: dict[tuple[str, str], bool]
) -> bool:
    """``_tor_certificate``, remembered per (subject, issuer)."""
    names = (cert.subject, cert.issuer)
    known = memo.get(names)
    if known is None:
        known = memo[names] = _tor_certificate(ctx, cert)
    return known


def _tor_server_name(ctx: HeuristicContext, tls: TlsRecord) -> bool:
    """A random ``www.<base32>.com|net`` server name that DNS never gave, with a digit 2-7 in it.

    Real sites such as www.facebook.com have the same shape; requiring a name DNS never answered
    and a digit (which random base-32 names of 8+ characters usually have) keeps them out.
    """
    name = (tls.sni or "").lower()
    if not _tor_shaped(ctx, name):
        return False
    if SightingKind.DNS_ANSWER in ctx.view.names.kinds(name):
        return False
    return any(ch in "234567" for ch in name.split(".")[1])


def tor(ctx: HeuristicContext) -> list[Finding]:
    """Connections on Tor ports, or TLS that looks like Tor's (random names, Tor certificates)."""
    why: dict[str, set[str]] = defaultdict(set)
    lines: dict[str, list[Evidence]] = defaultdict(list)
    for flow in ctx.internet_flows:
        if flow.key.dport in ctx.lists.tor_ports and flow.payload_out + flow.payload_in > 0:
            subject = ctx.subject(flow)
            if not ctx.quiet(subject, flow.key):
                why[subject].add(f"port {flow.key.dport}, used by Tor")
                lines[subject].append(flow_evidence(flow, subject))
    shaped: dict[tuple[str, str], bool] = {}
    for tls in ctx.view.capture.tls:
        if not is_public(tls.key.dst):
            continue
        certs = [x for x in tls.certificates if x.position == 0 and _tor_cert(ctx, x, shaped)]
        named = _tor_server_name(ctx, tls)
        if not certs and not named:
            continue
        subject = ctx.key_subject(tls.key, tls.sni)
        if ctx.quiet(subject, tls.key):
            continue
        for cert in certs:
            why[subject].add("a certificate with random names, as Tor relays use")
            lines[subject].append(_cert_evidence(tls, cert))
        if named:
            why[subject].add("a random server name of the shape Tor uses")
            lines[subject].append(_hello_evidence(tls))
            opened = ctx.flow_by_key.get(tls.key)
            if opened is not None:
                lines[subject].append(flow_evidence(opened, subject))
    return [
        c.make_finding(
            c.TOR,
            evidence=cap_evidence(lines[subject]),
            subject=subject,
            why="; ".join(sorted(why[subject])),
        )
        for subject in sorted(lines)
    ]
