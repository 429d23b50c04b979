"""The clear part of one TLS handshake, read from both directions of a reassembled stream.

Records are unwrapped into a handshake byte stream (a handshake message may span records, a
record may span TCP segments). The client side is done after its ClientHello; the server side
after its Certificate, or after a ServerHello choosing TLS 1.3 (the rest is encrypted), or at the
first non-handshake record. Each side reads at most ``MAX_HANDSHAKE`` bytes.
"""

from __future__ import annotations

from stalkerscan.extract.net.tls import (
    ClientHello,
    certificate_list,
    parse_client_hello,
    parse_server_version,
)

MAX_HANDSHAKE = 64 * 1024
"""Bytes of one direction's stream read while looking for its handshake messages."""
TLS13 = 0x0304
_HANDSHAKE = 22
_CLIENT_HELLO, _SERVER_HELLO, _CERTIFICATE = 1, 2, 11


def looks_like_tls_record(data: bytes | bytearray) -> bool:
    """A TLS record header: content type 20-23, major version 3, minor 0-4."""
    return len(data) >= 3 and 20 <= data[0] <= 23 and data[1] == 3 and data[2] <= 4


class _Side:
    """Records -> handshake messages for one direction."""

    __slots__ = ("done", "hs", "read", "records")

    def __init__(self) -> None:
        self.records = bytearray()
        self.hs = bytearray()
        self.read = 0
        self.done = False

    def messages(self, data: bytes) -> list[tuple[int, bytes]]:
        """Add stream bytes; return complete (type, body) handshake messages."""
        self.read += len(data)
        self.records += data
        recs = self.records
        pos = 0
        while pos + 5 <= len(recs):
            if not looks_like_tls_record(recs[pos : pos + 3]):
                self.done = True
                break
            size = recs[pos + 3] << 8 | recs[pos + 4]
            if pos + 5 + size > len(recs):
                break
            if recs[pos] != _HANDSHAKE:
                self.done = True  # ChangeCipherSpec, alert or application data: handshake over
                break
            self.hs += recs[pos + 5 : pos + 5 + size]
            pos += 5 + size
        del recs[:pos]
        out: list[tuple[int, bytes]] = []
        hs = self.hs
        while len(hs) >= 4:
            size = int.from_bytes(hs[1:4], "big")
            if len(hs) < 4 + size:
                break
            out.append((hs[0], bytes(hs[4 : 4 + size])))
            del hs[: 4 + size]
        if self.read > MAX_HANDSHAKE:
            self.done = True
        return out


class TlsHandshake:
    """What a TLS handshake showed in clear, filled in as its bytes arrive."""

    __slots__ = ("certificates", "client", "hello", "server", "server_version")

    def __init__(self) -> None:
        self.client = _Side()
        self.server = _Side()
        self.hello: ClientHello | None = None
        self.server_version: int | None = None
        self.certificates: list[bytes] = []

    @property
    def done(self) -> bool:
        """Nothing more to read in either direction."""
        return self.client.done and self.server.done

    def data(self, d: int, data: bytes) -> bool:
        """Feed stream bytes of direction ``d`` (0 client->server); True when that side is done."""
        side = self.server if d else self.client
        if side.done:
            return True
        for kind, body in side.messages(data):
            if d == 0 and kind == _CLIENT_HELLO and self.hello is None:
                self.hello = parse_client_hello(body)
                side.done = True
            elif d and kind == _SERVER_HELLO and self.server_version is None:
                self.server_version = parse_server_version(body)
                if self.server_version == TLS13:
                    side.done = True
            elif d and kind == _CERTIFICATE and not self.certificates:
                self.certificates = certificate_list(body)
                side.done = True
        if side.done:
            side.records.clear()
            side.hs.clear()
        return side.done
