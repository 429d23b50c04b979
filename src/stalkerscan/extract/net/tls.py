"""TLS handshake messages: ClientHello (SNI, ALPN, versions, JA3, JA4) and ServerHello.

JA3 (Salesforce): ``version,ciphers,extensions,groups,point_formats`` in decimal, GREASE removed,
and its MD5. JA4 (FoxIO): ``{t|q}{version}{d|i}{ciphers:02}{extensions:02}{alpn}`` then the
truncated SHA-256 of the sorted cipher list and of the sorted extension list (SNI and ALPN left
out) followed by the signature algorithms in their order.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

VERSION_NAMES: dict[int, str] = {
    0x0300: "SSL 3.0",
    0x0301: "TLS 1.0",
    0x0302: "TLS 1.1",
    0x0303: "TLS 1.2",
    0x0304: "TLS 1.3",
}
_JA4_VERSIONS: dict[int, str] = {
    0x0304: "13",
    0x0303: "12",
    0x0302: "11",
    0x0301: "10",
    0x0300: "s3",
    0x0002: "s2",
    0xFEFF: "d1",
    0xFEFD: "d2",
    0xFEFC: "d3",
}
EXT_SNI = 0
EXT_GROUPS = 10
EXT_POINT_FORMATS = 11
EXT_SIG_ALGS = 13
EXT_ALPN = 16
EXT_SUPPORTED_VERSIONS = 43


GREASE = frozenset(0x0A0A + 0x1010 * i for i in range(16))
"""GREASE values (RFC 8701): 0x0a0a, 0x1a1a ... 0xfafa."""


def is_grease(value: int) -> bool:
    """GREASE values (RFC 8701): 0x0a0a, 0x1a1a ... 0xfafa."""
    return value & 0x0F0F == 0x0A0A and value >> 8 == value & 0xFF


def version_name(version: int) -> str:
    """``TLS 1.2`` for 0x0303; hex text for values that are not TLS versions."""
    return VERSION_NAMES.get(version, f"0x{version:04x}")


@dataclass(frozen=True, slots=True)
class ClientHello:
    """The fields of a ClientHello that fingerprints and names are made from (GREASE kept)."""

    version: int
    ciphers: tuple[int, ...]
    extensions: tuple[int, ...]
    groups: tuple[int, ...]
    point_formats: tuple[int, ...]
    sig_algs: tuple[int, ...]
    supported_versions: tuple[int, ...]
    sni: str | None
    alpn: tuple[bytes, ...]

    @property
    def highest_version(self) -> int:
        """The highest version offered: from supported_versions when present."""
        offered = [v for v in self.supported_versions if not is_grease(v)]
        return max(offered) if offered else self.version


def _u16_list(data: bytes, start: int, length: int) -> tuple[int, ...]:
    count = length // 2
    return struct.unpack_from(f"!{count}H", data, start) if count else ()


def _sni(data: bytes) -> str | None:
    pos = 2
    while pos + 3 <= len(data):
        kind, size = data[pos], data[pos + 1] << 8 | data[pos + 2]
        if kind == 0:
            return data[pos + 3 : pos + 3 + size].decode("ascii", "replace").lower().rstrip(".")
        pos += 3 + size
    return None


def _alpn(data: bytes) -> tuple[bytes, ...]:
    out, pos = [], 2
    while pos < len(data):
        size = data[pos]
        out.append(data[pos + 1 : pos + 1 + size])
        pos += 1 + size
    return tuple(out)


def parse_client_hello(body: bytes) -> ClientHello | None:
    """Parse a ClientHello handshake body (after the 4-byte handshake header)."""
    try:
        version = body[0] << 8 | body[1]
        pos = 34
        pos += 1 + body[pos]  # session id
        size = body[pos] << 8 | body[pos + 1]
        ciphers = _u16_list(body, pos + 2, size)
        pos += 2 + size
        pos += 1 + body[pos]  # compression methods
        fields = _extensions(body, pos)
    except (IndexError, struct.error):
        return None
    exts, groups, formats, sigs, versions, sni, alpn = fields
    return ClientHello(version, ciphers, exts, groups, formats, sigs, versions, sni, alpn)


_ExtFields = tuple[
    tuple[int, ...],
    tuple[int, ...],
    tuple[int, ...],
    tuple[int, ...],
    tuple[int, ...],
    str | None,
    tuple[bytes, ...],
]


_READ_EXTS = frozenset(
    (EXT_SNI, EXT_ALPN, EXT_GROUPS, EXT_POINT_FORMATS, EXT_SIG_ALGS, EXT_SUPPORTED_VERSIONS)
)


def _extensions(body: bytes, pos: int) -> _ExtFields:
    exts: list[int] = []
    groups: tuple[int, ...] = ()
    formats: tuple[int, ...] = ()
    sigs: tuple[int, ...] = ()
    versions: tuple[int, ...] = ()
    sni: str | None = None
    alpn: tuple[bytes, ...] = ()
    if pos + 2 <= len(body):
        end = min(len(body), pos + 2 + (body[pos] << 8 | body[pos + 1]))
        pos += 2
        while pos + 4 <= end:
            etype = body[pos] << 8 | body[pos + 1]
            size = body[pos + 2] << 8 | body[pos + 3]
            exts.append(etype)
            if etype not in _READ_EXTS:
                pos += 4 + size
                continue
            data = body[pos + 4 : pos + 4 + size]
            if etype == EXT_SNI:
                sni = _sni(data)
            elif etype == EXT_ALPN:
                alpn = _alpn(data)
            elif etype == EXT_GROUPS:
                groups = _u16_list(data, 2, len(data) - 2)
            elif etype == EXT_POINT_FORMATS and data:
                formats = tuple(data[1 : 1 + data[0]])
            elif etype == EXT_SIG_ALGS:
                sigs = _u16_list(data, 2, len(data) - 2)
            elif etype == EXT_SUPPORTED_VERSIONS and data:
                versions = _u16_list(data, 1, data[0])
            pos += 4 + size
    return tuple(exts), groups, formats, sigs, versions, sni, alpn


def parse_server_version(body: bytes) -> int | None:
    """The version a ServerHello body chose (supported_versions wins over the legacy field)."""
    try:
        version = body[0] << 8 | body[1]
        pos = 34
        pos += 1 + body[pos] + 3  # session id, cipher suite, compression method
        if pos + 2 > len(body):
            return version
        end = min(len(body), pos + 2 + (body[pos] << 8 | body[pos + 1]))
        pos += 2
        while pos + 4 <= end:
            etype, size = struct.unpack_from("!HH", body, pos)
            if etype == EXT_SUPPORTED_VERSIONS and size == 2:
                chosen: int = struct.unpack_from("!H", body, pos + 4)[0]
                return chosen
            pos += 4 + size
    except (IndexError, struct.error):
        return None
    return version


def certificate_list(body: bytes) -> list[bytes]:
    """The DER certificates of a (TLS <= 1.2) Certificate message body, server's own first."""
    out: list[bytes] = []
    if len(body) < 3:
        return out
    end = min(len(body), 3 + int.from_bytes(body[:3], "big"))
    pos = 3
    while pos + 3 <= end:
        size = int.from_bytes(body[pos : pos + 3], "big")
        if pos + 3 + size > end:
            break
        out.append(body[pos + 3 : pos + 3 + size])
        pos += 3 + size
    return out


