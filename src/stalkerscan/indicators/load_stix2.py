"""STIX 2.1 bundles as MVT and the Echap generator write them.

Each ``indicator`` carries one pattern (see :mod:`stix_pattern`). Its app is the ``malware`` it
``indicates`` (through a ``relationship``), else the ``report`` whose ``object_refs`` list it,
else none. The threat comes from the malware's (or report's) description, types and labels
("Stalkerware application" -> stalkerware). STIX does not say whether a domain is a C2 server or
the vendor's website, so network indicators get role UNKNOWN; app ids and signing certificates
get APP, file hashes SAMPLE. A pattern we cannot match (compound, other object types) is a
skipped entry with its reason, never a reason to drop the whole file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stalkerscan.indicators.builder import SetBuilder, sha256_bytes
from stalkerscan.indicators.stix_pattern import (
    Comparison,
    PatternError,
    UnsupportedPattern,
    parse_pattern,
)
from stalkerscan.model import IndicatorKind, IndicatorSet, Role, Threat

_K = IndicatorKind

_KEYS: dict[str, tuple[IndicatorKind, Role]] = {
    "domain-name:value": (_K.DOMAIN, Role.UNKNOWN),
    "ipv4-addr:value": (_K.IPV4, Role.UNKNOWN),
    "ipv6-addr:value": (_K.IPV6, Role.UNKNOWN),
    "url:value": (_K.URL, Role.UNKNOWN),
    "app:id": (_K.APP_ID, Role.APP),
    "app:cert.md5": (_K.CERT_MD5, Role.APP),
    "app:cert.sha1": (_K.CERT_SHA1, Role.APP),
    "app:cert.sha256": (_K.CERT_SHA256, Role.APP),
    "file:hashes.md5": (_K.FILE_MD5, Role.SAMPLE),
    "file:hashes.sha1": (_K.FILE_SHA1, Role.SAMPLE),
    "file:hashes.sha256": (_K.FILE_SHA256, Role.SAMPLE),
    "file:name": (_K.FILE_NAME, Role.UNKNOWN),
    "file:path": (_K.FILE_PATH, Role.UNKNOWN),
    "process:name": (_K.PROCESS, Role.APP),
    "email-addr:value": (_K.EMAIL, Role.UNKNOWN),
    "configuration-profile:id": (_K.CONFIG_PROFILE, Role.UNKNOWN),
    "android-property:name": (_K.ANDROID_PROPERTY, Role.UNKNOWN),
}

_THREAT_WORDS = (
    ("stalkerware", Threat.STALKERWARE),
    ("watchware", Threat.WATCHWARE),
    ("spyware", Threat.SPYWARE),
)


def is_stix_bundle(doc: object) -> bool:
    """True for a parsed JSON document that is a STIX bundle."""
    return (
        isinstance(doc, dict)
        and isinstance(doc.get("objects"), list)
        and doc.get("type", "bundle") == "bundle"
    )


def _key(comparison: Comparison) -> str:
    """``file:hashes.'SHA-256'`` and ``file:hashes.sha256`` are the same key (as in MVT)."""
    path = list(comparison.path)
    if path and path[0].lower() in ("hashes", "cert"):
        path = [p.lower().replace("-", "") for p in path]
    return f"{comparison.object_type.lower()}:{'.'.join(path)}"


def _threat(obj: Mapping[str, Any]) -> Threat:
    words = [obj.get("description")]
    for field in ("malware_types", "labels", "report_types"):
        value = obj.get(field)
        if isinstance(value, list):
            words.extend(value)
    text = " ".join(w for w in words if isinstance(w, str)).lower()
    for word, threat in _THREAT_WORDS:
        if word in text:
            return threat
    return Threat.UNKNOWN


def _owners(objects: list[Any]) -> dict[str, list[tuple[str, Threat]]]:
    """Indicator id -> (app name, threat) of each malware it indicates, else of its reports."""
    groups = {
        o["id"]: (str(o.get("name") or o["id"]), _threat(o))
        for o in objects
        if isinstance(o, dict) and o.get("type") in ("malware", "report") and "id" in o
    }
    by_malware: dict[str, list[tuple[str, Threat]]] = {}
    by_report: dict[str, list[tuple[str, Threat]]] = {}
    for o in objects:
        if not isinstance(o, dict):
            continue
        if o.get("type") == "relationship":
            target = groups.get(str(o.get("target_ref")))
            if target is not None and str(o.get("target_ref")).startswith("malware--"):
                by_malware.setdefault(str(o.get("source_ref")), []).append(target)
        elif o.get("type") == "report" and "id" in o and isinstance(o.get("object_refs"), list):
            group = groups[o["id"]]
            for ref in o["object_refs"]:
                by_report.setdefault(str(ref), []).append(group)
    return {**by_report, **by_malware}


def _add_indicator(
    builder: SetBuilder, obj: Mapping[str, Any], owners: list[tuple[str, Threat]]
) -> None:
    locator = str(obj.get("id", "indicator without id"))
    pattern = obj.get("pattern")
    pattern_type = obj.get("pattern_type", "stix")
    if obj.get("revoked") is True:
        builder.skip(locator, "revoked indicator")
        return
    if pattern_type != "stix":
        builder.skip(locator, f"unsupported pattern type: {pattern_type}")
        return
    if not isinstance(pattern, str):
        builder.skip(locator, "indicator without a pattern")
        return
    try:
        comparison = parse_pattern(pattern)
    except UnsupportedPattern as err:
        builder.skip(locator, f"unsupported pattern ({err}): {pattern[:200]}")
        return
    except PatternError as err:
        builder.skip(locator, f"invalid pattern ({err}): {pattern[:200]}")
        return
    target = _KEYS.get(_key(comparison))
    if target is None:
        builder.skip(locator, f"unsupported pattern ({comparison.key}): {pattern[:200]}")
        return
    kind, role = target
    labels = obj.get("labels")
    tags = tuple(x for x in labels if isinstance(x, str)) if isinstance(labels, list) else ()
    groups: list[tuple[str | None, Threat]] = list(owners) or [(None, Threat.UNKNOWN)]
    for app, threat in groups:
        builder.add(
            kind, comparison.value, app=app, role=role, threat=threat, locator=locator, tags=tags
        )


def build_stix_set(
    doc: Mapping[str, Any], data: bytes, *, name: str, source: str, licence: str | None
) -> IndicatorSet:
    """The set of one parsed STIX bundle."""
    builder = SetBuilder(name, source, "stix2")
    objects: list[Any] = list(doc.get("objects") or [])
    owners = _owners(objects)
    for obj in objects:
        if isinstance(obj, dict) and obj.get("type") == "indicator":
            _add_indicator(builder, obj, owners.get(str(obj.get("id")), []))
    return builder.build(sha256_bytes(data), licence)
