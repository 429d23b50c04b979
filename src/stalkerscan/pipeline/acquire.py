"""Collect from a live phone over adb: the same files androidqf writes, in its formats.

``collect_live`` runs the read-only commands androidqf runs (``sources/adb.py`` talks to the
phone, ``acquire_steps.py`` holds the steps) and returns an ``AndroidArtifactSet`` that
``extract_android_acquisition`` reads like an androidqf folder. ``acquire``/``acquire_to_folder``
write those files into a new folder, with ``acquisition.json`` (when, which phone, which commands,
what could not be collected) and ``hashes.csv`` (``path,sha256`` per file), so the folder can be
scanned later with the androidqf source and checked for changes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from stalkerscan import __version__
from stalkerscan.model import NotChecked
from stalkerscan.model.android import AndroidArtifact, AndroidArtifactSet, AndroidSource
from stalkerscan.model.errors import UserError
from stalkerscan.pipeline.acquire_steps import STEPS, TMP_DIR, Collector, Timeouts
from stalkerscan.pipeline.progress import Progress, no_progress
from stalkerscan.sources.adb import Adb, ListedDevice

__all__ = [
    "LIVE_SOURCE",
    "Acquired",
    "LiveCollection",
    "Timeouts",
    "acquire",
    "acquire_to_folder",
    "adb_host_public_key",
    "collect",
    "collect_live",
    "write_folder",
]

LIVE_SOURCE = AndroidSource.ADB_LIVE
"""The model has no live-phone member yet; the artifacts are exactly an androidqf folder's."""


@dataclass(frozen=True, slots=True)
class LiveCollection:
    """What one collection gave: the artifact set, and files only the folder keeps."""

    artifacts: AndroidArtifactSet
    extra: tuple[tuple[str, bytes], ...]
    """``(name, bytes)`` of files no extractor reads (``services.txt``)."""
    device: ListedDevice


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def adb_host_public_key() -> str | None:
    """This computer's adb public key (``~/.android/adbkey.pub``): the phone lists the computers
    it trusts by this key, so the examiner's own computer can be told apart from others."""
    base = os.environ.get("ANDROID_USER_HOME") or str(Path.home() / ".android")
    try:
        text = (Path(base) / "adbkey.pub").read_text("utf-8", errors="replace").strip()
    except OSError:
        return None
    return text or None


def _acquisition_json(
    c: Collector, device: ListedDevice, adb: Adb, started: str, ident: str
) -> bytes:
    info = {
        "uuid": ident,
        "tool": "stalkerscan acquire",
        "stalkerscan_version": __version__,
        "adb_version": adb.version(),
        "started": started,
        "completed": _now(),
        "device": {"serial": device.serial, "model": device.model, "usb": device.usb},
        "adb_host_public_key": adb_host_public_key(),
        "collector": None,
        "tmp_dir": TMP_DIR,
        "not_collected": [{"what": n.what, "why": n.why} for n in c.not_checked],
        "commands": [dataclasses.asdict(record) for record in c.log],
    }
    return json.dumps(info, indent=1).encode()


def collect(
    serial: str | None,
    progress: Progress = no_progress,
    *,
    adb: Adb | None = None,
    timeouts: Timeouts | None = None,
) -> LiveCollection:
    """Read the phone (the one with ``serial``, or the only one connected).

    Raises UserError when adb is missing, no phone or several phones are connected, the phone is
    not ready (unauthorized, offline), or it stops answering midway.
    """
    adb = adb or Adb()
    device = adb.choose(serial)
    started, ident = _now(), str(uuid.uuid4())
    c = Collector(adb.phone(device), progress, timeouts or Timeouts())
    for done, (label, step) in enumerate(STEPS):
        progress("Reading the phone", done, len(STEPS))
        progress(label, 0, 1)
        step(c)
        progress(label, 1, 1)
    progress("Reading the phone", len(STEPS), len(STEPS))
    c.add(AndroidArtifact.ACQUISITION_INFO, "acquisition.json",
          _acquisition_json(c, device, adb, started, ident))  # fmt: skip
    artifacts = AndroidArtifactSet(
        input=f"adb:{device.serial}",
        source=LIVE_SOURCE,
        artifacts=tuple(c.artifacts),
        hash_checks=(),
        not_checked=tuple(c.not_checked),
    )
    return LiveCollection(artifacts, tuple(c.extra.items()), device)


def collect_live(
    serial: str | None,
    progress: Progress = no_progress,
    *,
    adb: Adb | None = None,
    timeouts: Timeouts | None = None,
) -> AndroidArtifactSet:
    """The live phone's artifacts, for ``extract_android_acquisition`` (a scan of ``adb:``)."""
    return collect(serial, progress, adb=adb, timeouts=timeouts).artifacts


@dataclass(frozen=True, slots=True)
class Acquired:
    """A written acquisition folder."""

    folder: Path
    hashes_csv: Path
    """``hashes.csv``: ``path,sha256`` of every other file."""
    files: int
    device: ListedDevice
    not_collected: tuple[NotChecked, ...]


def _prepare(out_dir: Path) -> bool:
    """Make sure ``out_dir`` is a new or empty folder; True when it was created here."""
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"{out_dir} is a file", "Give the path of a new or empty folder")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        raise UserError(
            f"the folder {out_dir} is not empty",
            "Give a new or empty folder: stalkerscan never writes over an earlier acquisition",
        )
    created = not out_dir.exists()
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return created


def write_folder(collection: LiveCollection, out_dir: Path) -> Path:
    """Write the artifacts and ``hashes.csv`` into an empty folder; files are made read-only."""
    files = {a.name: a.data for a in collection.artifacts.artifacts}
    files.update(collection.extra)
    rows = []
    for name, data in sorted(files.items()):
        target = out_dir / name
        target.write_bytes(data)
        target.chmod(0o400)
        rows.append(f"{name},{hashlib.sha256(data).hexdigest()}\n")
    listing = out_dir / "hashes.csv"
    listing.write_text("".join(rows), encoding="utf-8")
    listing.chmod(0o400)
    return listing


def acquire(
    serial: str | None,
    out_dir: Path | str,
    progress: Progress = no_progress,
    *,
    adb: Adb | None = None,
    timeouts: Timeouts | None = None,
) -> Acquired:
    """Collect from the phone into ``out_dir`` (new or empty), an androidqf-style folder."""
    folder = Path(out_dir).expanduser()
    created = _prepare(folder)
    try:
        collection = collect(serial, progress, adb=adb, timeouts=timeouts)
    except BaseException:
        if created and not any(folder.iterdir()):
            folder.rmdir()
        raise
    listing = write_folder(collection, folder)
    count = len(collection.artifacts.artifacts) + len(collection.extra)
    return Acquired(folder, listing, count, collection.device, collection.artifacts.not_checked)


def acquire_to_folder(
    serial: str | None, out_dir: Path | str, progress: Progress = no_progress
) -> Path:
    """Collect from the phone into ``out_dir``; the folder's path."""
    return acquire(serial, out_dir, progress).folder
