"""The page that imports a network's own analytics export into an account's history."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from townsquare.analytics.import_actions import MAX_BYTES, MAX_ROWS, do_import_analytics
from townsquare.analytics.imports.formats import FORMATS
from townsquare.lib.errors import ActionError
from townsquare.networks.access import access_accounts
from townsquare.networks.catalog import network_label
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm
from townsquare.workspaces.views import workspace_view

# How many row problems the page lists (the counts cover all of them).
SHOWN_ERRORS = 300
IMPORTABLE_NETWORKS = sorted({network for export in FORMATS for network in export.networks})


class AnalyticsImportForm(forms.Form):
    account = forms.TypedChoiceField(label=_("Account"), coerce=int)
    file = forms.FileField(
        label=_("Export file"),
        help_text=_("The CSV file as the network exported it, up to 10 MB and 50,000 posts."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args: Any, accounts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = accounts  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size_mb)s MB; Townsquare imports exports of up to 10 MB.")
                % {"size_mb": round(upload.size / 1024 / 1024, 1)}
            )
        return upload


@workspace_view(Perm.CONNECT_ACCOUNTS)
def import_export(request: HttpRequest, membership: Membership) -> HttpResponse:
    accounts = [
        (account.pk, f"{network_label(account.network)} · {account.handle}")
        for account in access_accounts(membership)
        .filter(removed_at__isnull=True, network__in=IMPORTABLE_NETWORKS)
        .order_by("network", "handle")
    ]
    form = AnalyticsImportForm(request.POST or None, request.FILES or None, accounts=accounts)
    outcome = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                outcome = do_import_analytics(
                    membership, form.cleaned_data["account"], upload.read(), upload.name or ""
                )
            except ActionError as error:
                form.add_error("file", error.message)
                status = 400
        else:
            status = 400
    rows = []
    if outcome is not None:
        rows = list(zip(outcome.errors, outcome.error_texts, strict=True))[:SHOWN_ERRORS]
    return render(
        request,
        "analytics/import.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "form": form,
            "has_accounts": bool(accounts),
            "outcome": outcome,
            "error_rows": rows,
            "formats": [
                (export.label, ", ".join(network_label(n) for n in export.networks))
                for export in FORMATS
            ],
            "max_rows": MAX_ROWS,
        },
        status=status,
    )