def ja3(hello: ClientHello) -> tuple[str, str]:
    """The JA3 string and its MD5 hex digest."""

    def dashed(values: tuple[int, ...]) -> str:
        return "-".join([str(v) for v in values if v not in GREASE])

    text = ",".join(
        (
            str(hello.version),
            dashed(hello.ciphers),
            dashed(hello.extensions),
            dashed(hello.groups),
            "-".join(str(v) for v in hello.point_formats),
        )
    )
    return text, hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _ja4_alpn(alpn: tuple[bytes, ...]) -> str:
    if not alpn or not alpn[0]:
        return "00"
    first = alpn[0]
    a, b = chr(first[0]), chr(first[-1])
    if a.isascii() and a.isalnum() and b.isascii() and b.isalnum():
        return a + b
    hexed = first.hex()
    return hexed[0] + hexed[-1]


def _hash12(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def ja4(hello: ClientHello, quic: bool = False) -> str:
    """The JA4 fingerprint of a ClientHello (``q`` prefix when it came in a QUIC Initial)."""
    ciphers = sorted([c for c in hello.ciphers if c not in GREASE])
    exts = [e for e in hello.extensions if e not in GREASE]
    version = _JA4_VERSIONS.get(hello.highest_version, "00")
    part_a = (
        f"{'q' if quic else 't'}{version}{'d' if EXT_SNI in exts else 'i'}"
        f"{min(len(ciphers), 99):02d}{min(len(exts), 99):02d}{_ja4_alpn(hello.alpn)}"
    )
    part_b = _hash12(",".join(f"{c:04x}" for c in ciphers)) if ciphers else "0" * 12
    listed = sorted(e for e in exts if e not in (EXT_SNI, EXT_ALPN))
    if not listed:
        return f"{part_a}_{part_b}_{'0' * 12}"
    text = ",".join(f"{e:04x}" for e in listed)
    sigs = [s for s in hello.sig_algs if s not in GREASE]
    if sigs:
        text += "_" + ",".join(f"{s:04x}" for s in sigs)
    return f"{part_a}_{part_b}_{_hash12(text)}"


class FingerprintCache:
    """JA3 and JA4 of each distinct ClientHello shape, computed once (GREASE does not count)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[object, ...], tuple[str, str, str]] = {}

    def of(self, hello: ClientHello, quic: bool = False) -> tuple[str, str, str]:
        """``(ja3 string, ja3 md5, ja4)`` of a ClientHello."""
        key = (
            quic,
            hello.version,
            tuple([v for v in hello.ciphers if v not in GREASE]),
            tuple([v for v in hello.extensions if v not in GREASE]),
            tuple([v for v in hello.groups if v not in GREASE]),
            hello.point_formats,
            hello.sig_algs,
            hello.highest_version,
            hello.alpn[0] if hello.alpn else None,
        )
        found = self._seen.get(key)
        if found is None:
            text, digest = ja3(hello)
            found = self._seen[key] = (text, digest, ja4(hello, quic))
        return found
