"""Android device data: androidqf acquisitions, bugreports and a live phone over adb.

Listing these handlers imports only the sniffers (``sources/android_sniff.py``). The Android
model, sources, extractors, detectors and the adb client are imported when an Android input is
analysed, so a scan of a capture does not load them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from stalkerscan.model import InputKind, InputRef
from stalkerscan.pipeline.handlers import AnalysedInput, InputHandler, ScanContext
from stalkerscan.pipeline.hashing import sha256_input
from stalkerscan.sources.android_sniff import sniff_androidqf, sniff_bugreport

if TYPE_CHECKING:
    from stalkerscan.model.android import AndroidAcquisition, AndroidArtifactSet

ADB_SCHEME = "adb:"


def _analysed(acq: AndroidAcquisition, ref: InputRef, ctx: ScanContext, name: str) -> AnalysedInput:
    from stalkerscan.detect.android import detect_android  # noqa: PLC0415

    result = detect_android(acq, ctx.index, name)
    checked = bool(acq.packages or acq.package_details or acq.settings or acq.properties)
    return AnalysedInput(ref, result, checked=checked)


def _analyse_artifacts(
    artifacts: AndroidArtifactSet, path: Path, kind: InputKind, ctx: ScanContext
) -> AnalysedInput:
    from stalkerscan.extract.android.acquisition import extract_android_acquisition  # noqa: PLC0415

    ctx.progress("Reading phone data", 0, 1)
    acq = extract_android_acquisition(artifacts)
    ctx.progress("Reading phone data", 1, 1)
    sha256, size = sha256_input(path)
    ref = InputRef(path=str(path), kind=kind, sha256=sha256, size=size)
    return _analysed(acq, ref, ctx, str(path))


def analyse_androidqf(path: Path, ctx: ScanContext) -> AnalysedInput:
    """An androidqf folder, zip or age-encrypted zip."""
    from stalkerscan.sources.androidqf import open_androidqf  # noqa: PLC0415

    artifacts = open_androidqf(path, ctx.age_identity)
    return _analyse_artifacts(artifacts, path, InputKind.ANDROIDQF, ctx)


def analyse_bugreport(path: Path, ctx: ScanContext) -> AnalysedInput:
    """An ``adb bugreport`` zip (or its unpacked folder)."""
    from stalkerscan.sources.bugreport import open_bugreport  # noqa: PLC0415

    return _analyse_artifacts(open_bugreport(path), path, InputKind.ANDROID_BUGREPORT, ctx)


def analyse_live(path: Path, ctx: ScanContext) -> AnalysedInput:
    """A phone connected over USB, read live through adb: ``adb:`` or ``adb:SERIAL``.

    Nothing is written to the phone and nothing is saved on this computer; use
    ``stalkerscan acquire`` to keep the data as evidence.
    """
    from stalkerscan.extract.android.acquisition import extract_android_acquisition  # noqa: PLC0415
    from stalkerscan.pipeline.acquire import collect_live  # noqa: PLC0415

    raw = str(path)
    serial = raw[len(ADB_SCHEME) :] or None
    artifacts = collect_live(serial, ctx.progress)
    acq = extract_android_acquisition(artifacts)
    ref = InputRef(path=artifacts.input, kind=InputKind.ANDROID_ADB, sha256=None)
    return _analysed(acq, ref, ctx, artifacts.input)


ANDROIDQF_HANDLER = InputHandler(
    kind=InputKind.ANDROIDQF,
    description="an androidqf acquisition (folder, .zip or .zip.age)",
    sniff=sniff_androidqf,
    analyse=analyse_androidqf,
)
BUGREPORT_HANDLER = InputHandler(
    kind=InputKind.ANDROID_BUGREPORT,
    description="an Android bugreport zip (adb bugreport)",
    sniff=sniff_bugreport,
    analyse=analyse_bugreport,
)
LIVE_HANDLER = InputHandler(
    kind=InputKind.ANDROID_ADB,
    description="adb: or adb:SERIAL for a phone connected over USB",
    sniff=lambda _path: 0,
    analyse=analyse_live,
    scheme=ADB_SCHEME,
)
