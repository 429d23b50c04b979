"""The HTML report: one self-contained, printable file for the person the phone belongs to.

Everything is inline (CSS in a ``<style>`` element, no scripts, no images, no fonts, no links to
load), and a Content-Security-Policy forbids loading anything, so opening the file makes no network
request and tells nobody it was opened. Every value is escaped by Jinja2's autoescape. The wording
is shared with the text report (``render_text``), so both always say the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from stalkerscan.model import Evidence, Finding
from stalkerscan.report.document import ReportDocument
from stalkerscan.report.render_csv import timeline_rows
from stalkerscan.report.render_text import (
    INCOMPLETE_NOTE,
    SAFETY_POINTS,
    count,
    coverage_by_area,
    findings_by_severity,
    indicator_sentence,
    indicator_total,
    input_kind_label,
    no_findings_sentence,
    size_words,
    verdict_explanation,
    verdict_headline,
)

EVIDENCE_ROWS = 200
"""Evidence rows shown per finding; the rest are counted and left to the JSON report."""
TIMELINE_ROWS = 1000
"""Timeline rows shown; the rest are counted and left to the CSV timeline."""


@dataclass(frozen=True, slots=True)
class _FindingView:
    """A finding with what the template shows about it worked out."""

    finding: Finding
    number: int
    heading: str
    """What the finding is about, for its heading: ``app: subject``, either, or the rule id."""
    indicator: str | None
    """The matched indicator in a sentence, if any."""
    evidence: tuple[Evidence, ...]
    """The evidence rows shown (at most ``EVIDENCE_ROWS``)."""
    evidence_hidden: int


def render_html(doc: ReportDocument) -> str:
    """The HTML report as text."""
    rows = timeline_rows(doc)
    template = _environment().get_template("report.html")
    return template.render(
        doc=doc,
        headline=verdict_headline(doc.verdict),
        explanation=verdict_explanation(doc),
        safety_points=SAFETY_POINTS,
        no_findings=no_findings_sentence(doc),
        incomplete_note=INCOMPLETE_NOTE,
        findings=[_view(n, f) for n, f in enumerate(findings_by_severity(doc.findings), start=1)],
        coverage=coverage_by_area(doc.coverage),
        timeline=rows[:TIMELINE_ROWS],
        timeline_hidden=max(0, len(rows) - TIMELINE_ROWS),
        input_kind_label=input_kind_label,
        size_words=size_words,
        indicator_total=indicator_total,
        count=count,
    )


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("stalkerscan.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _view(number: int, finding: Finding) -> _FindingView:
    about = [part for part in (finding.app, finding.subject) if part]
    heading = ": ".join(about) if about else finding.rule
    return _FindingView(
        finding=finding,
        number=number,
        heading=heading,
        indicator=None if finding.indicator is None else indicator_sentence(finding.indicator),
        evidence=finding.evidence[:EVIDENCE_ROWS],
        evidence_hidden=max(0, len(finding.evidence) - EVIDENCE_ROWS),
    )
