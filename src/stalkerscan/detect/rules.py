"""Rules: stable ids, default severity and confidence; wording comes from the message catalog."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from stalkerscan.model import Confidence, Evidence, Finding, Indicator, Severity
from stalkerscan.model.packaged import load_yaml, packaged_path


@dataclass(frozen=True, slots=True)
class Message:
    """The words of one rule, with ``{placeholders}`` filled from a finding's details."""

    title: str
    explanation: str
    advice: str


@dataclass(frozen=True, slots=True)
class Rule:
    """A detection rule. Its words live in ``detect/messages/<lang>.yaml`` under its id."""

    id: str
    """Stable dotted slug, e.g. ``net.ioc.c2_domain``; never renamed once released."""
    severity: Severity
    """Default severity; a detector may raise or lower it per finding and says why."""
    confidence: Confidence
    threshold: str | None = None
    """The threshold the rule uses, in words (``>= 3 heuristics on one host``), if any."""

    @property
    def message(self) -> Message:
        """The rule's words, from its area's file (a capture scan reads no Android words)."""
        found = area_catalog(self.id.partition(".")[0]).get(self.id)
        return found if found is not None else catalog()[self.id]

    def finding(
        self,
        *,
        evidence: tuple[Evidence, ...],
        subject: str | None = None,
        app: str | None = None,
        indicator: Indicator | None = None,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        reasons: tuple[str, ...] = (),
        expected: frozenset[str] | None = None,
        **details: str | int | float,
    ) -> Finding:
        """A finding of this rule, its words filled with ``details`` (and subject/app).

        ``expected`` is the set of detail names the rule declares: any other set is a bug in the
        detector and raises ValueError. Runs of white space in the filled words become one space.
        """
        if expected is not None and set(details) != expected:
            raise ValueError(f"{self.id} needs fields {sorted(expected)}, got {sorted(details)}")
        fields: dict[str, str | int | float] = {
            "subject": subject or "",
            "app": app or "an unknown app",
            **details,
        }
        msg = self.message
        return Finding(
            rule=self.id,
            severity=severity or self.severity,
            confidence=confidence or self.confidence,
            title=_one_line(msg.title.format(**fields)),
            explanation=_one_line(msg.explanation.format(**fields)),
            advice=_one_line(msg.advice.format(**fields)),
            subject=subject,
            app=app,
            indicator=indicator,
            evidence=evidence,
            reasons=reasons,
        )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a message text uses."""
    from string import Formatter  # noqa: PLC0415  (for checks of the catalog, not for scans)

    return {name for _, name, _, _ in Formatter().parse(text) if name}


@cache
def area_catalog(area: str, lang: str = "en") -> dict[str, Message]:
    """The messages of the rules named ``<area>.*`` for ``lang``, read once from the packaged
    ``detect/messages/<area>.<lang>.yaml`` (empty if there is no such file)."""
    path = packaged_path("detect", "messages", f"{area}.{lang}.yaml")
    if not path.is_file():
        return {}
    data = load_yaml(path.read_text("utf-8")) or {}
    assert isinstance(data, dict), f"{path} must map rule ids to their words"
    return {
        rule_id: Message(
            title=str(words["title"]).strip(),
            explanation=" ".join(str(words["explanation"]).split()),
            advice=" ".join(str(words["advice"]).split()),
        )
        for rule_id, words in data.items()
    }


@cache
def catalog(lang: str = "en") -> dict[str, Message]:
    """All rule messages for ``lang``, read once from the packaged YAML files."""
    suffix = f".{lang}.yaml"
    out: dict[str, Message] = {}
    for path in sorted(packaged_path("detect", "messages").glob(f"*{suffix}")):
        out.update(area_catalog(path.name.removesuffix(suffix), lang))
    return out
