"""Plain host lists (one domain or address per line, hosts-file lines) and Echap ``network.csv``.

A host list says nothing about roles: every entry gets role UNKNOWN. Echap's ``network.csv``
(``type,indicator,app``) mixes C2 servers and download sites, so it gets role UNKNOWN too, with
the app it names. Lists found in an Echap folder are stalkerware (``hosts_full`` also holds the
watchware C2 servers: load the Echap folder itself for exact threats and roles).
"""

from __future__ import annotations

import re

from stalkerscan.indicators.builder import SetBuilder, csv_rows, looks_like_ip, sha256_bytes
from stalkerscan.model import IndicatorKind, IndicatorSet, Role, Threat

_K = IndicatorKind

_HOST = re.compile(r"[A-Za-z0-9_*][A-Za-z0-9_.*-]*\.?")
_HOSTS_BOILERPLATE = frozenset(
    {
        "localhost",
        "localhost.localdomain",
        "local",
        "broadcasthost",
        "ip6-localhost",
        "ip6-loopback",
        "ip6-localnet",
        "ip6-mcastprefix",
        "ip6-allnodes",
        "ip6-allrouters",
        "ip6-allhosts",
        "0.0.0.0",
    }
)
"""Names every hosts file maps to itself: not indicators."""
_MIN_SHARE = 0.75
"""Share of lines that must look like hosts for a text file to be read as a host list."""

_NETWORK_TYPES = {"domain": _K.DOMAIN, "ipv4": _K.IPV4, "ipv6": _K.IPV6, "url": _K.URL}


def _strip_comment(line: str) -> str:
    if line.lstrip().startswith(("#", "!", ";")):
        return ""
    return line.split(" #", 1)[0].split("\t#", 1)[0].strip()


def _is_url(token: str) -> bool:
    scheme, sep, rest = token.partition("://")
    return bool(sep) and scheme.isalpha() and bool(rest)


def _names(line: str) -> list[str] | None:
    """The names one line lists, or None if the line is not a host-list line."""
    tokens = line.split()
    if len(tokens) == 1:
        token = tokens[0]
        dotted = "." in token.strip(".") and _HOST.fullmatch(token) is not None
        return [token] if dotted or looks_like_ip(token) or _is_url(token) else None
    if looks_like_ip(tokens[0].split("%", 1)[0]):
        names = tokens[1:]
        return names if all(_HOST.fullmatch(n) for n in names) else None
    return None


def parse_host_lines(text: str) -> tuple[list[tuple[int, list[str]]], list[int]] | None:
    """(line number, names) per host line and the numbers of other lines; None if not a list."""
    good: list[tuple[int, list[str]]] = []
    bad: list[int] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw)
        if not line:
            continue
        names = _names(line)
        if names is None:
            bad.append(number)
        else:
            good.append((number, names))
    if not good or len(good) < _MIN_SHARE * (len(good) + len(bad)):
        return None
    return good, bad


def build_host_list_set(
    lines: tuple[list[tuple[int, list[str]]], list[int]],
    data: bytes,
    *,
    name: str,
    source: str,
    threat: Threat,
    licence: str | None,
) -> IndicatorSet:
    """The set of one host list (as parsed by :func:`parse_host_lines`)."""
    builder = SetBuilder(name, source, "host-list")
    good, bad = lines
    for number in bad:
        builder.skip(f"line {number}", "not a domain name or IP address")
    for number, names in good:
        for entry in names:
            if entry.lower().rstrip(".") in _HOSTS_BOILERPLATE:
                continue
            builder.add(
                _K.DOMAIN,
                entry,
                app=None,
                role=Role.UNKNOWN,
                threat=threat,
                locator=f"line {number}",
            )
    return builder.build(sha256_bytes(data), licence)


def is_network_csv_header(first_line: str) -> bool:
    """True for the header of Echap's ``network.csv``."""
    return [c.strip().lower() for c in first_line.split(",")] == ["type", "indicator", "app"]


def build_network_csv_set(
    text: str, data: bytes, *, name: str, source: str, licence: str | None
) -> IndicatorSet:
    """The set of an Echap ``network.csv`` (stalkerware C2 and download hosts, role UNKNOWN)."""
    builder = SetBuilder(name, source, "echap-network-csv")
    _header, rows = csv_rows(text)
    for locator, row in rows:
        if len(row) != 3:
            builder.skip(locator, f"{len(row)} columns where type,indicator,app are expected")
            continue
        kind = _NETWORK_TYPES.get(row[0].strip().lower())
        if kind is None:
            builder.skip(locator, f"unsupported type: {row[0].strip() or 'none'}")
            continue
        builder.add(
            kind,
            row[1],
            app=row[2].strip() or None,
            role=Role.UNKNOWN,
            threat=Threat.STALKERWARE,
            locator=locator,
        )
    return builder.build(sha256_bytes(data), licence)
