"""Content keys of the indicator cache: what an entry is found by, never file dates.

A key is a SHA-256 over labelled, length-prefixed parts: the cache format, the stalkerscan
version, the source code of the loaders and the index (:func:`code_fingerprint`), what the
load was asked for (the path as given, the set name, the Echap flag) and, for every file the
load reads (:func:`stalkerscan.indicators.load.plan_load`), its relative name and the SHA-256 of
its bytes. A changed byte is a different key, so a stale entry is never used.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from pathlib import Path

import stalkerscan
from stalkerscan.indicators.load import LoadPlan, plan_load
from stalkerscan.store.cache_entry import CACHE_FORMAT


@functools.cache
def code_fingerprint() -> str:
    """SHA-256 over the source of the loaders, the index and the indicator types, and over the
    packaged shared-hosting suffixes an index keeps, read once per process.

    A released version is covered by its version number; this also covers a development
    checkout, whose version stays the same while the loaders change.
    """
    package = Path(stalkerscan.__file__).parent
    sources = sorted((package / "indicators").glob("*.py"))
    sources += [package / "model" / "indicator.py", package / "data" / "platform_suffixes.txt"]
    digest = hashlib.sha256()
    for source in sources:
        try:
            data = source.read_bytes()
        except OSError:
            data = b""  # an install without sources: the version number alone decides
        digest.update(f"{source.name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


class CacheKey:
    """A content key under construction: labelled, length-prefixed parts hashed with SHA-256."""

    def __init__(self, purpose: str) -> None:
        self._digest = hashlib.sha256()
        self.add_text("format", str(CACHE_FORMAT))
        self.add_text("version", stalkerscan.__version__)
        self.add_text("code", code_fingerprint())
        self.add_text("purpose", purpose)

    def add_text(self, label: str, text: str) -> None:
        """Add one labelled text."""
        for part in (label.encode(), text.encode("utf-8", "surrogateescape")):
            self._digest.update(len(part).to_bytes(8, "big"))
            self._digest.update(part)

    def add_bytes(self, label: str, data: bytes) -> None:
        """Add bytes by their label and their SHA-256."""
        self.add_text(label, hashlib.sha256(data).hexdigest())

    def add_file(self, label: str, path: Path) -> None:
        """Add a file by its label and the SHA-256 of its bytes."""
        self.add_bytes(label, path.read_bytes())

    def add_plan(self, plan: LoadPlan, name: str | None) -> None:
        """Add everything a planned load depends on: the request and every file it reads."""
        self.add_text("path", str(plan.path))
        self.add_text("name", name or "")
        self.add_text("layout", f"{plan.folder} {plan.echap_folder} {plan.echap}")
        for file in plan.files:
            relative = file.relative_to(plan.path).as_posix() if plan.folder else file.name
            self.add_file(f"file {relative}", file)

    def hexdigest(self) -> str:
        """The key."""
        return self._digest.hexdigest()


def path_key(path: Path, name: str | None = None) -> str:
    """The content key of ``load_path(path, name)``: its request and every file it reads."""
    key = CacheKey("load_path")
    key.add_plan(plan_load(path), name)
    return key.hexdigest()


def index_key(source_keys: Sequence[str]) -> str:
    """The key of the index over sources with these keys, in this order (A then B is not B
    then A, nor A alone)."""
    key = CacheKey("index")
    for number, source_key in enumerate(source_keys):
        key.add_text(f"source {number}", source_key)
    return key.hexdigest()
