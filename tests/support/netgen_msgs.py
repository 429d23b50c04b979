"""Application messages for generated captures: DNS, DHCP, HTTP, and TLS handshake messages.

Part of :mod:`support.netgen`. ClientHellos follow real client profiles (cipher, extension, group
and signature-algorithm lists, GREASE where the real client sends it), so JA3/JA4 values are
realistic and can be worked out by hand from :data:`PROFILES`.
"""

from __future__ import annotations

import random
import struct
from dataclasses import dataclass

from support.netgen_wire import packed

GREASE = 0x0A0A
"""Placeholder in a profile: replaced by a random GREASE value (0x?a?a) when a hello is built."""


@dataclass(frozen=True)
class TlsProfile:
    """The lists a TLS client sends, in wire order (GREASE shown as :data:`GREASE`)."""

    ciphers: tuple[int, ...]
    extensions: tuple[int, ...]
    groups: tuple[int, ...]
    sig_algs: tuple[int, ...]
    versions: tuple[int, ...]
    """supported_versions content; empty for a TLS 1.2-only client (no extension 43)."""
    point_formats: tuple[int, ...] = (0,)


def _h(text: str) -> tuple[int, ...]:
    """``"grease 1301 1302"`` -> (GREASE, 0x1301, 0x1302)."""
    return tuple(GREASE if word == "grease" else int(word, 16) for word in text.split())


PROFILES: dict[str, TlsProfile] = {
    # the cipher, extension and signature lists of the JA4 specification's worked example
    "chrome": TlsProfile(
        ciphers=_h(
            "grease 1301 1302 1303 c02b c02f c02c c030 cca9 cca8 c013 c014 009c 009d 002f 0035"
        ),
        extensions=_h(
            "grease 001b 0000 0033 0010 4469 0017 002d 000d 0005 0023 0012 002b ff01 000b 000a "
            "grease 0015"
        ),
        groups=_h("grease 001d 0017 0018"),
        sig_algs=_h("0403 0804 0401 0503 0805 0501 0806 0601"),
        versions=_h("grease 0304 0303"),
    ),
    "okhttp": TlsProfile(
        ciphers=_h("1301 1302 1303 c02b c02c cca9 c02f c030 cca8 c013 c014 009c 009d 002f 0035"),
        extensions=_h("0000 0017 ff01 000a 000b 0023 0010 0005 000d 0033 002d 002b 0015"),
        groups=_h("001d 0017 0018"),
        sig_algs=_h("0403 0804 0401 0503 0805 0501 0806 0601 0201"),
        versions=_h("0304 0303"),
    ),
    "firefox": TlsProfile(
        ciphers=_h(
            "1301 1303 1302 c02b c02f cca9 cca8 c02c c030 c00a c009 c013 c014 009c 009d 002f 0035"
        ),
        extensions=_h("0000 0017 ff01 000a 000b 0023 0010 0005 0022 0033 002b 000d 002d 001c 0015"),
        groups=_h("001d 0017 0018 0019 0100 0101"),
        sig_algs=_h("0403 0503 0603 0804 0805 0806 0401 0501 0601"),
        versions=_h("0304 0303"),
    ),
    "legacy12": TlsProfile(
        ciphers=_h("c02f c030 009e c027 003c 0035 000a"),
        extensions=_h("0000 000a 000b 000d 0023 0017 ff01 0010"),
        groups=_h("0017 0018"),
        sig_algs=_h("0401 0501 0601 0201"),
        versions=(),
    ),
}


def _u16s(values: tuple[int, ...] | list[int]) -> bytes:
    return struct.pack(f"!{len(values)}H", *values)


def _vec16(data: bytes) -> bytes:
    return struct.pack("!H", len(data)) + data


def handshake(kind: int, body: bytes) -> bytes:
    """A handshake message: type, 3-byte length, body."""
    return bytes([kind]) + len(body).to_bytes(3, "big") + body


