"""androidqf acquisitions: a folder, a ``.zip`` of it, or an age-encrypted ``.zip.age``.

The source only locates bytes: it finds the acquisition's root (the top or one folder down, as in a
zip of the ``<UUID>/`` folder), reads the artifacts the extractors need, checks every file listed
in ``hashes.csv`` against its SHA-256, and lists what is missing as not checked. APKs under
``apks/`` are hashed for ``hashes.csv`` but never read into memory. Recognising an acquisition
(``sniff_androidqf``) is in ``android_sniff.py``, which needs none of this.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from stalkerscan.model import NotChecked
from stalkerscan.model.android import (
    AndroidArtifact,
    AndroidArtifactSet,
    AndroidSource,
    ArtifactBytes,
    HashCheck,
    HashStatus,
)
from stalkerscan.model.errors import InputFormatError, UserError
from stalkerscan.sources.android_archive import ArchiveTree, open_archive, root_prefix
from stalkerscan.sources.android_sniff import MARKERS, PROCESS_FILES, SETTINGS_FILES
from stalkerscan.sources.bugreport import dumpstate_from_bugreport_bytes
from stalkerscan.sources.filetype import is_age_file

FILES: dict[str, tuple[AndroidArtifact, str]] = {
    "acquisition.json": (AndroidArtifact.ACQUISITION_INFO, "when and how the data was collected"),
    "packages.json": (
        AndroidArtifact.PACKAGES,
        "installed apps, who installed them, their file hashes and signing certificates",
    ),
    "dumpsys.txt": (
        AndroidArtifact.DUMPSYS,
        "accessibility services, device admins, permissions, app ops, trusted computers and "
        "traces of removed apps",
    ),
    "getprop.txt": (AndroidArtifact.GETPROP, "the phone model, Android version and security patch"),
    "files.json": (AndroidArtifact.FILES, "files left in /data/local/tmp and other folders"),
    "root_binaries.json": (AndroidArtifact.ROOT_BINARIES, "root tools (su, magisk)"),
    "mounts.json": (AndroidArtifact.MOUNTS, "system partitions mounted writable (a root trace)"),
    "selinux.txt": (AndroidArtifact.SELINUX, "whether SELinux protection was on"),
}
"""Each of ``android_sniff.ARTIFACT_FILES``: the artifact it holds, and what it shows."""
_SETTINGS = re.compile(r"^settings_[A-Za-z0-9]+\.txt$")
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_EXPECTED_CHANGE = {
    "command.log": "androidqf keeps writing its log after hashing it, so a difference is expected",
    "hashes.csv": "androidqf lists hashes.csv in itself before finishing it",
}
MAX_ARTIFACT = 1 << 30
"""Artifacts larger than this (1 GiB) are not read into memory and are reported as not checked."""


def _read(tree: ArchiveTree, name: str, shown: str, missing: list[NotChecked]) -> bytes | None:
    size = tree.size(name)
    if size > MAX_ARTIFACT:
        why = f"it is too large to read ({size} bytes; the limit is {MAX_ARTIFACT})"
        missing.append(NotChecked(shown, why))
        return None
    try:
        return tree.read(name, MAX_ARTIFACT)
    except UserError as err:
        missing.append(NotChecked(shown, f"it could not be read: {err.problem}"))
        return None


def _artifact(
    tree: ArchiveTree, prefix: str, rel: str, kind: AndroidArtifact, missing: list[NotChecked]
) -> ArtifactBytes | None:
    data = _read(tree, prefix + rel, rel, missing)
    if data is None:
        return None
    return ArtifactBytes(kind, rel, data, tree.sha256_of(data))


def _resolve(listed: str, members: dict[str, str]) -> str | None:
    """The acquisition file a hashes.csv path names: the longest path suffix that exists."""
    parts = [p for p in listed.replace("\\", "/").split("/") if p]
    for start in range(len(parts)):
        candidate = "/".join(parts[start:])
        if candidate in members:
            return candidate
    return None


def verify_hashes(tree: ArchiveTree, prefix: str, text: str) -> tuple[HashCheck, ...]:
    """Check every file hashes.csv lists; each result is kept, mismatches included."""
    members = {n[len(prefix) :]: n for n in tree.names() if n.startswith(prefix)}
    checks: list[HashCheck] = []
    for row in csv.reader(io.StringIO(text)):
        if len(row) < 2 or not _SHA256.match(row[1].strip()):
            continue
        listed, expected = row[0], row[1].strip().lower()
        rel = _resolve(listed, members)
        if rel is None:
            checks.append(HashCheck(listed, None, expected, None, HashStatus.MISSING))
            continue
        try:
            actual: str | None = tree.sha256(members[rel])
        except UserError:
            actual = None
        status = HashStatus.OK if actual == expected else HashStatus.MISMATCH
        note = _EXPECTED_CHANGE.get(rel) if status is HashStatus.MISMATCH else None
        checks.append(HashCheck(listed, rel, expected, actual, status, note))
    return tuple(checks)


def _processes(
    tree: ArchiveTree, prefix: str, rels: set[str], missing: list[NotChecked]
) -> list[ArtifactBytes]:
    for name in PROCESS_FILES:
        if name in rels:
            found = _artifact(tree, prefix, name, AndroidArtifact.PROCESSES, missing)
            return [found] if found else []
    why = "no processes.txt, processes.json or ps.txt: running apps were not checked"
    missing.append(NotChecked("processes.txt", why))
    return []


def _settings(
    tree: ArchiveTree, prefix: str, rels: set[str], missing: list[NotChecked]
) -> list[ArtifactBytes]:
    out: list[ArtifactBytes] = []
    for name in sorted(r for r in rels if _SETTINGS.match(r)):
        found = _artifact(tree, prefix, name, AndroidArtifact.SETTINGS, missing)
        if found is not None:
            out.append(found)
    for name in SETTINGS_FILES:
        if name not in rels:
            why = (
                "not in the acquisition, so these were not checked: its settings (Play Protect, "
                "unknown sources, accessibility, notification access, debugging)"
            )
            missing.append(NotChecked(name, why))
    return out


def _nested_bugreport(
    tree: ArchiveTree, prefix: str, rels: set[str], missing: list[NotChecked]
) -> ArtifactBytes | None:
    """The dumpstate of androidqf's bugreport.zip, used when dumpsys.txt is missing."""
    if "bugreport.zip" not in rels:
        return None
    data = _read(tree, prefix + "bugreport.zip", "bugreport.zip", missing)
    if data is None:
        return None
    try:
        name, dumpstate = dumpstate_from_bugreport_bytes(data)
    except UserError as err:
        missing.append(NotChecked("bugreport.zip", f"it could not be read: {err.problem}"))
        return None
    return ArtifactBytes(
        AndroidArtifact.DUMPSTATE, f"bugreport.zip/{name}", dumpstate, tree.sha256_of(dumpstate)
    )


