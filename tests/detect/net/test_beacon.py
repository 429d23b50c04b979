"""Beaconing: regular timers versus people."""

from __future__ import annotations

import random

import pytest

from stalkerscan.detect.net.beacon import contact_starts, regularity
from stalkerscan.detect.net.build import CaptureBuilder
from stalkerscan.detect.net.heuristics import run_heuristics
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import Severity

HOST = "poll.unknown-app.example"


def beacon_rules(times: list[float], host: str = HOST, burst: bool = False) -> list[str]:
    b = CaptureBuilder()
    b.dns(host, "51.15.20.30", at=0.5)
    for at in times:
        flow = b.flow("51.15.20.30", 443, at=at, app="tls", name=host, duration=0.7)
        b.tls(flow, host, version="TLS 1.3")
        if burst:
            b.flow("51.15.20.30", 443, at=at + 0.4, app="tls", name=host, duration=0.5)
    result = run_heuristics(b.build(), IndicatorIndex([]))
    return [f.rule for f in result.findings if f.subject == host]


def jittered(period: float, count: int, jitter: float, seed: int = 1) -> list[float]:
    rng = random.Random(seed)
    return [20.0 + period * i + rng.uniform(-jitter, jitter) * period for i in range(count)]


def test_regular_check_ins_fire() -> None:
    assert beacon_rules(jittered(60.0, 10, 0.05)) == ["net.flow.beaconing"]
    assert beacon_rules(jittered(300.0, 6, 0.1)) == ["net.flow.beaconing"]


def test_finding_words_give_interval_and_count() -> None:
    b = CaptureBuilder()
    b.dns(HOST, "51.15.20.30", at=0.5)
    for i in range(8):
        b.flow("51.15.20.30", 443, at=30.0 + 120.0 * i, app="tls", name=HOST)
    [hit] = run_heuristics(b.build(), IndicatorIndex([])).findings
    assert hit.severity is Severity.LOW
    assert "about every 2 min 0 s" in hit.title
    assert "8 times" in hit.explanation and "variation 0.00" in hit.explanation


def test_bursts_of_parallel_connections_are_one_contact() -> None:
    assert beacon_rules(jittered(60.0, 8, 0.02), burst=True) == ["net.flow.beaconing"]
    assert contact_starts([0.0, 0.5, 1.9, 60.0, 60.3]) == [0.0, 60.0]


@pytest.mark.parametrize("seed", range(20))
def test_random_use_does_not_fire(seed: int) -> None:
    rng = random.Random(seed)
    times, now = [], 5.0
    for _ in range(12):
        now += rng.expovariate(1 / 80)
        times.append(now)
    assert beacon_rules(times) == []


def test_too_few_too_fast_or_too_slow_do_not_fire() -> None:
    assert beacon_rules([20.0 + 60.0 * i for i in range(5)]) == []  # 5 contacts
    assert beacon_rules([20.0 + 5.0 * i for i in range(20)]) == []  # every 5 s
    assert beacon_rules([20.0 + 4000.0 * i for i in range(6)]) == []  # over an hour apart


def test_allowlisted_host_is_quiet() -> None:
    assert beacon_rules([20.0 + 60.0 * i for i in range(10)], host="mtalk.google.com") == []


def test_regularity_measures() -> None:
    found = regularity([0.0, 10.0, 20.0, 30.0])
    assert found is not None
    assert found.contacts == 4 and found.mean_interval == 10.0 and found.cv == 0.0
    assert not found.is_beacon  # fewer than 6 contacts
    assert regularity([5.0]) is None
    uneven = regularity([0.0, 10.0, 100.0, 110.0, 400.0, 410.0])
    assert uneven is not None and uneven.cv > 1.0
