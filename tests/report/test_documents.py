"""The test documents are what they claim: the right verdicts and real Echap indicator values."""

from __future__ import annotations

from pathlib import Path

import yaml

from report.documents import C2_IP, DOCUMENTS
from stalkerscan.model import Role
from stalkerscan.report.document import Verdict


def test_each_document_has_the_verdict_it_is_named_after() -> None:
    assert {name: build().verdict for name, build in DOCUMENTS.items()} == {
        name: Verdict(name) for name in DOCUMENTS
    }


def _echap_entries(echap_dir: Path) -> dict[str, dict[str, object]]:
    entries: dict[str, dict[str, object]] = {}
    for name in ("ioc.yaml", "watchware.yaml"):
        for entry in yaml.safe_load((echap_dir / name).read_text("utf-8")):
            entries[entry["name"]] = entry
    return entries


def test_documents_use_real_indicators(echap_dir: Path) -> None:
    entries = _echap_entries(echap_dir)
    checked = 0
    for build in DOCUMENTS.values():
        for finding in build().findings:
            ind = finding.indicator
            if ind is None:
                continue
            assert ind.app is not None
            entry = entries[ind.app]
            assert entry["type"] == ind.threat.value
            c2 = entry.get("c2") or {}
            assert isinstance(c2, dict)
            listed = {
                Role.C2: list(c2.get("domains", [])) + list(c2.get("ips", [])),
                Role.WEBSITE: entry.get("websites", []),
                Role.APP: entry.get("packages", []),
            }[ind.role]
            assert isinstance(listed, list)
            assert ind.value in listed, (ind.app, ind.role, ind.value)
            checked += 1
    assert checked == 3
    thetruthspy_c2 = entries["TheTruthSpy"]["c2"]
    assert isinstance(thetruthspy_c2, dict)
    assert C2_IP in thetruthspy_c2["ips"]