def _extension_data(  # noqa: PLR0911 - one return per extension kind; internal
    ext: int,
    profile: TlsProfile,
    sni: str | None,
    alpn: tuple[str, ...],
    grease: dict[int, int],
    rng: random.Random,
) -> bytes:
    if ext == 0x0000:
        name = (sni or "").encode()
        return _vec16(b"\x00" + _vec16(name))
    if ext == 0x0010:
        return _vec16(b"".join(bytes([len(p)]) + p.encode() for p in alpn))
    if ext == 0x000A:
        return _vec16(_u16s([grease.get(g, g) for g in profile.groups]))
    if ext == 0x000B:
        return bytes([len(profile.point_formats), *profile.point_formats])
    if ext == 0x000D:
        return _vec16(_u16s(profile.sig_algs))
    if ext == 0x002B:
        versions = _u16s([grease.get(v, v) for v in profile.versions])
        return bytes([len(versions)]) + versions
    if ext == 0x0033:
        share = struct.pack("!HH", 0x001D, 32) + rng.randbytes(32)
        return _vec16(share)
    fixed = {
        0x0005: b"\x01\x00\x00\x00\x00",
        0x002D: b"\x01\x01",
        0xFF01: b"\x00",
        0x001B: b"\x02\x00\x02",
        0x4469: b"\x00\x03\x02h2",
        0x001C: b"\x40\x01",
        0x0022: b"\x00\x08\x04\x03\x05\x03\x06\x03\x02\x03",
    }
    return fixed.get(ext, b"")


def client_hello(
    sni: str | None,
    alpn: tuple[str, ...] = ("h2", "http/1.1"),
    profile: str = "chrome",
    rng: random.Random | None = None,
    quic_params: bool = False,
) -> bytes:
    """A whole ClientHello handshake message for the named client profile.

    SNI and ALPN extensions are left out when ``sni`` is None / ``alpn`` is empty. With
    ``quic_params`` a quic_transport_parameters extension (57) is added, as QUIC clients send.
    """
    rng = rng or random.Random(0)
    prof = PROFILES[profile]
    grease_values = [0x0A0A + 0x1010 * i for i in range(16)]
    grease = {GREASE: rng.choice(grease_values)}
    exts: list[int] = [e for e in prof.extensions if (e != 0 or sni) and (e != 0x10 or alpn)]
    if quic_params:
        exts.insert(len(exts) - 1, 0x0039)
    ext_bytes = b""
    second_grease = rng.choice(grease_values)
    seen_grease = False
    for ext in exts:
        if ext == GREASE:
            value = second_grease if seen_grease else grease[GREASE]
            ext_bytes += struct.pack("!HH", value, 1 if seen_grease else 0) + (
                b"\x00" if seen_grease else b""
            )
            seen_grease = True
            continue
        if ext == 0x0015:
            continue  # padding is added last, to the size Chrome pads to
        data = _extension_data(ext, prof, sni, alpn, grease, rng)
        if ext == 0x0039:
            data = b"\x01\x04\x80\x00\x75\x30\x04\x04\x80\x98\x96\x80"
        ext_bytes += struct.pack("!HH", ext, len(data)) + data
    ciphers = _u16s([grease.get(c, c) for c in prof.ciphers])
    head = struct.pack("!H", 0x0303) + rng.randbytes(32) + b"\x20" + rng.randbytes(32)
    head += _vec16(ciphers) + b"\x01\x00"
    if 0x0015 in exts:
        pad = max(0, 508 - len(head) - len(ext_bytes) - 4)
        ext_bytes += struct.pack("!HH", 0x0015, pad) + b"\x00" * pad
    return handshake(1, head + _vec16(ext_bytes))


def server_hello(
    version: str = "1.2", cipher: int = 0xC02F, rng: random.Random | None = None
) -> bytes:
    """A ServerHello choosing TLS 1.2 (legacy field) or TLS 1.3 (supported_versions)."""
    rng = rng or random.Random(0)
    if version == "1.3":
        exts = struct.pack("!HHH", 0x002B, 2, 0x0304)
        exts += struct.pack("!HHHH", 0x0033, 36, 0x001D, 32) + rng.randbytes(32)
        cipher = 0x1301 if cipher >> 8 != 0x13 else cipher
    else:
        exts = struct.pack("!HHB", 0xFF01, 1, 0) + struct.pack("!HHBB", 0x000B, 2, 1, 0)
    body = struct.pack("!H", 0x0303) + rng.randbytes(32) + b"\x20" + rng.randbytes(32)
    body += struct.pack("!HB", cipher, 0) + _vec16(exts)
    return handshake(2, body)


