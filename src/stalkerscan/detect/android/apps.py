"""Per-app grouping: an app's signs become one finding, so a reader sees one line per app.

Apps that matched an indicator are reported by the indicator rules (with their signs as reasons)
and skipped here. For the others, ``signals.grade`` decides: a combination worth
``COMBINATION_SCORE`` or more becomes ``android.app.risky_combination`` (medium or high); anything
less becomes ``android.app.risky_sign`` (low or information); an app whose only signs are data
permissions, or an app-store app with nothing else, gives nothing.
"""

from __future__ import annotations

from stalkerscan.detect.android import catalog as c
from stalkerscan.detect.android.context import AndroidView
from stalkerscan.detect.android.evidence import cap_evidence, listing
from stalkerscan.detect.android.ioc import app_matches
from stalkerscan.detect.android.signals import app_signs, grade, install_sentence
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import Finding


def app_sign_findings(view: AndroidView, index: IndicatorIndex) -> list[Finding]:
    """One finding per app with signs and no indicator match."""
    out = []
    for app in view.apps.values():
        if app_matches(view, app, index, []):
            continue
        signs = app_signs(view, app)
        graded = grade(view, app, signs)
        if graded is None:
            continue
        rule = c.COMBINATION if graded.combination else c.SIGN
        out.append(
            c.make_finding(
                rule,
                evidence=cap_evidence(e for s in signs for e in s.evidence),
                subject=app.name,
                severity=graded.severity,
                confidence=graded.confidence,
                reasons=tuple(s.phrase for s in signs),
                count=len(signs),
                signs=listing((s.phrase for s in signs), limit=20),
                installed=install_sentence(view, app),
            )
        )
    return out
