"""MISP events in JSON: ``{"Event": {...}}``, a bare event, a list of events, or an API response.

Attributes (at event level and inside objects) are mapped by type: ``domain``/``hostname``,
``ip-dst``/``ip-src`` (and their ``|port`` forms), ``domain|ip``, ``url``, ``md5``/``sha1``/
``sha256`` (and ``filename|<hash>``), ``x509-fingerprint-sha1`` (a TLS certificate),
``email-*`` and ``ja3-fingerprint-md5``. Attributes marked ``to_ids: false`` are context, not
indicators, and are skipped (counted).

``android-app`` objects, as the Echap generator writes them, name the app (``name``) and carry
``domain`` (servers the app uses: role C2), ``sha256`` (APK, role SAMPLE), ``certificate``
(signing certificate, hash type by length) and ``appid`` (package name).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from stalkerscan.indicators.builder import SetBuilder, sha256_bytes
from stalkerscan.model import IndicatorKind, IndicatorSet, Role, Threat

_K = IndicatorKind

_TYPES: dict[str, tuple[IndicatorKind, Role]] = {
    "domain": (_K.DOMAIN, Role.UNKNOWN),
    "hostname": (_K.DOMAIN, Role.UNKNOWN),
    "ip-dst": (_K.IPV4, Role.UNKNOWN),
    "ip-src": (_K.IPV4, Role.UNKNOWN),
    "url": (_K.URL, Role.UNKNOWN),
    "md5": (_K.FILE_MD5, Role.SAMPLE),
    "sha1": (_K.FILE_SHA1, Role.SAMPLE),
    "sha256": (_K.FILE_SHA256, Role.SAMPLE),
    "x509-fingerprint-sha1": (_K.TLS_CERT_SHA1, Role.UNKNOWN),
    "email": (_K.EMAIL, Role.UNKNOWN),
    "email-src": (_K.EMAIL, Role.UNKNOWN),
    "email-dst": (_K.EMAIL, Role.UNKNOWN),
    "ja3-fingerprint-md5": (_K.JA3, Role.UNKNOWN),
}
_CERT_BY_LENGTH = {32: _K.CERT_MD5, 40: _K.CERT_SHA1, 64: _K.CERT_SHA256}
_ANDROID_APP: dict[str, tuple[IndicatorKind, Role]] = {
    "domain": (_K.DOMAIN, Role.C2),
    "sha256": (_K.FILE_SHA256, Role.SAMPLE),
    "appid": (_K.ANDROID_PACKAGE, Role.APP),
    "certificate": (_K.CERT_SHA1, Role.APP),
}
_CONTEXT_TYPES = frozenset({"text", "comment", "link", "other", "datetime", "counter"})
_THREAT_WORDS = (
    ("stalkerware", Threat.STALKERWARE),
    ("watchware", Threat.WATCHWARE),
    ("spyware", Threat.SPYWARE),
    ("tracker", Threat.TRACKER),
)


def _is_event(doc: object) -> bool:
    return (
        isinstance(doc, dict)
        and any(k in doc for k in ("Attribute", "Object"))
        and ("info" in doc or "uuid" in doc)
    )


def misp_events(doc: object) -> list[Mapping[str, Any]]:
    """The events in a parsed MISP JSON document (empty if it is not MISP)."""
    if isinstance(doc, dict) and isinstance(doc.get("response"), list):
        doc = doc["response"]
    items = doc if isinstance(doc, list) else [doc]
    out: list[Mapping[str, Any]] = []
    for item in items:
        event = item.get("Event") if isinstance(item, dict) and "Event" in item else item
        if isinstance(event, dict) and _is_event(event):
            out.append(event)
    return out


def is_misp(doc: object) -> bool:
    """True for a parsed JSON document holding at least one MISP event."""
    return bool(misp_events(doc))


def _tag_names(obj: Mapping[str, Any]) -> list[str]:
    tags = obj.get("Tag")
    if not isinstance(tags, list):
        return []
    return [str(t["name"]) for t in tags if isinstance(t, dict) and "name" in t]


def _event_threat(event: Mapping[str, Any]) -> Threat:
    text = " ".join([str(event.get("info", "")), *_tag_names(event)]).lower()
    for word, threat in _THREAT_WORDS:
        if word in text:
            return threat
    return Threat.UNKNOWN


def _for_ids(attr: Mapping[str, Any]) -> bool:
    flag = attr.get("to_ids", True)
    return str(flag).strip().lower() not in ("false", "0", "")


def _split(attr_type: str, value: str) -> Iterator[tuple[str, str]]:
    """Composite types (``domain|ip``, ``ip-dst|port``, ``filename|sha256``) -> their parts."""
    if "|" not in attr_type:
        yield attr_type, value
        return
    first, second = attr_type.split("|", 1)
    left, _, right = value.partition("|")
    if first == "domain" and second == "ip":
        yield "domain", left
        yield "ip-dst", right
    elif second == "port":
        yield first, left
    elif first == "filename":
        yield second, right


def _add_attribute(
    builder: SetBuilder,
    attr: Mapping[str, Any],
    locator: str,
    *,
    app: str | None,
    threat: Threat,
    android_app: bool,
) -> None:
    attr_type = str(attr.get("type", "")).strip().lower()
    relation = str(attr.get("object_relation", "")).strip().lower()
    value = attr.get("value")
    if attr.get("deleted") is True:
        builder.skip(locator, "deleted attribute")
        return
    if not isinstance(value, str) or not value.strip():
        builder.skip(locator, "attribute without a value")
        return
    app_relation = android_app and relation in _ANDROID_APP
    if (attr_type in _CONTEXT_TYPES and not app_relation) or (android_app and relation == "name"):
        return  # descriptions, links and the app's name: context, not indicators
    # MISP sets to_ids false on every `text` attribute by default, android-app ids included:
    # there it says nothing about the curator's intent, so it is not read.
    if not _for_ids(attr) and not (app_relation and attr_type in _CONTEXT_TYPES):
        builder.skip(locator, f"{attr_type} marked not for detection (to_ids false)")
        return
    tags = tuple(t for t in (str(attr.get("category", "")), *_tag_names(attr)) if t)
    if app_relation:
        kind, role = _ANDROID_APP[relation]
        if relation == "certificate":
            kind = _CERT_BY_LENGTH.get(len(value.strip().replace(":", "")), _K.CERT_SHA1)
        builder.add(kind, value, app=app, role=role, threat=threat, locator=locator, tags=tags)
        return
    parts = [(t, v) for t, v in _split(attr_type, value.strip()) if t in _TYPES]
    if not parts:
        builder.skip(locator, f"unsupported MISP attribute type: {attr_type or 'none'}")
        return
    for part_type, part in parts:
        kind, role = _TYPES[part_type]
        builder.add(kind, part, app=app, role=role, threat=threat, locator=locator, tags=tags)


def _object_app(obj: Mapping[str, Any]) -> str | None:
    for attr in obj.get("Attribute") or []:
        if isinstance(attr, dict) and attr.get("object_relation") == "name":
            value = attr.get("value")
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def _add_event(builder: SetBuilder, event: Mapping[str, Any], number: int) -> None:
    threat = _event_threat(event)
    where = f"event {event.get('uuid') or number}"
    for i, attr in enumerate(event.get("Attribute") or []):
        if isinstance(attr, dict):
            locator = f"{where} attribute {attr.get('uuid') or i}"
            _add_attribute(builder, attr, locator, app=None, threat=threat, android_app=False)
    for j, obj in enumerate(event.get("Object") or []):
        if not isinstance(obj, dict):
            continue
        android_app = obj.get("name") == "android-app"
        app = _object_app(obj) if android_app else None
        for i, attr in enumerate(obj.get("Attribute") or []):
            if isinstance(attr, dict):
                locator = f"{where} object {obj.get('uuid') or j} attribute {attr.get('uuid') or i}"
                _add_attribute(
                    builder, attr, locator, app=app, threat=threat, android_app=android_app
                )


def build_misp_set(
    doc: object, data: bytes, *, name: str, source: str, licence: str | None
) -> IndicatorSet:
    """The set of every event in one parsed MISP JSON document."""
    builder = SetBuilder(name, source, "misp")
    for number, event in enumerate(misp_events(doc)):
        _add_event(builder, event, number)
    return builder.build(sha256_bytes(data), licence)
