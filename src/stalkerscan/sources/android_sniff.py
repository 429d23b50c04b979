"""Recognising Android device data (androidqf, bugreport) by content, at little cost.

A scan asks every input kind how sure it is that an input is theirs, so a capture is sniffed by
these too. They need no Android model: a file that is not a zip costs a read of its first bytes,
and the archive code is imported only to look inside a folder or a zip. Opening and reading the
artifacts is left to ``sources/androidqf.py`` and ``sources/bugreport.py``.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from stalkerscan.model.errors import UserError
from stalkerscan.sources.filetype import is_age_file, is_zip_file

if TYPE_CHECKING:
    from stalkerscan.sources.android_archive import ArchiveTree

ARTIFACT_FILES = (
    "acquisition.json",
    "packages.json",
    "dumpsys.txt",
    "getprop.txt",
    "files.json",
    "root_binaries.json",
    "mounts.json",
    "selinux.txt",
)
"""The one-file artifacts androidqf writes; ``sources/androidqf.py`` says what each holds."""
PROCESS_FILES = ("processes.json", "processes.txt", "ps.txt")
SETTINGS_FILES = ("settings_system.txt", "settings_secure.txt", "settings_global.txt")
MARKERS = frozenset(
    (*ARTIFACT_FILES, *PROCESS_FILES, *SETTINGS_FILES, "hashes.csv", "command.log", "env.txt")
)
"""File names that mark the folder of an androidqf acquisition."""
CORE = frozenset(("acquisition.json", "packages.json", "dumpsys.txt", "hashes.csv"))
"""Files only an androidqf acquisition has together with the others; without one, score low."""

DUMPSTATE_HEAD = b"== dumpstate:"
_CANDIDATE = r"(^|/)(bugreport-[^/]*\.txt|dumpstate[^/]*\.(txt|log)|dumpsys\.txt)$"
"""Names a dumpstate text may have; compiled on first use (by ``re``'s cache), not at import."""
_HEAD_BYTES = 4096


def sniff_androidqf(path: Path) -> int:
    """How sure we are (0-100) that ``path`` is an androidqf acquisition, by content."""
    if path.is_file() and is_age_file(path):
        return 70  # cannot look inside without the key; androidqf is what writes .zip.age
    if not (path.is_dir() or (path.is_file() and is_zip_file(path))):
        return 0
    from stalkerscan.sources.android_archive import open_archive, root_prefix  # noqa: PLC0415

    try:
        with open_archive(path, None, depth=1) as tree:
            names = tree.names()
            prefix = root_prefix(names, MARKERS)
            if prefix is None:
                return 0
            found = {n[len(prefix) :] for n in names if n.startswith(prefix)} & MARKERS
            score = min(20 * len(found), 60) + 20 if found & CORE else 20
            info = prefix + "acquisition.json"
            if info in names and b"androidqf" in tree.read(info, 1 << 20):
                score = 100
            return score
    except UserError:
        return 1 if path.is_file() else 0  # a damaged zip: let opening it explain what is wrong


def dumpstate_name(tree: ArchiveTree) -> str | None:
    """The main dumpstate text of a bugreport: the one ``main_entry.txt`` names, else the largest
    ``bugreport-*.txt``, ``dumpstate*`` or ``dumpsys.txt``; None if there is none."""
    names = tree.names()
    if "main_entry.txt" in names:
        entry = tree.read("main_entry.txt", 4096).decode("utf-8", errors="replace").strip()
        if entry in names:
            return entry
    candidates = [n for n in names if re.search(_CANDIDATE, n)]
    if not candidates:
        return None
    return max(candidates, key=tree.size)


def is_dumpstate_text(path: Path) -> bool:
    """The file starts like a dumpstate text (``== dumpstate:`` in its first 4 KiB)."""
    with path.open("rb") as handle:
        return DUMPSTATE_HEAD in handle.read(_HEAD_BYTES)


def sniff_bugreport(path: Path) -> int:
    """How sure we are (0-100) that ``path`` is a bugreport, by content."""
    if path.is_file() and not is_zip_file(path):
        return 90 if is_dumpstate_text(path) else 0
    if not path.is_dir() and not path.is_file():
        return 0
    from stalkerscan.sources.android_archive import open_archive  # noqa: PLC0415

    try:
        with open_archive(path, None, depth=1) as tree:
            names = tree.names()
            if "main_entry.txt" in names:
                return 100
            name = dumpstate_name(tree)
            if name is None or PurePosixPath(name).name == "dumpsys.txt":
                return 0
            return 80 if DUMPSTATE_HEAD in tree.read(name, _HEAD_BYTES) else 40
    except UserError:
        return 1 if path.is_file() else 0
