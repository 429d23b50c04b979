"""The text report for a terminal, and the plain-language wording the HTML report shares.

Order: the verdict first (with the safety note), then findings from most to least serious, then
what was not checked, how much the scan could see and what stopped a conclusion, then what was read
(inputs and indicator lists with their attribution). The wording never calls a phone "clean".
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import assert_never

from rich.console import Console
from rich.table import Table
from rich.text import Text

from stalkerscan.model import (
    CoverageFact,
    Evidence,
    Finding,
    Indicator,
    IndicatorSetInfo,
    InputKind,
    InputRef,
    Role,
    Severity,
    Threat,
)
from stalkerscan.report.document import ReportDocument, Verdict

EVIDENCE_LINES = 5
"""Evidence lines shown per finding in the text report; the rest are counted ("and N more")."""

SAFETY_POINTS = (
    "Removing a monitoring app, resetting the phone or changing passwords can alert the person who "
    "installed it.",
    "Save this report first, somewhere that person cannot see it.",
    "Talk to a support service about a safety plan before you change anything on the phone.",
)
"""The safety note every report opens with, one point per sentence."""
SAFETY_NOTE = "Before you act: " + " ".join(SAFETY_POINTS)
INCOMPLETE_NOTE = (
    "No indicator list is complete: stalkerware that is new or not on the lists would not be "
    "found. A scan that finds nothing does not prove the phone is free of it."
)


def verdict_headline(verdict: Verdict) -> str:
    """The verdict in a few words, for a banner."""
    match verdict:
        case Verdict.STALKERWARE:
            return "Known stalkerware found"
        case Verdict.SUSPICIOUS:
            return "Signs that need a closer look"
        case Verdict.NO_KNOWN_STALKERWARE:
            return "No known stalkerware found"
        case Verdict.INCONCLUSIVE:
            return "No conclusion possible"
        case _:
            assert_never(verdict)


def verdict_explanation(doc: ReportDocument) -> tuple[str, ...]:
    """What the verdict means, in plain sentences, shown after the verdict's reason.

    For "no known stalkerware" it says what was checked, what was not, and that no list is complete.
    """
    match doc.verdict:
        case Verdict.STALKERWARE:
            return (
                "Someone may be able to see this phone's messages, location or activity. "
                "The findings below say what was seen and what to do.",
            )
        case Verdict.SUSPICIOUS:
            return (
                "No known stalkerware was matched, but these signs need a closer look with someone "
                "you trust, such as a support worker.",
            )
        case Verdict.NO_KNOWN_STALKERWARE:
            return _checked_summary(doc)
        case Verdict.INCONCLUSIVE:
            return (
                "This scan cannot say whether the phone has stalkerware or not. The limits below "
                "say how to get a scan that can conclude.",
            )
        case _:
            assert_never(doc.verdict)


def _checked_summary(doc: ReportDocument) -> tuple[str, ...]:
    inputs = "; ".join(f"{input_kind_label(i.kind)} ({i.path})" for i in doc.inputs)
    lists = "; ".join(
        f"{s.name} ({count(indicator_total(s), 'indicator')})" for s in doc.indicator_sets
    )
    checked = f"What was checked: {inputs or 'no input'}, against {lists or 'no indicator list'}."
    if doc.not_checked:
        missing = "What was not checked: " + "; ".join(n.what for n in doc.not_checked) + "."
    else:
        missing = "Nothing was left out that stalkerscan knows how to read."
    worries = (
        "If you still feel watched (someone knows things they should not), trust that feeling and "
        "talk to a support service."
    )
    return checked, missing, INCOMPLETE_NOTE, worries


def no_findings_sentence(doc: ReportDocument) -> str:
    """What to say when there is no finding: never reassuring when the scan could not see enough."""
    if doc.gaps or not doc.inputs:
        return "Nothing was found, but the limits of this scan mean that says little."
    return "Nothing was found by the checks that ran."


def input_kind_label(kind: InputKind) -> str:
    """What an input is, in words."""
    match kind:
        case InputKind.PCAP:
            return "network capture"
        case InputKind.ANDROIDQF:
            return "androidqf acquisition"
        case InputKind.ANDROID_BUGREPORT:
            return "Android bug report"
        case InputKind.ANDROID_ADB:
            return "phone connected with adb"
        case InputKind.QUESTIONNAIRE:
            return "questionnaire answers"
        case _:
            assert_never(kind)


_ROLE_WORDS = {
    Role.C2: "a server the app sends its data to",
    Role.WEBSITE: "the vendor's website (a visit is not an infection)",
    Role.DISTRIBUTION: "a place the app is downloaded from (a visit is not an infection)",
    Role.APP: "the app itself",
    Role.SAMPLE: "a known file of the app",
    Role.HEURISTIC: "an entry that only raises suspicion",
    Role.UNKNOWN: "an entry, without saying what it is",
}
_THREAT_WORDS = {
    Threat.STALKERWARE: "stalkerware",
    Threat.WATCHWARE: "a monitoring app that does not hide",
    Threat.SPYWARE: "spyware",
    Threat.DUAL_USE: "an ordinary app that can be misused to watch someone",
    Threat.TRACKER: "a tracker",
    Threat.SUSPICIOUS: "listed as suspicious",
    Threat.UNKNOWN: "of an unknown kind",
}


def role_words(role: Role) -> str:
    """What a listed thing is to the app, in words that follow "as"."""
    return _ROLE_WORDS[role]


def threat_words(threat: Threat) -> str:
    """What kind of software a listed app is, in words."""
    return _THREAT_WORDS[threat]


def indicator_sentence(ind: Indicator) -> str:
    """Which listed value matched, what it is, and which list it is from."""
    app = ind.app or "an unnamed app"
    kind = ind.kind.value.replace("_", " ")
    return (
        f'{kind} "{ind.value}" is listed in {ind.set_name} for {app} '
        f"({threat_words(ind.threat)}) as {role_words(ind.role)}."
    )


def evidence_line(ev: Evidence) -> str:
    """One evidence item on one line: where, when, what."""
    when = f", {ev.time}" if ev.time else ""
    return f"{ev.input}, {ev.locator}{when}: {ev.observed}"


def indicator_total(info: IndicatorSetInfo) -> int:
    """Number of indicators in a set, all kinds together."""
    return sum(n for _, n in info.counts)


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 indicator``, ``5,680 indicators``."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {plural or noun + 's'}"


def size_words(size: int | None) -> str:
    """A byte count for people (decimal units), or ``size unknown``."""
    if size is None:
        return "size unknown"
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{size:,} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable: the loop returns at GB")


def coverage_by_area(facts: Iterable[CoverageFact]) -> dict[str, list[CoverageFact]]:
    """Coverage facts grouped by area, areas in order of first appearance."""
    out: dict[str, list[CoverageFact]] = {}
    for fact in facts:
        out.setdefault(fact.area, []).append(fact)
    return out


def findings_by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """Most serious first; the document's order is kept within one severity."""
    return sorted(findings, key=lambda f: -f.severity.rank)


