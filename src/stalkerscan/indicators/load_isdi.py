"""ISDi's ``app-flags.csv`` (``appId,store,flag,title``): apps flagged for intimate partner abuse.

``flag`` gives the threat: ``stalkerware``, ``spyware``, ``dual-use`` (legitimate apps that can
be misused to watch someone, e.g. family locators); ``safe`` rows are not indicators and are
counted as skipped. ``store`` gives the kind: ``playstore`` and ``offstore`` are Android
packages, ``appstore`` iOS bundle ids. ISDi itself drops the stalkerware rows when it loads the
file; stalkerscan keeps them.
"""

from __future__ import annotations

from stalkerscan.indicators.builder import SetBuilder, csv_rows, sha256_bytes
from stalkerscan.model import IndicatorKind, IndicatorSet, Role, Threat

ISDI_LICENCE = (
    "app-flags.csv from ISDi (IPV Spyware Discovery), Clinic to End Tech Abuse, Cornell Tech, "
    "https://github.com/stopipv/isdi; MIT licence in the source tree, Copyright 2018 Cornell "
    "University (the PyPI package metadata names GPL-3.0-only)"
)
"""Attribution for the ISDi list."""

_FLAGS = {
    "stalkerware": Threat.STALKERWARE,
    "spyware": Threat.SPYWARE,
    "dual-use": Threat.DUAL_USE,
    "dual_use": Threat.DUAL_USE,
}
_STORES = {
    "playstore": IndicatorKind.ANDROID_PACKAGE,
    "offstore": IndicatorKind.ANDROID_PACKAGE,
    "appstore": IndicatorKind.IOS_BUNDLE,
}
_HEADER = ["appid", "store", "flag", "title"]


def is_isdi_header(first_line: str) -> bool:
    """True for the header of ISDi's ``app-flags.csv``."""
    return [c.strip().lower() for c in first_line.split(",")] == _HEADER


def build_isdi_set(
    text: str, data: bytes, *, name: str, source: str, licence: str | None
) -> IndicatorSet:
    """The set of one ``app-flags.csv`` (role APP; the app is the title, else the id)."""
    builder = SetBuilder(name, source, "isdi")
    _header, rows = csv_rows(text)
    for locator, row in rows:
        if len(row) < 3:
            builder.skip(locator, f"{len(row)} columns where appId,store,flag,title are expected")
            continue
        app_id, store, flag = (cell.strip() for cell in row[:3])
        title = row[3].strip() if len(row) > 3 else ""
        if flag.lower() == "safe":
            builder.skip(locator, f"{app_id} is listed as safe: not an indicator")
            continue
        threat = _FLAGS.get(flag.lower())
        kind = _STORES.get(store.lower())
        if threat is None or kind is None:
            what = f"flag {flag!r}" if threat is None else f"store {store!r}"
            builder.skip(locator, f"unknown {what}")
            continue
        builder.add(
            kind,
            app_id,
            app=title or app_id,
            role=Role.APP,
            threat=threat,
            locator=locator,
            tags=(flag.lower(), store.lower()),
        )
    return builder.build(sha256_bytes(data), licence or ISDI_LICENCE)
