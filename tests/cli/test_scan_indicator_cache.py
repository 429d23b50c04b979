"""``stalkerscan scan`` loads indicators through the cache, and the second scan finds the same."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from stalkerscan.cli import main
from stalkerscan.cli.scan import load_index
from stalkerscan.store.indicator_cache import default_cache

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_CAPTURE = REPO / "examples" / "phone-capture.pcapng"
EXAMPLE_INDICATORS = REPO / "examples" / "indicators"


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STALKERSCAN_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("STALKERSCAN_NO_CACHE", raising=False)


def _findings(report: Path) -> list[tuple[str, str]]:
    data = json.loads(report.read_text("utf-8"))
    return [(f["rule"], f["title"]) for f in data["findings"]]


def test_second_scan_reads_the_cache_and_finds_the_same(tmp_path: Path) -> None:
    reports = [tmp_path / "first.json", tmp_path / "second.json"]
    for report in reports:
        args = ["scan", str(EXAMPLE_CAPTURE), "--indicators", str(EXAMPLE_INDICATORS)]
        result = CliRunner().invoke(main, [*args, "--quiet", "--json", str(report)])
        assert result.exit_code == 0, result.output
    cache = default_cache()
    assert cache is not None
    assert len(cache.entries()) == 1
    assert _findings(reports[0]) == _findings(reports[1])
    assert any(rule == "net.ioc.c2_domain" for rule, _ in _findings(reports[1]))


def test_installed_sets_go_through_the_cache(echap_dir: Path) -> None:
    result = CliRunner().invoke(main, ["indicators", "import", str(echap_dir)])
    assert result.exit_code == 0, result.output
    first = load_index(())
    cache = default_cache()
    assert cache is not None
    (entry,) = cache.entries()
    again = load_index(())
    assert again.sets == first.sets
    assert len(again) == len(first)
    assert cache.entries() == [entry]


_IMPORTS = """
import json, sys
from stalkerscan.cli.scan import load_index
index = load_index((sys.argv[1],))
store = "stalkerscan.store.indicator_store" in sys.modules
print(json.dumps({"store": store, "sets": len(index.sets)}))
"""


def test_indicators_given_do_not_import_the_store(tmp_path: Path) -> None:
    env = {**os.environ, "STALKERSCAN_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTS, str(EXAMPLE_INDICATORS)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout) == {"store": False, "sets": 1}
