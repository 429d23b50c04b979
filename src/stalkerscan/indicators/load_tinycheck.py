"""TinyCheck / SpyGuard JSON feeds: ``{"iocs": [{"type", "tag", "tlp", "value"}, ...]}``.

Types: ``domain``, ``ip4addr``, ``ip6addr``, ``cidr``, ``sha1cert`` (a TLS server certificate),
``freedns`` (a dynamic-DNS zone), ``ns`` (a name server), ``tld``; ``snort`` rules are skipped.
The tag gives the threat (``suspect`` -> suspicious) and is kept in ``tags`` with the TLP.

The feeds do not say what a domain is to the app: the Echap feed
(``indicators-for-tinycheck.json``) puts vendor websites and C2 servers under the same
``stalkerware`` tag, so every network indicator here has role UNKNOWN. Load the Echap folder
itself to know which is which.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stalkerscan.indicators.builder import SetBuilder, sha256_bytes
from stalkerscan.model import IndicatorKind, IndicatorSet, Role, Threat

_K = IndicatorKind

_TYPES: dict[str, tuple[IndicatorKind, Role]] = {
    "domain": (_K.DOMAIN, Role.UNKNOWN),
    "ip4addr": (_K.IPV4, Role.UNKNOWN),
    "ip6addr": (_K.IPV6, Role.UNKNOWN),
    "cidr": (_K.CIDR, Role.UNKNOWN),
    "sha1cert": (_K.TLS_CERT_SHA1, Role.UNKNOWN),
    "freedns": (_K.DYNDNS_SUFFIX, Role.HEURISTIC),
    "ns": (_K.NAMESERVER, Role.HEURISTIC),
    "tld": (_K.TLD, Role.HEURISTIC),
}

_TAG_THREATS: dict[str, Threat] = {
    "stalkerware": Threat.STALKERWARE,
    "watchware": Threat.WATCHWARE,
    "spyware": Threat.SPYWARE,
    "apt": Threat.SPYWARE,
    "pegasus": Threat.SPYWARE,
    "predator": Threat.SPYWARE,
    "tracker": Threat.TRACKER,
    "suspect": Threat.SUSPICIOUS,
    "suspicious": Threat.SUSPICIOUS,
}
"""Tags that say what kind of software an entry belongs to; others (``malicious``,
``cybercrime``, free tags) give UNKNOWN and are kept as tags."""


def is_tinycheck_feed(doc: object) -> bool:
    """True for a parsed JSON document in the TinyCheck/SpyGuard feed shape."""
    return isinstance(doc, dict) and isinstance(doc.get("iocs"), list)


def _entry(builder: SetBuilder, number: int, item: Mapping[str, Any]) -> None:
    locator = f"iocs[{number}]"
    ioc_type = str(item.get("type", "")).strip().lower()
    value = item.get("value")
    if not isinstance(value, str) or not value.strip():
        builder.skip(locator, "entry without a value")
        return
    if ioc_type == "snort":
        builder.skip(locator, "unsupported: Suricata/Snort rule")
        return
    target = _TYPES.get(ioc_type)
    if target is None:
        builder.skip(locator, f"unsupported type: {ioc_type or 'none'}")
        return
    tag = str(item.get("tag", "")).strip().lower()
    tlp = str(item.get("tlp", "")).strip().lower()
    tags = tuple(t for t in (tag, f"tlp:{tlp}" if tlp else "") if t)
    kind, role = target
    builder.add(
        kind,
        value,
        app=None,
        role=role,
        threat=_TAG_THREATS.get(tag, Threat.UNKNOWN),
        locator=locator,
        tags=tags,
    )


def build_tinycheck_set(
    doc: Mapping[str, Any], data: bytes, *, name: str, source: str, licence: str | None
) -> IndicatorSet:
    """The set of one parsed TinyCheck/SpyGuard feed (``to_delete`` entries are not used)."""
    builder = SetBuilder(name, source, "tinycheck")
    for number, item in enumerate(doc.get("iocs") or []):
        if isinstance(item, dict):
            _entry(builder, number, item)
        else:
            builder.skip(f"iocs[{number}]", "entry is not an object")
    return builder.build(sha256_bytes(data), licence)
