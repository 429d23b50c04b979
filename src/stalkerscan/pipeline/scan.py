"""The scan orchestrator: inputs -> handlers -> detectors -> one ReportDocument."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from stalkerscan import __version__
from stalkerscan.detect.base import DetectorResult
from stalkerscan.indicators.index import IndicatorIndex
from stalkerscan.model import CoverageFact, CoverageGap, InputRef, NotChecked
from stalkerscan.model.errors import UserError
from stalkerscan.pipeline.dispatch import identify
from stalkerscan.pipeline.handlers import (
    AnalysedInput,
    InputHandler,
    ScanContext,
    builtin_handlers,
)
from stalkerscan.pipeline.progress import Progress, no_progress
from stalkerscan.report.document import (
    SCHEMA_VERSION,
    ReportDocument,
    ToolInfo,
    compute_verdict,
    sort_findings,
)


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """How to run a scan."""

    progress: Progress = no_progress
    debug: bool = False
    """Re-raise internal errors instead of reporting the input as not checked."""
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    handlers: tuple[InputHandler, ...] | None = None
    """Input kinds to accept; all built-in kinds when None."""
    age_identity: Path | None = None
    """An age identity file for encrypted acquisitions."""
    alone: bool = False
    """Set by ``run_scan`` when there is one input: a user error (no phone connected, wrong
    key, damaged zip) then stops the scan with that error instead of a "not checked" entry."""


def _indicator_result(index: IndicatorIndex) -> DetectorResult:
    total = sum(sum(n for _, n in info.counts) for info in index.sets)
    facts = (
        CoverageFact("indicators", "sets", len(index.sets), f"{len(index.sets)} indicator set(s)"),
        CoverageFact("indicators", "indicators", total, f"{total} indicators loaded"),
    )
    if index.sets:
        return DetectorResult(coverage=facts)
    why = (
        "no indicator set is installed or given, so nothing was compared with known stalkerware "
        "apps, servers or certificates"
    )
    return DetectorResult(
        coverage=facts,
        not_checked=(NotChecked("known stalkerware indicators", why),),
        gaps=(
            CoverageGap(
                "indicators",
                "Indicator checks were not done: no indicator set was available.",
                "Run `stalkerscan indicators update` (downloads the Echap list) or pass "
                "--indicators PATH, then scan again.",
            ),
        ),
    )


def _analyse_one(
    path: Path, raw: str, handler: InputHandler, index: IndicatorIndex, options: ScanOptions
) -> AnalysedInput:
    try:
        ctx = ScanContext(index, options.progress, options.age_identity)
        return handler.analyse(path, ctx)
    except UserError as err:
        if options.alone:
            raise
        why = f"{err.problem}. {err.fix}"
    except Exception as err:  # a parser bug must not end the scan
        if options.debug:
            raise
        import traceback  # noqa: PLC0415  (only on an internal error)

        detail = "".join(traceback.format_exception_only(err)).strip()
        why = f"stalkerscan failed while reading it ({detail}); please report this problem"
    ref = InputRef(path=raw, kind=handler.kind, sha256=None)
    return AnalysedInput(ref, DetectorResult(not_checked=(NotChecked(raw, why),)), checked=False)


def _label_coverage(part: AnalysedInput) -> DetectorResult:
    """With several inputs, name the input in each coverage area so facts stay apart."""
    facts = tuple(replace(f, area=f"{f.area}: {part.ref.path}") for f in part.result.coverage)
    return replace(part.result, coverage=facts)


def run_scan(
    inputs: Sequence[str], index: IndicatorIndex, options: ScanOptions | None = None
) -> ReportDocument:
    """Identify every input (failing early on unknown ones), analyse each, build the report."""
    opts = options or ScanOptions()
    handlers = opts.handlers if opts.handlers is not None else builtin_handlers()
    if not inputs:
        raise UserError("no input given", "Name a capture file or phone data folder to scan")
    identified = [(raw, *identify(raw, handlers)) for raw in inputs]
    opts = replace(opts, alone=len(identified) == 1)
    parts = [_analyse_one(path, raw, h, index, opts) for raw, path, h in identified]
    total = _indicator_result(index)
    for part in parts:
        total = total + (_label_coverage(part) if len(parts) > 1 else part.result)
    anything_checked = any(p.checked for p in parts)
    verdict, reason = compute_verdict(total.findings, total.gaps, anything_checked)
    return ReportDocument(
        schema_version=SCHEMA_VERSION,
        tool=ToolInfo("stalkerscan", __version__),
        generated_at=opts.clock().astimezone(UTC).isoformat(timespec="seconds"),
        inputs=tuple(p.ref for p in parts),
        indicator_sets=index.sets,
        verdict=verdict,
        verdict_reason=reason,
        findings=sort_findings(total.findings),
        not_checked=total.not_checked,
        coverage=total.coverage,
        gaps=total.gaps,
        timeline=tuple(sorted(total.timeline, key=lambda e: (e.time, e.source, e.description))),
    )
