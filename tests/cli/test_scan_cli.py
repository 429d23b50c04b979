"""``stalkerscan scan`` end to end through the real CLI: verdicts, files, exit codes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from stalkerscan.cli import main
from stalkerscan.report.load_json import load_report, report_schema

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_CAPTURE = REPO / "examples" / "phone-capture.pcapng"
EXAMPLE_INDICATORS = REPO / "examples" / "indicators"


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No indicator set installed unless a test installs one."""
    monkeypatch.setenv("STALKERSCAN_HOME", str(tmp_path / "home"))


def _scan(*args: str) -> Result:
    return CliRunner().invoke(main, ["scan", *args])


def _one_line_error(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def test_example_names_the_app_and_saves_every_format(tmp_path: Path) -> None:
    out = {k: tmp_path / f"r.{k}" for k in ("json", "html", "csv")}
    result = _scan(
        str(EXAMPLE_CAPTURE),
        "--indicators",
        str(EXAMPLE_INDICATORS),
        "--json",
        str(out["json"]),
        "--html",
        str(out["html"]),
        "--timeline",
        str(out["csv"]),
    )
    assert result.exit_code == 0, result.output
    assert "KNOWN STALKERWARE FOUND" in result.stdout
    assert "ExampleSpy" in result.stdout
    data = json.loads(out["json"].read_text(encoding="utf-8"))
    jsonschema.validate(data, report_schema())
    assert data["verdict"] == "stalkerware"
    rules = {f["rule"] for f in data["findings"]}
    assert {"net.ioc.c2_domain", "net.ioc.c2_ip", "net.ioc.vendor_site"} <= rules
    assert data["inputs"][0]["kind"] == "pcap"
    assert len(data["inputs"][0]["sha256"]) == 64
    assert "ExampleSpy" in out["html"].read_text(encoding="utf-8")
    assert out["csv"].read_text(encoding="utf-8").startswith("time,input,source,description,rule")
    # The saved JSON re-renders without re-analysis and says the same.
    again = CliRunner().invoke(main, ["report", str(out["json"])])
    assert again.exit_code == 0
    assert "KNOWN STALKERWARE FOUND" in again.stdout
    assert load_report(out["json"]).findings == load_report(out["json"]).findings


def test_fail_on_sets_exit_code_one() -> None:
    args = (str(EXAMPLE_CAPTURE), "--indicators", str(EXAMPLE_INDICATORS), "--quiet")
    assert _scan(*args, "--fail-on", "critical").exit_code == 1
    assert _scan(*args).exit_code == 0


def test_without_indicators_the_scan_runs_and_says_so(tmp_path: Path) -> None:
    saved = tmp_path / "r.json"
    result = _scan(str(EXAMPLE_CAPTURE), "--json", str(saved))
    assert result.exit_code == 0, result.output
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["verdict"] == "inconclusive"
    assert data["indicator_sets"] == []
    assert any(n["what"] == "known stalkerware indicators" for n in data["not_checked"])
    assert "indicators update" in result.stdout


def test_benign_capture_with_real_indicators_is_not_stalkerware(
    shared_data: Path, echap_dir: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "r.json"
    capture = shared_data / "pcaps" / "benign" / "iphone.pcap"
    result = _scan(str(capture), "--indicators", str(echap_dir), "--json", str(saved), "-q")
    assert result.exit_code == 0, result.output
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["verdict"] != "stalkerware"
    assert all(f["severity"] in ("info", "low") for f in data["findings"])


def test_not_a_capture_is_one_line_exit_2(tmp_path: Path) -> None:
    notes = tmp_path / "capture.pcapng"
    notes.write_text("not a capture at all\n")
    line = _one_line_error(_scan(str(notes)))
    assert "is not an input stalkerscan can read" in line
    assert "network capture" in line


def test_missing_path_is_one_line_exit_2(tmp_path: Path) -> None:
    line = _one_line_error(_scan(str(tmp_path / "nowhere.pcap")))
    assert "does not exist" in line


def test_malformed_indicator_file_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "ioc.yaml"
    bad.write_text("- name: X\n  c2: [unclosed\n")
    line = _one_line_error(_scan(str(EXAMPLE_CAPTURE), "--indicators", str(bad)))
    assert str(bad) in line


def test_truncated_capture_is_analysed_up_to_the_damage(tmp_path: Path) -> None:
    cut = tmp_path / "cut.pcapng"
    data = EXAMPLE_CAPTURE.read_bytes()
    cut.write_bytes(data[: len(data) // 2 + 7])
    saved = tmp_path / "r.json"
    result = _scan(str(cut), "--indicators", str(EXAMPLE_INDICATORS), "--json", str(saved))
    assert result.exit_code == 0, result.output
    report = json.loads(saved.read_text(encoding="utf-8"))
    assert report["verdict"] == "stalkerware"
    stopped = [n for n in report["not_checked"] if "reading stopped" in n["what"]]
    assert len(stopped) == 1
    assert "ends in the middle of packet" in stopped[0]["why"]


def test_no_input_is_a_usage_error() -> None:
    result = _scan()
    assert result.exit_code == 2
    assert "Traceback" not in result.output
