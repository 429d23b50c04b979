"""Golden files of the report renderers: compared exactly, rewritten with UPDATE_GOLDENS=1."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from conftest import update_goldens

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
_MAX_DIFF_LINES = 200


def assert_golden(name: str, actual: str, directory: Path = GOLDEN_DIR) -> None:
    """``actual`` must equal ``<directory>/<name>`` byte for byte; else a unified diff is shown."""
    path = directory / name
    if update_goldens():
        path.write_bytes(actual.encode("utf-8"))
        return
    if not path.is_file():
        pytest.fail(
            f"golden file {path} is missing: run the tests with UPDATE_GOLDENS=1 to write it"
        )
    expected = path.read_bytes().decode("utf-8")
    if actual == expected:
        return
    diff = list(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"golden/{name}",
            tofile="rendered now",
        )
    )
    shown = "".join(diff[:_MAX_DIFF_LINES])
    more = (
        f"\n... and {len(diff) - _MAX_DIFF_LINES} more diff lines"
        if len(diff) > _MAX_DIFF_LINES
        else ""
    )
    pytest.fail(
        f"{name} differs from its golden file (UPDATE_GOLDENS=1 accepts the new output):\n"
        f"{shown}{more}",
        pytrace=False,
    )
