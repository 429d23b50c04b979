"""Domain name helpers: normalisation and label-suffix walking."""

from __future__ import annotations

from collections.abc import Iterator

from stalkerscan.model.packaged import read_packaged_text


def normalise_domain(name: str) -> str:
    """Lower-case; strip spaces, a trailing dot, a leading ``*.`` and defanging (``[.]``)."""
    value = name.strip().lower().replace("[.]", ".").rstrip(".")
    if value.startswith("*."):
        value = value[2:]
    return value


def label_suffixes(name: str) -> Iterator[str]:
    """Yield ``name`` then each parent on a label boundary: a.b.c -> a.b.c, b.c, c."""
    yield name
    start = name.find(".")
    while start != -1:
        yield name[start + 1 :]
        start = name.find(".", start + 1)


def read_suffix_list(text: str) -> frozenset[str]:
    """Parse a one-suffix-per-line list with ``#`` comments."""
    out: set[str] = set()
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            out.add(normalise_domain(entry))
    return frozenset(out)


def default_platform_suffixes() -> frozenset[str]:
    """The packaged list of shared-hosting suffixes (``data/platform_suffixes.txt``)."""
    text = read_packaged_text("data", "platform_suffixes.txt")
    return read_suffix_list(text)
