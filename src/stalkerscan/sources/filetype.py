"""What a file is by its first bytes: the zip and age checks every Android sniffer starts with.

Kept apart from ``android_archive`` so that recognising an input reads a few bytes and imports
nothing else: a capture scan asks every input kind whether the file is theirs.
"""

from __future__ import annotations

from pathlib import Path

AGE_MAGIC = b"age-encryption.org/v1\n"
AGE_ARMOR = b"-----BEGIN AGE ENCRYPTED FILE-----"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")


def _head(path: Path, size: int) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def is_zip_file(path: Path) -> bool:
    """The file starts like a zip archive."""
    return _head(path, 4) in _ZIP_MAGICS


def is_age_file(path: Path) -> bool:
    """The file is age-encrypted (binary or ASCII-armored)."""
    head = _head(path, len(AGE_ARMOR))
    return head.startswith(AGE_MAGIC) or head.startswith(AGE_ARMOR)
