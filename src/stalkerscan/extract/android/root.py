"""Root traces androidqf collects: ``root_binaries.json`` (a JSON list of the paths ``which -a``
found for su, busybox, magisk...) and ``selinux.txt`` (the output of ``getenforce``)."""

from __future__ import annotations

from stalkerscan.extract.android.common import ArtifactError, as_text, json_artifact

SELINUX_STATES = ("Enforcing", "Permissive", "Disabled")


def parse_root_binaries(data: str | bytes) -> tuple[str, ...]:
    """Every path found. ``which -a`` may print several paths in one string: they are split.

    Raises ArtifactError when the file is not a JSON list.
    """
    raw = json_artifact(data)
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ArtifactError("not a JSON list of paths")
    paths: list[str] = []
    for item in raw:
        if isinstance(item, str):
            paths += [p.strip() for p in item.splitlines() if p.strip().startswith("/")]
    return tuple(dict.fromkeys(paths))


def parse_selinux(data: str | bytes) -> str | None:
    """``Enforcing``, ``Permissive`` or ``Disabled``; None when the output says something else."""
    text = as_text(data).strip()
    for state in SELINUX_STATES:
        if text.lower().startswith(state.lower()):
            return state
    return None
