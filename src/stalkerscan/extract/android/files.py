"""androidqf ``files.json``: files found on the phone.

A JSON list (or one JSON object per line) of ``{path, size, mode, user_id, user_name, group_id,
group_name, changed_time, modified_time, access_time, error, context, sha1, sha256, sha512, md5}``
(times in POSIX seconds). Without the collector only ``path``, ``mode``, ``size``, user, group and
``modified_time`` are filled, or only ``path``.
"""

from __future__ import annotations

import json
from typing import Any

from stalkerscan.extract.android.common import (
    ArtifactError,
    as_text,
    epoch_to_iso,
    none_if_empty,
    parse_int,
)
from stalkerscan.model.android import FileEntry

USER_CA_FOLDER = "/data/misc/user/"
"""User-installed CA certificates live in ``/data/misc/user/<user>/cacerts-added/``."""


def _owner(raw: dict[str, Any], name_key: str, id_key: str) -> str | None:
    name = none_if_empty(raw.get(name_key))
    if name is not None:
        return name
    number = parse_int(raw.get(id_key))
    return None if number is None else str(number)


def _entry(raw: dict[str, Any]) -> FileEntry | None:
    path = none_if_empty(raw.get("path"))
    if path is None:
        return None
    mode = raw.get("mode")
    return FileEntry(
        path=path,
        size=parse_int(raw.get("size")),
        mode=str(mode) if mode not in (None, "") else None,
        user=_owner(raw, "user_name", "user_id"),
        group=_owner(raw, "group_name", "group_id"),
        modified=epoch_to_iso(raw.get("modified_time")),
        changed=epoch_to_iso(raw.get("changed_time")),
        accessed=epoch_to_iso(raw.get("access_time")),
        md5=none_if_empty(raw.get("md5")),
        sha1=none_if_empty(raw.get("sha1")),
        sha256=none_if_empty(raw.get("sha256")),
        context=none_if_empty(raw.get("context")),
        error=none_if_empty(raw.get("error")),
    )


def _objects(text: str) -> list[Any]:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as whole:
        lines = [line for line in text.splitlines() if line.strip()]
        try:
            return [json.loads(line) for line in lines]
        except json.JSONDecodeError:
            msg = f"not valid JSON ({whole.msg} at line {whole.lineno})"
            raise ArtifactError(msg) from whole
    if isinstance(raw, dict):
        return [raw]
    if not isinstance(raw, list):
        raise ArtifactError("not a JSON list of files")
    return raw


def parse_files(data: str | bytes) -> tuple[FileEntry, ...]:
    """Every file listed; entries without a path are skipped. Raises ArtifactError if unreadable."""
    text = as_text(data).strip()
    if not text:
        raise ArtifactError("the file is empty")
    parsed = [_entry(item) for item in _objects(text) if isinstance(item, dict)]
    return tuple(f for f in parsed if f is not None)


def user_ca_certificates(files: tuple[FileEntry, ...]) -> tuple[FileEntry, ...]:
    """Files that are user-installed CA certificates (``/data/misc/user/N/cacerts-added/``)."""
    return tuple(
        f for f in files if f.path.startswith(USER_CA_FOLDER) and "/cacerts-added/" in f.path
    )
