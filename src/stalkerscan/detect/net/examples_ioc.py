"""Worked examples of the indicator rules: one or more that fire, one or more that stay silent.

Stalkerware names and addresses are real Echap indicators (stalkerware-indicators, CC BY 4.0);
tracker, suspicious and fingerprint values are illustrative.
"""

from __future__ import annotations

from stalkerscan.detect.base import Example
from stalkerscan.detect.net import catalog as c
from stalkerscan.detect.net.build import CaptureBuilder, certificate
from stalkerscan.model import Indicator, IndicatorKind, Role, Threat
from stalkerscan.model.net import NetworkCapture

_K = IndicatorKind
SET = "examples"


def indicator(
    value: str,
    app: str | None,
    *,
    kind: IndicatorKind = _K.DOMAIN,
    role: Role = Role.C2,
    threat: Threat = Threat.STALKERWARE,
) -> Indicator:
    """An indicator of the examples' set."""
    return Indicator(kind=kind, value=value, app=app, role=role, threat=threat, set_name=SET)


def visit(name: str, address: str, *, port: int = 443) -> NetworkCapture:
    """The phone looks ``name`` up and opens a TLS connection to it."""
    b = CaptureBuilder()
    b.dns(name, address, at=5.0)
    flow = b.flow(address, port, at=5.1, app="tls", name=name)
    b.tls(flow, name, version="TLS 1.3")
    return b.build()


def raw_connection(address: str, port: int = 443) -> NetworkCapture:
    """A connection to ``address`` that no name introduced."""
    b = CaptureBuilder()
    b.flow(address, port, at=3.0, app="tls")
    return b.build()


def _tls_with_certificate(subject: str) -> NetworkCapture:
    b = CaptureBuilder()
    b.dns("sync.example.net", "51.15.20.30", at=2.0)
    flow = b.flow("51.15.20.30", 443, at=2.1, app="tls", name="sync.example.net")
    cert = certificate(subject, "CN=Example Issuing CA,O=Example Trust,C=US")
    b.tls(flow, "sync.example.net", certificates=(cert,))
    return b.build()


def _fingerprinted(ja3_hash: str, ja4: str) -> NetworkCapture:
    b = CaptureBuilder()
    b.dns("sync.example.net", "51.15.20.30", at=2.0)
    flow = b.flow("51.15.20.30", 443, at=2.1, app="tls", name="sync.example.net")
    b.tls(flow, "sync.example.net", ja3_hash=ja3_hash, ja4=ja4, version="TLS 1.3")
    return b.build()


_CERT_SUBJECT = "CN=sync.example.net"
_CERT_SHA1 = certificate(_CERT_SUBJECT, "CN=Example Issuing CA,O=Example Trust,C=US").sha1
_JA3 = "e7d705a3286e19ea42f587b344ee6865"
_JA4 = "t13d1516h2_8daaf6152771_02713d6af862"

_TTS_C2 = indicator("media-sync-a.thetruthspy.com", "TheTruthSpy")
_COPY9_C2 = indicator("copy9.com", "TheTruthSpy")
_COPY9_SITE = indicator("copy9.com", "TheTruthSpy", role=Role.WEBSITE)
_TTS_SITE = indicator("thetruthspy.com", "TheTruthSpy", role=Role.WEBSITE)
_TTS_IP = indicator("69.64.74.239", "TheTruthSpy", kind=_K.IPV4)
_FAMISAFE_C2 = indicator("app-api-pro.wondershare.cc", "FamiSafe", threat=Threat.WATCHWARE)
_FAMISAFE_SITE = indicator(
    "famisafe.wondershare.com", "FamiSafe", role=Role.WEBSITE, threat=Threat.WATCHWARE
)

