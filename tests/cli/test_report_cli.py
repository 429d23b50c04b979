"""``stalkerscan report``: re-render a saved JSON report, end to end through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from report.documents import stalkerware_document
from stalkerscan.cli import main
from stalkerscan.report.render_csv import render_timeline_csv
from stalkerscan.report.render_html import render_html
from stalkerscan.report.render_json import document_to_dict, render_json


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, ["report", *args])


def _saved(tmp_path: Path, text: str | None = None) -> Path:
    path = tmp_path / "scan.json"
    path.write_text(render_json(stalkerware_document()) if text is None else text, encoding="utf-8")
    return path


def _one_line_error(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.output
    return lines[0]


def test_prints_the_report_and_writes_every_format(tmp_path: Path) -> None:
    saved = _saved(tmp_path)
    html, out_json, timeline = tmp_path / "r.html", tmp_path / "r.json", tmp_path / "t.csv"
    result = _run(
        str(saved), "--html", str(html), "--json", str(out_json), "--timeline", str(timeline)
    )
    assert result.exit_code == 0, result.output
    assert "KNOWN STALKERWARE FOUND" in result.stdout
    assert "media-sync-a748.thetruthspy.com" in result.stdout
    doc = stalkerware_document()
    assert html.read_text("utf-8") == render_html(doc)
    assert out_json.read_text("utf-8") == render_json(doc)
    assert timeline.read_bytes().decode("utf-8") == render_timeline_csv(doc)
    assert f"Wrote {html}" in result.stdout


def test_quiet_prints_no_report(tmp_path: Path) -> None:
    html = tmp_path / "r.html"
    result = _run(str(_saved(tmp_path)), "--quiet", "--html", str(html))
    assert result.exit_code == 0, result.output
    assert "KNOWN STALKERWARE" not in result.output
    assert "Findings" not in result.output
    assert html.is_file()


def test_bad_json_is_one_line_and_exit_2(tmp_path: Path) -> None:
    line = _one_line_error(_run(str(_saved(tmp_path, '{"schema_version": "1.0",'))))
    assert "scan.json is not valid JSON" in line


def test_other_json_is_not_a_report(tmp_path: Path) -> None:
    line = _one_line_error(_run(str(_saved(tmp_path, '{"name": "x", "dependencies": {}}'))))
    assert "not a stalkerscan report" in line


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    line = _one_line_error(_run(str(tmp_path / "missing.json")))
    assert "missing.json does not exist" in line


def test_never_overwrites_the_saved_report(tmp_path: Path) -> None:
    saved = _saved(tmp_path)
    before = saved.read_bytes()
    line = _one_line_error(_run(str(saved), "--json", str(saved)))
    assert "is the same file as the saved report" in line
    assert saved.read_bytes() == before


def test_two_outputs_to_one_file_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    line = _one_line_error(_run(str(_saved(tmp_path)), "--html", str(out), "--timeline", str(out)))
    assert "--timeline" in line and "--html" in line
    assert not out.exists()


def test_an_older_format_is_converted_to_the_current_one(tmp_path: Path) -> None:
    data = document_to_dict(stalkerware_document())
    del data["gaps"], data["verdict_reason"]
    data["coverage"] = [
        {"area": area, "name": name, **fact}
        for area, facts in data["coverage"].items()
        for name, fact in facts.items()
    ]
    data["schema_version"] = "0.9"
    saved = _saved(tmp_path, json.dumps(data))
    out = tmp_path / "new.json"
    result = _run(str(saved), "--quiet", "--json", str(out))
    assert result.exit_code == 0, result.output
    converted = json.loads(out.read_text("utf-8"))
    assert converted["schema_version"] == "1.0"
    assert converted["gaps"] == []
    assert converted["coverage"] == document_to_dict(stalkerware_document())["coverage"]
