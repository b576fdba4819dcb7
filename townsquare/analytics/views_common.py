"""What every analytics page reads from its address: the period (in the workspace's zone),
the scope (network, account, campaign, pillar), charts or tables, and a CSV download of
any one of its tables. A value that names nothing is never an error page: the page shows
the default with a sentence saying what was ignored (and answers 400, so a script notices)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from townsquare.analytics.csv_export import csv_response
from townsquare.analytics.freshness import Freshness, freshness
from townsquare.analytics.kpis.periods import Period
from townsquare.analytics.periods import PERIOD_KEYS, choose_period
from townsquare.analytics.readers_scope import Filters, zone
from townsquare.analytics.tables import Table
from townsquare.analytics.views_figures import Figure
from townsquare.lib.bounds import id_from_text
from townsquare.networks.catalog import network_label
from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Campaign, Pillar
from townsquare.workspaces.models import Membership

PERIOD_ERRORS = {
    "unknown_period": lambda: _("There is no such period; showing the last 28 days."),
    "invalid_date": lambda: _(
        "A custom period needs a first and a last day (YYYY-MM-DD, between 2000 and 2100); "
        "showing the last 28 days."
    ),
    "end_before_start": lambda: _("The last day is before the first; showing the last 28 days."),
    "too_long": lambda: _("A custom period spans at most two years; showing the last 28 days."),
}


def period_labels() -> dict[str, str]:
    return {
        "7d": _("Last 7 days"),
        "28d": _("Last 28 days"),
        "90d": _("Last 90 days"),
        "this_month": _("This month"),
        "last_month": _("Last month"),
        "this_quarter": _("This quarter"),
        "last_quarter": _("Last quarter"),
        "custom": pgettext("period", "Custom"),
    }


def _text(request: HttpRequest, name: str, limit: int = 32) -> str:
    value = str(request.GET.get(name, ""))[:limit].strip()
    return "" if "\x00" in value else value


@dataclass
class PageState:
    membership: Membership
    key: str  # the picker's choice: 7d, 28d, ..., custom
    period: Period
    filters_chosen: Filters
    view: str  # charts | tables
    filters: bool = True  # whether the page narrows by network, campaign and pillar
    errors: list[str] = field(default_factory=list)
    networks: list[tuple[str, str]] = field(default_factory=list)
    accounts: list[SocialAccount] = field(default_factory=list)
    campaigns: list[Campaign] = field(default_factory=list)
    pillars: list[Pillar] = field(default_factory=list)

    @property
    def status(self) -> int:
        return 400 if self.errors else 200

    def query(self, **changes: str) -> str:
        """The page's own query string with some values changed (for links that keep the
        period and the filters)."""
        from urllib.parse import urlencode

        custom = self.key == "custom"
        values = {
            "period": self.key,
            "start": self.period.start.isoformat() if custom else "",
            "end": self.period.end.isoformat() if custom else "",
            "network": self.filters_chosen.network,
            "account": str(self.filters_chosen.account_id or ""),
            "campaign": str(self.filters_chosen.campaign_id or ""),
            "pillar": str(self.filters_chosen.pillar_id or ""),
            "view": "tables" if self.view == "tables" else "",
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v})

    @property
    def charts_query(self) -> str:
        return self.query(view="")

    @property
    def tables_query(self) -> str:
        return self.query(view="tables")


def _choose_id(raw: str, known: set[int], error: str, errors: list[str]) -> int | None:
    if not raw:
        return None
    number = id_from_text(raw)
    if number is None or number not in known:
        errors.append(error)
        return None
    return number


def page_state(request: HttpRequest, membership: Membership, *, filters: bool = True) -> PageState:
    workspace = membership.workspace
    today = timezone.localtime(timezone.now(), zone(workspace)).date()
    choice = choose_period(
        _text(request, "period"), today, _text(request, "start"), _text(request, "end")
    )
    errors = [PERIOD_ERRORS[choice.error]()] if choice.error else []
    accounts = list(SocialAccount.objects.filter(workspace=workspace).order_by("network", "handle"))
    networks = sorted({a.network for a in accounts})
    campaigns = list(Campaign.objects.filter(workspace=workspace).order_by("-starts_on", "name"))
    pillars = list(Pillar.objects.filter(workspace=workspace).order_by("name"))
    chosen = Filters()
    if filters:
        network = _text(request, "network")
        if network and network not in networks:
            errors.append(
                _("No account of this workspace is on that network; showing every network.")
            )
            network = ""
        chosen = Filters(
            network=network,
            account_id=_choose_id(
                _text(request, "account"),
                {a.pk for a in accounts},
                _("There is no such account in this workspace; showing every account."),
                errors,
            ),
            campaign_id=_choose_id(
                _text(request, "campaign"),
                {c.pk for c in campaigns},
                _("There is no such campaign in this workspace; showing every post."),
                errors,
            ),
            pillar_id=_choose_id(
                _text(request, "pillar"),
                {p.pk for p in pillars},
                _("There is no such content pillar in this workspace; showing every post."),
                errors,
            ),
        )
    return PageState(
        membership=membership,
        key=choice.key,
        period=choice.period,
        filters_chosen=chosen,
        view="tables" if _text(request, "view") == "tables" else "charts",
        filters=filters,
        errors=errors,
        networks=[(key, network_label(key)) for key in networks],
        accounts=accounts,
        campaigns=campaigns,
        pillars=pillars,
    )


def wants_csv(request: HttpRequest) -> bool:
    return _text(request, "format") == "csv"


def table_csv(request: HttpRequest, state: PageState, tables: list[Table]) -> HttpResponse:
    """The table named by ?table= as CSV; an unknown name is a 404 naming the choices."""
    key = _text(request, "table", 64)
    chosen = next((t for t in tables if t.key == key), None)
    if chosen is None:
        names = ", ".join(t.key for t in tables)
        return HttpResponse(
            _("There is no such table on this page. Tables: %(names)s.") % {"names": names},
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    return csv_response(
        chosen, state.membership.workspace.slug, state.period.start, state.period.end
    )


def freshness_of(state: PageState) -> Freshness:
    chosen = state.filters_chosen
    account = next((a for a in state.accounts if a.pk == chosen.account_id), None)
    return freshness(state.membership, account=account, network=chosen.network or None)


def render_page(
    request: HttpRequest,
    template: str,
    state: PageState,
    figures: list[Figure],
    context: dict[str, Any],
) -> HttpResponse:
    """The page, or with ?format=csv&table=KEY the CSV of one of its tables (the same
    values the page shows)."""
    if wants_csv(request):
        return table_csv(request, state, [f.table for f in figures])
    return render(
        request,
        template,
        {
            "membership": state.membership,
            "workspace": state.membership.workspace,
            "state": state,
            "period_keys": PERIOD_KEYS,
            "period_labels": period_labels(),
            "figures": {found.table.key: found for found in figures},
            **context,
        },
        status=state.status,
    )
