"""``stalkerscan indicators``: lookup, import, list and update, end to end through the real CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stalkerscan.cli import main
from store.https_server import RunningServer, https_server


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STALKERSCAN_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    return tmp_path / "home"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    (tmp_path / "certs").mkdir()
    with https_server(tmp_path / "certs") as running:
        yield running


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, ["indicators", *args])


def _text(result: Result) -> str:
    """stdout with line wrapping undone (rich wraps at the terminal width)."""
    return " ".join(result.stdout.split())


def _one_line_error(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.output
    return lines[0]


def test_lookup_names_thetruthspy_c2(echap_dir: Path) -> None:
    result = _run("lookup", "x.y.copy9.com", "--indicators", str(echap_dir))
    assert result.exit_code == 0, result.output
    out = _text(result)
    assert "x.y.copy9.com matches 2 indicators" in out
    assert "TheTruthSpy (stalkerware), role c2: subdomain of copy9.com (domain)" in out
    assert "TheTruthSpy (stalkerware), role website: subdomain of copy9.com" in out
    assert "from set echap-stalkerware-indicators" in out
    assert "Role c2: a server the app talks to once installed" in out
    assert "No indicator list is complete" in out


def test_lookup_no_match(echap_dir: Path, shared_data: Path) -> None:
    result = _run(
        "lookup",
        "notcopy9.com",
        "--indicators",
        str(echap_dir),
        "--indicators",
        str(shared_data / "isdi" / "app-flags.csv"),
    )
    assert result.exit_code == 0
    assert (
        "No match for notcopy9.com in 2 indicator sets "
        "(echap-stalkerware-indicators, app-flags)." in _text(result)
    )
    assert "No indicator list is complete" in _text(result)


def test_lookup_ip_and_firebase_host(echap_dir: Path) -> None:
    ip = _run("lookup", "85.10.199.40", "--indicators", str(echap_dir))
    assert "Ahmyth (stalkerware), role c2: exact 85.10.199.40 (ipv4)" in _text(ip)
    other = _run("lookup", "other-unrelated.firebaseio.com", "--indicators", str(echap_dir))
    assert other.exit_code == 0
    assert "No match for other-unrelated.firebaseio.com" in _text(other)


def test_lookup_without_sets_is_a_clear_error() -> None:
    line = _one_line_error(_run("lookup", "copy9.com"))
    assert "no indicator sets are installed" in line
    assert "stalkerscan indicators update" in line


def test_lookup_with_a_bad_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "feed.json"
    bad.write_text("{oops", "utf-8")
    line = _one_line_error(_run("lookup", "copy9.com", "--indicators", str(bad)))
    assert f"{bad} is not valid JSON" in line


def test_import_list_and_lookup_installed(echap_dir: Path, home: Path) -> None:
    empty = _run("list")
    assert empty.exit_code == 0
    assert "No indicator sets are installed" in _text(empty)
    imported = _run("import", str(echap_dir))
    assert imported.exit_code == 0, imported.output
    assert "echap-stalkerware-indicators (echap)" in _text(imported)
    listed = _run("list")
    assert listed.exit_code == 0
    manifest = (home / "indicators" / "echap-stalkerware-indicators" / "manifest.json").read_text()
    sha = json.loads(manifest)["sha256"]
    packed = "".join(listed.stdout.split())  # long values may be folded over lines
    assert sha in packed
    assert str(echap_dir).replace(" ", "") in packed
    assert "file_sha256 3228" in _text(listed)
    assert "CC BY 4.0" in _text(listed)
    hit = _run("lookup", "com.apspy.app")
    assert "TheTruthSpy (stalkerware), role app: exact com.apspy.app" in _text(hit)


def test_import_bad_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.stix2"
    empty.write_text("", "utf-8")
    assert f"{empty} is empty" in _one_line_error(_run("import", str(empty)))


def test_update_from_a_local_https_server(
    server: RunningServer, echap_dir: Path, tmp_path: Path
) -> None:
    server.behaviour.files["/feeds/hosts"] = (echap_dir / "generated" / "hosts").read_bytes()
    source = f"echap-c2={server.base_url}/feeds/hosts"
    untrusted = _run("update", "--source", source)
    line = _one_line_error(untrusted)
    assert "certificate could not be verified" in line
    assert "nothing was installed" in line
    ok = _run("update", "--source", source, "--ca-file", str(server.ca_file))
    assert ok.exit_code == 0, ok.output
    assert "the only network request stalkerscan makes" in _text(ok)
    assert "echap-c2 (host-list)" in _text(ok)
    server.behaviour.truncate.add("/feeds/hosts")
    partial = _one_line_error(_run("update", "--source", source, "--ca-file", str(server.ca_file)))
    assert "download is incomplete" in partial
    assert "installed version from" in partial
    hit = _run("lookup", "a.copy9.com")
    assert "role unknown: subdomain of copy9.com" in _text(hit)
    assert "from set echap-c2" in _text(hit)


def test_update_refuses_plain_http() -> None:
    line = _one_line_error(_run("update", "--source", "http://example.org/hosts"))
    assert "not an https:// address" in line
