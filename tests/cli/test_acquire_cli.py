"""``stalkerscan acquire``: end to end through click, the real adb server and a fake phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stalkerscan.cli.acquire import acquire
from stalkerscan.model.android import HashStatus
from stalkerscan.pipeline.android_loader import load_android_acquisition
from support.androidgen import everyday_phone, stalkerware_phone
from support.fakeadb import AdbEnv, adb_env

__all__ = ["adb_env"]  # the fixture, used by name


def _run(*args: str) -> Result:
    return CliRunner().invoke(acquire, list(args))


def _text(result: Result) -> str:
    return " ".join(result.stdout.split())


def _one_line_error(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and "Traceback" not in result.output
    return lines[0]


def test_acquire_saves_a_folder_and_says_where(adb_env: AdbEnv, tmp_path: Path) -> None:
    device = adb_env.connect(adb_env.phone(stalkerware_phone()))
    out = tmp_path / "phone"
    result = _run(str(out))
    assert result.exit_code == 0, result.output
    text = _text(result)
    assert f"Saved 13 files read from the phone Pixel_7 ({device.serial}) in: {out}" in text
    assert (
        f"SHA-256 of every file (to show later that nothing changed): {out / 'hashes.csv'}" in text
    )
    assert "Keep this folder safe: it contains private data" in text
    assert f"Next: stalkerscan scan {out}" in text
    assert "Nothing on the phone was changed" in text
    assert "Not collected" not in text
    loaded = load_android_acquisition(out)
    assert {c.status for c in loaded.hash_checks} == {HashStatus.OK}


def test_acquire_lists_what_was_not_collected(adb_env: AdbEnv, tmp_path: Path) -> None:
    fake = adb_env.phone(everyday_phone(), replies={"getenforce": (1, b"", b"denied\n")})
    adb_env.connect(fake)
    result = _run(str(tmp_path / "phone"), "--quiet")
    assert result.exit_code == 0, result.output
    assert "Not collected (so not checked in a scan of this folder):" in result.stdout
    assert "- selinux.txt: `getenforce` failed with exit status 1: denied" in result.stdout


def test_serial_chooses_among_several_phones(adb_env: AdbEnv, tmp_path: Path) -> None:
    adb_env.connect(adb_env.phone(everyday_phone()))
    second = adb_env.connect(adb_env.phone(stalkerware_phone(), banner_model="SM_A505F"))
    line = _one_line_error(_run(str(tmp_path / "a")))
    assert "several phones are connected" in line and "--serial" in line
    assert not (tmp_path / "a").exists()
    result = _run(str(tmp_path / "b"), "--serial", second.serial)
    assert result.exit_code == 0, result.output
    assert f"SM_A505F ({second.serial})" in _text(result)


def test_no_phone_is_one_line_with_the_fix(adb_env: AdbEnv, tmp_path: Path) -> None:
    line = _one_line_error(_run(str(tmp_path / "phone")))
    assert line.startswith("error: no phone with USB debugging was found. Connect the phone")
    assert "Enabling USB debugging is visible on the phone" in line


def test_a_folder_in_use_is_refused(adb_env: AdbEnv, tmp_path: Path) -> None:
    adb_env.connect(adb_env.phone(everyday_phone()))
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "notes.txt").write_text("case notes")
    line = _one_line_error(_run(str(tmp_path / "old")))
    assert f"the folder {tmp_path / 'old'} is not empty" in line
    assert (tmp_path / "old" / "notes.txt").read_text() == "case notes"


def test_without_adb_the_error_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    line = _one_line_error(_run(str(tmp_path / "phone")))
    assert line.startswith("error: the `adb` program was not found on this computer.")
    assert "install the Debian package adb" in line
    assert not (tmp_path / "phone").exists()


def test_a_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_text("x")
    line = _one_line_error(_run(str(tmp_path / "report.txt" / "phone")))
    assert line.startswith(f"error: cannot write {tmp_path / 'report.txt' / 'phone'}")
