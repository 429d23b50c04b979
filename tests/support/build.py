"""The compiled build of the packet loop (setup.py, mypyc): is it current with its sources?"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path


def stale_builds(src: Path) -> list[str]:
    """Modules compiled at install whose ``.py`` source changed after the build, as paths
    relative to ``src``: the tests would otherwise run the old compiled code."""
    stale = []
    for suffix in EXTENSION_SUFFIXES:
        for built in sorted(src.rglob(f"*{suffix}")):
            source = built.with_name(built.name.removesuffix(suffix) + ".py")
            if source.is_file() and source.stat().st_mtime > built.stat().st_mtime:
                stale.append(str(source.relative_to(src)))
    return stale
