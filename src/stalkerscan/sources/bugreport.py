"""``adb bugreport`` output: a zip (Android 7+), its unpacked folder, or a bare dumpstate text.

The zip's ``main_entry.txt`` names the main dumpstate file (``bugreport-<device>-<date>.txt``);
without it, the largest ``bugreport-*.txt`` or ``dumpstate*`` file is used, and for a folder also a
``dumpsys.txt``. That one text holds every ``DUMP OF SERVICE`` section (accessibility, package,
device_policy, appops, batterystats, adb, settings...) and the dumpstate sections (``SYSTEM
PROPERTIES``, ``PROCESSES AND THREADS``); the extractors cut it. A bugreport has no APK hashes or
signing certificates, no file list and no root-tool search: those are reported as not checked.
Recognising a bugreport (``sniff_bugreport``) is in ``android_sniff.py``, which needs none of this.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from stalkerscan.model import NotChecked
from stalkerscan.model.android import (
    AndroidArtifact,
    AndroidArtifactSet,
    AndroidSource,
    ArtifactBytes,
)
from stalkerscan.model.errors import InputFormatError
from stalkerscan.sources.android_archive import ArchiveTree, open_archive
from stalkerscan.sources.android_sniff import dumpstate_name, is_dumpstate_text
from stalkerscan.sources.filetype import is_zip_file

MAX_DUMPSTATE = 1 << 30
NOT_IN_BUGREPORT = (
    ("packages.json", "app file hashes and signing certificates"),
    ("files.json", "files left in /data/local/tmp and other folders"),
    ("root_binaries.json", "root tools such as su or magisk"),
    ("selinux.txt", "whether SELinux protection was on"),
    ("mounts.json", "system partitions mounted writable (a root trace)"),
)
"""What androidqf collects but a bugreport does not hold, as (androidqf file, what it shows)."""


def _dumpstate(tree: ArchiveTree, label: str) -> tuple[str, bytes]:
    name = dumpstate_name(tree)
    if name is None:
        raise InputFormatError(
            f"{label} holds no dumpstate text (no main_entry.txt or bugreport-*.txt)",
            "Give the zip that `adb bugreport` wrote, unchanged",
        )
    return name, tree.read(name, MAX_DUMPSTATE)


def dumpstate_from_bugreport_bytes(data: bytes) -> tuple[str, bytes]:
    """The main dumpstate (name, bytes) of a bugreport zip in memory (androidqf's nested one)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as err:
        raise InputFormatError(f"bugreport.zip is not a readable zip ({err})", "") from err
    with archive:
        return _dumpstate(ArchiveTree("bugreport.zip", None, archive), "bugreport.zip")


def open_bugreport(path: Path | str) -> AndroidArtifactSet:
    """Read a bugreport zip, folder or dumpstate text. Raises InputFormatError if it is none."""
    path = Path(path)
    if path.is_file() and not is_zip_file(path):
        if not is_dumpstate_text(path):
            raise InputFormatError(
                f"{path} is not a bugreport (no '== dumpstate:' header)",
                "Give the zip that `adb bugreport` wrote",
            )
        name, data = path.name, path.read_bytes()
        source = AndroidSource.BUGREPORT_FOLDER
    else:
        with open_archive(path, None) as tree:
            name, data = _dumpstate(tree, str(path))
        source = AndroidSource.BUGREPORT_FOLDER if path.is_dir() else AndroidSource.BUGREPORT_ZIP
    artifact = ArtifactBytes(AndroidArtifact.DUMPSTATE, name, data, ArchiveTree.sha256_of(data))
    missing = tuple(
        NotChecked(n, f"a bugreport does not hold it, so these were not checked: {what}")
        for n, what in NOT_IN_BUGREPORT
    )
    hashes_missing = NotChecked(
        "hashes.csv", "a bugreport carries no hash list, so its files could not be verified"
    )
    return AndroidArtifactSet(str(path), source, (artifact,), (), (*missing, hashes_missing))
