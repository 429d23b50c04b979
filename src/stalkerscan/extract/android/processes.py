"""Running processes: a ``ps`` table (``processes.txt``, ``ps.txt``, the bugreport's
``PROCESSES AND THREADS`` section) or the collector's JSON list (``processes.json``; older
androidqf wrote that JSON into ``processes.txt``).

The table is read by its header, so ``ps -A``, ``ps -A -Z`` (label first) and ``ps -A -T -Z -O ...``
(threads: only rows whose TID is the PID are kept) all parse; the last column (NAME, CMD or ARGS)
may contain spaces.
"""

from __future__ import annotations

from typing import Any

from stalkerscan.extract.android.common import ArtifactError, as_text, json_artifact, parse_int
from stalkerscan.model.android import Process

_NAME_COLUMNS = ("NAME", "CMD", "ARGS", "COMMAND", "CMDLINE")


def _row(header: list[str], line: str) -> Process | None:
    parts = line.split(None, len(header) - 1)
    if len(parts) < 2:
        return None
    # A short row lacks an empty middle column (WCHAN): the left columns and the name still hold.
    row = dict(zip(header[:-1], parts[:-1], strict=False))
    row[header[-1]] = parts[-1]
    pid = parse_int(row.get("PID"))
    if pid is None:
        return None
    tid = parse_int(row.get("TID"))
    if tid is not None and tid != pid:
        return None
    name = row[header[-1]].strip()
    return Process(
        pid=pid,
        ppid=parse_int(row.get("PPID")),
        user=row.get("USER"),
        uid=parse_int(row.get("UID")),
        name=name,
        label=row.get("LABEL"),
        command_line=tuple(name.split()) if header[-1] in ("ARGS", "CMDLINE") else (),
    )


def _table(text: str) -> tuple[Process, ...]:
    header: list[str] | None = None
    out: list[Process] = []
    for line in text.splitlines():
        words = line.split()
        if "PID" in words and words[-1] in _NAME_COLUMNS:
            header = words
            continue
        if header is not None and line.strip():
            process = _row(header, line)
            if process is not None:
                out.append(process)
    return tuple(out)


def _json_process(raw: dict[str, Any]) -> Process | None:
    pid = parse_int(raw.get("pid"))
    if pid is None:
        return None
    cmdline = raw.get("command_line")
    args = tuple(str(a) for a in cmdline) if isinstance(cmdline, list) else ()
    comm = str(raw.get("filename") or "").strip("()")
    name = args[0] if args else comm
    return Process(
        pid=pid,
        ppid=parse_int(raw.get("ppid")),
        user=None,
        uid=parse_int(raw.get("uid")),
        name=name or f"pid {pid}",
        label=str(raw["context"]) if raw.get("context") else None,
        command_line=args,
    )


def parse_processes(data: str | bytes) -> tuple[Process, ...]:
    """Every process of a ps table or collector JSON list.

    Raises ArtifactError when the data looks like JSON but is not a readable list.
    """
    text = as_text(data).strip()
    if not text:
        raise ArtifactError("the file is empty")
    if text[0] in "[{":
        raw = json_artifact(text)
        if not isinstance(raw, list):
            raise ArtifactError("not a JSON list of processes")
        parsed = [_json_process(p) for p in raw if isinstance(p, dict)]
        return tuple(p for p in parsed if p is not None)
    return _table(text)
