"""SetBuilder: collects the indicators of one set, normalising and checking every value.

Every loader hands raw values to :meth:`SetBuilder.add`, which normalises them the same way
whatever the format (lower-case names and hashes, compressed IP addresses, IPs given as domains
turned into IP indicators) and turns a value that is not what its kind says into a
:class:`SkippedEntry` with a reason, instead of an indicator that can never match or, worse,
matches everything.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import ipaddress
import re
from collections import Counter
from collections.abc import Iterable, Iterator

from stalkerscan.indicators.domains import normalise_domain
from stalkerscan.model import (
    Indicator,
    IndicatorKind,
    IndicatorSet,
    IndicatorSetInfo,
    Role,
    SkippedEntry,
    Threat,
)

_K = IndicatorKind

_HEX = re.compile(r"[0-9a-f]+")
_ADDRESS_CHARS = frozenset("0123456789abcdefABCDEF:./[]")
"""Every character an IP address or network can be written with (before an IPv6 ``%zone``)."""
_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,62})?")
_HASH_LENGTHS: dict[IndicatorKind, tuple[int, str]] = {
    _K.FILE_MD5: (32, "MD5"),
    _K.FILE_SHA1: (40, "SHA-1"),
    _K.FILE_SHA256: (64, "SHA-256"),
    _K.CERT_MD5: (32, "MD5"),
    _K.CERT_SHA1: (40, "SHA-1"),
    _K.CERT_SHA256: (64, "SHA-256"),
    _K.TLS_CERT_SHA1: (40, "SHA-1"),
}
_NAME_KINDS = (_K.DOMAIN, _K.DYNDNS_SUFFIX, _K.NAMESERVER, _K.TLD)

PUBLIC_SIGNING_CERTS: frozenset[str] = frozenset(
    {
        # AOSP build/target/product/security/testkey: the default key of every AOSP build.
        "61ed377e85d386a8dfee6b864bd85b0bfaa5af81",
        # AOSP platform key (same folder).
        "27196e386b875e76adf700e7ea84e4c6eee33dfa",
        # AOSP shared key (same folder).
        "5b368cff2da2686996bc95eac190eaa4f5630fe5",
    }
)
"""SHA-1 of APK signing certificates whose private keys ship with the Android source code.

