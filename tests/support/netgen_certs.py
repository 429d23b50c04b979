"""Real, deterministic X.509 certificates for generated captures.

Keys are EC (P-256) derived from a seed and signatures are deterministic (RFC 6979), so the same
arguments always give the same DER bytes and golden files stay stable.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from functools import lru_cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

NOT_BEFORE = datetime(2024, 1, 1, tzinfo=UTC)
NOT_AFTER = datetime(2027, 1, 1, tzinfo=UTC)


def _key(label: str) -> ec.EllipticCurvePrivateKey:
    seed = int.from_bytes(hashlib.sha256(label.encode()).digest(), "big")
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    return ec.derive_private_key(seed % (order - 1) + 1, ec.SECP256R1())


def _name(common_name: str, org: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    return x509.Name(attrs)


def _serial(label: str) -> int:
    return int.from_bytes(hashlib.sha256(b"serial" + label.encode()).digest()[:16], "big") >> 1


def _build(
    subject: x509.Name,
    issuer: x509.Name,
    key_label: str,
    issuer_label: str,
    sans: tuple[str, ...],
    ca: bool,
) -> bytes:
    public = _key(key_label).public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public)
        .serial_number(_serial(key_label + "|" + issuer_label))
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if sans:
        names = [x509.DNSName(s) for s in sans]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    cert = builder.sign(_key(issuer_label), hashes.SHA256(), ecdsa_deterministic=True)
    return cert.public_bytes(Encoding.DER)


@lru_cache(maxsize=1024)
def self_signed(common_name: str, sans: tuple[str, ...] = ()) -> bytes:
    """A self-signed server certificate (subject == issuer, signed by its own key)."""
    name = _name(common_name)
    return _build(
        name, name, "leaf:" + common_name, "leaf:" + common_name, sans or (common_name,), False
    )


@lru_cache(maxsize=64)
def ca_certificate(ca_name: str) -> bytes:
    """A self-signed CA certificate."""
    name = _name(ca_name, "Example Trust")
    return _build(name, name, "ca:" + ca_name, "ca:" + ca_name, (), True)


@lru_cache(maxsize=4096)
def chain(
    server_name: str, sans: tuple[str, ...] = (), ca_name: str = "Example Issuing CA"
) -> tuple[bytes, ...]:
    """[leaf signed by the CA, CA certificate] for ``server_name``."""
    leaf = _build(
        _name(server_name),
        _name(ca_name, "Example Trust"),
        "leaf:" + server_name,
        "ca:" + ca_name,
        sans or (server_name, "*." + server_name),
        False,
    )
    return (leaf, ca_certificate(ca_name))
