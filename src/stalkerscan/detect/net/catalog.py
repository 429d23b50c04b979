"""The network rules: ids, default severity and confidence, thresholds, and the fields each fills.

Words live in ``detect/messages/net.en.yaml`` under the same ids. ``FIELDS`` lists the
``{placeholders}`` each rule's words may use; ``make_finding`` refuses any other set, so a missing
or misspelt field is caught by the example tests, not by a reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from stalkerscan.detect.net import thresholds as t
from stalkerscan.detect.rules import Rule
from stalkerscan.model import Confidence, Evidence, Finding, Indicator, Severity

_S, _C = Severity, Confidence

# ---- indicator rules (never quieted by the allowlist) -----------------------------------------

C2_DOMAIN = Rule(
    "net.ioc.c2_domain",
    _S.CRITICAL,
    _C.CONFIRMED,
    "a name seen in the capture is, or lies under (label boundary), a stalkerware/spyware server",
)
C2_IP = Rule(
    "net.ioc.c2_ip",
    _S.CRITICAL,
    _C.CONFIRMED,
    "an address the phone exchanged traffic with is a stalkerware/spyware server (critical); "
    "inside a listed range, or a shared CDN address reached by an unlisted name (lower)",
)
WATCHWARE = Rule(
    "net.ioc.watchware",
    _S.MEDIUM,
    _C.CONFIRMED,
    "a name or address seen is a server of a monitoring app that does not hide",
)
TRACKER = Rule(
    "net.ioc.tracker",
    _S.MEDIUM,
    _C.CONFIRMED,
    "a name or address seen is a location-tracking service's server",
)
DUAL_USE_IOC = Rule(
    "net.ioc.dual_use",
    _S.LOW,
    _C.CONFIRMED,
    "a name or address seen is listed as a legitimate service that can be misused",
)
SUSPICIOUS_IOC = Rule(
    "net.ioc.suspicious",
    _S.MEDIUM,
    _C.LIKELY,
    "a name or address seen is on an indicator list as suspicious, without a named app",
)
VENDOR_SITE = Rule(
    "net.ioc.vendor_site",
    _S.INFO,
    _C.CONFIRMED,
    "a name seen is a stalkerware seller's website or download site (and not one of its servers)",
)
TLS_CERTIFICATE = Rule(
    "net.ioc.tls_certificate",
    _S.HIGH,
    _C.CONFIRMED,
    "a TLS server certificate's SHA-1 or SHA-256 equals a certificate indicator",
)
JA3 = Rule(
    "net.ioc.ja3",
    _S.HIGH,
    _C.LIKELY,
    "the MD5 of a TLS ClientHello's JA3 string equals a JA3 indicator",
)
JA4 = Rule("net.ioc.ja4", _S.HIGH, _C.LIKELY, "a TLS ClientHello's JA4 equals a JA4 indicator")

# ---- heuristics (quieted for allowlisted hosts unless said otherwise) -------------------------

_TLS_PORTS = ", ".join(str(p) for p in sorted(t.TLS_STANDARD_PORTS))
TLS_PORT = Rule(
    "net.tls.nonstandard_port",
    _S.LOW,
    _C.POSSIBLE,
    f"TLS to an Internet host on a port other than {_TLS_PORTS}",
)
HTTP_PORT = Rule(
    "net.http.nonstandard_port",
    _S.LOW,
    _C.POSSIBLE,
    "plain HTTP to an Internet host on a port other than 80",
)
CLEARTEXT = Rule(
    "net.http.cleartext_data",
    _S.LOW,
    _C.POSSIBLE,
    f"HTTP {'/'.join(sorted(t.DATA_METHODS))} or a request body sent in clear, or more than "
    f"{t.CLEARTEXT_LARGE_UPLOAD_BYTES // 1000} kB sent on a plain-HTTP connection; medium from "
    f"{t.CLEARTEXT_MEDIUM_BYTES // 1_000_000} MB to one host; OCSP requests up to "
    f"{t.CERT_STATUS_MAX_BODY_BYTES} bytes ignored",
)
SELF_SIGNED = Rule(
    "net.tls.self_signed",
    _S.LOW,
    _C.POSSIBLE,
    "an Internet server presented a certificate whose subject equals its issuer",
)
FREE_ISSUER = Rule(
    "net.tls.free_issuer",
    _S.LOW,
    _C.POSSIBLE,
    "an Internet server's certificate comes from a free automatic authority "
    "(Let's Encrypt, ZeroSSL, Buypass), host not on the allowlist",
)
UNNAMED_IP = Rule(
    "net.ip.unnamed",
    _S.LOW,
    _C.POSSIBLE,
    "the phone sent data to a public address that no DNS answer, TLS/QUIC server name or HTTP "
    "Host named, in any connection (DNS, NTP and known DNS resolvers excluded)",
)
DYNAMIC_DNS = Rule(
    "net.dns.dynamic_dns",
    _S.MEDIUM,
    _C.POSSIBLE,
    "a name seen lies under a dynamic-DNS provider's zone",
)
SUSPICIOUS_TLD = Rule(
    "net.dns.suspicious_tld",
    _S.LOW,
    _C.POSSIBLE,
    "a name seen ends in a top-level domain listed as often abused (not under shared hosting)",
)
ENCRYPTED_DNS = Rule(
    "net.dns.encrypted",
    _S.INFO,
    _C.POSSIBLE,
    "a connection to port 853 (DNS over TLS) or to a known public DNS-over-HTTPS resolver",
)
TOR = Rule(
    "net.tor.traffic",
    _S.MEDIUM,
    _C.POSSIBLE,
    "data to an Internet host on a Tor port (9001, 9030, 9050, 9150), or a Tor-shaped random "
    "TLS server name or certificate",
)
DUAL_USE_SERVICE = Rule(
    "net.service.dual_use",
    _S.LOW,
    _C.POSSIBLE,
    "a name seen belongs to a legitimate service that stalkerware can use as its server",
)
BEACONING = Rule(
    "net.flow.beaconing",
    _S.LOW,
    _C.POSSIBLE,
    f">= {t.BEACON_MIN_CONTACTS} contacts with one host at regular intervals (coefficient of "
    f"variation < {t.BEACON_MAX_CV}) of {t.BEACON_MIN_INTERVAL_SECONDS:g} s to "
    f"{t.BEACON_MAX_INTERVAL_SECONDS / 3600:g} h",
)
UPLOAD_HEAVY = Rule(
    "net.flow.upload_heavy",
    _S.MEDIUM,
    _C.POSSIBLE,
    f"more than {t.UPLOAD_MIN_BYTES // 1_000_000} MB sent to one host not on the allowlist, and "
    f"more than {t.UPLOAD_RATIO:g} times what it sent back",
)
SEVERAL_SIGNS = Rule(
    "net.host.several_signs",
    _S.MEDIUM,
    _C.LIKELY,
    f">= {t.GROUP_MIN_SIGNS} different heuristic signs (low or above) on the same host",
)

IOC_RULES = (
    C2_DOMAIN,
    C2_IP,
    WATCHWARE,
    TRACKER,
    DUAL_USE_IOC,
    SUSPICIOUS_IOC,
    VENDOR_SITE,
    TLS_CERTIFICATE,
    JA3,
    JA4,
)
HEURISTIC_RULES = (
    TLS_PORT,
    HTTP_PORT,
    CLEARTEXT,
    SELF_SIGNED,
    FREE_ISSUER,
    UNNAMED_IP,
    DYNAMIC_DNS,
    SUSPICIOUS_TLD,
    ENCRYPTED_DNS,
    TOR,
    DUAL_USE_SERVICE,
    BEACONING,
    UPLOAD_HEAVY,
)
"""Rules whose findings the per-host grouping may combine (information ones never are)."""

_HOST_IOC = frozenset({"listed", "how", "set", "count", "first_seen", "note"})
_RECORD_IOC = frozenset({"listed", "what", "set", "count", "first_seen", "hosts", "note"})

FIELDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        **{r.id: _HOST_IOC for r in IOC_RULES if r not in (TLS_CERTIFICATE, JA3, JA4)},
        **{r.id: _RECORD_IOC for r in (TLS_CERTIFICATE, JA3, JA4)},
        TLS_PORT.id: frozenset({"ports", "count"}),
        HTTP_PORT.id: frozenset({"ports", "count"}),
        CLEARTEXT.id: frozenset({"size", "count"}),
        SELF_SIGNED.id: frozenset({"certificate"}),
        FREE_ISSUER.id: frozenset({"issuer"}),
        UNNAMED_IP.id: frozenset({"count", "size"}),
        DYNAMIC_DNS.id: frozenset({"zone"}),
        SUSPICIOUS_TLD.id: frozenset({"tld"}),
        ENCRYPTED_DNS.id: frozenset({"method", "count"}),
        TOR.id: frozenset({"why"}),
        DUAL_USE_SERVICE.id: frozenset({"service"}),
        BEACONING.id: frozenset({"contacts", "interval", "cv"}),
        UPLOAD_HEAVY.id: frozenset({"sent", "received"}),
        SEVERAL_SIGNS.id: frozenset({"count", "signs"}),
    }
)
"""Rule id -> the detail fields it fills (``subject`` and ``app`` are always available)."""

ALWAYS_FIELDS = frozenset({"subject", "app"})


def make_finding(
    rule: Rule,
    *,
    evidence: tuple[Evidence, ...],
    subject: str,
    app: str | None = None,
    indicator: Indicator | None = None,
    severity: Severity | None = None,
    confidence: Confidence | None = None,
    reasons: tuple[str, ...] = (),
    **details: str | int | float,
) -> Finding:
    """A finding of a network rule, its details checked against the rule's declared fields."""
    return rule.finding(
        evidence=evidence,
        subject=subject,
        app=app,
        indicator=indicator,
        severity=severity,
        confidence=confidence,
        reasons=reasons,
        expected=FIELDS[rule.id],
        **details,
    )
