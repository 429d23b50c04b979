"""SHA-256 of inputs, so every report names exactly what it read."""

from __future__ import annotations

import hashlib
from pathlib import Path

_CHUNK = 4 << 20
"""Read size: large reads let hashlib run (without the GIL) beside the parsing thread."""


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_tree(path: Path) -> tuple[str, int]:
    """SHA-256 over a folder (each file's relative path and SHA-256, in order), and its size."""
    digest = hashlib.sha256()
    size = 0
    for child in sorted(p for p in path.rglob("*") if p.is_file()):
        rel = child.relative_to(path).as_posix()
        digest.update(f"{rel}\0{sha256_file(child)}\n".encode())
        size += child.stat().st_size
    return digest.hexdigest(), size


def sha256_input(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file or a folder."""
    if path.is_dir():
        return sha256_tree(path)
    return sha256_file(path), path.stat().st_size
