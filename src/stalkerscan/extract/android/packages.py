"""androidqf ``packages.json``: installed packages, their APK files, hashes and signing certs.

Format (androidqf ``adb/packages.go``): a JSON list of ``{name, files[], installer, uid, disabled,
system, third_party}``; each file is ``{path, local_name, md5, sha1, sha256, sha512, error,
verified_certificate, certificate{Md5, Sha1, Sha256, ValidFrom, ValidTo, Issuer, Subject,
SignatureAlgorithm, SerialNumber}, certificate_error, trusted_certificate}``. ``installer`` is the
string ``"null"`` when the phone names none, and empty when ``pm`` did not support ``-i``.
Certificate fields stay empty (and dates zero) when the APK was not pulled.
"""

from __future__ import annotations

from typing import Any

from stalkerscan.extract.android.common import (
    ArtifactError,
    json_artifact,
    none_if_empty,
    parse_int,
)
from stalkerscan.model.android import AndroidPackage, PackageCertificate, PackageFile

_ZERO_TIME = "0001-01-01T00:00:00Z"


def _hex(value: object) -> str | None:
    text = none_if_empty(value)
    if text is None:
        return None
    text = text.replace(":", "").lower()
    return text if all(c in "0123456789abcdef" for c in text) else None


def _date(value: object) -> str | None:
    text = none_if_empty(value)
    return None if text is None or text == _ZERO_TIME else text


def parse_certificate(raw: object) -> PackageCertificate | None:
    """The certificate object of one file, or None when it is absent or empty."""
    if not isinstance(raw, dict):
        return None
    cert = PackageCertificate(
        md5=_hex(raw.get("Md5")),
        sha1=_hex(raw.get("Sha1")),
        sha256=_hex(raw.get("Sha256")),
        subject=none_if_empty(raw.get("Subject")),
        issuer=none_if_empty(raw.get("Issuer")),
        valid_from=_date(raw.get("ValidFrom")),
        valid_to=_date(raw.get("ValidTo")),
        serial=None if raw.get("SerialNumber") is None else str(raw.get("SerialNumber")),
        signature_algorithm=none_if_empty(raw.get("SignatureAlgorithm")),
    )
    if cert.md5 is None and cert.sha1 is None and cert.sha256 is None:
        return None
    return cert


def _file(raw: dict[str, Any]) -> PackageFile | None:
    path = none_if_empty(raw.get("path"))
    if path is None:
        return None
    return PackageFile(
        path=path,
        local_name=none_if_empty(raw.get("local_name")),
        md5=_hex(raw.get("md5")),
        sha1=_hex(raw.get("sha1")),
        sha256=_hex(raw.get("sha256")),
        sha512=_hex(raw.get("sha512")),
        certificate=parse_certificate(raw.get("certificate")),
        certificate_verified=raw.get("verified_certificate") is True,
        certificate_trusted=raw.get("trusted_certificate") is True,
        error=none_if_empty(raw.get("error")),
        certificate_error=none_if_empty(raw.get("certificate_error")),
    )


def _package(raw: dict[str, Any]) -> AndroidPackage | None:
    name = none_if_empty(raw.get("name"))
    if name is None:
        return None
    files = raw.get("files")
    parsed = [_file(f) for f in files if isinstance(f, dict)] if isinstance(files, list) else []
    return AndroidPackage(
        name=name,
        installer=none_if_empty(raw.get("installer")),
        uid=parse_int(raw.get("uid")),
        system=raw.get("system") is True,
        third_party=raw.get("third_party") is True,
        disabled=raw.get("disabled") is True,
        files=tuple(f for f in parsed if f is not None),
    )


def parse_packages(data: str | bytes) -> tuple[AndroidPackage, ...]:
    """Every package of packages.json; entries without a name are skipped.

    Raises ArtifactError when the file is not a JSON list.
    """
    raw = json_artifact(data)
    if not isinstance(raw, list):
        raise ArtifactError("not a JSON list of packages")
    parsed = [_package(p) for p in raw if isinstance(p, dict)]
    return tuple(p for p in parsed if p is not None)
