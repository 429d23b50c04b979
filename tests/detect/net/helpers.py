"""Test helpers: a tiny Echap loader (the official ones live in indicators/), index builders."""

from __future__ import annotations

from pathlib import Path

import yaml

from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import (
    Indicator,
    IndicatorKind,
    IndicatorSet,
    IndicatorSetInfo,
    Role,
    Threat,
)

ECHAP = "echap-stalkerware-indicators"


def _app_indicators(app: dict[str, object], threat: Threat) -> list[Indicator]:
    name = str(app["name"])
    out: list[Indicator] = []

    def add(kind: IndicatorKind, values: object, role: Role) -> None:
        for value in values if isinstance(values, list) else []:
            out.append(Indicator(kind, str(value).lower(), name, role, threat, ECHAP))

    c2 = app.get("c2") or {}
    assert isinstance(c2, dict)
    add(IndicatorKind.DOMAIN, c2.get("domains"), Role.C2)
    add(IndicatorKind.IPV4, c2.get("ips"), Role.C2)
    add(IndicatorKind.DOMAIN, app.get("websites"), Role.WEBSITE)
    add(IndicatorKind.DOMAIN, app.get("distribution"), Role.DISTRIBUTION)
    return out


def load_echap_indicators(echap_dir: Path) -> tuple[Indicator, ...]:
    """Network indicators of ioc.yaml and watchware.yaml, threat from each app's ``type``."""
    out: list[Indicator] = []
    for file in ("ioc.yaml", "watchware.yaml"):
        for app in yaml.safe_load((echap_dir / file).read_text("utf-8")):
            out.extend(_app_indicators(app, Threat(str(app["type"]))))
    return tuple(out)


def index_of(*indicators: Indicator, name: str = ECHAP) -> IndicatorIndex:
    """An index over ``indicators`` as one set."""
    info = IndicatorSetInfo(
        name=name, source="test", sha256="0" * 64, format="echap", counts=(), skipped=0
    )
    return IndicatorIndex([IndicatorSet(info, tuple(indicators))])
