"""IndicatorIndex state: an index rebuilt from its state answers every lookup like the index it
was taken from, builds an indicator only when a lookup returns it, and indexes nothing again."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

import stalkerscan.indicators.index as index_module
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.indicators.load import load_path
from stalkerscan.model import (
    Indicator,
    IndicatorKind,
    IndicatorMatch,
    IndicatorSet,
    IndicatorSetInfo,
    MatchHow,
    Role,
    Threat,
)

K = IndicatorKind
STIX = Path("generated") / "stalkerware.regenerated.stix2"
TINYCHECK = Path("generated") / "indicators-for-tinycheck.json"
TTS_CERT = "31a6ececd97cf39bc4126b8745cd94a7c30bf81c"
JA3 = "e7d705a3286e19ea42f587b344ee6865"

EVERY_KIND: tuple[tuple[IndicatorKind, str, Role], ...] = (
    (K.DOMAIN, "copy9.com", Role.C2),
    (K.DOMAIN, "copy9.com", Role.WEBSITE),
    (K.DOMAIN, "microtracker-1ca43.firebaseio.com", Role.C2),
    (K.DOMAIN, "firebaseio.com", Role.C2),
    (K.DYNDNS_SUFFIX, "duckdns.org", Role.HEURISTIC),
    (K.TLD, "xyz", Role.HEURISTIC),
    (K.NAMESERVER, "ns1.njalla.net", Role.HEURISTIC),
    (K.IPV4, "85.10.199.40", Role.C2),
    (K.IPV4, "not an address", Role.C2),  # not indexed: the numbers after it must still hold
    (K.IPV6, "2a01:4f8:0:a0a1::2", Role.C2),
    (K.CIDR, "185.125.190.0/24", Role.C2),
    (K.CIDR, "2a03:2880::/32", Role.C2),
    (K.CIDR, "300.1.2.0/24", Role.C2),  # not indexed
    (K.URL, "https://panel.spy-example.net/upload.php", Role.C2),
    (K.ANDROID_PACKAGE, "com.spy.tracker", Role.APP),
    (K.IOS_BUNDLE, "com.spy.tracker.ios", Role.APP),
    (K.APP_ID, "com.spy.shared", Role.APP),
    (K.CERT_MD5, "5c4e5b2f7d3f3a1f0e9d8c7b6a594837", Role.APP),
    (K.CERT_SHA1, TTS_CERT, Role.APP),
    (K.CERT_SHA256, "ab" * 32, Role.APP),
    (K.TLS_CERT_SHA1, "9b2d394e1f5213ef05286e6ad8add0f0612fa68c", Role.C2),
    (K.FILE_MD5, "0123456789abcdef0123456789abcdef", Role.SAMPLE),
    (K.FILE_SHA1, "0123456789abcdef0123456789abcdef01234567", Role.SAMPLE),
    (K.FILE_SHA256, "cd" * 32, Role.SAMPLE),
    (K.FILE_NAME, "systemservice.apk", Role.APP),
    (K.FILE_PATH, "/sdcard/.sysdata/", Role.APP),
    (K.PROCESS, "com.spy.tracker.service", Role.APP),
    (K.EMAIL, "operator@spy-example.net", Role.UNKNOWN),
    (K.CONFIG_PROFILE, "com.spy.mdm.profile", Role.APP),
    (K.ANDROID_PROPERTY, "persist.spy.enabled", Role.APP),
    (K.JA3, JA3, Role.C2),
    (K.JA4, "t13d1516h2_8daaf6152771_02713d6af862", Role.C2),
)


def _every_kind_set() -> IndicatorSet:
    indicators = tuple(
        Indicator(kind, value, "SpyApp", role, Threat.STALKERWARE, "every-kind", ("test",))
        for kind, value, role in EVERY_KIND
    )
    info = IndicatorSetInfo("every-kind", "generated", "0" * 64, "test", (), 0)
    return IndicatorSet(info, indicators)


def _variants(value: str) -> list[str]:
    """Queries around an indicator value: itself, in capitals, under it, beside it, cut short."""
    out = [value, value.upper(), f"x.y.{value}", f"not{value}", value[:15], value + "/file"]
    if len(value) in (32, 40, 64):
        out.append(":".join(value[i : i + 2] for i in range(0, len(value), 2)).upper())
    return out


_QUERIES = [
    "x.y.copy9.com",
    "notcopy9.com",
    "other-unrelated.firebaseio.com",
    "a.microtracker-1ca43.firebaseio.com",
    "home.duckdns.org",
    "shop.xyz",
    "185.125.190.77",
    "185.125.191.1",
    "2a03:2880:1:2::9",
    "[2a01:4f8:0:a0a1::2]",
    "https://panel.spy-example.net/upload.php",
    "https://sub.copy9.com:8443/x",
    "http://85.10.199.40/",
    "com.spy.tracker.se",
    "/sdcard/.sysdata/log.txt",
    "/storage/emulated/0/Download/SystemService.apk",
    "31:A6:EC:EC:D9:7C:F3:9B:C4:12:6B:87:45:CD:94:A7:C3:0B:F8:1C",
]

_MATCHERS: tuple[Callable[[IndicatorIndex, str], tuple[IndicatorMatch, ...]], ...] = (
    IndicatorIndex.lookup,
    IndicatorIndex.match_domain,
    IndicatorIndex.match_dyndns,
    IndicatorIndex.match_tld,
    IndicatorIndex.match_ip,
    IndicatorIndex.match_url,
    IndicatorIndex.match_package,
    IndicatorIndex.match_bundle,
    IndicatorIndex.match_signing_cert,
    IndicatorIndex.match_file_hash,
    IndicatorIndex.match_tls_cert,
    IndicatorIndex.match_ja3,
    IndicatorIndex.match_ja4,
    IndicatorIndex.match_process,
    IndicatorIndex.match_file,
    lambda index, q: index.match_other(K.EMAIL, q),
    lambda index, q: index.match_other(K.CONFIG_PROFILE, q),
    lambda index, q: index.match_other(K.ANDROID_PROPERTY, q),
)


def _answers(index: IndicatorIndex, query: str) -> list[tuple[IndicatorMatch, ...]]:
    return [match(index, query) for match in _MATCHERS]


def _rebuilt(index: IndicatorIndex) -> IndicatorIndex:
    """The index rebuilt from its state after a trip through pickle, as the cache does."""
    state = pickle.loads(pickle.dumps(index.to_state(), protocol=5))
    return IndicatorIndex.from_state(state)


def _assert_same_index(fresh: IndicatorIndex, rebuilt: IndicatorIndex) -> None:
    assert rebuilt.sets == fresh.sets
    assert rebuilt.platform_suffixes == fresh.platform_suffixes
    assert len(rebuilt) == len(fresh)
    assert rebuilt.counts() == fresh.counts()
    assert rebuilt.to_state() == fresh.to_state()


def test_every_kind_answers_the_same(echap_dir: Path) -> None:
    sets = [_every_kind_set(), *load_path(echap_dir / TINYCHECK)]
    fresh = IndicatorIndex(sets)
    rebuilt = _rebuilt(fresh)
    _assert_same_index(fresh, rebuilt)
    queries = [q for _, value, _ in EVERY_KIND for q in _variants(value)] + _QUERIES
    for query in queries:
        assert _answers(rebuilt, query) == _answers(fresh, query), query
    # ... and the answers are the ones the matching rules give, not just equal
    by_how = {(m.indicator.value, m.how) for m in rebuilt.match_domain("x.y.copy9.com")}
    assert by_how == {("copy9.com", MatchHow.SUBDOMAIN)}
    assert [
        (m.indicator.set_name, m.indicator.role) for m in rebuilt.match_domain("copy9.com")
    ] == [
        ("every-kind", Role.C2),
        ("every-kind", Role.WEBSITE),
        ("echap-indicators-for-tinycheck", Role.UNKNOWN),
    ]
    assert rebuilt.match_domain("notcopy9.com") == ()
    assert rebuilt.match_domain("other-unrelated.firebaseio.com") == ()
    assert [m.how for m in rebuilt.match_ip("185.125.190.77")] == [MatchHow.NETWORK]
    assert [m.how for m in rebuilt.match_ip("2a03:2880:1:2::9")] == [MatchHow.NETWORK]
    assert [m.indicator.value for m in rebuilt.match_ip("85.10.199.40")] == ["85.10.199.40"]
    cert = rebuilt.match_signing_cert(_QUERIES[-1])
    assert [m.indicator.kind for m in cert] == [K.CERT_SHA1]
    assert [m.indicator.kind for m in rebuilt.match_ja3(JA3.upper())] == [K.JA3]
    assert [m.indicator.kind for m in rebuilt.match_file_hash("CD" * 32)] == [K.FILE_SHA256]
    assert [m.indicator.kind for m in rebuilt.match_package("Com.Spy.Tracker")] == [
        K.ANDROID_PACKAGE
    ]
    assert len(rebuilt.match_process("com.spy.tracke")) == 0
    assert len(rebuilt.match_process("com.spy.tracker")) == 1  # the kernel's 15 characters
    assert rebuilt.match_file("/sdcard/.sysdata/log.txt")[0].indicator.kind is K.FILE_PATH
    assert len(rebuilt) == len(EVERY_KIND) - 2 + len(sets[1].indicators)


@pytest.mark.parametrize("rel", [Path(), STIX], ids=["echap", "stix"])
def test_real_sets_answer_the_same(echap_dir: Path, rel: Path) -> None:
    sets = load_path(echap_dir / rel)
    fresh = IndicatorIndex(sets)
    rebuilt = _rebuilt(fresh)
    _assert_same_index(fresh, rebuilt)
    values = sorted({i.value for s in sets for i in s.indicators})
    for value in values:
        assert rebuilt.lookup(value) == fresh.lookup(value), value
        assert rebuilt.lookup(f"x.{value}") == fresh.lookup(f"x.{value}"), value
    for value in values[::40]:
        for query in _variants(value):
            assert _answers(rebuilt, query) == _answers(fresh, query), query
    every = {m.indicator for v in values for m in rebuilt.lookup(v)}
    assert every == {i for s in sets for i in s.indicators}  # every indicator is reachable


def test_a_rebuilt_index_builds_only_what_lookups_return(
    echap_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = IndicatorIndex(load_path(echap_dir)).to_state()
    built: list[Indicator] = []

    def counting(*fields: object) -> Indicator:
        built.append(Indicator(*fields))  # type: ignore[arg-type]
        return built[-1]

    monkeypatch.setattr(index_module, "Indicator", counting)
    monkeypatch.setattr(IndicatorIndex, "_add", None)  # nothing may be indexed again
    rebuilt = IndicatorIndex.from_state(state)
    assert len(rebuilt) == len(state.indicators[0]) > 6000
    assert built == []
    first = rebuilt.match_domain("x.y.copy9.com")
    assert {m.indicator.app for m in first} == {"TheTruthSpy"}
    assert len(built) == len(first) == 2
    again = rebuilt.match_domain("copy9.com")
    assert [m.indicator for m in again] == [m.indicator for m in first]
    assert all(a.indicator is b.indicator for a, b in zip(again, first, strict=True))
    assert len(built) == 2  # built once, then kept


def test_an_index_pickles_through_its_state(echap_dir: Path) -> None:
    fresh = IndicatorIndex([_every_kind_set()], platform_suffixes=["example.net"])
    copy = pickle.loads(pickle.dumps(fresh))
    assert isinstance(copy, IndicatorIndex)
    _assert_same_index(fresh, copy)
    assert copy.platform_suffixes == frozenset({"example.net"})
    assert _answers(copy, "x.firebaseio.com") == _answers(fresh, "x.firebaseio.com")
    assert copy.match_domain("x.firebaseio.com")  # not a platform suffix for this index


def test_an_empty_index_round_trips() -> None:
    fresh = IndicatorIndex([])
    rebuilt = _rebuilt(fresh)
    _assert_same_index(fresh, rebuilt)
    assert len(rebuilt) == 0
    assert rebuilt.lookup("copy9.com") == ()
