"""API of the dashboards' tables, the best time to post and the PDF report.

Every table a dashboard shows (the same rows its chart, its table view and its CSV hold)
is available as JSON, or as the CSV download with `format=csv&table=KEY`; the best time to
post per account or network with the next suggested moments; and the report of a period as
a PDF. Periods and filters as in the overview's API (analytics/api.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from townsquare.analytics.api import AnalyticsScope, PeriodOut, period_out, scope_from_query
from townsquare.analytics.csv_export import csv_response
from townsquare.analytics.figure_sets import DASHBOARDS
from townsquare.analytics.report import build_report
from townsquare.analytics.report_pdf import PdfUnavailable, file_name, report_pdf
from townsquare.analytics.suggest_times import account_advice, network_advice, next_moments
from townsquare.analytics.tables import Cell
from townsquare.analytics.views_common import PageState, period_labels
from townsquare.lib.bounds import Id
from townsquare.lib.errors import ActionError
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

router = Router(tags=["analytics"])

# The dashboards of figure_sets.DASHBOARDS (a test keeps the two the same).
Dashboard = Literal["overview", "posts", "campaigns", "variants", "team"]


class DashboardTableOut(Schema):
    key: str = Field(description="Names the table in `table=` for its CSV")
    title: str
    columns: list[str]
    rows: list[list[Cell]] = Field(description="null: not reported by the network, never 0")
    chart: str = Field(description="How the page draws it: line, bars, stacked, heatmap, none")
    note: str


class DashboardTablesOut(Schema):
    dashboard: str
    period: PeriodOut
    tables: list[DashboardTableOut]


def _state(
    request: HttpRequest, scope: AnalyticsScope, *, filtered: bool = True
) -> tuple[PageState, str]:
    membership: Membership = request.membership  # type: ignore[attr-defined]
    require(membership, Perm.VIEW_ANALYTICS)
    key, found, filters = scope_from_query(membership, scope)
    state = PageState(
        membership=membership,
        key=key,
        period=found,
        filters_chosen=filters if filtered else type(filters)(),
        view="tables",
        filters=filtered,
    )
    return state, key


@router.get(
    "/workspaces/{workspace}/analytics/tables",
    response=DashboardTablesOut,
    summary="The tables of one dashboard, or one of them as CSV",
    openapi_extra={
        "responses": {
            200: {
                "description": "The tables as JSON, or with format=csv one table as CSV",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def get_tables(
    request: HttpRequest,
    workspace: str,
    scope: Query[AnalyticsScope],
    dashboard: Dashboard = "overview",
    format: Literal["json", "csv"] = "json",
    table: str = "",
) -> DashboardTablesOut | HttpResponse:
    """Every table of the dashboard (overview, posts, campaigns, variants, team) for the
    period and scope, with the values its charts are drawn from. With `format=csv` and
    `table=KEY` the one table as the CSV download the page offers (UTF-8 with a byte order
    mark, the header in the reader's language). The team dashboard is never narrowed by
    network, account, campaign or pillar."""
    make, filtered = DASHBOARDS[dashboard]
    state, key = _state(request, scope, filtered=filtered)
    tables = [found.table for found in make(state)]
    if format == "csv":
        chosen = next((t for t in tables if t.key == table[:64]), None)
        if chosen is None:
            raise ActionError(
                _("There is no such table on this page. Tables: %(names)s.")
                % {"names": ", ".join(t.key for t in tables)},
                code="unknown_table",
                status=422,
            )
        workspace_slug = state.membership.workspace.slug
        return csv_response(chosen, workspace_slug, state.period.start, state.period.end)
    return DashboardTablesOut(
        dashboard=dashboard,
        period=period_out(state.membership, key, state.period),
        tables=[
            DashboardTableOut(
                key=t.key,
                title=t.title,
                columns=list(t.columns),
                rows=[list(row) for row in t.rows],
                chart=t.chart,
                note=t.note,
            )
            for t in tables
        ],
    )


class BestSlotOut(Schema):
    weekday: int = Field(description="0 = Monday, in the workspace's time zone")
    hour: int = Field(description="Local hour, 0-23")
    posts: int = Field(description="Posts in this slot in the history (0: general guidance)")
    per_post: float | None = Field(description="Engagements per post in the slot")
    lift: float | None = Field(description="Against the history's average post (1.5 = +50 %)")
    reason: str


class BestTimeAdviceOut(Schema):
    network: str
    account: int | None = Field(description="null: the network's best time across accounts")
    basis: str = Field(description="history (the workspace's own posts) or general guidance")
    confidence: str = Field(description="high, medium or low")
    posts: int = Field(description="Posts of the last 16 weeks the advice is read from")
    note: str
    slots: list[BestSlotOut]


class BestMomentOut(Schema):
    at: datetime = Field(description="A concrete time, in the workspace's time zone")
    reasons: list[str]


class BestTimeOut(Schema):
    time_zone: str
    advice: list[BestTimeAdviceOut]
    next_moments: list[BestMomentOut]


@router.get(
    "/workspaces/{workspace}/analytics/best-time",
    response=BestTimeOut,
    summary="The best time to post, per account or network",
)
def get_best_time(
    request: HttpRequest, workspace: str, network: str = "", account: Id | None = None
) -> BestTimeOut:
    """From the workspace's own posts of the last 16 weeks (engagements per post by weekday
    and hour), with a minimum-data guard: too little history gives the network's general
    guidance, said so in `basis` and `note`. Without `network` and `account`: every
    account of the workspace; `network`: that network across its accounts; `account`: that
    account (its own history when it passes the guard, else its network's)."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    require(membership, Perm.VIEW_ANALYTICS)
    accounts = SocialAccount.objects.filter(workspace=membership.workspace)
    if account is not None:
        chosen = list(accounts.filter(pk=account))
        if not chosen:
            raise ActionError(
                _("There is no such account in this workspace."), code="unknown_account", status=422
            )
        advice = account_advice(membership, chosen)
    elif network:
        if not accounts.filter(network=network[:32]).exists():
            raise ActionError(
                _("No account of this workspace is on that network."),
                code="unknown_network",
                status=422,
            )
        advice = network_advice(membership, [network[:32]])
    else:
        advice = account_advice(membership, list(accounts.order_by("network", "handle")))
    language = translation.get_language() or "en"
    return BestTimeOut(
        time_zone=membership.workspace.time_zone,
        advice=[
            BestTimeAdviceOut(
                network=item.network,
                account=item.account.pk if item.account is not None else None,
                basis=str(item.best.basis),
                confidence=str(item.best.confidence),
                posts=item.best.posts,
                note=item.note,
                slots=[
                    BestSlotOut(
                        weekday=s.weekday,
                        hour=s.hour,
                        posts=s.posts,
                        per_post=s.per_post,
                        lift=s.lift,
                        reason=s.reason(language),
                    )
                    for s in item.suggestions
                ],
            )
            for item in advice
        ],
        next_moments=[
            BestMomentOut(at=moment.at, reasons=[f"{r.who}: {r.why}" for r in moment.reasons])
            for moment in next_moments(membership, advice)
        ],
    )


@router.get(
    "/workspaces/{workspace}/analytics/report",
    summary="The PDF report of a period",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "The report as a PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            },
            503: {"description": "The server cannot make PDFs (the Pango library is missing)"},
        }
    },
)
def get_report(request: HttpRequest, workspace: str, scope: Query[AnalyticsScope]) -> HttpResponse:
    """Key figures against the previous period, charts, plan vs actual, top posts and the
    top feedback topics, as the analytics pages' "Download report" makes it."""
    state, key = _state(request, scope)
    membership = state.membership
    content = build_report(membership, state.period, state.filters_chosen)
    try:
        pdf = report_pdf(membership.workspace, content, period_labels().get(key, key))
    except PdfUnavailable as error:
        raise ActionError(
            _(
                "PDF reports need the Pango library on the server (Debian and Ubuntu: "
                "apt install libpango-1.0-0). Every figure is also a CSV download on the "
                "analytics pages."
            ),
            code="pdf_unavailable",
            status=503,
        ) from error
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{file_name(membership.workspace, content)}"'
    )
    return response
