"""Indicators of compromise, as loaded from any supported format, and what a match says."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class IndicatorKind(enum.Enum):
    """What an indicator's value is."""

    DOMAIN = "domain"
    """A DNS name; matches the name and its subdomains (label boundary)."""
    IPV4 = "ipv4"
    IPV6 = "ipv6"
    CIDR = "cidr"
    """An IPv4 or IPv6 network in CIDR notation."""
    URL = "url"
    ANDROID_PACKAGE = "android_package"
    IOS_BUNDLE = "ios_bundle"
    APP_ID = "app_id"
    """An app id from a format that does not say which platform (STIX ``app:id``)."""
    CERT_MD5 = "cert_md5"
    CERT_SHA1 = "cert_sha1"
    CERT_SHA256 = "cert_sha256"
    """Hashes of an APK signing certificate."""
    TLS_CERT_SHA1 = "tls_cert_sha1"
    """SHA-1 of a TLS server certificate (TinyCheck ``sha1cert``)."""
    FILE_MD5 = "file_md5"
    FILE_SHA1 = "file_sha1"
    FILE_SHA256 = "file_sha256"
    FILE_NAME = "file_name"
    FILE_PATH = "file_path"
    PROCESS = "process"
    EMAIL = "email"
    CONFIG_PROFILE = "config_profile"
    ANDROID_PROPERTY = "android_property"
    JA3 = "ja3"
    JA4 = "ja4"
    DYNDNS_SUFFIX = "dyndns_suffix"
    """A dynamic-DNS provider's zone (TinyCheck ``freedns``)."""
    NAMESERVER = "nameserver"
    """A suspicious name server (TinyCheck ``ns``); needs a lookup, so not matched offline."""
    TLD = "tld"
    """A top-level domain considered suspicious (TinyCheck ``tld``)."""


class Role(enum.Enum):
    """What the indicated thing is to the app.

    Kept apart so that a visit to a vendor's website is never read as an infection.
    """

    C2 = "c2"
    """A server the app talks to once installed (command and control, upload)."""
    WEBSITE = "website"
    """The vendor's marketing, login or dashboard site: a visit is not an infection."""
    DISTRIBUTION = "distribution"
    """A place the app is downloaded from."""
    APP = "app"
    """An identifier of the installed app: package, bundle id, signing certificate, process."""
    SAMPLE = "sample"
    """A hash of a known app file (APK)."""
    HEURISTIC = "heuristic"
    """A list entry that only raises suspicion (dynamic DNS, suspicious TLD)."""
    UNKNOWN = "unknown"
    """The source format does not say."""


class Threat(enum.Enum):
    """What kind of software the indicator belongs to."""

    STALKERWARE = "stalkerware"
    """Hidden surveillance software sold to watch another person."""
    WATCHWARE = "watchware"
    """Monitoring software that does not hide (parental control, family locator)."""
    SPYWARE = "spyware"
    """Other spyware (commercial or state)."""
    DUAL_USE = "dual_use"
    """A legitimate app that can be misused to watch someone."""
    TRACKER = "tracker"
    """Shares location or activity with a third party."""
    SUSPICIOUS = "suspicious"
    """Listed as suspicious without more detail."""
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator value from one set."""

    kind: IndicatorKind
    """What the value is."""
    value: str
    """The value, normalised (lower-case names and hashes, compressed IPs)."""
    app: str | None
    """The app or family it belongs to (canonical name), or None when the source does not say."""
    role: Role
    """What the thing is to the app (C2, website, ...)."""
    threat: Threat
    """What kind of software it belongs to."""
    set_name: str
    """Name of the indicator set it came from."""
    tags: tuple[str, ...] = ()
    """Free tags from the source (TinyCheck tags, MISP categories)."""


@dataclass(frozen=True, slots=True)
class SkippedEntry:
    """An entry of an indicator file that could not be used, and why."""

    locator: str
    """Where in the file (line, object id, entry name)."""
    reason: str
    """Why it was not used, in plain words."""


@dataclass(frozen=True, slots=True)
class IndicatorSetInfo:
    """Provenance of one loaded indicator set, as shown in reports."""

    name: str
    """Short name of the set (e.g. ``echap-stalkerware-indicators``)."""
    source: str
    """Where it came from: a path or URL."""
    sha256: str
    """SHA-256 over the files that were read (for a folder: over their hashes, in path order)."""
    format: str
    """The format it was read as (``echap``, ``stix2``, ``tinycheck``, ...)."""
    counts: tuple[tuple[str, int], ...]
    """Number of indicators per kind, sorted by kind."""
    skipped: int
    """Number of entries that could not be used."""
    retrieved_at: str | None = None
    """When it was downloaded or imported (ISO 8601), if known."""
    licence: str | None = None
    """Licence and attribution text, if known (Echap data is CC BY 4.0)."""


@dataclass(frozen=True, slots=True)
class IndicatorSet:
    """A loaded set: its provenance, its indicators, and what was skipped."""

    info: IndicatorSetInfo
    indicators: tuple[Indicator, ...]
    skipped: tuple[SkippedEntry, ...] = ()


class MatchHow(enum.Enum):
    """How an observed value matched an indicator."""

    EXACT = "exact"
    SUBDOMAIN = "subdomain"
    """The observed name is a subdomain of the indicated one."""
    NETWORK = "network"
    """The observed address lies in the indicated network."""


@dataclass(frozen=True, slots=True)
class IndicatorMatch:
    """An observed value that matched an indicator."""

    indicator: Indicator
    observed: str
    """The value as observed (normalised)."""
    how: MatchHow
