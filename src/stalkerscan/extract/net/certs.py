"""X.509 certificates seen in TLS handshakes, each parsed once (keyed by its SHA-1).

``cryptography.x509`` takes about 40 ms to import, more than reading a small capture: it is
imported when the first certificate is parsed, so captures of TLS 1.3 only (where certificates
are encrypted) never pay for it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import warnings
from datetime import datetime
from typing import TYPE_CHECKING

from stalkerscan.model.net import CertificateRecord

if TYPE_CHECKING:
    from cryptography import x509


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _san(cert: x509.Certificate) -> tuple[str, ...]:
    from cryptography import x509  # noqa: PLC0415 - see the module docstring

    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except (x509.ExtensionNotFound, ValueError):
        return ()
    return tuple(str(name).lower() for name in ext.value.get_values_for_type(x509.DNSName))


def _self_signed(cert: x509.Certificate) -> bool:
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm  # noqa: PLC0415

    if cert.subject != cert.issuer:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (InvalidSignature, ValueError):
        return False
    except (TypeError, UnsupportedAlgorithm):
        return True  # a key type that cannot be checked here: subject == issuer is all we know
    return True


def parse_certificate(der: bytes, position: int) -> CertificateRecord:
    """One certificate record; a DER blob that cannot be parsed keeps its hashes, empty names."""
    sha1 = hashlib.sha1(der, usedforsecurity=False).hexdigest()
    sha256 = hashlib.sha256(der).hexdigest()
    from cryptography import x509  # noqa: PLC0415 - see the module docstring
    from cryptography.exceptions import UnsupportedAlgorithm  # noqa: PLC0415
    from cryptography.utils import CryptographyDeprecationWarning  # noqa: PLC0415

    try:
        with warnings.catch_warnings():
            # old or sloppy certificates (negative serials...) are evidence too: read them quietly
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            cert = x509.load_der_x509_certificate(der)
            subject = cert.subject.rfc4514_string()
            issuer = cert.issuer.rfc4514_string()
            not_before = _iso(cert.not_valid_before_utc)
            not_after = _iso(cert.not_valid_after_utc)
            san = _san(cert)
            self_signed = _self_signed(cert)
    except (ValueError, TypeError, x509.InvalidVersion, UnsupportedAlgorithm):
        return CertificateRecord(sha1, sha256, "", "", "", "", False, (), position)
    return CertificateRecord(
        sha1=sha1,
        sha256=sha256,
        subject=subject,
        issuer=issuer,
        not_before=not_before,
        not_after=not_after,
        self_signed=self_signed,
        san=san,
        position=position,
    )


class CertificateCache:
    """Parses each distinct certificate once; the same certificate in many sessions is cheap."""

    def __init__(self) -> None:
        self._seen: dict[bytes, CertificateRecord] = {}

    def __len__(self) -> int:
        return len(self._seen)

    def record(self, der: bytes, position: int) -> CertificateRecord:
        """The record for ``der`` at ``position`` in its chain."""
        key = hashlib.sha1(der, usedforsecurity=False).digest()
        known = self._seen.get(key)
        if known is None:
            known = self._seen[key] = parse_certificate(der, position)
        if known.position != position:
            return dataclasses.replace(known, position=position)
        return known

    def chain(self, ders: list[bytes]) -> tuple[CertificateRecord, ...]:
        """Records for a whole chain, in the order it was sent."""
        return tuple(self.record(der, i) for i, der in enumerate(ders))
