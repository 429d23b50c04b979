"""Time loading the indicator sets and building the IndicatorIndex, against reference runs.

Sets: the Echap folder (ioc.yaml + watchware.yaml + samples.csv), the Echap STIX 2.1 bundle and
ISDi's app-flags.csv. References, timed in the same process on the same data:

* ``json.load`` of the STIX bundle (the floor for any STIX loader),
* a plain loop putting every loaded indicator value into one dict (the floor for any index).

Usage: ``python bench/bench_index.py [--data PATH_TO_SHARED_DATA] [--runs N]``.
Target: index build under 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.indicators.load import load_path
from stalkerscan.model import IndicatorSet

T = TypeVar("T")
TARGET_BUILD_S = 0.5
REPO = Path(__file__).resolve().parent.parent


def _timed(fn: Callable[[], T], runs: int) -> tuple[float, T]:
    """Median seconds over ``runs`` calls, and the last result."""
    times: list[float] = []
    result: T | None = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    assert result is not None
    return statistics.median(times), result


def _paths(data: Path) -> list[Path]:
    echap = data / "stalkerware-indicators"
    return [
        echap,
        echap / "generated" / "stalkerware.regenerated.stix2",
        data / "isdi" / "app-flags.csv",
    ]


def _load_all(paths: list[Path]) -> list[IndicatorSet]:
    return [s for p in paths for s in load_path(p)]


def _plain_loop(sets: list[IndicatorSet]) -> dict[str, int]:
    table: dict[str, int] = {}
    for s in sets:
        for ind in s.indicators:
            table[ind.value.lower()] = table.get(ind.value.lower(), 0) + 1
    return table


def _lookups(index: IndicatorIndex, names: list[str]) -> int:
    return sum(len(index.match_domain(n)) for n in names)


def main() -> int:
    default = Path(os.environ.get("STALKERSCAN_SHARED_DATA", REPO.parent / "shared" / "data"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default, help="the shared/data folder")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    paths = _paths(args.data)
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"missing test data: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2

    stix = paths[1]
    t_json, _ = _timed(lambda: json.loads(stix.read_bytes()), args.runs)
    t_load_stix, _ = _timed(lambda: load_path(stix), args.runs)
    t_load, sets = _timed(lambda: _load_all(paths), args.runs)
    t_loop, _ = _timed(lambda: _plain_loop(sets), args.runs)
    t_build, index = _timed(lambda: IndicatorIndex(sets), args.runs)
    names = [f"x{i}.unknown-host-{i}.example.com" for i in range(10_000)]
    t_lookup, _ = _timed(lambda: _lookups(index, names), args.runs)

    n_ind = sum(len(s.indicators) for s in sets)
    rows = [
        ("json.load of the STIX bundle (reference)", t_json, ""),
        ("load STIX bundle -> IndicatorSet", t_load_stix, f"{t_load_stix / t_json:.1f}x json"),
        ("load all 3 sets", t_load, f"{n_ind} indicators"),
        ("plain dict loop over all values (reference)", t_loop, ""),
        ("build IndicatorIndex", t_build, f"{t_build / t_loop:.1f}x loop"),
        ("10,000 domain lookups (no match)", t_lookup, f"{t_lookup / 10_000 * 1e6:.1f} us each"),
    ]
    print(f"Python {platform.python_version()} on {platform.machine()}, median of {args.runs}")
    print(f"{'step':<46} {'seconds':>8}  note")
    print("-" * 78)
    for label, seconds, note in rows:
        print(f"{label:<46} {seconds:>8.3f}  {note}")
    verdict = "OK" if t_build < TARGET_BUILD_S else "TOO SLOW"
    print(f"index build target < {TARGET_BUILD_S} s: {verdict}")
    return 0 if t_build < TARGET_BUILD_S else 1


if __name__ == "__main__":
    sys.exit(main())
