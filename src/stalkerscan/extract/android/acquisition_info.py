"""Acquisition metadata: androidqf ``acquisition.json`` and the header of a bugreport's dumpstate.

``acquisition.json`` (androidqf ``acquisition/acquisition.go``): ``uuid, androidqf_version,
adb_host_public_key (recent), storage_path, started, completed (RFC 3339 UTC), collector (object or
null), tmp_dir, sdcard, cpu, streaming_mode``. The dumpstate header starts
``== dumpstate: 2024-03-21 11:07:22`` and later says ``Bugreport format version: 2.0``.
"""

from __future__ import annotations

import re

from stalkerscan.extract.android.common import (
    ArtifactError,
    as_text,
    json_artifact,
    local_time,
    none_if_empty,
)
from stalkerscan.model.android import AcquisitionInfo, AndroidSource
from stalkerscan.model.finding import NotChecked

_DUMPSTATE = re.compile(r"^== dumpstate: (.+)$", re.MULTILINE)
_FORMAT = re.compile(r"^Bugreport format version: (\S+)", re.MULTILINE)
_HEADER_BYTES = 8192


def empty_info(source: AndroidSource) -> AcquisitionInfo:
    """Metadata when the input says nothing about itself."""
    return AcquisitionInfo(source, None, None, None, None, None, None, None)


def parse_acquisition_json(data: str | bytes, source: AndroidSource) -> AcquisitionInfo:
    """The acquisition's metadata. Raises ArtifactError when it is not a JSON object."""
    raw = json_artifact(data)
    if not isinstance(raw, dict):
        raise ArtifactError("not a JSON object")
    collector = raw.get("collector")
    tool = none_if_empty(raw.get("androidqf_version"))
    ours = none_if_empty(raw.get("stalkerscan_version"))
    if tool is None and ours is not None:
        tool = f"stalkerscan {ours}"
    return AcquisitionInfo(
        source=source,
        uuid=none_if_empty(raw.get("uuid")),
        tool_version=tool,
        started=none_if_empty(raw.get("started")),
        completed=none_if_empty(raw.get("completed")),
        collector=None if "collector" not in raw else isinstance(collector, dict),
        adb_host_public_key=none_if_empty(raw.get("adb_host_public_key")),
        tmp_dir=none_if_empty(raw.get("tmp_dir")),
        not_collected=_not_collected(raw.get("not_collected")),
    )


def _not_collected(raw: object) -> tuple[NotChecked, ...]:
    """``not_collected`` entries ``{"what", "why"}`` as written by ``stalkerscan acquire``."""
    if not isinstance(raw, list):
        return ()
    return tuple(
        NotChecked(f"{entry['what']} (not collected from the phone)", str(entry.get("why", "")))
        for entry in raw
        if isinstance(entry, dict) and isinstance(entry.get("what"), str)
    )


def parse_dumpstate_header(data: str | bytes, source: AndroidSource) -> AcquisitionInfo:
    """When the bugreport was taken (phone time) and its format version."""
    head = as_text(data[:_HEADER_BYTES])
    when = _DUMPSTATE.search(head)
    version = _FORMAT.search(head)
    return AcquisitionInfo(
        source=source,
        uuid=None,
        tool_version=f"bugreport format {version.group(1)}" if version else None,
        started=local_time(when.group(1)) if when else None,
        completed=None,
        collector=None,
        adb_host_public_key=None,
        tmp_dir=None,
    )