def input_line(ref: InputRef) -> str:
    """One input: kind, path, size and SHA-256."""
    digest = f"SHA-256 {ref.sha256}" if ref.sha256 else "no SHA-256 (a live device)"
    return f"{input_kind_label(ref.kind)} {ref.path} ({size_words(ref.size)}), {digest}"


_SEVERITY_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "bold yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
_VERDICT_STYLE = {
    Verdict.STALKERWARE: "bold white on red",
    Verdict.SUSPICIOUS: "bold black on yellow",
    Verdict.NO_KNOWN_STALKERWARE: "bold white on blue",
    Verdict.INCONCLUSIVE: "bold black on white",
}


def render_text(doc: ReportDocument, console: Console) -> None:
    """Print the text report on ``console``."""
    console.print(Text("stalkerscan report", style="bold"))
    console.print(
        Text(
            f"Generated {doc.generated_at} by {doc.tool.name} {doc.tool.version} "
            f"(report format {doc.schema_version})"
        )
    )
    _section(console, "Verdict")
    headline = f" {verdict_headline(doc.verdict).upper()} "
    console.print(Text(headline, style=_VERDICT_STYLE[doc.verdict]))
    console.print(Text(doc.verdict_reason, style="bold"))
    for sentence in verdict_explanation(doc):
        console.print(Text(sentence))
    console.print()
    console.print(Text(SAFETY_NOTE, style="bold"))
    _render_findings(console, doc)
    _render_not_checked(console, doc)
    _render_coverage(console, doc)
    _render_read(console, doc)


