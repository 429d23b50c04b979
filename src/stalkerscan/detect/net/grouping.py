"""Per-host grouping: several weak signs on one host become one finding that lists them.

A single heuristic has innocent explanations; three different ones on the same host rarely do. When
``GROUP_MIN_SIGNS`` or more distinct heuristic rules of low severity or above fire on one host, they
are replaced by one ``net.host.several_signs`` finding whose ``reasons`` are their titles and whose
evidence is theirs. Information findings are never counted nor replaced; indicator findings are
never grouped (they stand on their own).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from stalkerscan.detect.net import catalog as c
from stalkerscan.detect.net.evidence import cap_evidence
from stalkerscan.detect.net.thresholds import GROUP_MIN_SIGNS
from stalkerscan.model import Finding, Severity

_GROUPABLE = frozenset(r.id for r in c.HEURISTIC_RULES)


def _grouped(subject: str, items: list[Finding]) -> Finding:
    ordered = sorted(items, key=lambda f: (-f.severity.rank, f.rule, f.title))
    severity = max([Severity.MEDIUM, *(f.severity for f in ordered)])
    reasons = tuple(f.title for f in ordered)
    return c.make_finding(
        c.SEVERAL_SIGNS,
        evidence=cap_evidence(e for f in ordered for e in f.evidence),
        subject=subject,
        severity=severity,
        reasons=reasons,
        count=len({f.rule for f in ordered}),
        signs="; ".join(reasons),
    )


def group_host_signs(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """``findings`` with every host's >= ``GROUP_MIN_SIGNS`` heuristic findings replaced by one."""
    by_subject: dict[str, list[int]] = defaultdict(list)
    for position, finding in enumerate(findings):
        if finding.rule in _GROUPABLE and finding.subject and finding.severity >= Severity.LOW:
            by_subject[finding.subject].append(position)
    replaced: set[int] = set()
    grouped: list[Finding] = []
    for subject, positions in sorted(by_subject.items()):
        items = [findings[p] for p in positions]
        if len({f.rule for f in items}) >= GROUP_MIN_SIGNS:
            grouped.append(_grouped(subject, items))
            replaced.update(positions)
    kept = [f for p, f in enumerate(findings) if p not in replaced]
    return (*kept, *grouped)
