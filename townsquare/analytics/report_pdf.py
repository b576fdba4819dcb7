"""The report as a PDF: the report template rendered to HTML, then laid out by WeasyPrint.

WeasyPrint fetches nothing: every chart is inline SVG and the style sheet is in the page, and
the fetcher refuses any address, so text from a post or a topic title can never make the
server request a URL while the PDF is made.
"""

from __future__ import annotations

import logging
from typing import Any

from django.template.loader import render_to_string

from townsquare.analytics.report import ReportContent
from townsquare.workspaces.models import Workspace

# WeasyPrint tells every step of every page at INFO; a report's log is its outcome only.
logging.getLogger("weasyprint").setLevel(logging.WARNING)


class FetchRefused(ValueError):
    """A report asked for an outside resource; reports are made from what they carry."""


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise FetchRefused(f"reports fetch nothing: {url[:80]}")


def report_html(workspace: Workspace, content: ReportContent, period_label: str) -> str:
    return render_to_string(
        "analytics/report_pdf.html",
        {"workspace": workspace, "report": content, "period_label": period_label},
    )


class PdfUnavailable(RuntimeError):
    """This machine lacks the Pango library WeasyPrint lays pages out with."""


def report_pdf(workspace: Workspace, content: ReportContent, period_label: str) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as error:  # WeasyPrint loads Pango when imported
        raise PdfUnavailable(str(error)) from None
    html = report_html(workspace, content, period_label)
    document = HTML(string=html, url_fetcher=_refuse, base_url="about:blank")
    return bytes(document.write_pdf())


def file_name(workspace: Workspace, content: ReportContent) -> str:
    return f"townsquare-{workspace.slug}-{content.period.start}-{content.period.end}.pdf"
