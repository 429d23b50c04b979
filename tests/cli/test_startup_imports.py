"""A scan imports only what it uses: a guard on start-up time, without timing anything.

Each scan runs in a fresh Python process, which then lists every module it imported. The modules
below cost time at start-up and are not needed to scan a capture with ``--json --quiet``; a new
top-level import that brings one back fails here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_CAPTURE = REPO / "examples" / "phone-capture.pcapng"
EXAMPLE_INDICATORS = REPO / "examples" / "indicators"
EXAMPLE_PHONE = REPO / "examples" / "android-phone"

_PROBE = """
import json, sys
from stalkerscan.cli import main
sys.argv = ["stalkerscan", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit as stop:
    code = stop.code
else:
    code = 0
print(json.dumps({"exit": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""
"""Runs the CLI in-process, then prints its exit code and ``sys.modules`` as JSON on stderr."""

NOT_FOR_A_CAPTURE = {
    "Android model, sources, extractors and detectors": (
        "stalkerscan.model.android",
        "stalkerscan.sources.androidqf",
        "stalkerscan.sources.bugreport",
        "stalkerscan.sources.android_archive",
        "stalkerscan.sources.adb",
        "stalkerscan.extract.android",
        "stalkerscan.detect.android",
        "stalkerscan.pipeline.android_loader",
        "stalkerscan.pipeline.acquire",
    ),
    "rich and the text report (nothing is printed but the files written)": (
        "rich",
        "stalkerscan.report.render_text",
    ),
    "other outputs' renderers": (
        "jinja2",
        "jsonschema",
        "stalkerscan.report.render_html",
        "stalkerscan.report.render_csv",
        "stalkerscan.report.load_json",
    ),
    "error display (only on an error)": ("traceback",),
    "downloads (only `indicators update`)": (
        "stalkerscan.store.fetch",
        "ssl",
        "http.client",
        "urllib.request",
    ),
    "thread pools and logging": ("concurrent.futures", "logging"),
    "rule examples and the registry (for tests and docs)": (
        "stalkerscan.detect.registry",
        "stalkerscan.detect.net.detectors",
        "stalkerscan.detect.net.examples_ioc",
        "stalkerscan.detect.net.examples_heuristics",
        "stalkerscan.detect.net.build",
    ),
}


NOT_FOR_PHONE_DATA = {
    "network extraction and detection": (
        "stalkerscan.extract.net",
        "stalkerscan.detect.net",
    ),
    "rich and the other outputs' renderers": (
        "rich",
        "jinja2",
        "stalkerscan.report.render_text",
        "stalkerscan.report.render_html",
    ),
}


def _scan_modules(
    tmp_path: Path, *options: str, target: Path = EXAMPLE_CAPTURE, kind: str = "pcap"
) -> set[str]:
    """The modules a fresh process has imported after ``stalkerscan scan`` of an example."""
    out = tmp_path / "report.json"
    args = ["scan", str(target), "--indicators", str(EXAMPLE_INDICATORS)]
    args += ["--json", str(out), *options]
    env = {**os.environ, "STALKERSCAN_HOME": str(tmp_path / "home"), "STALKERSCAN_NO_CACHE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    probe = json.loads(done.stderr.strip().splitlines()[-1])
    assert probe["exit"] == 0, done.stderr
    assert f"Wrote {out}" in done.stdout
    assert json.loads(out.read_text("utf-8"))["inputs"][0]["kind"] == kind
    return set(probe["modules"])


def _loaded(modules: set[str], name: str) -> list[str]:
    return sorted(m for m in modules if m == name or m.startswith(name + "."))


def test_a_quiet_json_capture_scan_imports_only_what_it_uses(tmp_path: Path) -> None:
    modules = _scan_modules(tmp_path, "--quiet")
    assert "stalkerscan.detect.net" in modules  # the probe sees the scan's own imports
    assert "stalkerscan.report.render_json" in modules
    unwanted = {
        why: found
        for why, names in NOT_FOR_A_CAPTURE.items()
        if (found := [m for name in names for m in _loaded(modules, name)])
    }
    assert not unwanted, f"a capture scan imported modules it does not use: {unwanted}"


@pytest.mark.parametrize("option", ["--html"])
def test_the_probe_sees_what_a_scan_that_prints_imports(tmp_path: Path, option: str) -> None:
    modules = _scan_modules(tmp_path, option, str(tmp_path / "report.html"))
    assert _loaded(modules, "rich.console")  # the text report is printed
    assert "stalkerscan.report.render_text" in modules
    assert "jinja2" in modules  # only because HTML was asked for
    assert "stalkerscan.model.android" not in modules


def test_a_quiet_json_scan_of_phone_data_does_not_load_the_network_code(tmp_path: Path) -> None:
    modules = _scan_modules(tmp_path, "--quiet", target=EXAMPLE_PHONE, kind="androidqf")
    assert "stalkerscan.detect.android" in modules  # the probe sees the scan's own imports
    unwanted = {
        why: found
        for why, names in NOT_FOR_PHONE_DATA.items()
        if (found := [m for name in names for m in _loaded(modules, name)])
    }
    assert not unwanted, f"a phone data scan imported modules it does not use: {unwanted}"
