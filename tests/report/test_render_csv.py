"""The CSV timeline: timeline events plus timed evidence, sorted, spreadsheet-safe."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest

from report.documents import DOCUMENTS, stalkerware_document
from report.golden import assert_golden
from stalkerscan.model import Evidence, TimelineEvent
from stalkerscan.report.render_csv import HEADER, render_timeline_csv, timeline_rows


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_csv_matches_golden(name: str) -> None:
    assert_golden(f"{name}.csv", render_timeline_csv(DOCUMENTS[name]()))


def test_one_row_per_event_and_per_timed_evidence_sorted_by_time() -> None:
    doc = stalkerware_document()
    rows = _rows(render_timeline_csv(doc))
    assert rows[0] == list(HEADER)
    timed_evidence = sum(1 for f in doc.findings for ev in f.evidence if ev.time)
    assert timed_evidence == 7
    assert len(rows) == 1 + len(doc.timeline) + timed_evidence
    times = [row[0] for row in rows[1:]]
    assert times == sorted(times)
    assert rows[1] == [
        "2026-06-23T08:00:00Z",
        "captures/phone-2026-06-23.pcapng",
        "capture",
        "Capture started",
        "",
    ]
    evidence_rows = [row for row in rows if row[2] == "evidence"]
    assert evidence_rows[0][3] == (
        "TLS connection naming thetruthspy.com (packet 311); finding: The phone visited "
        "thetruthspy.com, the website of TheTruthSpy"
    )
    assert evidence_rows[0][4] == "net.ioc.vendor_website"


def test_times_sort_by_instant_not_by_text() -> None:
    doc = replace(
        stalkerware_document(),
        findings=(),
        timeline=(
            TimelineEvent("not a time", "a", "dns", "unreadable time"),
            TimelineEvent("2026-06-23T10:00:00+02:00", "a", "dns", "08:00 UTC"),
            TimelineEvent("2026-06-23T09:00:00Z", "a", "dns", "09:00 UTC"),
            TimelineEvent("2026-06-23T08:30:00", "a", "dns", "08:30 UTC, no zone"),
        ),
    )
    assert [row.description for row in timeline_rows(doc)] == [
        "08:00 UTC",
        "08:30 UTC, no zone",
        "09:00 UTC",
        "unreadable time",
    ]


def test_quoting_is_minimal_and_round_trips() -> None:
    doc = replace(
        stalkerware_document(),
        findings=(),
        timeline=(TimelineEvent("2026-06-23T08:00:00Z", "a, b.pcap", "http", 'GET "/x"\nnext'),),
    )
    text = render_timeline_csv(doc)
    assert text.splitlines()[1] == '2026-06-23T08:00:00Z,"a, b.pcap",http,"GET ""/x""'
    assert _rows(text)[1] == ["2026-06-23T08:00:00Z", "a, b.pcap", "http", 'GET "/x"\nnext', ""]


@pytest.mark.parametrize("value", ['=HYPERLINK("x")', "+1+1", "-2+3", "@SUM(A1)", "\tx"])
def test_cells_that_a_spreadsheet_would_run_are_defused(value: str) -> None:
    doc = stalkerware_document()
    finding = replace(
        doc.findings[0], evidence=(Evidence(value, "packet 1", value, "2026-06-23T08:00:00Z"),)
    )
    doc = replace(doc, findings=(finding,), timeline=())
    row = _rows(render_timeline_csv(doc))[1]
    assert row[1] == "'" + value
    assert row[3].startswith("'" + value + " (packet 1); finding: ")
