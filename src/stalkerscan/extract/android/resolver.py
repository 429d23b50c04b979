"""``dumpsys package`` resolver tables: which components answer which intents.

``Activity Resolver Table:`` / ``Receiver Resolver Table:`` / ``Service Resolver Table:`` /
``Provider Resolver Table:`` hold sections (``Non-Data Actions:``, ``Full MIME Types:``,
``Schemes:``...), keys (an action, MIME type or scheme) and entries ``<hash> <pkg/class>`` with
``filter <hash>`` or ``(2 filters)``. The filter lines (``Action: "..."``, ``Category: "..."``) are
printed only by ``dumpsys package <pkg>``; the full dump of a phone lists entries without them, so
a package under ``android.intent.action.MAIN`` has a MAIN activity, launcher or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stalkerscan.extract.android.common import as_text, split_component
from stalkerscan.model.android import ResolverEntry

_TABLE = re.compile(r"^(Activity|Receiver|Service|Provider) Resolver Table:\s*$")
_ENTRY = re.compile(r"^\s+[0-9a-f]+ (\S+/\S+)")
_DETAIL = re.compile(r'^\s+(Action|Category): "(.*)"')

LAUNCHER_ACTION = "android.intent.action.MAIN"
LAUNCHER_CATEGORY = "android.intent.category.LAUNCHER"


@dataclass
class _Entry:
    table: str
    section: str
    key: str
    component: str
    package: str
    categories: list[str] = field(default_factory=list)
    shown: bool = False

    def build(self) -> ResolverEntry:
        return ResolverEntry(
            self.table,
            self.section,
            self.key,
            self.component,
            self.package,
            tuple(self.categories),
            self.shown,
        )


def _feed(line: str, table: str, state: dict[str, str], entries: list[_Entry]) -> None:
    entry = _ENTRY.match(line)
    if entry is not None and "key" in state:
        split = split_component(entry.group(1))
        if split is not None:
            entries.append(_Entry(table, state["section"], state["key"], split[0], split[1]))
        return
    detail = _DETAIL.match(line)
    if detail is not None:
        if entries:
            entries[-1].shown = True
            if detail.group(1) == "Category":
                entries[-1].categories.append(detail.group(2))
        return
    text = line.strip()
    if not text.endswith(":") or '"' in text:
        return
    indent = len(line) - len(line.lstrip(" "))
    if indent <= 3:
        state["section"] = text[:-1]
        state.pop("key", None)
    elif "section" in state:
        state["key"] = text[:-1]


def parse_resolver_tables(data: str | bytes) -> tuple[ResolverEntry, ...]:
    """Every entry of every resolver table in a dumpsys package section."""
    entries: list[_Entry] = []
    table: str | None = None
    state: dict[str, str] = {}
    for line in as_text(data).splitlines():
        header = _TABLE.match(line)
        if header is not None:
            table, state = header.group(1).lower(), {}
            continue
        if line.strip() and not line.startswith(" "):
            table = None
            continue
        if table is not None and line.strip():
            _feed(line, table, state, entries)
    return tuple(e.build() for e in entries)


def launcher_packages(entries: tuple[ResolverEntry, ...]) -> frozenset[str]:
    """Packages with an activity for MAIN (and LAUNCHER, where the filters were printed)."""
    return frozenset(
        e.package
        for e in entries
        if e.table == "activity"
        and e.key == LAUNCHER_ACTION
        and (not e.filter_shown or LAUNCHER_CATEGORY in e.categories)
    )
