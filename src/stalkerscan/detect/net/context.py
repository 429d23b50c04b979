"""What every heuristic needs: the capture view, the lists, and the allowlist's quieting rule.

Heuristics judge the phone's Internet connections only: flows whose server is a public unicast
address, on ports other than DNS/DHCP/NTP/mDNS plumbing. Local-network chatter (printers, TVs,
the router), multicast and broadcast are never judged.

Quieting: a connection is about its first name (its own server name or Host, else the DNS name
of its address); if it has a name, only the domain allowlist can quiet it. An address range on the
allowlist quiets only connections that no name identified, because anyone can host a name behind a
big network. A TLS certificate on the allowlist quiets the connections that presented it.

The allowlist is asked once per distinct host and certificate, never once per connection.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

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
    certificate_quiet: frozenset[FlowKey] = frozenset()
    """Connections whose server certificate is on the allowlist."""
    loud_by_subject: Mapping[str, tuple[Flow, ...]] = field(default_factory=dict)
    """Internet connections the allowlist does not quiet, by host (sorted), in capture order."""
    _quiet_hosts: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)
    """Memo of the allowlist's answer per host (a name, or an address nothing named)."""
    _quiet_names: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)
    """Memo of the domain allowlist's answer per name."""

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
        if self.certificate_quiet and key in self.certificate_quiet:
            return True
        known = self._quiet_hosts.get(subject)
        if known is None:
            if is_ip(subject):
                known = self.allowlist.network_owner(subject) is not None
            else:
                known = self.allowlist.domain_owner(subject) is not None
            self._quiet_hosts[subject] = known
        return known

    def quiet_flow(self, flow: Flow) -> bool:
        return self.quiet(self.subject(flow), flow.key)

    def quiet_name(self, name: str) -> bool:
        known = self._quiet_names.get(name)
        if known is None:
            known = self._quiet_names[name] = self.allowlist.domain_owner(name) is not None
        return known


def is_internet(key: FlowKey) -> bool:
    """A connection to a public server on a port that is not network plumbing."""
    return key.dport not in INFRASTRUCTURE_PORTS and is_public(key.dst)


def _certificate_quiet(capture: NetworkCapture, allowlist: Allowlist) -> frozenset[FlowKey]:
    """Keys of the connections whose server certificate (position 0) is on the allowlist."""
    owned: dict[str, bool] = {}
    keys: set[FlowKey] = set()
    for record in capture.tls:
        for cert in record.certificates:
            if cert.position != 0:
                continue
            listed = owned.get(cert.sha1)
            if listed is None:
                listed = owned[cert.sha1] = bool(allowlist.tls_certificate_owner(cert.sha1))
            if listed:
                keys.add(record.key)
    return frozenset(keys)


def _by_key(
    capture: NetworkCapture,
) -> tuple[dict[FlowKey, tuple[TlsRecord, ...]], dict[FlowKey, tuple[HttpRequest, ...]]]:
    tls: dict[FlowKey, list[TlsRecord]] = defaultdict(list)
    for record in capture.tls:
        tls[record.key].append(record)
    http: dict[FlowKey, list[HttpRequest]] = defaultdict(list)
    for request in capture.http:
        http[request.key].append(request)
    return {k: tuple(v) for k, v in tls.items()}, {k: tuple(v) for k, v in http.items()}


def build_context(
    capture: NetworkCapture,
    index: IndicatorIndex,
    allowlist: Allowlist,
    lists: NetLists,
    view: CaptureView | None = None,
) -> HeuristicContext:
    """Index ``capture`` once for all heuristics (``view``: its view, if already built)."""
    tls_by_key, http_by_key = _by_key(capture)
    ctx = HeuristicContext(
        view=build_view(capture) if view is None else view,
        index=index,
        allowlist=allowlist,
        lists=lists,
        tls_by_key=tls_by_key,
        http_by_key=http_by_key,
        flow_by_key={f.key: f for f in capture.flows},
        internet_flows=tuple(f for f in capture.flows if is_internet(f.key)),
        certificate_quiet=_certificate_quiet(capture, allowlist),
    )
    loud: dict[str, list[Flow]] = defaultdict(list)
    for flow in ctx.internet_flows:
        subject = ctx.subject(flow)
        if not ctx.quiet(subject, flow.key):
            loud[subject].append(flow)
    return replace(ctx, loud_by_subject={k: tuple(loud[k]) for k in sorted(loud)})
