"""MISP events: event attributes, android-app objects as Echap writes them, wrappers."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from stalkerscan.indicators.load import load_path
from stalkerscan.model import IndicatorKind, IndicatorSet, Role, Threat

K = IndicatorKind
CERT = "31A6ECECD97CF39BC4126B8745CD94A7C30BF81C"
APK = "5e52438f28275dc2a7e83b989e726f86ba53c915b44f126507763850197646f6"


def _attr(
    attr_type: str,
    value: str,
    category: str,
    *,
    relation: str | None = None,
    to_ids: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "type": attr_type,
        "category": category,
        "value": value,
        "to_ids": to_ids,
        "disable_correlation": False,
        "comment": "",
        **extra,
    }
    if relation:
        out["object_relation"] = relation
    return out


def _android_app(name: str, **relations: list[str]) -> dict[str, Any]:
    types = {
        "domain": "domain",
        "sha256": "sha256",
        "certificate": "x509-fingerprint-sha1",
        "appid": "text",
    }
    attrs = [_attr("text", name, "Other", relation="name", to_ids=False)]
    for relation, values in relations.items():
        category = "Network activity" if relation == "domain" else "Payload delivery"
        # as in MISP, `text` attributes (the app ids) default to to_ids false
        attrs += [
            _attr(types[relation], v, category, relation=relation, to_ids=types[relation] != "text")
            for v in values
        ]
    return {
        "name": "android-app",
        "meta-category": "file",
        "template_uuid": "92836f23-4730-4eae-82ac-9f00d5299735",
        "description": "Indicators related to an Android app",
        "template_version": "1",
        "uuid": str(uuid.uuid4()),
        "Attribute": attrs,
    }


def _event() -> dict[str, Any]:
    return {
        "uuid": "a7d60a6a-f4ec-4e9a-ae3b-2cf5e05cd01e",
        "info": "Stalkerware indicators",
        "distribution": "3",
        "published": True,
        "threat_level_id": "2",
        "analysis": "2",
        "date": "2025-03-01",
        "Tag": [{"name": "tlp:white"}, {"name": 'misp-galaxy:mitre-malware="stalkerware"'}],
        "Attribute": [
            _attr(
                "link",
                "https://github.com/AssoEchap/stalkerware-indicators",
                "External analysis",
                to_ids=False,
                comment="Source",
            ),
            _attr("domain", "panel.spy-example.net", "Network activity"),
            _attr("hostname", "upload.spy-example.net", "Network activity"),
            _attr("ip-dst", "203.0.113.9", "Network activity"),
            _attr("ip-dst|port", "203.0.113.10|8443", "Network activity"),
            _attr("domain|ip", "api.spy-example.net|198.51.100.4", "Network activity"),
            _attr("url", "https://spy-example.net/download/agent.apk", "Payload delivery"),
            _attr("md5", "d41d8cd98f00b204e9800998ecf8427e", "Payload delivery"),
            _attr(
                "filename|sha1",
                "agent.apk|da39a3ee5e6b4b0d3255bfef95601890afd80709",
                "Payload delivery",
            ),
            _attr(
                "x509-fingerprint-sha1",
                "9B:2D:39:4E:1F:52:13:EF:05:28:6E:6A:D8:AD:D0:F0:61:2F:A6:8C",
                "Network activity",
            ),
            _attr("ja3-fingerprint-md5", "e7d705a3286e19ea42f587b344ee6865", "Network activity"),
            _attr("email-src", "seller@spy-example.net", "Payload delivery"),
            _attr("domain", "context-only.example", "Network activity", to_ids=False),
            _attr("regkey", "HKLM\\Software\\Spy", "Persistence mechanism"),
            _attr("domain", "gone.example", "Network activity", deleted=True),
        ],
        "Object": [
            _android_app(
                "TheTruthSpy",
                domain=["protocol-a748.thetruthspy.com", "microtracker-1ca43.firebaseio.com"],
                sha256=[APK],
                certificate=[CERT],
                appid=["com.apspy.app", "com.systemservice"],
            ),
            _android_app("FlexiSpy", appid=["com.android.systemupdate"]),
        ],
    }


def _load(tmp_path: Path, doc: object) -> IndicatorSet:
    path = tmp_path / "misp_event.json"
    path.write_text(json.dumps(doc, indent=2), "utf-8")
    (s,) = load_path(path)
    return s


@pytest.mark.parametrize(
    "wrap",
    [
        lambda e: {"Event": e},
        lambda e: e,
        lambda e: [{"Event": e}],
        lambda e: {"response": [{"Event": e}]},
    ],
    ids=["event", "bare", "list", "api-response"],
)
def test_every_wrapper_loads_the_same(tmp_path: Path, wrap: Any) -> None:
    s = _load(tmp_path, wrap(_event()))
    assert s.info.format == "misp"
    assert len(s.indicators) == 19


def test_attributes_and_objects(tmp_path: Path) -> None:
    s = _load(tmp_path, {"Event": _event()})
    got = {(i.kind, i.value): (i.app, i.role) for i in s.indicators}
    assert got == {
        (K.DOMAIN, "panel.spy-example.net"): (None, Role.UNKNOWN),
        (K.DOMAIN, "upload.spy-example.net"): (None, Role.UNKNOWN),
        (K.IPV4, "203.0.113.9"): (None, Role.UNKNOWN),
        (K.IPV4, "203.0.113.10"): (None, Role.UNKNOWN),
        (K.DOMAIN, "api.spy-example.net"): (None, Role.UNKNOWN),
        (K.IPV4, "198.51.100.4"): (None, Role.UNKNOWN),
        (K.URL, "https://spy-example.net/download/agent.apk"): (None, Role.UNKNOWN),
        (K.FILE_MD5, "d41d8cd98f00b204e9800998ecf8427e"): (None, Role.SAMPLE),
        (K.FILE_SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"): (None, Role.SAMPLE),
        (K.TLS_CERT_SHA1, "9b2d394e1f5213ef05286e6ad8add0f0612fa68c"): (None, Role.UNKNOWN),
        (K.JA3, "e7d705a3286e19ea42f587b344ee6865"): (None, Role.UNKNOWN),
        (K.EMAIL, "seller@spy-example.net"): (None, Role.UNKNOWN),
        (K.DOMAIN, "protocol-a748.thetruthspy.com"): ("TheTruthSpy", Role.C2),
        (K.DOMAIN, "microtracker-1ca43.firebaseio.com"): ("TheTruthSpy", Role.C2),
        (K.FILE_SHA256, APK): ("TheTruthSpy", Role.SAMPLE),
        (K.CERT_SHA1, CERT.lower()): ("TheTruthSpy", Role.APP),
        (K.ANDROID_PACKAGE, "com.apspy.app"): ("TheTruthSpy", Role.APP),
        (K.ANDROID_PACKAGE, "com.systemservice"): ("TheTruthSpy", Role.APP),
        (K.ANDROID_PACKAGE, "com.android.systemupdate"): ("FlexiSpy", Role.APP),
    }
    assert {i.threat for i in s.indicators} == {Threat.STALKERWARE}
    reasons = sorted(e.reason for e in s.skipped)
    assert reasons == [
        "deleted attribute",
        "domain marked not for detection (to_ids false)",
        "unsupported MISP attribute type: regkey",
    ]
    network_tags = {i.tags for i in s.indicators if i.kind is K.DOMAIN}
    assert network_tags == {("Network activity",)}


def test_threat_from_event_info(tmp_path: Path) -> None:
    event = _event()
    event["info"] = "Campaign X"
    event["Tag"] = [{"name": "tlp:green"}]
    s = _load(tmp_path, {"Event": event})
    assert {i.threat for i in s.indicators} == {Threat.UNKNOWN}