def certificate(chain: tuple[bytes, ...] | list[bytes]) -> bytes:
    """A TLS 1.2 Certificate message carrying DER certificates, server's own first."""
    entries = b"".join(len(der).to_bytes(3, "big") + der for der in chain)
    return handshake(11, len(entries).to_bytes(3, "big") + entries)


def server_key_exchange(rng: random.Random) -> bytes:
    """An ECDHE ServerKeyExchange (x25519 share, a 71-byte signature)."""
    body = b"\x03\x00\x1d\x20" + rng.randbytes(32) + b"\x04\x03\x00\x47" + rng.randbytes(71)
    return handshake(12, body)


SERVER_HELLO_DONE = handshake(14, b"")


def records(content_type: int, payload: bytes, max_fragment: int = 16384) -> bytes:
    """``payload`` as TLS records of at most ``max_fragment`` bytes each."""
    out = b""
    for pos in range(0, len(payload), max_fragment):
        part = payload[pos : pos + max_fragment]
        out += struct.pack("!BHH", content_type, 0x0303, len(part)) + part
    return out


# -- DNS ----------------------------------------------------------------------------------------

DNS_TYPES = {"A": 1, "NS": 2, "CNAME": 5, "PTR": 12, "TXT": 16, "AAAA": 28, "HTTPS": 65}


def _encode_name(name: str, at: int, table: dict[str, int]) -> bytes:
    """A name, compressed against the names already written (``table``: suffix -> offset)."""
    out = b""
    labels = name.split(".") if name else []
    for i in range(len(labels)):
        suffix = ".".join(labels[i:])
        if suffix in table:
            return out + struct.pack("!H", 0xC000 | table[suffix])
        if at + len(out) < 0x3FFF:
            table[suffix] = at + len(out)
        out += bytes([len(labels[i])]) + labels[i].encode()
    return out + b"\x00"


def dns_message(
    qid: int,
    qname: str,
    qtype: str = "A",
    answers: tuple[tuple[str, str, str, int], ...] = (),
    response: bool = False,
    rcode: int = 0,
) -> bytes:
    """A DNS query, or a response with ``answers`` as (owner, type, value, ttl)."""
    flags = 0x8180 | rcode if response else 0x0100
    msg = struct.pack("!HHHHHH", qid, flags, 1, len(answers), 0, 0)
    table: dict[str, int] = {}
    msg += _encode_name(qname, len(msg), table) + struct.pack("!HH", DNS_TYPES.get(qtype, 1), 1)
    for owner, rtype, value, ttl in answers:
        msg += _encode_name(owner, len(msg), table)
        start = len(msg) + 10
        if rtype in ("A", "AAAA"):
            rdata = packed(value)
        elif rtype in ("CNAME", "NS", "PTR"):
            rdata = _encode_name(value, start, table)
        else:
            rdata = bytes([len(value)]) + value.encode()
        msg += struct.pack("!HHIH", DNS_TYPES[rtype], 1, ttl, len(rdata)) + rdata
    return msg


# -- DHCP and HTTP ------------------------------------------------------------------------------


def dhcp_request(
    mac: bytes,
    xid: int,
    hostname: str | None = None,
    vendor_class: str | None = None,
    requested_ip: str | None = None,
    message_type: int = 3,
) -> bytes:
    """A client DHCP message (DISCOVER = 1, REQUEST = 3) with the usual options."""
    msg = struct.pack("!BBBBIHH", 1, 1, 6, 0, xid, 0, 0) + b"\x00" * 16
    msg += mac + b"\x00" * 10 + b"\x00" * 192 + b"\x63\x82\x53\x63"
    msg += bytes([53, 1, message_type, 61, 7, 1]) + mac
    if requested_ip:
        msg += bytes([50, 4]) + packed(requested_ip)
    if hostname:
        msg += bytes([12, len(hostname)]) + hostname.encode()
    if vendor_class:
        msg += bytes([60, len(vendor_class)]) + vendor_class.encode()
    msg += bytes([55, 4, 1, 3, 6, 15, 255])
    return msg + b"\x00" * (-len(msg) % 4)


def http_request(
    method: str, host: str, path: str, user_agent: str | None = None, body: bytes = b""
) -> bytes:
    """An HTTP/1.1 request head (and body)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    if user_agent:
        lines.append(f"User-Agent: {user_agent}")
    lines += ["Accept: */*", "Connection: keep-alive"]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body
