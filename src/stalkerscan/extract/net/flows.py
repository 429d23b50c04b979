"""Flow state kept while a capture is read, and the Flow records made from it at the end.

A flow is a 5-tuple, oriented from the side that opened it: the sender of a SYN; else, for a
conversation already under way, the side that is not on a well-known server port; else the sender
of the first packet seen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from stalkerscan.extract.net.dns import ip_text
from stalkerscan.model.net import Flow, FlowKey, NameSource, Transport

SERVER_PORTS = frozenset(
    (
        *(20, 21, 22, 23, 25, 53, 67, 80, 110, 123, 137, 138, 143, 443, 465, 587, 853, 993, 995),
        *(1883, 1900, 3478, 5060, 5061, 5222, 5223, 5228, 5353, 5355, 8080, 8443, 8883, 19302),
    )
)
"""Ports a client connects to: the side on one of these is the server when no SYN was seen."""

PORT_APPS: dict[tuple[Transport, int], str] = {
    (Transport.UDP, 53): "dns",
    (Transport.TCP, 53): "dns",
    (Transport.UDP, 5353): "mdns",
    (Transport.UDP, 5355): "llmnr",
    (Transport.TCP, 853): "dot",
    (Transport.UDP, 853): "doq",
    (Transport.UDP, 123): "ntp",
    (Transport.UDP, 67): "dhcp",
    (Transport.UDP, 68): "dhcp",
    (Transport.UDP, 1900): "ssdp",
    (Transport.UDP, 3478): "stun",
    (Transport.UDP, 19302): "stun",
    (Transport.TCP, 22): "ssh",
    (Transport.TCP, 5228): "tls",
}
"""What a server port usually carries, used when the payload did not say."""


class Session(Protocol):
    """Per-flow protocol state that may still owe records at the end of the capture."""

    def finish(self) -> None: ...


Handler = Callable[["FlowState", int, bytes, int, float, int], None]
"""``handler(flow, direction, payload, tcp_seq, time, packet_number)``; direction 1 = from server.

Positional on purpose: it is called for every packet whose payload is still wanted."""


class FlowState:
    """Counters and protocol state of one flow while the capture is read."""

    __slots__ = (
        "app",
        "by_in",
        "by_out",
        "client",
        "cport",
        "dns_name",
        "first_packet",
        "first_seen",
        "flow_key",
        "host",
        "isn_in",
        "isn_out",
        "last_seen",
        "on_in",
        "on_out",
        "pk_in",
        "pk_out",
        "pl_in",
        "pl_out",
        "server",
        "session",
        "sni",
        "sport",
        "transport",
    )

    def __init__(
        self,
        transport: Transport,
        client: bytes,
        cport: int,
        server: bytes,
        sport: int,
        time: float,
        packet: int,
    ) -> None:
        self.transport = transport
        self.client = client
        self.cport = cport
        self.server = server
        self.sport = sport
        self.first_seen = time
        self.last_seen = time
        self.first_packet = packet
        self.pk_out = self.by_out = self.pl_out = 0
        self.pk_in = self.by_in = self.pl_in = 0
        self.app: str | None = PORT_APPS.get((transport, sport))
        self.dns_name: str | None = None
        """Name from a DNS answer for the server IP, seen before the flow started."""
        self.sni: str | None = None
        self.host: str | None = None
        self.isn_out: int | None = None
        """Client's first sequence number + 1 (from its SYN)."""
        self.isn_in: int | None = None
        self.on_out: Handler | None = None
        """Who reads client->server payload next; None once nothing more is wanted from it."""
        self.on_in: Handler | None = None
        self.session: Session | None = None
        self.flow_key: FlowKey | None = None

    def key(self) -> FlowKey:
        """The oriented 5-tuple as a record (made once, shared by every record of the flow)."""
        if self.flow_key is None:
            self.flow_key = FlowKey(
                self.transport, ip_text(self.client), self.cport, ip_text(self.server), self.sport
            )
        return self.flow_key

    def count(self, d: int, iplen: int, plen: int, time: float) -> Handler | None:
        """Count one packet of direction ``d``; return who wants its payload, if anyone."""
        self.last_seen = time
        if d:
            self.pk_in += 1
            self.by_in += iplen
            self.pl_in += plen
            return self.on_in
        self.pk_out += 1
        self.by_out += iplen
        self.pl_out += plen
        return self.on_out

    def syn(self, d: int, seq: int) -> None:
        """A SYN from side ``d``: its stream starts at ``seq + 1``."""
        if d:
            self.isn_in = (seq + 1) & 0xFFFFFFFF
        else:
            self.isn_out = (seq + 1) & 0xFFFFFFFF

    def stop(self) -> None:
        """Read no more payload of this flow."""
        self.on_out = self.on_in = None


def client_side_is_dst(sport: int, dport: int) -> bool:
    """For a flow first seen mid-conversation: is the packet's destination the client?"""
    return sport in SERVER_PORTS and dport not in SERVER_PORTS


def flow_record(state: FlowState) -> Flow:
    """The Flow record, named by DNS first, then SNI, then HTTP Host."""
    name: str | None
    source: NameSource | None
    if state.dns_name:
        name, source = state.dns_name, NameSource.DNS
    elif state.sni:
        name, source = state.sni, NameSource.SNI
    elif state.host:
        name, source = state.host, NameSource.HTTP
    else:
        name, source = None, None
    return Flow(
        key=state.key(),
        first_seen=state.first_seen,
        last_seen=state.last_seen,
        first_packet=state.first_packet,
        packets_out=state.pk_out,
        bytes_out=state.by_out,
        packets_in=state.pk_in,
        bytes_in=state.by_in,
        payload_out=state.pl_out,
        payload_in=state.pl_in,
        app_protocol=state.app,
        name=name,
        name_source=source,
    )
