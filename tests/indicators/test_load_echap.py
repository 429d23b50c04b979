"""Echap ioc.yaml / watchware.yaml / samples.csv, and the Echap folder as one set."""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from pathlib import Path

import pytest

from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.indicators.load import load_path
from stalkerscan.indicators.load_echap import ECHAP_LICENCE, ECHAP_SET_NAME
from stalkerscan.model import IndicatorKind, IndicatorSet, Role, Threat

K = IndicatorKind


@pytest.fixture(scope="module")
def echap_set(echap_dir: Path) -> IndicatorSet:
    sets = load_path(echap_dir)
    assert len(sets) == 1
    return sets[0]


def _values(s: IndicatorSet, kind: IndicatorKind, role: Role, threat: Threat) -> set[str]:
    return {
        i.value for i in s.indicators if i.kind is kind and i.role is role and i.threat is threat
    }


def test_folder_is_one_set_with_provenance(echap_set: IndicatorSet, echap_dir: Path) -> None:
    info = echap_set.info
    assert info.name == ECHAP_SET_NAME
    assert info.format == "echap"
    assert info.licence == ECHAP_LICENCE
    assert info.source == str(echap_dir)
    assert len(info.sha256) == 64
    assert dict(info.counts) == dict(Counter(i.kind.value for i in echap_set.indicators))
    assert info.skipped == len(echap_set.skipped)


def test_apps_and_threats(echap_set: IndicatorSet) -> None:
    by_threat: dict[Threat, set[str | None]] = {}
    for ind in echap_set.indicators:
        by_threat.setdefault(ind.threat, set()).add(ind.app)
    assert len(by_threat[Threat.STALKERWARE]) == 147
    assert len(by_threat[Threat.WATCHWARE]) == 27
    assert set(by_threat) == {Threat.STALKERWARE, Threat.WATCHWARE}
    assert "Life360" in by_threat[Threat.WATCHWARE]


def test_counts_from_the_readme(echap_set: IndicatorSet) -> None:
    assert len(_values(echap_set, K.DOMAIN, Role.C2, Threat.STALKERWARE)) == 925
    assert len(_values(echap_set, K.DOMAIN, Role.C2, Threat.WATCHWARE)) == 67
    assert len(_values(echap_set, K.FILE_SHA256, Role.SAMPLE, Threat.STALKERWARE)) == 3228
    assert len(_values(echap_set, K.ANDROID_PACKAGE, Role.APP, Threat.STALKERWARE)) == 613
    assert len(_values(echap_set, K.IOS_BUNDLE, Role.APP, Threat.WATCHWARE)) == 6


def test_c2_ips_include_the_typo_key(echap_set: IndicatorSet) -> None:
    c2_ips = _values(echap_set, K.IPV4, Role.C2, Threat.STALKERWARE)
    assert len(c2_ips) == 65 + 3
    typo = {
        (i.app, i.value)
        for i in echap_set.indicators
        if i.kind is K.IPV4 and i.app in ("MobiStealth", "Ahmyth")
    }
    assert typo == {
        ("MobiStealth", "72.167.46.196"),
        ("MobiStealth", "5.79.71.114"),
        ("Ahmyth", "85.10.199.40"),
    }


def test_roles_come_from_the_yaml_keys(echap_set: IndicatorSet) -> None:
    mspy = [i for i in echap_set.indicators if i.value == "mspy.com"]
    assert [(i.app, i.role, i.kind) for i in mspy] == [("mSpy", Role.WEBSITE, K.DOMAIN)]
    urls = [i for i in echap_set.indicators if i.kind is K.URL]
    assert {i.value for i in urls} == {
        "https://github.com/earthshakira/android_hack",
        "https://github.com/karma9874/AndroRAT",
    }
    assert {i.role for i in urls} == {Role.DISTRIBUTION}
    certs = [i for i in echap_set.indicators if i.kind is K.CERT_SHA1]
    assert all(i.value == i.value.lower() and len(i.value) == 40 for i in certs)
    assert {i.role for i in certs} == {Role.APP}


def test_domain_both_c2_and_website_gives_two_indicators(echap_set: IndicatorSet) -> None:
    copy9 = {(i.role, i.app) for i in echap_set.indicators if i.value == "copy9.com"}
    assert copy9 == {(Role.C2, "TheTruthSpy"), (Role.WEBSITE, "TheTruthSpy")}


def test_samples_join_on_aliases(echap_set: IndicatorSet) -> None:
    # samples.csv names this APK's app "1TopSpy", an alias of HelloSpy in ioc.yaml.
    sha = "2f3bc9ebe8c249f0416f5b0367f34b4b8f6aaa7d351dc5b4912fe2558491b6b7"
    found = [i for i in echap_set.indicators if i.value == sha]
    assert [(i.app, i.role, i.kind) for i in found] == [("HelloSpy", Role.SAMPLE, K.FILE_SHA256)]
    # its Certificate column adds the signing cert to HelloSpy
    cert = "7f5c0d54a813ba9b87a91420ca2c3de5e7948f09"
    assert any(i.value == cert and i.app == "HelloSpy" for i in echap_set.indicators)


