"""The only orchestrator: source -> extract -> detect -> ReportDocument."""

from stalkerscan.pipeline.scan import ScanOptions, run_scan

__all__ = ["ScanOptions", "run_scan"]
