"""ISDi app-flags.csv: stalkerware rows are kept (ISDi drops them), safe rows are not indicators."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.indicators.load import load_path
from stalkerscan.model import IndicatorKind, Role, Threat

K = IndicatorKind


def test_real_list(shared_data: Path) -> None:
    path = shared_data / "isdi" / "app-flags.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    (s,) = load_path(path)
    assert s.info.format == "isdi"
    assert s.info.licence is not None and "stopipv/isdi" in s.info.licence
    flags = Counter(r["flag"] for r in rows)
    threats = Counter(i.threat for i in s.indicators)
    assert threats[Threat.STALKERWARE] == flags["stalkerware"] == 613
    assert threats[Threat.SPYWARE] == flags["spyware"]
    assert threats[Threat.DUAL_USE] == flags["dual-use"]
    assert s.info.skipped == flags["safe"] == 1
    assert "listed as safe" in s.skipped[0].reason
    assert {i.role for i in s.indicators} == {Role.APP}
    stores = Counter(r["store"] for r in rows if r["flag"] != "safe")
    kinds = Counter(i.kind for i in s.indicators)
    assert kinds[K.IOS_BUNDLE] == stores["appstore"]
    assert kinds[K.ANDROID_PACKAGE] == stores["playstore"] + stores["offstore"]


def test_apps_are_titles(shared_data: Path) -> None:
    (s,) = load_path(shared_data / "isdi" / "app-flags.csv")
    index = IndicatorIndex([s])
    spyone = index.match_package("aktualizacja.apps")
    assert [(m.indicator.app, m.indicator.threat) for m in spyone] == [
        ("Spyone", Threat.STALKERWARE)
    ]
    assert spyone[0].indicator.tags == ("stalkerware", "offstore")
    gaia = index.match_bundle("5ZPN38G6GE.com.trailbehind.GaiaGPS")
    assert gaia[0].indicator.threat is Threat.DUAL_USE
    # a row without a title keeps its id as the app name
    untitled = index.match_package("com.accountable2you.ap1")
    assert untitled[0].indicator.app == "com.accountable2you.ap1"


def test_unknown_flags_and_stores(tmp_path: Path) -> None:
    path = tmp_path / "flags.csv"
    path.write_text(
        "appId,store,flag,title\n"
        "com.a,playstore,stalkerware,A\n"
        "com.b,playstore,weird,B\n"
        "com.c,fdroid,spyware,C\n"
        "com.d,playstore\n",
        "utf-8",
    )
    (s,) = load_path(path)
    assert [i.value for i in s.indicators] == ["com.a"]
    assert [e.reason for e in s.skipped] == [
        "unknown flag 'weird'",
        "unknown store 'fdroid'",
        "2 columns where appId,store,flag,title are expected",
    ]
