"""Load Android device data: source (androidqf or bugreport) -> extractors -> AndroidAcquisition.

This composition lives in the pipeline layer because sources and extractors are independent
layers that may not import each other (the import-linter contract in pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

from stalkerscan.extract.android.acquisition import extract_android_acquisition
from stalkerscan.model.android import AndroidAcquisition
from stalkerscan.model.errors import InputFormatError, UserError
from stalkerscan.sources.android_sniff import sniff_androidqf, sniff_bugreport
from stalkerscan.sources.androidqf import open_androidqf
from stalkerscan.sources.bugreport import open_bugreport


def sniff_android(path: Path) -> int:
    """How sure we are (0-100) that ``path`` is Android device data we read."""
    return max(sniff_androidqf(path), sniff_bugreport(path))


def load_android_acquisition(
    path: Path | str, identity: Path | str | None = None
) -> AndroidAcquisition:
    """Read an androidqf folder/zip/.zip.age or a bugreport, and extract every record.

    ``identity`` is the age private-key file, needed only for ``.age`` inputs. Parts that cannot be
    read are listed in ``not_checked``; raises UserError/InputFormatError when the input as a whole
    cannot be read (missing, not Android data, damaged zip, wrong key).
    """
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path} does not exist", "Check the path (and its spelling)")
    androidqf, bugreport = sniff_androidqf(path), sniff_bugreport(path)
    if max(androidqf, bugreport) == 0:
        raise InputFormatError(
            f"{path} is not Android device data stalkerscan reads",
            "Give an androidqf acquisition (folder, .zip or .zip.age) or an `adb bugreport` zip",
        )
    if androidqf >= bugreport:
        return extract_android_acquisition(open_androidqf(path, identity))
    return extract_android_acquisition(open_bugreport(path))
