"""What a source hands to the Android extractors: raw artifacts, hash checks, provenance."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from stalkerscan.model.finding import NotChecked


class AndroidArtifact(enum.Enum):
    """Kinds of raw artifact a source hands to the Android extractors."""

    ACQUISITION_INFO = "acquisition_info"
    PACKAGES = "packages"
    DUMPSYS = "dumpsys"
    """Output of ``dumpsys`` (all services): androidqf ``dumpsys.txt``."""
    DUMPSTATE = "dumpstate"
    """A bugreport's main dumpstate text (dumpsys sections and ``------ TITLE ------`` sections)."""
    GETPROP = "getprop"
    SETTINGS = "settings"
    PROCESSES = "processes"
    FILES = "files"
    ROOT_BINARIES = "root_binaries"
    MOUNTS = "mounts"
    SELINUX = "selinux"


class AndroidSource(enum.Enum):
    """What kind of input the device data came from."""

    ANDROIDQF_FOLDER = "androidqf_folder"
    ANDROIDQF_ZIP = "androidqf_zip"
    ANDROIDQF_AGE = "androidqf_age"
    """An age-encrypted androidqf zip (``<UUID>.zip.age``)."""
    BUGREPORT_ZIP = "bugreport_zip"
    BUGREPORT_FOLDER = "bugreport_folder"
    """An unpacked bugreport folder, or a bare dumpstate text file."""
    ADB_LIVE = "adb_live"
    """A phone read live over USB through adb."""


class HashStatus(enum.Enum):
    """Result of checking one ``hashes.csv`` line against the file it names."""

    OK = "ok"
    MISMATCH = "mismatch"
    """The file's SHA-256 differs from the one androidqf recorded: changed after acquisition."""
    MISSING = "missing"
    """The file is listed but not in the acquisition."""


@dataclass(frozen=True, slots=True)
class ArtifactBytes:
    """One artifact's bytes as located by a source."""

    kind: AndroidArtifact
    name: str
    """Path inside the input (``dumpsys.txt``, ``bugreport-x.txt``), used in evidence locators."""
    data: bytes
    sha256: str
    """SHA-256 of ``data``."""


@dataclass(frozen=True, slots=True)
class HashCheck:
    """One ``hashes.csv`` entry verified against the acquisition."""

    listed_path: str
    """The path as written in hashes.csv (absolute on the acquiring computer, or an entry name)."""
    path: str | None
    """The matching path inside the acquisition, or None when not found."""
    expected_sha256: str
    actual_sha256: str | None
    status: HashStatus
    note: str | None = None
    """Why a difference is expected, when it is (androidqf keeps writing ``command.log`` and
    ``hashes.csv`` after it hashed them)."""


@dataclass(frozen=True, slots=True)
class AcquisitionInfo:
    """Metadata about the acquisition (androidqf ``acquisition.json`` or the dumpstate header)."""

    source: AndroidSource
    uuid: str | None
    tool_version: str | None
    """androidqf version, or the bugreport format version."""
    started: str | None
    """When the acquisition started (ISO 8601; UTC for androidqf, phone time for a bugreport)."""
    completed: str | None
    collector: bool | None
    """True when androidqf's on-phone collector ran (richer files.json and processes.json)."""
    adb_host_public_key: str | None
    """The ADB public key of the computer that made the acquisition, when androidqf recorded it."""
    tmp_dir: str | None
    """The phone's temporary folder as androidqf saw it (usually ``/data/local/tmp/``)."""
    not_collected: tuple[NotChecked, ...] = ()
    """What the acquiring tool could not collect from the phone (``stalkerscan acquire`` records
    this in ``acquisition.json``), so later scans of the folder still say it was not checked."""


@dataclass(frozen=True, slots=True)
class ArtifactOrigin:
    """Where one kind of record was read from, for evidence locators."""

    what: str
    """The record kind: ``packages``, ``accessibility``, ``settings_secure`` ..."""
    location: str
    """File inside the input and section, e.g. ``dumpsys.txt, DUMP OF SERVICE accessibility``."""


@dataclass(frozen=True, slots=True)
class AndroidArtifactSet:
    """What a source found in an input: raw artifacts, hash checks, and what was missing."""

    input: str
    source: AndroidSource
    artifacts: tuple[ArtifactBytes, ...]
    hash_checks: tuple[HashCheck, ...]
    not_checked: tuple[NotChecked, ...]
