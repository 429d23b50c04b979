"""A small, real parser for the STIX 2.1 patterns indicator feeds use: one bracketed comparison.

``[domain-name:value='x.example']``, ``[file:hashes.'SHA-256'='ab12...']``. The value is a
single-quoted string where ``\\'`` is a quote and ``\\\\`` a backslash, so values holding ``=``,
``]`` or quotes load (a plain ``split("=")`` aborts on them). Anything else a pattern can say
(``AND``/``OR``, several observations, qualifiers such as ``WITHIN``, operators other than ``=``,
list indexes) raises :class:`UnsupportedPattern`: one comparison is what we can match offline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OBJECT_TYPE = re.compile(r"[a-z0-9][a-z0-9-]*")
_PROPERTY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
_WORD = re.compile(r"[A-Za-z]+")
_ESCAPES = {"'": "'", "\\": "\\"}


class PatternError(ValueError):
    """The pattern is not valid STIX pattern syntax."""


class UnsupportedPattern(ValueError):
    """The pattern is valid but says more than one plain comparison."""


@dataclass(frozen=True, slots=True)
class Comparison:
    """``[object_type:path = 'value']``."""

    object_type: str
    """The STIX cyber-observable type (``domain-name``, ``file``, ``app`` ...)."""
    path: tuple[str, ...]
    """The property path, quotes removed (``("hashes", "SHA-256")``)."""
    value: str
    """The compared string, escapes resolved."""

    @property
    def key(self) -> str:
        """``object_type:path`` with the path joined by dots (``file:hashes.SHA-256``)."""
        return f"{self.object_type}:{'.'.join(self.path)}"


class _Scanner:
    __slots__ = ("pos", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, char: str, what: str) -> None:
        self.skip_space()
        if self.peek() != char:
            found = repr(self.peek()) if self.peek() else "the end"
            raise PatternError(f"expected {what} at position {self.pos}, found {found}")
        self.pos += 1

    def match(self, regex: re.Pattern[str]) -> str | None:
        found = regex.match(self.text, self.pos)
        if found is None:
            return None
        self.pos = found.end()
        return found.group()

    def quoted(self) -> str:
        """A single-quoted string; the scanner stands on the opening quote."""
        self.pos += 1
        out: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\":
                nxt = self.text[self.pos + 1 : self.pos + 2]
                if nxt not in _ESCAPES:
                    raise PatternError(f"invalid escape '\\{nxt}' at position {self.pos}")
                out.append(_ESCAPES[nxt])
                self.pos += 2
            elif char == "'":
                self.pos += 1
                return "".join(out)
            else:
                out.append(char)
                self.pos += 1
        raise PatternError("a quoted string is not closed")


def _path(scan: _Scanner) -> tuple[str, ...]:
    parts: list[str] = []
    while True:
        if scan.peek() == "'":
            parts.append(scan.quoted())
        else:
            name = scan.match(_PROPERTY)
            if name is None:
                raise PatternError(f"expected a property name at position {scan.pos}")
            parts.append(name)
        if scan.peek() == "[":
            raise UnsupportedPattern("list index in the property path")
        if scan.peek() != ".":
            return tuple(parts)
        scan.pos += 1


def _operator(scan: _Scanner) -> None:
    scan.skip_space()
    if scan.text.startswith("=", scan.pos):
        scan.pos += 1
        return
    for op in ("!=", "<=", ">=", "<", ">"):
        if scan.text.startswith(op, scan.pos):
            raise UnsupportedPattern(f"comparison operator {op}")
    word = scan.match(_WORD)
    if word:
        raise UnsupportedPattern(f"comparison operator {word.upper()}")
    raise PatternError(f"expected '=' at position {scan.pos}")


def parse_pattern(pattern: str) -> Comparison:
    """Parse ``[type:path = 'value']``; raise PatternError or UnsupportedPattern otherwise."""
    scan = _Scanner(pattern)
    scan.expect("[", "'['")
    scan.skip_space()
    object_type = scan.match(_OBJECT_TYPE)
    if object_type is None:
        raise PatternError(f"expected an object type at position {scan.pos}")
    scan.expect(":", "':' after the object type")
    path = _path(scan)
    _operator(scan)
    scan.skip_space()
    if scan.peek() != "'":
        raise UnsupportedPattern("the compared value is not a string")
    value = scan.quoted()
    scan.skip_space()
    word = scan.match(_WORD)
    if word:
        raise UnsupportedPattern(f"compound comparison ({word.upper()})")
    scan.expect("]", "']'")
    scan.skip_space()
    if scan.pos < len(scan.text):
        rest = scan.match(_WORD)
        what = f"{rest.upper()} after the observation" if rest else "more than one observation"
        raise UnsupportedPattern(what)
    return Comparison(object_type, path, value)
