"""Worked examples of the heuristic rules, checked with the packaged allowlist and lists.

Host names under ``.example`` and ``example.net`` are illustrative; addresses are ordinary public
hosting addresses.
"""

from __future__ import annotations

import random

from stalkerscan.detect.base import Example
from stalkerscan.detect.net import catalog as c
from stalkerscan.detect.net.build import CaptureBuilder, certificate
from stalkerscan.detect.net.examples_ioc import indicator
from stalkerscan.model import IndicatorKind, Role, Threat
from stalkerscan.model.net import NetworkCapture

HOST = "sync.unknown-app.example"
ADDRESS = "51.15.20.30"
COMMERCIAL_CA = "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1,O=DigiCert Inc,C=US"
LETS_ENCRYPT = "CN=R11,O=Let's Encrypt,C=US"


def named_tls(
    port: int = 443,
    *,
    host: str = HOST,
    address: str = ADDRESS,
    issuer: str | None = None,
    self_signed: bool = False,
    sent: int = 1_500,
    received: int = 6_000,
) -> NetworkCapture:
    """A looked-up host and one TLS connection to it (TLS 1.3 unless a certificate is wanted)."""
    b = CaptureBuilder()
    b.dns(host, address, at=4.0)
    flow = b.flow(address, port, at=4.1, app="tls", name=host, sent=sent, received=received)
    if issuer is None and not self_signed:
        b.tls(flow, host, version="TLS 1.3")
    else:
        subject = f"CN={host}"
        cert = certificate(
            subject, subject if self_signed else issuer or "", self_signed=self_signed
        )
        b.tls(flow, host, certificates=(cert,))
    return b.build()


def named_http(
    port: int = 80, method: str = "GET", body: int = 0, *, host: str = HOST, path: str = "/api"
) -> NetworkCapture:
    """A looked-up host and one plain-HTTP request to it."""
    b = CaptureBuilder()
    b.dns(host, ADDRESS, at=4.0)
    flow = b.flow(ADDRESS, port, at=4.1, app="http", name=host, sent=body + 600)
    b.http(flow, method, host, path, body)
    return b.build()


def lookup(name: str, address: str = ADDRESS) -> NetworkCapture:
    """The phone looks ``name`` up and connects to it."""
    b = CaptureBuilder()
    b.dns(name, address, at=4.0)
    flow = b.flow(address, 443, at=4.1, app="tls", name=name)
    b.tls(flow, name, version="TLS 1.3")
    return b.build()


def unnamed(address: str, port: int = 443, *, sent: int = 1_500) -> NetworkCapture:
    """One connection that no DNS answer, server name or Host named."""
    b = CaptureBuilder()
    b.flow(address, port, at=4.0, app="tls" if port != 9001 else None, sent=sent)
    return b.build()


def periodic(host: str, times: list[float], address: str = ADDRESS) -> NetworkCapture:
    """Connections to ``host`` starting at ``times`` (seconds from the start)."""
    b = CaptureBuilder()
    b.dns(host, address, at=1.0)
    for at in times:
        flow = b.flow(address, 443, at=at, app="tls", name=host, duration=0.8)
        b.tls(flow, host, version="TLS 1.3")
    return b.build()


def several_signs(port: int, sent: int) -> NetworkCapture:
    """An unnamed host with a self-signed certificate, on ``port``, sent ``sent`` bytes."""
    b = CaptureBuilder()
    flow = b.flow("139.59.40.50", port, at=8.0, app="tls", sent=sent, received=40_000)
    cert = certificate("CN=localhost", "CN=localhost", self_signed=True)
    b.tls(flow, None, certificates=(cert,))
    return b.build()


def dot_capture() -> NetworkCapture:
    """Android Private DNS: DNS over TLS to 8.8.4.4 on port 853."""
    b = CaptureBuilder()
    b.flow("8.8.4.4", 853, at=1.0, app="dot", sent=3_000, received=5_000)
    return b.build()


def _random_times(seed: int, count: int) -> list[float]:
    rng = random.Random(seed)
    times, now = [], 10.0
    for _ in range(count):
        now += rng.expovariate(1 / 90)
        times.append(now)
    return times


