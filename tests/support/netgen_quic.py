"""QUIC v1 client Initial packets, really encrypted (RFC 9001 section 5), for generated captures.

Written independently of stalkerscan's reader so that a test reading them back checks both.
"""

from __future__ import annotations

import hashlib
import hmac
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

V1_SALT = bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")


def _hkdf_label(secret: bytes, label: str, length: int) -> bytes:
    full = ("tls13 " + label).encode()
    info = length.to_bytes(2, "big") + bytes([len(full)]) + full + b"\x00"
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(secret, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]


def initial_keys(dcid: bytes) -> tuple[bytes, bytes, bytes]:
    """Client (key, iv, hp) for a Destination Connection ID."""
    initial_secret = hmac.new(V1_SALT, dcid, hashlib.sha256).digest()
    client = _hkdf_label(initial_secret, "client in", 32)
    return (
        _hkdf_label(client, "quic key", 16),
        _hkdf_label(client, "quic iv", 12),
        _hkdf_label(client, "quic hp", 16),
    )


def _varint(value: int) -> bytes:
    if value < 0x40:
        return bytes([value])
    if value < 0x4000:
        return struct.pack("!H", 0x4000 | value)
    return struct.pack("!I", 0x80000000 | value)


def crypto_frame(offset: int, data: bytes) -> bytes:
    """A CRYPTO frame."""
    return b"\x06" + _varint(offset) + _varint(len(data)) + data


def initial_packet(
    dcid: bytes, scid: bytes, frames: bytes, packet_number: int = 0, pad_to: int = 1200
) -> bytes:
    """One client Initial datagram carrying ``frames``, padded to ``pad_to`` bytes."""
    key, iv, hp = initial_keys(dcid)
    pn_len = 2
    head = b"\xc0" + struct.pack("!I", 1) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
    head += b"\x00"  # no token
    fixed = len(head) + 2 + pn_len + 16  # 2-byte length field, packet number, AEAD tag
    plain = frames + b"\x00" * max(0, pad_to - fixed - len(frames))
    length = pn_len + len(plain) + 16
    header = bytearray(head + struct.pack("!H", 0x4000 | length))
    pn_offset = len(header)
    header[0] |= pn_len - 1
    header += packet_number.to_bytes(pn_len, "big")
    nonce = (int.from_bytes(iv, "big") ^ packet_number).to_bytes(12, "big")
    sealed = AESGCM(key).encrypt(nonce, plain, bytes(header))
    sample = sealed[4 - pn_len : 4 - pn_len + 16]
    encryptor = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = encryptor.update(sample) + encryptor.finalize()
    header[0] ^= mask[0] & 0x0F
    for i in range(pn_len):
        header[pn_offset + i] ^= mask[1 + i]
    return bytes(header) + sealed


def client_initials(dcid: bytes, scid: bytes, hello: bytes, split: bool = False) -> list[bytes]:
    """The Initial datagrams carrying a ClientHello: one, or two with the hello split in half.

    Like Chrome, the CRYPTO data of one packet is sent as two frames in reverse order with a
    PING between them, so a reader must put the frames back in order by offset.
    """
    if split:
        half = len(hello) // 2
        return [
            initial_packet(dcid, scid, crypto_frame(0, hello[:half]), 0),
            initial_packet(dcid, scid, crypto_frame(half, hello[half:]), 1),
        ]
    cut = len(hello) // 3
    frames = crypto_frame(cut, hello[cut:]) + b"\x01" + crypto_frame(0, hello[:cut])
    return [initial_packet(dcid, scid, frames, 0)]