def test_public_test_key_from_samples_is_skipped(echap_set: IndicatorSet) -> None:
    testkey = "61ed377e85d386a8dfee6b864bd85b0bfaa5af81"
    assert not [i for i in echap_set.indicators if i.value == testkey]
    reasons = [s for s in echap_set.skipped if "public Android test signing key" in s.reason]
    assert len(reasons) == 50
    assert all(s.locator.startswith("samples.csv line ") for s in reasons)


def test_matches_through_the_index(echap_set: IndicatorSet, echap_dir: Path) -> None:
    index = IndicatorIndex([echap_set])
    hits = index.match_domain("x.y.copy9.com")
    assert {(m.indicator.app, m.indicator.role) for m in hits} == {
        ("TheTruthSpy", Role.C2),
        ("TheTruthSpy", Role.WEBSITE),
    }
    assert index.match_domain("notcopy9.com") == ()
    text = (echap_dir / "ioc.yaml").read_text("utf-8")
    firebase = "microtracker-1ca43.firebaseio.com"
    assert f"- {firebase}\n" in text
    assert {m.indicator.role for m in index.match_domain(firebase)} == {Role.C2}
    assert index.match_domain(f"a.{firebase}")
    assert index.match_domain("other-unrelated.firebaseio.com") == ()
    assert index.match_package("COM.APSPY.APP")[0].indicator.app == "TheTruthSpy"
    assert index.match_ip("85.10.199.40")[0].indicator.app == "Ahmyth"


def test_generated_files_are_not_loaded_again(
    echap_set: IndicatorSet, tmp_path: Path, echap_dir: Path
) -> None:
    # The same three files without generated/ give exactly the same set.
    for name in ("ioc.yaml", "watchware.yaml", "samples.csv"):
        shutil.copyfile(echap_dir / name, tmp_path / name)
    again = load_path(tmp_path)
    assert len(again) == 1
    assert set(again[0].indicators) == set(echap_set.indicators)
    assert again[0].info.sha256 == echap_set.info.sha256
    assert len(echap_set.indicators) == len(set(echap_set.indicators))


def test_folder_hash_is_checkable_with_sha256sum(echap_set: IndicatorSet, echap_dir: Path) -> None:
    listing = "".join(
        f"{hashlib.sha256((echap_dir / n).read_bytes()).hexdigest()}  {n}\n"
        for n in sorted(("ioc.yaml", "watchware.yaml", "samples.csv"))
    )
    assert echap_set.info.sha256 == hashlib.sha256(listing.encode()).hexdigest()


def test_single_yaml_files(echap_dir: Path) -> None:
    (ioc,) = load_path(echap_dir / "ioc.yaml")
    assert ioc.info.name == "echap-ioc"
    assert ioc.info.format == "echap-yaml"
    assert ioc.info.licence == ECHAP_LICENCE
    assert {i.threat for i in ioc.indicators} == {Threat.STALKERWARE}
    assert len({i.app for i in ioc.indicators}) == 147
    (watch,) = load_path(echap_dir / "watchware.yaml")
    assert {i.threat for i in watch.indicators} == {Threat.WATCHWARE}
    assert len({i.app for i in watch.indicators}) == 27


def test_samples_csv_alone_keeps_its_app_column(echap_dir: Path) -> None:
    (samples,) = load_path(echap_dir / "samples.csv")
    assert samples.info.format == "echap-samples"
    hashes = [i for i in samples.indicators if i.kind is K.FILE_SHA256]
    assert len({i.value for i in hashes}) == 3228
    first = "2f3bc9ebe8c249f0416f5b0367f34b4b8f6aaa7d351dc5b4912fe2558491b6b7"
    assert next(i.app for i in hashes if i.value == first) == "1TopSpy"


def test_entries_without_type_or_name(tmp_path: Path) -> None:
    (tmp_path / "watchware.yaml").write_text(
        "- name: FamilyThing\n  packages: [com.family.thing]\n"
        "  c2:\n    ip:\n    - 2001:db8::1\n    domains: ['*.family-thing.example']\n"
        "- packages: [com.orphan]\n",
        "utf-8",
    )
    (s,) = load_path(tmp_path / "watchware.yaml")
    got = {(i.kind, i.value, i.threat, i.role) for i in s.indicators}
    assert got == {
        (K.ANDROID_PACKAGE, "com.family.thing", Threat.WATCHWARE, Role.APP),
        (K.IPV6, "2001:db8::1", Threat.WATCHWARE, Role.C2),
        (K.DOMAIN, "family-thing.example", Threat.WATCHWARE, Role.C2),
    }
    assert [e.reason for e in s.skipped] == ["app entry without a name"]