def _collect(tree: ArchiveTree, prefix: str, missing: list[NotChecked]) -> list[ArtifactBytes]:
    rels = {n[len(prefix) :] for n in tree.names() if n.startswith(prefix)}
    artifacts: list[ArtifactBytes] = []
    for name, (kind, purpose) in FILES.items():
        if name in rels:
            found = _artifact(tree, prefix, name, kind, missing)
            artifacts += [found] if found else []
        elif name == "dumpsys.txt" and (nested := _nested_bugreport(tree, prefix, rels, missing)):
            artifacts.append(nested)
        else:
            why = f"not in the acquisition, so these were not checked: {purpose}"
            missing.append(NotChecked(name, why))
    artifacts += _processes(tree, prefix, rels, missing)
    artifacts += _settings(tree, prefix, rels, missing)
    return artifacts


def _source_kind(path: Path) -> AndroidSource:
    if path.is_dir():
        return AndroidSource.ANDROIDQF_FOLDER
    return AndroidSource.ANDROIDQF_AGE if is_age_file(path) else AndroidSource.ANDROIDQF_ZIP


def open_androidqf(path: Path | str, identity: Path | str | None = None) -> AndroidArtifactSet:
    """Read an androidqf acquisition. ``identity`` is the age private-key file for ``.age`` inputs.

    Raises UserError (wrong or missing key) or InputFormatError (damaged zip, not androidqf).
    """
    path = Path(path)
    missing: list[NotChecked] = []
    with open_archive(path, identity) as tree:
        prefix = root_prefix(tree.names(), MARKERS)
        if prefix is None:
            raise InputFormatError(
                f"{path} holds no androidqf files (packages.json, dumpsys.txt, getprop.txt...)",
                "Give the androidqf acquisition folder, its .zip, or its .zip.age file",
            )
        artifacts = _collect(tree, prefix, missing)
        hashes: tuple[HashCheck, ...] = ()
        if prefix + "hashes.csv" in tree.names():
            data = _read(tree, prefix + "hashes.csv", "hashes.csv", missing)
            if data is not None:
                hashes = verify_hashes(tree, prefix, data.decode("utf-8", errors="replace"))
        else:
            why = "missing, so the files could not be checked against the hashes androidqf recorded"
            missing.append(NotChecked("hashes.csv", why))
    return AndroidArtifactSet(
        str(path), _source_kind(path), tuple(artifacts), hashes, tuple(missing)
    )
