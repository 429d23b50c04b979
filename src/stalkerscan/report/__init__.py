"""The versioned ReportDocument and its renderers (JSON, HTML, text, CSV timeline)."""
