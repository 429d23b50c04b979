"""Test support shared by the test suite: capture writers (``support.netgen``) and golden files.

Importable outside pytest too (benchmarks): put the ``tests`` folder on ``sys.path`` first.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import os
from pathlib import Path
from typing import Any


def update_goldens() -> bool:
    """Golden files are rewritten instead of compared when UPDATE_GOLDENS=1 (as in conftest)."""
    return os.environ.get("UPDATE_GOLDENS") == "1"


def plain(value: Any) -> Any:
    """Frozen dataclasses, enums, tuples and floats -> JSON-ready values (floats to 6 places)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, float):
        return round(value, 6)
    return value


def dump_json(value: Any) -> str:
    """Stable JSON text of records (sorted keys, two-space indent, final newline)."""
    return json.dumps(plain(value), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def check_golden(path: Path, value: Any) -> None:
    """Compare ``value`` as JSON with the golden file; UPDATE_GOLDENS=1 rewrites the file."""
    text = dump_json(value)
    if update_goldens() or not path.exists():
        if not update_goldens():
            raise AssertionError(f"golden file {path} is missing: run with UPDATE_GOLDENS=1")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        import difflib  # noqa: PLC0415

        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(True), text.splitlines(True), str(path), "extracted", n=2
            )
        )
        raise AssertionError(
            f"extracted records differ from {path} (UPDATE_GOLDENS=1 rewrites):\n{diff[:6000]}"
        )
