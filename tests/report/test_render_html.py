"""The HTML report: self-contained, escaped, plain language, with the safety note first."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from report.documents import DOCUMENTS, stalkerware_document
from report.golden import assert_golden
from report.html_tools import ParsedHtml
from stalkerscan.model import Evidence
from stalkerscan.report.render_html import EVIDENCE_ROWS, render_html
from stalkerscan.report.render_text import INCOMPLETE_NOTE, SAFETY_POINTS, verdict_headline

URL_ATTRIBUTES = {"src", "href", "action", "srcset", "poster", "data", "formaction", "background"}


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_html_matches_golden(name: str) -> None:
    assert_golden(f"{name}.html", render_html(DOCUMENTS[name]()))


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_html_is_self_contained(name: str) -> None:
    html = render_html(DOCUMENTS[name]())
    parsed = ParsedHtml(html)
    assert parsed.errors == []
    tag_names = {tag for tag, _ in parsed.tags}
    assert tag_names.isdisjoint({"script", "link", "img", "iframe", "object", "embed", "base"})
    for tag, attrs in parsed.tags:
        for attr in URL_ATTRIBUTES & attrs.keys():
            value = (attrs[attr] or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//", "data:")), (tag, attr, value)
    assert "url(" not in html
    assert "@import" not in html
    csp = [
        a
        for t, a in parsed.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_html_says_everything_a_reader_needs(name: str) -> None:
    doc = DOCUMENTS[name]()
    parsed = ParsedHtml(render_html(doc))
    text = parsed.text
    banner = f"Result {verdict_headline(doc.verdict)} {doc.verdict_reason}"
    assert text.index("Read this first") < text.index(banner)
    for point in SAFETY_POINTS:
        assert point in text
    for finding in doc.findings:
        for words in (
            finding.title,
            finding.explanation,
            finding.advice,
            finding.confidence.sentence,
        ):
            assert _flat(words) in text
    for item in doc.not_checked:
        assert f"{item.what}: {item.why}" in text
    for fact in doc.coverage:
        assert fact.label in text
    for gap in doc.gaps:
        assert gap.reason in text
        assert gap.advice in text
    assert INCOMPLETE_NOTE in text
    footer = text[text.index("Made by stalkerscan") :]
    assert f"Made by stalkerscan 0.1.0 on {doc.generated_at} (report format 1.0)" in footer
    for ref in doc.inputs:
        assert f"{ref.path}: {ref.sha256}" in footer


def test_finding_sections_and_evidence_table() -> None:
    text = ParsedHtml(render_html(stalkerware_document())).text
    for heading in (
        "What we saw",
        "Why it matters",
        "How sure we are",
        "What to do / what not to do",
    ):
        assert text.count(heading) == 3
    assert "packets 1440-1502 412 KB sent to the server, 3 KB received" in text
    assert "Signs seen together no DNS name was seen for this address" in text


def test_verdict_banner_has_colour_class_and_words() -> None:
    for name, build in DOCUMENTS.items():
        parsed = ParsedHtml(render_html(build()))
        classes = [a.get("class") or "" for t, a in parsed.tags if t == "section"]
        assert f"verdict verdict-{name}" in classes


def test_indicator_provenance_and_attribution_are_plain_text() -> None:
    html = render_html(stalkerware_document())
    text = ParsedHtml(html).text
    assert (
        'Licence and attribution: CC BY 4.0. "Stalkerware Indicators of Compromise, Echap '
        '(https://echap.eu.org/), https://github.com/AssoEchap/stalkerware-indicators, CC BY 4.0"'
    ) in text
    assert (
        'domain "media-sync-a748.thetruthspy.com" is listed in echap-stalkerware-indicators' in text
    )
    assert "By kind: android_package 1,094, cert_sha1 402, domain 3,874" in text
    assert not re.search(r"href\s*=", html)


def test_everything_is_escaped() -> None:
    doc = stalkerware_document()
    hostile = replace(
        doc.findings[0],
        title="<script>alert(1)</script>",
        evidence=(Evidence('a"b.pcap', "packet 1", "<img src=https://x.example/p.png>", None),),
    )
    doc = replace(doc, findings=(hostile,), verdict_reason="</section><b>x</b>")
    html = render_html(doc)
    assert "<script>" not in html
    assert "<img" not in html
    assert "</section><b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    parsed = ParsedHtml(html)
    assert parsed.errors == []
    assert "<img src=https://x.example/p.png>" in parsed.text


def test_long_evidence_is_capped_with_a_count() -> None:
    doc = stalkerware_document()
    many = tuple(
        Evidence("c.pcap", f"packet {n}", f"DNS query {n}", None) for n in range(EVIDENCE_ROWS + 7)
    )
    doc = replace(doc, findings=(replace(doc.findings[0], evidence=many),))
    text = ParsedHtml(render_html(doc)).text
    assert f"packet {EVIDENCE_ROWS - 1} " in text
    assert f"packet {EVIDENCE_ROWS} " not in text
    assert "And 7 more items of evidence, all listed in the JSON report." in text
