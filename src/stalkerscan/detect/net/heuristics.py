"""The heuristic checks, run together, then grouped per host.

Each check returns at most one finding per host (a name, or an address when nothing named it).
Hosts on the allowlist are quieted (see ``context``), except for the information rule on encrypted
DNS and the dual-use rule, which are about the service itself.
"""

from __future__ import annotations

from collections.abc import Callable

from stalkerscan.detect.base import DetectorResult
from stalkerscan.detect.net.beacon import beaconing
from stalkerscan.detect.net.context import HeuristicContext, build_context
from stalkerscan.detect.net.grouping import group_host_signs
from stalkerscan.detect.net.heur_flows import (
    cleartext_data,
    http_nonstandard_port,
    tls_nonstandard_port,
    unnamed_address,
    upload_heavy,
)
from stalkerscan.detect.net.heur_names import (
    dual_use_service,
    dynamic_dns,
    encrypted_dns,
    suspicious_tld,
)
from stalkerscan.detect.net.heur_tls import free_issuer, self_signed, tor
from stalkerscan.detect.net.lists import NetLists, packaged_net_lists
from stalkerscan.detect.net.naming import CaptureView
from stalkerscan.indicators.allowlist import Allowlist, packaged_allowlist
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import Finding
from stalkerscan.model.net import NetworkCapture

Check = Callable[[HeuristicContext], list[Finding]]

CHECKS: tuple[Check, ...] = (
    tls_nonstandard_port,
    http_nonstandard_port,
    cleartext_data,
    self_signed,
    free_issuer,
    unnamed_address,
    dynamic_dns,
    suspicious_tld,
    encrypted_dns,
    tor,
    dual_use_service,
    beaconing,
    upload_heavy,
)
"""Every heuristic check, one per rule, in a fixed order."""


def run_heuristics(
    capture: NetworkCapture,
    index: IndicatorIndex,
    allowlist: Allowlist | None = None,
    lists: NetLists | None = None,
    *,
    view: CaptureView | None = None,
) -> DetectorResult:
    """All heuristics over one capture, with per-host grouping (``view``: if already built)."""
    ctx = build_context(
        capture,
        index,
        packaged_allowlist() if allowlist is None else allowlist,
        packaged_net_lists() if lists is None else lists,
        view,
    )
    findings = [finding for check in CHECKS for finding in check(ctx)]
    return DetectorResult(findings=group_host_signs(findings))
