"""The text report: verdict first, findings by severity, honest about limits."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from rich.console import Console

from report.documents import DOCUMENTS, stalkerware_document, suspicious_document
from report.golden import assert_golden
from stalkerscan.model import Evidence, InputKind, Role, Threat
from stalkerscan.report.render_text import (
    EVIDENCE_LINES,
    INCOMPLETE_NOTE,
    SAFETY_NOTE,
    input_kind_label,
    render_text,
    render_text_to_string,
    role_words,
    size_words,
    threat_words,
)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_text_matches_golden(name: str) -> None:
    assert_golden(f"{name}.txt", render_text_to_string(DOCUMENTS[name]()))


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_verdict_comes_before_findings() -> None:
    text = render_text_to_string(stalkerware_document())
    assert text.index("KNOWN STALKERWARE FOUND") < text.index("Findings (3)")
    assert text.index("Findings (3)") < text.index("What was not checked")
    assert text.index("What was not checked") < text.index("How much the scan could see")
    assert text.index("How much the scan could see") < text.index("Indicator lists used")
    assert _flat(SAFETY_NOTE) in _flat(text)


def test_findings_are_ordered_by_severity_even_if_the_document_is_not() -> None:
    doc = suspicious_document()
    shuffled = replace(doc, findings=tuple(reversed(doc.findings)))
    text = render_text_to_string(shuffled)
    assert text.index("1. [High]") < text.index("2. [Medium]") < text.index("3. [Low]")


def test_each_finding_says_what_why_how_sure_and_what_to_do() -> None:
    doc = stalkerware_document()
    flat = _flat(render_text_to_string(doc))
    for finding in doc.findings:
        for words in (finding.title, finding.explanation, finding.advice):
            assert _flat(words) in flat
        assert _flat(finding.confidence.sentence) in flat


def test_evidence_is_capped_with_a_count_of_the_rest() -> None:
    doc = stalkerware_document()
    c2 = doc.findings[0]
    assert len(c2.evidence) == EVIDENCE_LINES + 2
    text = render_text_to_string(doc)
    assert "and 2 more (all are in the JSON and HTML reports)" in text
    assert "packet 8811" in text
    assert "packets 1440-1502" not in text
    exact = replace(c2, evidence=c2.evidence[:EVIDENCE_LINES])
    assert " more (all" not in render_text_to_string(replace(doc, findings=(exact,)))


def test_no_known_stalkerware_says_what_was_checked_and_that_lists_are_incomplete() -> None:
    flat = _flat(render_text_to_string(DOCUMENTS["no_known_stalkerware"]()))
    assert "NO KNOWN STALKERWARE FOUND" in flat
    assert "What was checked: network capture (captures/evening.pcap)" in flat
    assert "What was not checked: Installed apps; 12 connections to dns.google over HTTPS." in flat
    assert _flat(INCOMPLETE_NOTE) in flat


def test_inconclusive_shows_the_gaps_and_how_to_fix_them() -> None:
    flat = _flat(render_text_to_string(DOCUMENTS["inconclusive"]()))
    assert "NO CONCLUSION POSSIBLE" in flat
    assert "What stopped a conclusion" in flat
    assert "To get a scan that can conclude: Capture again for at least 15 minutes" in flat


def test_attribution_and_hashes_are_shown() -> None:
    doc = stalkerware_document()
    flat = _flat(render_text_to_string(doc))
    assert "Licence and attribution: CC BY 4.0." in flat
    assert doc.inputs[0].sha256 is not None
    assert doc.inputs[0].sha256 in flat
    assert doc.indicator_sets[0].sha256 in flat


def test_user_text_is_not_read_as_rich_markup() -> None:
    doc = stalkerware_document()
    odd = replace(doc.findings[0], title="[bold red]not markup[/] and [link=x]y[/link]")
    text = render_text_to_string(replace(doc, findings=(odd,)))
    assert "[bold red]not markup[/] and [link=x]y[/link]" in text


def test_render_text_on_a_colour_terminal_keeps_the_words() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, force_terminal=True, color_system="truecolor")
    render_text(stalkerware_document(), console)
    coloured = buffer.getvalue()
    assert "\x1b[" in coloured
    assert "KNOWN STALKERWARE FOUND" in coloured


def test_evidence_without_time_has_no_time_part() -> None:
    doc = stalkerware_document()
    lone = replace(
        doc.findings[0], evidence=(Evidence("in.pcap", "packet 9", "DNS query for x.example"),)
    )
    text = render_text_to_string(replace(doc, findings=(lone,)))
    assert "- in.pcap, packet 9: DNS query for x.example" in text


@pytest.mark.parametrize(
    ("size", "words"),
    [
        (None, "size unknown"),
        (0, "0 bytes"),
        (999, "999 bytes"),
        (1_208, "1.2 KB"),
        (18_734_112, "18.7 MB"),
        (3_500_000_000_000, "3500.0 GB"),
    ],
)
def test_size_words(size: int | None, words: str) -> None:
    assert size_words(size) == words


def test_every_role_threat_and_input_kind_has_words() -> None:
    assert len({role_words(role) for role in Role}) == len(Role)
    assert len({threat_words(threat) for threat in Threat}) == len(Threat)
    assert len({input_kind_label(kind) for kind in InputKind}) == len(InputKind)


def test_no_findings_is_not_reassuring_when_the_scan_was_limited() -> None:
    assert "the limits of this scan mean that says little" in " ".join(
        render_text_to_string(DOCUMENTS["inconclusive"]()).split()
    )
    doc = replace(DOCUMENTS["no_known_stalkerware"](), findings=())
    assert "Nothing was found by the checks that ran." in render_text_to_string(doc)
