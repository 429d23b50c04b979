"""Across every rendering: the advice is there, and no rendering ever calls a phone "clean"."""

from __future__ import annotations

import pytest

from report.documents import DOCUMENTS
from report.html_tools import ParsedHtml
from stalkerscan.report.render_csv import render_timeline_csv
from stalkerscan.report.render_html import render_html
from stalkerscan.report.render_json import render_json
from stalkerscan.report.render_text import render_text_to_string

RENDERERS = {
    "json": render_json,
    "text": render_text_to_string,
    "html": render_html,
    "csv": render_timeline_csv,
}


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_never_says_clean(name: str, renderer: str) -> None:
    assert "clean" not in RENDERERS[renderer](DOCUMENTS[name]()).lower()


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_finding_advice_appears_in_text_html_and_json(name: str) -> None:
    doc = DOCUMENTS[name]()
    text = " ".join(render_text_to_string(doc).split())
    html = ParsedHtml(render_html(doc)).text
    json_text = render_json(doc)
    for finding in doc.findings:
        assert finding.advice in text
        assert finding.advice in html
        assert finding.advice in json_text
