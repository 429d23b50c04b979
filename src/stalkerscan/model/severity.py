"""How serious a finding is, as an ordered enum."""

from __future__ import annotations

import enum
from typing import assert_never


class Severity(enum.Enum):
    """Ordered severity of a finding: info < low < medium < high < critical."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """Position in the order, 0 for info up to 4 for critical."""
        return _RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    @property
    def label(self) -> str:
        """A plain word for people."""
        match self:
            case Severity.INFO:
                return "Information"
            case Severity.LOW:
                return "Low"
            case Severity.MEDIUM:
                return "Medium"
            case Severity.HIGH:
                return "High"
            case Severity.CRITICAL:
                return "Critical"
            case _:
                assert_never(self)


_RANK = {s: i for i, s in enumerate(Severity)}
