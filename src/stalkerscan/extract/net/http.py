"""HTTP/1.x request heads read from a client's byte stream (any TCP port)."""

from __future__ import annotations

import ipaddress
from typing import NamedTuple

METHODS = (
    b"GET ",
    b"POST ",
    b"HEAD ",
    b"PUT ",
    b"DELETE ",
    b"OPTIONS ",
    b"PATCH ",
    b"CONNECT ",
    b"TRACE ",
)
"""How the first bytes of an HTTP/1.x request look."""
MAX_HEAD = 16 * 1024
"""A request head longer than this is not read (and the flow is no longer followed)."""


class RequestHead(NamedTuple):
    method: str
    path: str
    host: str | None
    user_agent: str | None
    content_length: int
    chunked: bool


def host_without_port(value: str) -> str | None:
    """``Example.com:8080`` -> ``example.com``; ``[2001:db8::1]:80`` -> ``2001:db8::1``."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        return value[1:end] if end > 0 else None
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".") or None


def is_ip_literal(host: str) -> bool:
    """True if a Host value is an address rather than a name."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def parse_request_head(head: bytes) -> RequestHead | None:
    """Parse a request line and headers (without the blank line); None if it is not HTTP/1.x."""
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers.setdefault(name.strip().lower(), value.strip())
    host = host_without_port(headers["host"]) if "host" in headers else None
    try:
        length = max(0, int(headers.get("content-length", "0")))
    except ValueError:
        length = 0
    chunked = "chunked" in headers.get("transfer-encoding", "").lower()
    return RequestHead(parts[0], parts[1], host, headers.get("user-agent"), length, chunked)


class RequestStream:
    """Finds the request heads in a client stream, skipping request bodies by Content-Length."""

    __slots__ = ("_buf", "_skip", "failed")

    def __init__(self) -> None:
        self._buf = bytearray()
        self._skip = 0
        self.failed = False
        """The stream stopped looking like HTTP/1.x (or used a chunked body): read no more."""

    def feed(self, data: bytes) -> list[RequestHead]:
        """Add contiguous client bytes; return the request heads completed by them."""
        if self._skip:
            if len(data) <= self._skip:
                self._skip -= len(data)
                return []
            data = data[self._skip :]
            self._skip = 0
        self._buf += data
        heads: list[RequestHead] = []
        while self._buf and not self.failed:
            if not bytes(self._buf[:8]).startswith(METHODS) and len(self._buf) >= 8:
                self.failed = True
                break
            end = self._buf.find(b"\r\n\r\n")
            if end < 0:
                self.failed = len(self._buf) > MAX_HEAD
                break
            head = parse_request_head(bytes(self._buf[:end]))
            if head is None:
                self.failed = True
                break
            heads.append(head)
            self.failed = head.chunked
            rest = len(self._buf) - end - 4
            if head.content_length > rest:
                self._skip = head.content_length - rest
                self._buf.clear()
            else:
                del self._buf[: end + 4 + head.content_length]
        return heads
