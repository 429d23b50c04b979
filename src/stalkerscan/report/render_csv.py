"""The timeline as CSV: every timed event and every timed piece of evidence, oldest first.

Columns: ``time,input,source,description,rule``. One row per TimelineEvent, plus one row per
finding evidence that has a time (``source`` is ``evidence``, ``rule`` the finding's rule). Rows
are sorted by time (ties keep that order); a time that cannot be read as ISO 8601 sorts last.

The file is meant to be opened in a spreadsheet, where a cell starting with ``=``, ``+``, ``-``,
``@`` or a tab/return could run as a formula. Such cells get a leading ``'`` (the usual guard):
the text of a capture or a device is written by whoever controls it, possibly the abuser.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime

from stalkerscan.report.document import ReportDocument

HEADER = ("time", "input", "source", "description", "rule")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One line of the timeline."""

    time: str
    """ISO 8601 in UTC, as the document has it."""
    input: str
    """The input it was seen in."""
    source: str
    """The kind of record (``dns``, ``package``...) or ``evidence`` for a finding's evidence."""
    description: str
    """What happened, in words."""
    rule: str
    """The rule of the finding it belongs to, or empty."""


def timeline_rows(doc: ReportDocument) -> tuple[TimelineRow, ...]:
    """The timeline events and the timed evidence of every finding, sorted by time."""
    rows = [
        TimelineRow(e.time, e.input, e.source, e.description, e.rule or "") for e in doc.timeline
    ]
    for finding in doc.findings:
        for ev in finding.evidence:
            if ev.time:
                description = f"{ev.observed} ({ev.locator}); finding: {finding.title}"
                rows.append(TimelineRow(ev.time, ev.input, "evidence", description, finding.rule))
    return tuple(sorted(rows, key=lambda row: _time_key(row.time)))


def render_timeline_csv(doc: ReportDocument) -> str:
    """The timeline CSV as text (UTF-8 characters kept, ``\\n`` line ends, minimal quoting)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(HEADER)
    for row in timeline_rows(doc):
        writer.writerow(
            _cell(value) for value in (row.time, row.input, row.source, row.description, row.rule)
        )
    return buffer.getvalue()


def _time_key(text: str) -> tuple[int, float]:
    """Sort key: readable times by instant, unreadable ones after all of them."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return (1, 0.0)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (0, moment.timestamp())


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value
