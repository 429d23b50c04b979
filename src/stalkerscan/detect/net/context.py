"""What every heuristic needs: the capture view, the lists, and the allowlist's quieting rule.

Heuristics judge the phone's Internet connections only: flows whose server is a public unicast
address, on ports other than DNS/DHCP/NTP/mDNS plumbing. Local-network chatter (printers, TVs,
the router), multicast and broadcast are never judged.

Quieting: a connection is about its first name (its own server name or Host, else the DNS name
of its address); if it has a name, only the domain allowlist can quiet it. An address range on the
allowlist quiets only connections that no name identified, because anyone can host a name behind a
big network. A TLS certificate on the allowlist quiets the connections that presented it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from stalkerscan.detect.net.lists import NetLists
from stalkerscan.detect.net.naming import CaptureView, build_view, is_ip, is_public
from stalkerscan.detect.net.thresholds import INFRASTRUCTURE_PORTS
from stalkerscan.indicators.allowlist import Allowlist
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model.net import Flow, FlowKey, HttpRequest, NetworkCapture, TlsRecord


@dataclass(frozen=True, slots=True)
class HeuristicContext:
    """One capture, indexed, with the lists and allowlist the heuristics use."""

    view: CaptureView
    index: IndicatorIndex
    allowlist: Allowlist
    lists: NetLists
    tls_by_key: Mapping[FlowKey, tuple[TlsRecord, ...]]
    http_by_key: Mapping[FlowKey, tuple[HttpRequest, ...]]
    flow_by_key: Mapping[FlowKey, Flow]
    internet_flows: tuple[Flow, ...]
    """The phone's Internet connections, in capture order."""

    def subject(self, flow: Flow) -> str:
        """The host a connection is about."""
        return self.view.flow_subject(flow)

    def key_subject(self, key: FlowKey, own_name: str | None = None) -> str:
        """The host of the flow with ``key`` (or of a record whose flow is missing)."""
        flow = self.flow_by_key.get(key)
        if flow is not None:
            return self.subject(flow)
        if own_name and not is_ip(own_name):
            return own_name.lower()
        names = self.view.ip_names.get(key.dst, ())
        return names[0] if names else key.dst

    def quiet(self, subject: str, key: FlowKey) -> bool:
        """True if the allowlist quiets heuristics for this host and connection."""
        for tls in self.tls_by_key.get(key, ()):
            for cert in tls.certificates:
                if cert.position == 0 and self.allowlist.tls_certificate_owner(cert.sha1):
                    return True
        if is_ip(subject):
            return self.allowlist.network_owner(subject) is not None
        return self.allowlist.domain_owner(subject) is not None

    def quiet_flow(self, flow: Flow) -> bool:
        return self.quiet(self.subject(flow), flow.key)

    def quiet_name(self, name: str) -> bool:
        return self.allowlist.domain_owner(name) is not None


def is_internet(key: FlowKey) -> bool:
    """A connection to a public server on a port that is not network plumbing."""
    return is_public(key.dst) and key.dport not in INFRASTRUCTURE_PORTS


def build_context(
    capture: NetworkCapture, index: IndicatorIndex, allowlist: Allowlist, lists: NetLists
) -> HeuristicContext:
    """Index ``capture`` once for all heuristics."""
    tls: dict[FlowKey, list[TlsRecord]] = defaultdict(list)
    for record in capture.tls:
        tls[record.key].append(record)
    http: dict[FlowKey, list[HttpRequest]] = defaultdict(list)
    for request in capture.http:
        http[request.key].append(request)
    return HeuristicContext(
        view=build_view(capture),
        index=index,
        allowlist=allowlist,
        lists=lists,
        tls_by_key={k: tuple(v) for k, v in tls.items()},
        http_by_key={k: tuple(v) for k, v in http.items()},
        flow_by_key={f.key: f for f in capture.flows},
        internet_flows=tuple(f for f in capture.flows if is_internet(f.key)),
    )