def render_text_to_string(doc: ReportDocument, width: int = 100) -> str:
    """The text report as a string: fixed width, no colour, no trailing spaces, terminal-blind."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system=None,
        force_terminal=False,
        force_jupyter=False,
        force_interactive=False,
        no_color=True,
        markup=False,
        emoji=False,
        highlight=False,
        legacy_windows=False,
        _environ={},
    )
    render_text(doc, console)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def _section(console: Console, title: str) -> None:
    console.print()
    console.rule(Text(title, style="bold"), align="left")


def _hanging(console: Console, prefix: Text | str, text: Text | str, indent: int = 0) -> None:
    """``prefix`` then ``text``, wrapped lines aligned under the text's first character."""
    lead = Text(" " * indent) + (Text(prefix) if isinstance(prefix, str) else prefix)
    grid = Table.grid()
    grid.add_column(width=lead.cell_len, no_wrap=True)
    grid.add_column()
    grid.add_row(lead, Text(text) if isinstance(text, str) else text)
    console.print(grid)


def _labelled(console: Console, label: str, text: str, indent: int = 3) -> None:
    line = Text()
    line.append(f"{label}: ", style="bold")
    line.append(text)
    _hanging(console, "", line, indent=indent)


def _render_findings(console: Console, doc: ReportDocument) -> None:
    findings = doc.findings
    _section(console, f"Findings ({len(findings)})")
    if not findings:
        console.print(Text(no_findings_sentence(doc)))
    for number, finding in enumerate(findings_by_severity(findings), start=1):
        if number > 1:
            console.print()
        heading = Text()
        heading.append(f"[{finding.severity.label}]", style=_SEVERITY_STYLE[finding.severity])
        heading.append(f" {finding.title}", style="bold")
        _hanging(console, f"{number}. ", heading)
        _labelled(console, "Why it matters", finding.explanation)
        sure = f"{finding.confidence.sentence} ({finding.confidence.value})"
        _labelled(console, "How sure we are", sure)
        _labelled(console, "What to do", finding.advice)
        if finding.reasons:
            _labelled(console, "Signs seen together", "; ".join(finding.reasons))
        if finding.indicator is not None:
            _labelled(console, "Matched", indicator_sentence(finding.indicator))
        about = f" about {finding.subject}" if finding.subject else ""
        _labelled(console, "Rule", f"{finding.rule}{about}")
        _render_evidence(console, finding.evidence)


def _render_evidence(console: Console, evidence: tuple[Evidence, ...]) -> None:
    if not evidence:
        return
    _hanging(console, "", Text("Evidence:", style="bold"), indent=3)
    for ev in evidence[:EVIDENCE_LINES]:
        _hanging(console, "- ", evidence_line(ev), indent=5)
    hidden = len(evidence) - EVIDENCE_LINES
    if hidden > 0:
        _hanging(console, "", f"and {hidden} more (all are in the JSON and HTML reports)", indent=5)


def _render_not_checked(console: Console, doc: ReportDocument) -> None:
    _section(console, "What was not checked")
    if not doc.not_checked:
        console.print(Text("Nothing was left out that stalkerscan knows how to read."))
    for item in doc.not_checked:
        _hanging(console, "- ", f"{item.what}: {item.why}")


def _render_coverage(console: Console, doc: ReportDocument) -> None:
    _section(console, "How much the scan could see")
    groups = coverage_by_area(doc.coverage)
    if not groups:
        console.print(Text("The scan recorded no measures of what it could see."))
    for area, facts in groups.items():
        console.print(Text(area.capitalize(), style="bold"))
        for fact in facts:
            _hanging(console, "- ", fact.label, indent=2)
    if doc.gaps:
        _section(console, "What stopped a conclusion")
        for gap in doc.gaps:
            _hanging(console, "- ", gap.reason)
            _labelled(console, "To get a scan that can conclude", gap.advice, indent=2)


def _render_read(console: Console, doc: ReportDocument) -> None:
    _section(console, "What was read")
    for ref in doc.inputs:
        _hanging(console, "- ", input_line(ref))
    if not doc.inputs:
        console.print(Text("No input was read."))
    _section(console, "Indicator lists used")
    for info in doc.indicator_sets:
        when = f", retrieved {info.retrieved_at}" if info.retrieved_at else ""
        total = count(indicator_total(info), "indicator")
        _hanging(console, "- ", f"{info.name} ({info.format}, {total}{when})")
        _labelled(console, "From", f"{info.source}, SHA-256 {info.sha256}", indent=2)
        if info.skipped:
            skipped = count(info.skipped, "entry", "entries")
            _labelled(console, "Not used", f"{skipped} could not be read", indent=2)
        attribution = info.licence or "not stated by the list"
        _labelled(console, "Licence and attribution", attribution, indent=2)
    if not doc.indicator_sets:
        console.print(Text("No indicator list was used."))
    console.print()
    console.print(Text(INCOMPLETE_NOTE))
