"""``stalkerscan scan`` on Android data: androidqf folders and zips, the real MVT sample, a live
phone through the real adb server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stalkerscan.cli import main
from support.androidgen import stalkerware_phone, write_androidqf_zip
from support.fakeadb import AdbEnv, adb_env

__all__ = ["adb_env"]  # the fixture, used by name

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_PHONE = REPO / "examples" / "android-phone"
EXAMPLE_INDICATORS = REPO / "examples" / "indicators"


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STALKERSCAN_HOME", str(tmp_path / "stalkerscan-home"))


def _scan_json(tmp_path: Path, *args: str) -> tuple[Result, dict[str, object]]:
    out = tmp_path / "r.json"
    result = CliRunner().invoke(main, ["scan", *args, "--json", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return result, json.loads(out.read_text(encoding="utf-8"))


def test_example_phone_is_stalkerware_naming_the_app(tmp_path: Path) -> None:
    _, report = _scan_json(tmp_path, str(EXAMPLE_PHONE), "--indicators", str(EXAMPLE_INDICATORS))
    assert report["verdict"] == "stalkerware"
    assert report["inputs"][0]["kind"] == "androidqf"  # type: ignore[index]
    top = report["findings"][0]  # type: ignore[index]
    assert top["app"] == "ExampleSpy"
    assert top["severity"] == "critical"


def test_a_renamed_zip_is_recognised_by_content(tmp_path: Path) -> None:
    copy = tmp_path / "evidence.bin"
    write_androidqf_zip(stalkerware_phone(package="com.examplespy.sync"), copy)
    _, report = _scan_json(tmp_path, str(copy), "--indicators", str(EXAMPLE_INDICATORS))
    assert report["verdict"] == "stalkerware"


def test_mvt_sample_reports_its_alerts(shared_data: Path, echap_dir: Path, tmp_path: Path) -> None:
    sample = tmp_path / "androidqf"
    shutil.copytree(shared_data / "mvt-artifacts" / "androidqf", sample)
    _, report = _scan_json(tmp_path, str(sample), "--indicators", str(echap_dir))
    subjects = {f["subject"] for f in report["findings"]}  # type: ignore[attr-defined]
    assert {"com.whatsapp", "app.revanced.manager.flutter"} <= subjects
    assert report["verdict"] in ("suspicious", "stalkerware")


def test_capture_and_phone_in_one_report(tmp_path: Path) -> None:
    capture = REPO / "examples" / "phone-capture.pcapng"
    _, report = _scan_json(
        tmp_path, str(capture), str(EXAMPLE_PHONE), "--indicators", str(EXAMPLE_INDICATORS)
    )
    kinds = [i["kind"] for i in report["inputs"]]  # type: ignore[attr-defined]
    assert kinds == ["pcap", "androidqf"]
    rules = {f["rule"] for f in report["findings"]}  # type: ignore[attr-defined]
    assert "net.ioc.c2_domain" in rules
    assert any(r.startswith("android.ioc.") for r in rules)


def test_live_phone_through_real_adb(adb_env: AdbEnv, tmp_path: Path) -> None:
    device = adb_env.connect(adb_env.phone(stalkerware_phone(package="com.examplespy.sync")))
    _, report = _scan_json(
        tmp_path, f"adb:{device.serial}", "--indicators", str(EXAMPLE_INDICATORS)
    )
    assert report["verdict"] == "stalkerware"
    assert report["inputs"][0]["kind"] == "android_adb"  # type: ignore[index]
    assert report["findings"][0]["app"] == "ExampleSpy"  # type: ignore[index]


def test_live_scan_without_a_phone_is_one_line(adb_env: AdbEnv) -> None:
    result = CliRunner().invoke(main, ["scan", "adb:"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no phone" in lines[0]