HEURISTIC_EXAMPLES: tuple[Example[NetworkCapture], ...] = (
    Example(c.TLS_PORT.id, True, "TLS on port 4443", named_tls(4443)),
    Example(c.TLS_PORT.id, False, "TLS on port 443", named_tls(443)),
    Example(
        c.TLS_PORT.id,
        False,
        "Google push on 5228 (allowlisted host)",
        named_tls(5228, host="mtalk.google.com", address="142.250.102.188"),
    ),
    Example(c.HTTP_PORT.id, True, "plain HTTP on port 8080", named_http(8080)),
    Example(c.HTTP_PORT.id, False, "plain HTTP on port 80", named_http(80)),
    Example(c.CLEARTEXT.id, True, "a 40 kB POST in clear", named_http(80, "POST", 40_000)),
    Example(c.CLEARTEXT.id, False, "a GET without body", named_http(80, "GET", 0)),
    Example(
        c.CLEARTEXT.id,
        False,
        "a certificate status (OCSP) request",
        named_http(80, "POST", 83, host="ocsp.example-ca.example", path="/"),
    ),
    Example(
        c.SELF_SIGNED.id, True, "a self-signed server certificate", named_tls(443, self_signed=True)
    ),
    Example(
        c.SELF_SIGNED.id,
        False,
        "a certificate from a commercial authority",
        named_tls(443, issuer=COMMERCIAL_CA),
    ),
    Example(
        c.FREE_ISSUER.id,
        True,
        "a Let's Encrypt certificate on an unknown host",
        named_tls(443, issuer=LETS_ENCRYPT),
    ),
    Example(
        c.FREE_ISSUER.id,
        False,
        "a Let's Encrypt certificate on an allowlisted host",
        named_tls(443, issuer=LETS_ENCRYPT, host="updates.signal.org"),
    ),
    Example(c.UNNAMED_IP.id, True, "data to an address nothing named", unnamed("95.216.10.20")),
    Example(
        c.UNNAMED_IP.id, False, "the same address, looked up first", lookup(HOST, "95.216.10.20")
    ),
    Example(c.UNNAMED_IP.id, False, "a local-network address", unnamed("192.168.100.50")),
    Example(c.DYNAMIC_DNS.id, True, "a DuckDNS name", lookup("phone-7a3f.duckdns.org")),
    Example(
        c.DYNAMIC_DNS.id, False, "notduckdns.org is not under duckdns.org", lookup("notduckdns.org")
    ),
    Example(c.SUSPICIOUS_TLD.id, True, "a .xyz name", lookup("cdn-4f2a.xyz")),
    Example(
        c.SUSPICIOUS_TLD.id,
        False,
        "a listed TLD under shared hosting (web.app)",
        lookup("my-project.web.app"),
        (
            indicator(
                "app", None, kind=IndicatorKind.TLD, role=Role.HEURISTIC, threat=Threat.SUSPICIOUS
            ),
        ),
    ),
    Example(c.ENCRYPTED_DNS.id, True, "DNS over TLS on port 853", dot_capture()),
    Example(c.ENCRYPTED_DNS.id, False, "plain DNS and HTTPS", lookup(HOST)),
    Example(c.TOR.id, True, "data to a Tor relay port", unnamed("5.9.60.70", 9001)),
    Example(c.TOR.id, False, "the same host on port 443", lookup(HOST, "5.9.60.70")),
    Example(
        c.DUAL_USE_SERVICE.id,
        True,
        "the Telegram bot interface",
        lookup("api.telegram.org", "149.154.167.220"),
    ),
    Example(
        c.DUAL_USE_SERVICE.id, False, "Telegram's website", lookup("telegram.org", "149.154.167.99")
    ),
    Example(
        c.BEACONING.id,
        True,
        "a check-in every 60 s",
        periodic(HOST, [30.0 + 60.0 * i for i in range(8)]),
    ),
    Example(c.BEACONING.id, False, "irregular use", periodic(HOST, _random_times(7, 8))),
    Example(
        c.UPLOAD_HEAVY.id,
        True,
        "4 MB sent, 50 kB back",
        named_tls(443, sent=4_000_000, received=50_000),
    ),
    Example(
        c.UPLOAD_HEAVY.id,
        False,
        "4 MB to an allowlisted host",
        named_tls(
            443, host="i.instagram.com", address="157.240.0.63", sent=4_000_000, received=50_000
        ),
    ),
    Example(
        c.UPLOAD_HEAVY.id,
        False,
        "4 MB received (a download)",
        named_tls(443, sent=50_000, received=4_000_000),
    ),
    Example(
        c.SEVERAL_SIGNS.id,
        True,
        "unnamed, port 4443, self-signed, 3 MB sent",
        several_signs(4443, 3_000_000),
    ),
    Example(
        c.SEVERAL_SIGNS.id,
        False,
        "unnamed and self-signed only (two signs)",
        several_signs(443, 20_000),
    ),
)
"""Examples of every heuristic rule."""