Anyone can sign an app with them, so they sign many unrelated apps and cannot identify one:
a signing-certificate indicator with one of these values is skipped, whatever the source.
"""


class ValueRejected(ValueError):
    """A value is not what its kind says; the message is the reason, in plain words."""


def _domain(value: str, kind: IndicatorKind) -> str:
    name = normalise_domain(value)
    if not name.isascii():
        try:
            name = name.encode("idna").decode("ascii")
        except UnicodeError as err:
            raise ValueRejected(f"not a valid domain name: {value!r}") from err
    if kind is _K.TLD:
        name = name.lstrip(".")
    labels = name.split(".")
    if not name or len(name) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise ValueRejected(f"not a domain name: {value!r}")
    if kind is _K.DOMAIN and len(labels) < 2:
        raise ValueRejected(f"a single name without a dot is not a domain indicator: {value!r}")
    return name


def _hash(value: str, kind: IndicatorKind) -> str:
    clean = value.strip().lower().replace(":", "").replace(" ", "")
    length, algo = _HASH_LENGTHS[kind]
    if len(clean) != length or not _HEX.fullmatch(clean):
        raise ValueRejected(f"not a {algo} hash ({length} hex digits): {value!r}")
    if kind is _K.CERT_SHA1 and clean in PUBLIC_SIGNING_CERTS:
        raise ValueRejected(
            f"{value} is a public Android test signing key: it signs many unrelated apps"
        )
    return clean


def _address(value: str) -> tuple[IndicatorKind, str]:
    text = value.strip().strip("[]")
    if "/" in text:
        try:
            net = ipaddress.ip_network(text, strict=False)
        except ValueError as err:
            raise ValueRejected(f"not an IP network: {value!r}") from err
        if net.num_addresses == 1:
            kind = _K.IPV4 if net.version == 4 else _K.IPV6
            return kind, net.network_address.compressed
        return _K.CIDR, net.compressed
    try:
        ip = ipaddress.ip_address(text)
    except ValueError as err:
        raise ValueRejected(f"not an IP address: {value!r}") from err
    return (_K.IPV4 if ip.version == 4 else _K.IPV6), ip.compressed


def looks_like_ip(value: str) -> bool:
    """True for an IPv4/IPv6 address or network (a domain field holding an address)."""
    if not _ADDRESS_CHARS.issuperset(value.strip().partition("%")[0]):
        return False  # a letter past ``f``, a dash...: a name, not worth trying as an address
    try:
        _address(value)
    except ValueRejected:
        return False
    return True


def normalise_value(kind: IndicatorKind, value: str) -> tuple[IndicatorKind, str]:
    """The kind and normalised value of one raw value, or :class:`ValueRejected` with why not.

    A domain that is really an IP address becomes an IP indicator, a domain that is a full URL
    a URL indicator; an IP with a prefix length
    becomes a CIDR indicator (or a plain address for /32 and /128).
    """
    raw = value.strip()
    if not raw:
        raise ValueRejected("empty value")
    if kind is _K.DOMAIN and "://" in raw:
        kind = _K.URL
    if kind in (_K.IPV4, _K.IPV6, _K.CIDR) or (kind is _K.DOMAIN and looks_like_ip(raw)):
        return _address(raw)
    if kind in _NAME_KINDS:
        return kind, _domain(raw, kind)
    if kind in _HASH_LENGTHS:
        return kind, _hash(raw, kind)
    if kind is _K.URL:
        if "://" not in raw or any(c.isspace() for c in raw):
            raise ValueRejected(f"not a URL: {value!r}")
        return kind, raw
    if kind in (_K.ANDROID_PACKAGE, _K.IOS_BUNDLE, _K.APP_ID) and any(c.isspace() for c in raw):
        raise ValueRejected(f"an app id has no spaces: {value!r}")
    return kind, raw


def csv_rows(text: str, where: str = "") -> tuple[list[str], Iterator[tuple[str, list[str]]]]:
    """The header (lower-cased cells) and the ``(locator, row)`` pairs of a CSV text.

    Blank rows are left out; a locator reads ``line N`` (after ``where`` when given).
    """
    reader = csv.reader(io.StringIO(text))
    header = [c.strip().lower() for c in next(reader, [])]
    prefix = f"{where} " if where else ""

    def rows() -> Iterator[tuple[str, list[str]]]:
        for number, row in enumerate(reader, start=2):
            if any(cell.strip() for cell in row):
                yield f"{prefix}line {number}", row

    return header, rows()


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_listing(digests: Iterable[tuple[str, str]]) -> str:
    """SHA-256 of a ``sha256sum``-style listing (``<hex>  <name>\\n`` per file, sorted by name).

    This is what a folder's set hash is: ``sha256sum ioc.yaml samples.csv watchware.yaml |
    sha256sum`` in the folder gives the same value, so anyone can check it by hand.
    """
    listing = "".join(f"{digest}  {name}\n" for name, digest in sorted(digests))
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


class SetBuilder:
    """Collects the indicators and skipped entries of one set, then freezes them."""

    __slots__ = ("_indicators", "_skipped", "format", "name", "source")

    def __init__(self, name: str, source: str, format: str) -> None:
        self.name = name
        """The set name every indicator carries."""
        self.source = source
        """Where the set came from (path or URL)."""
        self.format = format
        """The format name shown in reports (``echap``, ``stix2`` ...)."""
        self._indicators: dict[Indicator, None] = {}
        self._skipped: list[SkippedEntry] = []

    def add(
        self,
        kind: IndicatorKind,
        value: str,
        *,
        app: str | None,
        role: Role,
        threat: Threat,
        locator: str,
        tags: tuple[str, ...] = (),
    ) -> bool:
        """Add one indicator; a bad value becomes a skipped entry at ``locator``. True if added."""
        try:
            final_kind, final_value = normalise_value(kind, value)
        except ValueRejected as err:
            self.skip(locator, str(err))
            return False
        indicator = Indicator(
            kind=final_kind,
            value=final_value,
            app=app,
            role=role,
            threat=threat,
            set_name=self.name,
            tags=tags,
        )
        self._indicators[indicator] = None
        return True

    def skip(self, locator: str, reason: str) -> None:
        """Record an entry that could not be used, and why."""
        self._skipped.append(SkippedEntry(locator=locator, reason=reason))

    def __contains__(self, indicator: Indicator) -> bool:
        return indicator in self._indicators

    def build(self, sha256: str, licence: str | None = None) -> IndicatorSet:
        """The finished set, with counts per kind computed from what was kept."""
        indicators = tuple(self._indicators)
        counts = Counter(ind.kind.value for ind in indicators)
        info = IndicatorSetInfo(
            name=self.name,
            source=self.source,
            sha256=sha256,
            format=self.format,
            counts=tuple(sorted(counts.items())),
            skipped=len(self._skipped),
            licence=licence,
        )
        return IndicatorSet(info=info, indicators=indicators, skipped=tuple(self._skipped))


def rename_set(indicator_set: IndicatorSet, name: str) -> IndicatorSet:
    """The same set under another name (every indicator carries the new set name)."""
    return IndicatorSet(
        info=dataclasses.replace(indicator_set.info, name=name),
        indicators=tuple(dataclasses.replace(i, set_name=name) for i in indicator_set.indicators),
        skipped=indicator_set.skipped,
    )
