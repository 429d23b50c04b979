"""QUIC Initial packets: the version, and the SNI of the ClientHello they carry.

Initial packets are encrypted with keys derived from public constants and the client's chosen
Destination Connection ID (RFC 9001 section 5.2 for v1, RFC 9369 for v2), so a capture can read
them: HKDF-SHA256 from the version's salt, AES-128-GCM for the payload, AES-ECB for header
protection. The CRYPTO frames of the client's first Initial packets are put together until the
ClientHello is whole.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from typing import NamedTuple

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from stalkerscan.extract.net.tls import ClientHello, parse_client_hello

QUIC_V1 = 0x00000001
QUIC_V2 = 0x6B3343CF
_SALTS = {
    QUIC_V1: bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a"),
    QUIC_V2: bytes.fromhex("0dede3def700a6db819381be6e269dcbf9bd2ed9"),
}
_LABEL_PREFIX = {QUIC_V1: b"quic ", QUIC_V2: b"quicv2 "}
_INITIAL_TYPE = {QUIC_V1: 0, QUIC_V2: 1}
MIN_INITIAL = 1200
"""Client Initial datagrams are padded to at least this size (RFC 9000 section 14.1)."""


class InitialHeader(NamedTuple):
    version: int
    dcid: bytes
    pn_offset: int
    """Offset of the (protected) packet number."""
    end: int
    """Offset just past this packet (others may be coalesced after it)."""


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    first = data[pos]
    size = 1 << (first >> 6)
    value = first & 0x3F
    for i in range(1, size):
        value = value << 8 | data[pos + i]
    return value, pos + size


def initial_header(data: bytes) -> InitialHeader | None:  # noqa: PLR0911 - one exit per check
    """The header of a client Initial at the start of a datagram; None if it is not one."""
    try:
        if data[0] & 0xC0 != 0xC0:
            return None
        version = struct.unpack_from("!I", data, 1)[0]
        ptype = (data[0] >> 4) & 3
        if version == 0 or ptype != _INITIAL_TYPE.get(version, 0):
            return None
        if version not in _SALTS and len(data) < MIN_INITIAL:
            return None
        dcid_len = data[5]
        if dcid_len > 20:
            return None
        dcid = data[6 : 6 + dcid_len]
        pos = 6 + dcid_len
        pos += 1 + data[pos]  # source connection id
        token_len, pos = _varint(data, pos)
        length, pos = _varint(data, pos + token_len)
    except (IndexError, struct.error):
        return None
    if pos + length > len(data) or length < 20:
        return None
    return InitialHeader(version, dcid, pos, pos + length)


def _expand_label(secret: bytes, label: bytes, length: int) -> bytes:
    full = b"tls13 " + label
    info = struct.pack("!HB", length, len(full)) + full + b"\x00"
    return hmac.new(secret, info + b"\x01", hashlib.sha256).digest()[:length]


def client_keys(version: int, dcid: bytes) -> tuple[bytes, bytes, bytes]:
    """(key, iv, header-protection key) of the client's Initial packets."""
    initial = hmac.new(_SALTS[version], dcid, hashlib.sha256).digest()
    secret = _expand_label(initial, b"client in", 32)
    prefix = _LABEL_PREFIX[version]
    return (
        _expand_label(secret, prefix + b"key", 16),
        _expand_label(secret, prefix + b"iv", 12),
        _expand_label(secret, prefix + b"hp", 16),
    )


def decrypt_initial(data: bytes, head: InitialHeader) -> bytes | None:
    """The decrypted frames of a v1/v2 client Initial; None if it cannot be decrypted."""
    if head.version not in _SALTS or head.pn_offset + 20 > head.end:
        return None
    key, iv, hp = client_keys(head.version, head.dcid)
    sample = data[head.pn_offset + 4 : head.pn_offset + 20]
    encryptor = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = encryptor.update(sample) + encryptor.finalize()
    first = data[0] ^ (mask[0] & 0x0F)
    pn_len = (first & 3) + 1
    pn_bytes = bytes(
        b ^ m
        for b, m in zip(
            data[head.pn_offset : head.pn_offset + pn_len], mask[1 : pn_len + 1], strict=True
        )
    )
    header = bytes([first]) + data[1 : head.pn_offset] + pn_bytes
    nonce = (int.from_bytes(iv, "big") ^ int.from_bytes(pn_bytes, "big")).to_bytes(12, "big")
    try:
        return AESGCM(key).decrypt(nonce, data[head.pn_offset + pn_len : head.end], header)
    except InvalidTag:
        return None


def crypto_frames(frames: bytes) -> list[tuple[int, bytes]]:
    """(offset, data) of each CRYPTO frame; stops at the first frame type it does not know."""
    out: list[tuple[int, bytes]] = []
    pos = 0
    try:
        while pos < len(frames):
            ftype = frames[pos]
            pos += 1
            if ftype == 0x00:  # PADDING, often a thousand bytes of it: skip the run at once
                pos = len(frames) - len(frames[pos:].lstrip(b"\x00"))
                continue
            if ftype == 0x01:  # PING
                continue
            if ftype == 0x06:
                offset, pos = _varint(frames, pos)
                size, pos = _varint(frames, pos)
                out.append((offset, frames[pos : pos + size]))
                pos += size
            elif ftype in (0x02, 0x03):  # ACK
                _largest, pos = _varint(frames, pos)
                _delay, pos = _varint(frames, pos)
                ranges, pos = _varint(frames, pos)
                for _ in range(2 * ranges + 1 + (3 if ftype == 0x03 else 0)):
                    _value, pos = _varint(frames, pos)
            else:
                break
    except IndexError:
        return out  # a frame cut short by the packet's end: the frames before it stand
    return out


class CryptoStream:
    """CRYPTO frame data put back in order until a whole ClientHello is there."""

    __slots__ = ("parts",)

    def __init__(self) -> None:
        self.parts: dict[int, bytes] = {}

    def add(self, frames: list[tuple[int, bytes]]) -> ClientHello | None:
        """Add frames; return the ClientHello once it is complete."""
        for offset, data in frames:
            self.parts.setdefault(offset, data)
        buf = bytearray()
        while len(buf) in self.parts:
            buf += self.parts[len(buf)]
        if len(buf) < 4 or buf[0] != 1:
            return None
        size = int.from_bytes(buf[1:4], "big")
        if len(buf) < 4 + size:
            return None
        return parse_client_hello(bytes(buf[4 : 4 + size]))
