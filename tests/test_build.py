"""The packet loop's compiled build (setup.py): what is compiled, stale-build detection."""

from __future__ import annotations

import os
import re
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

from stalkerscan.extract.net import engine, packet_loop_compiled
from support.build import stale_builds

REPO = Path(__file__).resolve().parents[1]


def _compiled_list() -> list[str]:
    text = (REPO / "setup.py").read_text("utf-8")
    block = text[text.index("COMPILED = [") : text.index("]", text.index("COMPILED = ["))]
    return re.findall(r'"([^"]+\.py)"', block)


def test_setup_compiles_existing_packet_loop_modules() -> None:
    listed = _compiled_list()
    assert "src/stalkerscan/extract/net/engine.py" in listed
    assert all((REPO / path).is_file() for path in listed)


def test_packet_loop_compiled_tells_which_engine_runs() -> None:
    assert packet_loop_compiled() == (not str(engine.__file__).endswith(".py"))


def test_a_source_newer_than_its_build_is_stale(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    source, built = pkg / "loop.py", pkg / f"loop{EXTENSION_SUFFIXES[0]}"
    alone = pkg / "plain.py"
    for path in (source, built, alone):
        path.write_text("x = 1\n")
    os.utime(source, (1_000, 1_000))
    os.utime(built, (2_000, 2_000))
    assert stale_builds(tmp_path) == []
    os.utime(source, (3_000, 3_000))
    assert stale_builds(tmp_path) == ["pkg/loop.py"]
