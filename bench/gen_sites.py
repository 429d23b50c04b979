"""The services a generated phone talks to (for bench/gen_capture.py).

Names, address blocks, TLS versions and CNAME chains resemble what a European Android phone
really contacts; addresses are derived from the host name, so they are stable across runs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    """A service the phone talks to."""

    domain: str
    hosts: tuple[str, ...]
    """Host labels under ``domain`` ("" for the domain itself)."""
    net4: str
    """First two octets of its IPv4 addresses."""
    net6: str | None
    """First four groups of its IPv6 addresses, None if it has none."""
    tls: str
    """"1.3" or "1.2"."""
    profile: str
    """The netgen client profile of the apps that use it."""
    quic: bool = False
    cname: str | None = None
    """CNAME chain template ("{name}" is replaced), "|"-separated."""
    self_signed: bool = False
    spread: int = 1
    """Numbered variants of each host label (CDN edges, cache nodes): more distinct names."""


SITES = (
    Site("googleapis.com", ("www", "android", "play", "firebaseinstallations",
         "people-pa", "youtubei", "firebaselogging-pa", "fcmtoken"),
         "142.250", "2a00:1450:4001:80b", "1.3", "chrome", quic=True),
    Site("gstatic.com", ("www", "fonts", "ssl", "encrypted-tbn0"), "172.217",
         "2a00:1450:4001:82a", "1.3", "chrome", quic=True),
    Site("google.com", ("www", "clients4", "accounts", "mtalk", "play"), "216.58",
         "2a00:1450:4001:830", "1.3", "chrome", quic=True),
    Site("googlevideo.com", ("rr3---sn-4g5e6nzz", "rr1---sn-uxax4vopj-5qce",
         "rr5---sn-h0jeen7y"), "173.194", "2a00:1450:4001:c0a", "1.3", "chrome", quic=True,
         spread=25),
    Site("facebook.com", ("graph", "b-graph", "edge-mqtt", "web"), "157.240",
         "2a03:2880:f12f:83", "1.3", "okhttp", cname="star-mini.c10r.facebook.com"),
    Site("fbcdn.net", ("scontent-fra5-1.xx", "scontent-fra3-2.xx", "video-fra3-1.xx"),
         "157.240", "2a03:2880:f02d:12", "1.3", "okhttp", spread=20),
    Site("whatsapp.net", ("g", "mmg", "media-fra5-2.cdn", "static"), "157.240",
         "2a03:2880:f22f:c5", "1.3", "okhttp", cname="mmx-ds.cdn.whatsapp.net"),
    Site("instagram.com", ("i", "graph", "b.i"), "31.13", None, "1.3", "okhttp",
         cname="z-p42-instagram.c10r.instagram.com"),
    Site("tiktokv.com", ("api16-normal-c-useast1a", "log16-normal-c-useast1a"), "23.192",
         None, "1.2", "okhttp", cname="{name}.tiktokv.com.edgekey.net|e4568.a.akamaiedge.net"),
    Site("spotify.com", ("spclient.wg", "apresolve", "dealer"), "35.186", None, "1.3",
         "okhttp"),
    Site("akamaized.net", ("audio-ak-spotify-com", "vod-secure.twitch"), "104.96", None,
         "1.2", "okhttp", cname="{name}.akamaized.net.edgesuite.net|a1723.dscb.akamai.net",
         spread=10),
    Site("cloudfront.net", ("d3c4b2a1x9q7pz", "d1f2e3r4t5y6u7", "dk3ld92mx0ql1a"), "13.32",
         None, "1.2", "okhttp", spread=15),
    Site("amazonaws.com", ("s3.eu-west-1", "sqs.us-east-1", "kinesis.us-east-1"), "52.218",
         None, "1.2", "legacy12", spread=8),
    Site("doubleclick.net", ("googleads.g", "securepubads.g", "pubads.g"), "142.251",
         "2a00:1450:4001:811", "1.3", "chrome"),
    Site("app-measurement.com", ("", "region1"), "142.250", None, "1.3", "chrome"),
    Site("crashlytics.com", ("settings", "reports"), "35.190", None, "1.2", "okhttp"),
    Site("applovin.com", ("ms", "rt", "d", "prod-a"), "3.248", None, "1.3", "okhttp"),
    Site("unity3d.com", ("config.uca.cloud", "cdp.cloud", "auction"), "35.201", None, "1.3",
         "okhttp"),
    Site("adjust.com", ("app", "gdpr", "subscription"), "185.151", None, "1.2", "okhttp"),
    Site("onesignal.com", ("api",), "104.16", "2606:4700:0:1", "1.3", "okhttp"),
    Site("sentry.io", ("o447951.ingest",), "34.120", None, "1.3", "okhttp", spread=4),
    Site("xiaomi.com", ("api.sec", "data.mistat.intl", "sdkconfig.ad.intl"), "161.117",
         None, "1.2", "legacy12"),
    Site("wikipedia.org", ("en", "de", "upload"), "185.15", "2a02:ec80:300:ed1a", "1.3",
         "firefox", cname="dyna.wikimedia.org"),
    Site("weather-widget.com", ("api", "tiles"), "94.130", None, "1.2", "legacy12"),
    Site("bank-mobile.eu", ("api", "auth"), "193.110", None, "1.2", "okhttp",
         cname="{name}.edgekey.net|e9911.a.akamaiedge.net"),
    Site("home-nas.example", ("nas",), "203.0", None, "1.2", "okhttp", self_signed=True),
    Site("vps-tools.net", ("sync", "panel"), "198.51", None, "1.2", "legacy12",
         self_signed=True),
)  # fmt: skip
"""The sites; names and networks resemble a European Android phone's real traffic."""


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def site_ip(site: Site, host: str, v6: bool, index: int = 0) -> str:
    """A stable server address of ``host`` (one of a few per host)."""
    h = _hash(f"{host}/{index}")
    if v6 and site.net6:
        return f"{site.net6}::{h % 0xFFFF + 1:x}"
    return f"{site.net4}.{h % 250 + 1}.{(h >> 8) % 250 + 2}"
