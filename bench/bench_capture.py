"""Time ``stalkerscan scan`` on generated phone captures against tshark, nfstream and a plain loop.

Usage: ``python bench/bench_capture.py [--quick] [--sizes 100000,1000000] [--runs 3]
[--runs-large 3] [--format pcap|pcapng] [--indicators PATH ...] [--phases]``

A 1,000-packet capture comes first: it shows what each engine costs before it reads anything.
For each capture (generated into bench/out/ by bench/gen_capture.py when missing) every engine
runs in its own subprocess, round after round, with the file already in the page cache:

* ``stalkerscan scan FILE --json out.json --quiet``: the whole scan, end to end;
* ``extract_capture`` alone (the network extractor, without detection and report);
* ``tshark -r FILE -T fields -e dns.qry.name -e tls.handshake.extensions_server_name
  -e http.host`` (skipped with a note when tshark is not installed);
* nfstream's default flow export, from its own venv in bench/out/nfs so that it never becomes a
  stalkerscan dependency (skipped with a note when that venv is missing);
* a plain Python loop that walks the capture's records with ``struct``: the floor for Python.

Wall time is the median over the runs, peak RSS the largest over the runs (``os.wait4`` of each
child). The names found by the extractor are compared with tshark's as a correctness check.
Results also go to bench/out/bench_capture.json. Timings are not assertions: nothing here fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
NFS_PYTHON = OUT / "nfs" / "bin" / "python"
TSHARK_FIELDS = ("dns.qry.name", "tls.handshake.extensions_server_name", "http.host")
STARTUP_PACKETS = 1000
"""A capture this small measures what each engine costs before reading anything."""
TARGET_TSHARK_RATIO = 4.0
TARGET_RSS_MB = 150.0
NFS_HELP = (
    "nfstream: skipped, its venv is missing. To include it (kept out of stalkerscan's "
    "dependencies): python3 -m venv bench/out/nfs && bench/out/nfs/bin/pip install nfstream"
)
PARENT_NOTE = (
    "Linux carries a parent's peak RSS into a child across fork+exec, so this script stays "
    "small (captures are generated in a child) and prints its own peak as the baseline"
)
NO_CACHE_ENGINE = "stalkerscan scan, no indicator cache"
"""The same scan with STALKERSCAN_NO_CACHE=1: the indicator files are parsed as on a first scan."""
TSHARK_HELP = "tshark: skipped, not installed (Debian/Ubuntu: apt-get install -y tshark)"


# -- children: each runs in its own process, started by this same script -----------------------


def child_floor(path: Path) -> None:
    """Walk every record of a pcap or pcapng file with ``struct`` only; print the count."""
    with path.open("rb") as f:
        read, count = f.read, 0
        magic = read(4)
        if magic == b"\x0a\x0d\x0d\x0a":  # pcapng: walk blocks, count packet blocks
            order = "<" if read(8)[4:] == b"\x4d\x3c\x2b\x1a" else ">"
            block_head = struct.Struct(order + "II")
            f.seek(0)
            while len(block := read(8)) == 8:
                kind, size = block_head.unpack(block)
                read(size - 8)
                count += kind in (2, 3, 6)
        else:
            order = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
            rec = struct.Struct(order + "IIII")
            read(20)
            while len(head := read(16)) == 16:
                read(rec.unpack(head)[2])
                count += 1
    print(json.dumps({"packets": count}))


def child_extract(path: Path, names_out: Path) -> None:
    """Run the stalkerscan extractor alone; write the names it found for the comparison."""
    from stalkerscan.extract.net.capture import extract_capture  # noqa: PLC0415 - child only

    cap = extract_capture(path)
    names = {
        "dns": sorted({r.query for r in cap.dns if r.query}),
        "sni": sorted({r.sni for r in cap.tls if r.sni} | {r.sni for r in cap.quic if r.sni}),
        "host": sorted({r.host for r in cap.http if r.host}),
    }
    names_out.write_text(json.dumps(names))
    print(json.dumps({"packets": cap.summary.packets, "flows": len(cap.flows)}))


def child_phases(path: Path, indicators: list[Path]) -> None:
    """Time each step of a scan in this process, then profile the extractor alone."""
    import cProfile  # noqa: PLC0415 - child only
    import pstats  # noqa: PLC0415

    steps: dict[str, float] = {}
    start = time.perf_counter()
    from stalkerscan.cli.scan import load_index  # noqa: PLC0415 - the import is timed
    from stalkerscan.detect.net import detect_network  # noqa: PLC0415
    from stalkerscan.extract.net.capture import extract_capture  # noqa: PLC0415
    from stalkerscan.pipeline.hashing import sha256_input  # noqa: PLC0415

    steps["import stalkerscan (CLI, pipeline)"] = time.perf_counter() - start

    def timed(label: str, fn: Callable[[], T]) -> T:
        begin = time.perf_counter()
        value = fn()
        steps[label] = time.perf_counter() - begin
        return value

    index = timed("load indicator index", lambda: load_index(tuple(map(str, indicators))))
    timed("sha256 of the file", lambda: sha256_input(path))
    capture = timed("extract_capture", lambda: extract_capture(path))
    timed("detect_network", lambda: detect_network(capture, index, str(path)))
    profile = cProfile.Profile()
    profile.runcall(extract_capture, path)
    stats = pstats.Stats(profile)
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    top = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:14]  # type: ignore[attr-defined]
    functions = [
        {"function": f"{Path(f).name}:{line}({name})", "calls": nc, "own": tt / total}
        for (f, line, name), (_cc, nc, tt, _ct, _callers) in top
    ]
    print(json.dumps({"steps": steps, "profile": functions}))


def child_nfstream(path: Path) -> None:
    """nfstream's default flow export (run by the nfstream venv's Python)."""
    import nfstream  # noqa: PLC0415 - only in its own venv

    flows, names = 0, set[str]()
    for flow in nfstream.NFStreamer(source=str(path)):
        flows += 1
        if flow.requested_server_name:
            names.add(flow.requested_server_name)
    print(json.dumps({"flows": flows, "names": len(names), "version": nfstream.__version__}))


# -- measuring ----------------------------------------------------------------------------------


@dataclass
class Result:
    """One engine on one capture."""

    engine: str
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    rss_mb: float = 0.0
    output: dict[str, object] = field(default_factory=dict)
    failed: str | None = None

    @property
    def wall(self) -> float:
        """Median wall seconds."""
        return statistics.median(self.walls)


def child_env(no_cache: bool = False) -> dict[str, str]:
    """Children get a bytecode cache in bench/out/pycache, as an installed package has (this
    environment may set PYTHONDONTWRITEBYTECODE, which would make every run recompile
    stalkerscan's sources), and a stalkerscan home in bench/out/home for the indicator cache;
    ``no_cache`` turns that cache off (what a first scan costs)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    env["STALKERSCAN_HOME"] = str(OUT / "home")
    if no_cache:
        env["STALKERSCAN_NO_CACHE"] = "1"
    return env


def run_child(cmd: list[str], result: Result, stdout: Path) -> None:
    """Run ``cmd``, adding its wall time, CPU time and peak RSS to ``result``."""
    err_path = stdout.with_suffix(".err")
    env = child_env(no_cache=result.engine == NO_CACHE_ENGINE)
    with stdout.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = err_path.read_text(errors="replace").strip().splitlines()[-3:]
        result.failed = f"exit {proc.returncode}: {' | '.join(tail)}"
        return
    result.walls.append(wall)
    result.cpus.append(usage.ru_utime + usage.ru_stime)
    scale = 1e6 if sys.platform == "darwin" else 1024.0  # bytes on macOS, KiB on Linux
    result.rss_mb = max(result.rss_mb, usage.ru_maxrss / scale)
    text = stdout.read_text(errors="replace").strip()
    if text.startswith("{"):
        result.output = json.loads(text.splitlines()[-1])


def stalkerscan_command() -> list[str] | None:
    """The ``stalkerscan`` console script of this interpreter's environment."""
    script = Path(sys.executable).parent / "stalkerscan"
    if script.is_file():
        return [str(script)]
    found = shutil.which("stalkerscan")
    return [found] if found else None


def engine_commands(path: Path, indicators: list[Path]) -> tuple[dict[str, list[str]], list[str]]:
    """Command of each available engine, and notes on the ones skipped."""
    me, notes = [sys.executable, str(Path(__file__).resolve())], []
    cmds: dict[str, list[str]] = {}
    scan = stalkerscan_command()
    if scan:
        extra = [arg for p in indicators for arg in ("--indicators", str(p))]
        report = OUT / f"{path.stem}.report.json"
        cmds["stalkerscan scan"] = [*scan, "scan", str(path), "--json", str(report), "--quiet"]
        cmds["stalkerscan scan"] += extra
        cmds[NO_CACHE_ENGINE] = cmds["stalkerscan scan"]
    else:
        notes.append("stalkerscan scan: skipped, the stalkerscan command is not installed")
    cmds["extract_capture only"] = [*me, "--child-extract", str(path)]
    tshark = shutil.which("tshark")
    if tshark:
        fields = [arg for name in TSHARK_FIELDS for arg in ("-e", name)]
        cmds["tshark -T fields"] = [tshark, "-r", str(path), "-T", "fields", *fields]
    else:
        notes.append(TSHARK_HELP)
    if NFS_PYTHON.is_file():
        cmds["nfstream"] = [str(NFS_PYTHON), str(Path(__file__).resolve()), "--child-nfstream"]
        cmds["nfstream"].append(str(path))
    else:
        notes.append(NFS_HELP)
    cmds["python struct loop (floor)"] = [*me, "--child-floor", str(path)]
    return cmds, notes


def warm(path: Path) -> None:
    """Read the whole file once so every engine finds it in the page cache."""
    buffer = bytearray(1 << 20)
    with path.open("rb", buffering=0) as f:
        while f.readinto(buffer):
            pass


def measure(path: Path, runs: int, indicators: list[Path]) -> tuple[list[Result], list[str]]:
    """Every engine on ``path``, ``runs`` rounds (engines take turns inside a round)."""
    cmds, notes = engine_commands(path, indicators)
    results = {name: Result(name) for name in cmds}
    for stale in (*OUT.glob(f"{path.stem}.*.out"), OUT / f"{path.stem}.extract-names.json"):
        stale.unlink(missing_ok=True)  # compare only what this run wrote
    warm(path)
    for name in ("stalkerscan scan", "extract_capture only"):
        if name in cmds:  # untimed: fills the bytecode and indicator caches
            subprocess.run(cmds[name], capture_output=True, env=child_env(), check=False)
    for round_no in range(runs):
        for name, cmd in cmds.items():
            res = results[name]
            if res.failed:
                continue
            slug = name.split()[0].strip("(")
            run_child(cmd, res, OUT / f"{path.stem}.{slug}.out")
            done = f"{res.walls[-1]:.2f} s" if not res.failed else f"FAILED ({res.failed})"
            print(f"  round {round_no + 1}/{runs}  {name:<28} {done}", flush=True)
    return list(results.values()), notes


# -- reporting ----------------------------------------------------------------------------------


def tshark_names(out: Path) -> dict[str, set[str]]:
    """Distinct values of each tshark field column (a cell may hold several, comma-separated)."""
    names: dict[str, set[str]] = {"dns": set(), "sni": set(), "host": set()}
    with out.open(errors="replace") as f:
        for line in f:
            for kind, cell in zip(names, line.rstrip("\n").split("\t"), strict=False):
                names[kind].update(v for v in cell.split(",") if v)
    return names


def host_without_port(host: str) -> str:
    """``"1.2.3.4:8080"`` -> ``"1.2.3.4"``, ``"[2001:db8::1]:80"`` -> ``"2001:db8::1"``."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def compare_names(path: Path) -> list[str]:
    """Lines saying whether the extractor found the same names as tshark."""
    mine_file = OUT / f"{path.stem}.extract-names.json"
    theirs_file = OUT / f"{path.stem}.tshark.out"
    if not (mine_file.is_file() and theirs_file.is_file()):
        return []
    mine = {k: set(v) for k, v in json.loads(mine_file.read_text()).items()}
    theirs = tshark_names(theirs_file)
    # stalkerscan's model keeps DNS names and HTTP hosts lower-cased, hosts without their port
    theirs["dns"] = {name.lower() for name in theirs["dns"]}
    theirs["host"] = {host_without_port(host.lower()) for host in theirs["host"]}
    lines = []
    for kind, label in (
        ("dns", "DNS query names"),
        ("sni", "TLS+QUIC SNIs"),
        ("host", "HTTP hosts"),
    ):
        only_mine, only_theirs = mine[kind] - theirs[kind], theirs[kind] - mine[kind]
        verdict = "same set"
        if only_mine or only_theirs:
            verdict = f"DIFFER: only stalkerscan {sorted(only_mine)[:3]}, "
            verdict += f"only tshark {sorted(only_theirs)[:3]}"
        lines.append(
            f"{label}: stalkerscan {len(mine[kind]):,}, tshark {len(theirs[kind]):,} ({verdict})"
        )
    return lines


def _ratio(results: dict[str, Result], top: str, bottom: str) -> float | None:
    a, b = results.get(top), results.get(bottom)
    if a is None or b is None or not a.walls or not b.walls:
        return None
    return a.wall / b.wall


def report(path: Path, results: list[Result], notes: list[str]) -> dict[str, object]:
    """Print one capture's table and ratios; return them for the JSON summary."""
    by_name = {r.engine: r for r in results}
    floor = by_name["python struct loop (floor)"]
    packets = int(str(floor.output.get("packets", 0)))
    size_mb = path.stat().st_size / 1e6
    print(f"\n{path.name}: {packets:,} packets, {size_mb:.1f} MB")
    if packets <= STARTUP_PACKETS:
        print("(so small that it shows each engine's start-up cost)")
    print("| engine | wall s | CPU s | packets/s | MB/s | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        if r.failed or not r.walls:
            print(f"| {r.engine} | failed: {r.failed} | | | | |")
            continue
        cpu = statistics.median(r.cpus)
        print(
            f"| {r.engine} | {r.wall:.2f} | {cpu:.2f} | {packets / r.wall / 1e3:,.0f} k "
            f"| {size_mb / r.wall:.0f} | {r.rss_mb:.0f} |"
        )
    scan = "stalkerscan scan"
    ratios = {
        "tshark / stalkerscan scan": _ratio(by_name, "tshark -T fields", scan),
        "nfstream / stalkerscan scan": _ratio(by_name, "nfstream", scan),
        "tshark / scan with no indicator cache": _ratio(
            by_name, "tshark -T fields", NO_CACHE_ENGINE
        ),
        "stalkerscan scan / floor": _ratio(by_name, scan, floor.engine),
        "extract_capture / floor": _ratio(by_name, "extract_capture only", floor.engine),
        "tshark / extract_capture": _ratio(by_name, "tshark -T fields", "extract_capture only"),
    }
    for name, value in ratios.items():
        shown = f"{value:.2f}x" if value is not None else "n/a"
        goal = {"tshark / stalkerscan scan": f" (target >= {TARGET_TSHARK_RATIO:g}x)",
                "nfstream / stalkerscan scan": " (target > 1x)"}.get(name, "")  # fmt: skip
        print(f"  {name}: {shown}{goal}")
    found = compare_names(path)
    for line in found:
        print(f"  {line}")
    for note in notes:
        print(f"  note: {note}")
    return {
        "file": path.name, "packets": packets, "megabytes": round(size_mb, 1),
        "results": [asdict(r) | {"wall": r.wall if r.walls else None} for r in results],
        "ratios": ratios, "names": found, "notes": notes,
    }  # fmt: skip


def phases(path: Path, indicators: list[Path]) -> dict[str, object]:
    """Run :func:`child_phases` in a child and print its steps and the extractor's hot spots."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child-phases", str(path)]
    cmd += [arg for p in indicators for arg in ("--indicators", str(p))]
    done = subprocess.run(cmd, capture_output=True, text=True, env=child_env(), check=False)
    if done.returncode != 0:
        print(f"  phases: failed ({done.stderr.strip().splitlines()[-1:]})")
        return {}
    found: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    steps: dict[str, float] = found["steps"]  # type: ignore[assignment]
    print(f"\nsteps of a scan of {path.name}, in one process (seconds):")
    for label, seconds in steps.items():
        print(f"  {label:<36} {seconds:6.2f}")
    print("extract_capture under cProfile, own time by function (profiling inflates calls):")
    for row in found["profile"]:  # type: ignore[attr-defined]
        print(f"  {row['own']:6.1%}  {row['calls']:>9,}  {row['function']}")
    return found


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        model = [ln for ln in cpuinfo.read_text().splitlines() if ln.startswith("model name")]
        cpu = model[0].split(":", 1)[1].strip() if model else cpu
    tshark = shutil.which("tshark")
    version = "absent"
    if tshark:
        first = subprocess.run([tshark, "--version"], capture_output=True, text=True, check=False)
        version = first.stdout.splitlines()[0] if first.stdout else "unknown"
    probe = "from stalkerscan.extract.net import packet_loop_compiled as c; print(c())"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    compiled = {"True": "compiled (mypyc)", "False": "plain Python"}.get(done.stdout.strip(), "?")
    return {
        "cpus": str(os.cpu_count()), "cpu": cpu, "python": platform.python_version(),
        "system": platform.platform(), "tshark": version, "packet loop": compiled,
    }  # fmt: skip


def default_indicators() -> list[Path]:
    """The Echap set from the shared test data if it is there (as tests/conftest.py finds it)."""
    env = os.environ.get("STALKERSCAN_SHARED_DATA")
    repo = BENCH.parent
    for data in [Path(env)] if env else [repo.parent / "shared" / "data"]:
        echap = data / "stalkerware-indicators"
        if (echap / "ioc.yaml").is_file():
            return [echap]
    return []


def capture_file(count: int, fmt: str, seed: int) -> Path:
    """The generated capture of ``count`` packets, made now if it is not in bench/out yet."""
    label = f"{count // 1_000_000}m" if count % 1_000_000 == 0 else f"{count // 1000}k"
    path = OUT / f"phone-{label}-s{seed}.{fmt}"
    if not path.is_file():
        # in a child: this process must stay small (see PARENT_NOTE)
        gen = [sys.executable, str(BENCH / "gen_capture.py"), str(count), str(path)]
        gen += ["--seed", str(seed), "--format", fmt]
        subprocess.run(gen, check=True)
    return path


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one 20k-packet capture, one run")
    parser.add_argument("--sizes", default="100000,1000000", help="packet counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs for captures under 500k packets")
    parser.add_argument("--runs-large", type=int, default=3, help="runs for larger captures")
    parser.add_argument("--format", choices=("pcap", "pcapng"), default="pcap")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--indicators",
        type=Path,
        action="append",
        default=[],
        help="indicator set for stalkerscan scan (default: the Echap set of the shared test data)",
    )
    parser.add_argument(
        "--no-indicators", action="store_true", help="scan with the installed sets only"
    )
    parser.add_argument(
        "--phases", action="store_true", help="also time each step of a scan and profile extraction"
    )
    parser.add_argument("--child-floor", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-phases", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-extract", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-nfstream", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_floor:
        child_floor(args.child_floor)
        return 0
    if args.child_extract:
        child_extract(args.child_extract, OUT / f"{args.child_extract.stem}.extract-names.json")
        return 0
    if args.child_phases:
        child_phases(args.child_phases, args.indicators)
        return 0
    if args.child_nfstream:
        child_nfstream(args.child_nfstream)
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    if not args.indicators and not args.no_indicators:
        args.indicators = default_indicators()
    shown = ", ".join(map(str, args.indicators)) or "the installed sets (none given)"
    print(f"indicators for stalkerscan scan: {shown}")
    sizes = [20_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    if not args.quick:
        sizes.insert(0, STARTUP_PACKETS)
    info = machine()
    print(", ".join(f"{k}: {v}" for k, v in info.items()))
    summary: dict[str, object] = {"machine": info, "captures": []}
    for count in sizes:
        path = capture_file(count, args.format, args.seed)
        runs = 1 if args.quick else (args.runs if count < 500_000 else args.runs_large)
        print(f"{path.name}: {runs} run(s) of each engine", flush=True)
        results, notes = measure(path, runs, args.indicators)
        summary["captures"].append(report(path, results, notes))  # type: ignore[attr-defined]
        if args.phases:
            summary[f"phases {path.name}"] = phases(path, args.indicators)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (
        1e6 if sys.platform == "darwin" else 1024.0
    )
    print(f"\nthis script's own peak RSS: {own:.0f} MB (no child can show less: {PARENT_NOTE})")
    summary["bench_process_rss_mb"] = round(own, 1)
    (OUT / "bench_capture.json").write_text(json.dumps(summary, indent=2))
    print(f"\nresults saved to {OUT / 'bench_capture.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
