"""Evidence integrity: files that changed (or went missing) after androidqf recorded their hashes.

This is about the acquisition, not about stalkerware: a changed file means the copy examined is not
exactly what was collected (copied badly, edited, or swapped). Differences androidqf itself causes
(it keeps writing its log, and lists hashes.csv in itself) carry a note and are ignored.
"""

from __future__ import annotations

from stalkerscan.detect.android import catalog as c
from stalkerscan.detect.android.context import AndroidView
from stalkerscan.detect.android.evidence import cap_evidence, listing
from stalkerscan.model import Evidence, Finding
from stalkerscan.model.android import HashCheck, HashStatus


def _observed(check: HashCheck) -> str:
    if check.status is HashStatus.MISSING:
        return f"{check.listed_path}: listed with SHA-256 {check.expected_sha256}, not found"
    return (
        f"{check.path or check.listed_path}: SHA-256 now {check.actual_sha256}, "
        f"recorded {check.expected_sha256}"
    )


def integrity_findings(view: AndroidView) -> list[Finding]:
    """One finding for every hashes.csv line that does not hold (unexplained ones only)."""
    acq = view.acq
    bad = [c_ for c_ in acq.hash_checks if c_.status is not HashStatus.OK and c_.note is None]
    if not bad:
        return []
    evidence = [Evidence(input=acq.input, locator="hashes.csv", observed=_observed(b)) for b in bad]
    names = [
        f"{b.path or b.listed_path} ({'missing' if b.status is HashStatus.MISSING else 'changed'})"
        for b in bad
    ]
    return [
        c.make_finding(
            c.HASH_MISMATCH,
            evidence=cap_evidence(evidence),
            subject="hashes.csv",
            reasons=tuple(names),
            count=len(bad),
            files=listing(names),
        )
    ]