IOC_EXAMPLES: tuple[Example[NetworkCapture], ...] = (
    Example(
        c.C2_DOMAIN.id,
        True,
        "DNS lookup and TLS connection to a TheTruthSpy server",
        visit("media-sync-a.thetruthspy.com", "69.64.81.166"),
        (_TTS_C2,),
    ),
    Example(
        c.C2_DOMAIN.id,
        True,
        "a subdomain of a listed server name (label boundary)",
        visit("media-sync-a101.copy9.com", "69.64.81.49"),
        (_COPY9_C2,),
    ),
    Example(
        c.C2_DOMAIN.id,
        False,
        "notcopy9.com is not under copy9.com",
        visit("notcopy9.com", "51.15.20.30"),
        (_COPY9_C2,),
    ),
    Example(
        c.C2_IP.id,
        True,
        "a connection straight to a TheTruthSpy server address",
        raw_connection("69.64.74.239"),
        (_TTS_IP,),
    ),
    Example(
        c.C2_IP.id,
        False,
        "the next address is not listed",
        raw_connection("69.64.74.240"),
        (_TTS_IP,),
    ),
    Example(
        c.WATCHWARE.id,
        True,
        "a FamiSafe server (parental control: a monitoring app that does not hide)",
        visit("app-api-pro.wondershare.cc", "51.15.20.31"),
        (_FAMISAFE_C2,),
    ),
    Example(
        c.WATCHWARE.id,
        False,
        "a visit to FamiSafe's website is a vendor-site visit, not a watchware server",
        visit("famisafe.wondershare.com", "51.15.20.32"),
        (_FAMISAFE_SITE,),
    ),
    Example(
        c.TRACKER.id,
        True,
        "a location-tracking service's server",
        visit("api.gps-locator.example", "51.15.20.33"),
        (indicator("gps-locator.example", None, threat=Threat.TRACKER),),
    ),
    Example(
        c.TRACKER.id,
        False,
        "an unrelated name",
        visit("api.weather.example", "51.15.20.33"),
        (indicator("gps-locator.example", None, threat=Threat.TRACKER),),
    ),
    Example(
        c.DUAL_USE_IOC.id,
        True,
        "api.telegram.org listed as dual-use (SpyGuard 'dual' tag)",
        visit("api.telegram.org", "149.154.167.220"),
        (indicator("api.telegram.org", None, role=Role.UNKNOWN, threat=Threat.DUAL_USE),),
    ),
    Example(
        c.DUAL_USE_IOC.id,
        False,
        "core.telegram.org is not under api.telegram.org",
        visit("core.telegram.org", "149.154.167.99"),
        (indicator("api.telegram.org", None, role=Role.UNKNOWN, threat=Threat.DUAL_USE),),
    ),
    Example(
        c.SUSPICIOUS_IOC.id,
        True,
        "a name listed as suspicious without an app",
        visit("update-service.example", "51.15.20.34"),
        (indicator("update-service.example", None, role=Role.UNKNOWN, threat=Threat.SUSPICIOUS),),
    ),
    Example(
        c.SUSPICIOUS_IOC.id,
        False,
        "an unrelated name",
        visit("www.example.org", "51.15.20.34"),
        (indicator("update-service.example", None, role=Role.UNKNOWN, threat=Threat.SUSPICIOUS),),
    ),
    Example(
        c.VENDOR_SITE.id,
        True,
        "someone opened TheTruthSpy's website",
        visit("www.thetruthspy.com", "69.64.81.98"),
        (_TTS_SITE,),
    ),
    Example(
        c.VENDOR_SITE.id,
        False,
        "copy9.com is both a server and the website: reported as a server",
        visit("copy9.com", "69.64.81.98"),
        (_COPY9_SITE, _COPY9_C2),
    ),
    Example(
        c.TLS_CERTIFICATE.id,
        True,
        "the server presented a listed certificate",
        _tls_with_certificate(_CERT_SUBJECT),
        (indicator(_CERT_SHA1, "ExampleSpy", kind=_K.TLS_CERT_SHA1),),
    ),
    Example(
        c.TLS_CERTIFICATE.id,
        False,
        "another certificate",
        _tls_with_certificate("CN=other.example.net"),
        (indicator(_CERT_SHA1, "ExampleSpy", kind=_K.TLS_CERT_SHA1),),
    ),
    Example(
        c.JA3.id,
        True,
        "the phone's ClientHello has a listed JA3",
        _fingerprinted(_JA3, _JA4),
        (indicator(_JA3, "ExampleSpy", kind=_K.JA3),),
    ),
    Example(
        c.JA3.id,
        False,
        "another JA3",
        _fingerprinted("0" * 32, _JA4),
        (indicator(_JA3, "ExampleSpy", kind=_K.JA3),),
    ),
    Example(
        c.JA4.id,
        True,
        "the phone's ClientHello has a listed JA4",
        _fingerprinted(_JA3, _JA4),
        (indicator(_JA4, "ExampleSpy", kind=_K.JA4),),
    ),
    Example(
        c.JA4.id,
        False,
        "another JA4",
        _fingerprinted(_JA3, "t13d1516h2_000000000000_000000000000"),
        (indicator(_JA4, "ExampleSpy", kind=_K.JA4),),
    ),
)
"""Examples of every indicator rule."""
