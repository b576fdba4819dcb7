"""Forms of the import and export pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from townsquare.bulk.export import ExportFilter
from townsquare.bulk.messages import field_labels
from townsquare.bulk.models import BulkImport
from townsquare.bulk.parsing import FIELDS, MAX_BYTES, REQUIRED
from townsquare.lib.bounds import id_from_text
from townsquare.planning.models import Campaign
from townsquare.workspaces.models import Membership


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (comma or semicolon, UTF-8) or JSON, up to 2 MB and 1,000 posts."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json,text/csv,application/json"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size_kb)s KB; Townsquare imports files of up to %(max_kb)s KB.")
                % {"size_kb": (upload.size + 1023) // 1024, "max_kb": MAX_BYTES // 1024}
            )
        return upload


def column_choices(imp: BulkImport) -> list[tuple[str, str]]:
    first = imp.rows[0]["cells"] if imp.rows else []
    choices = [("", str(_("— not in the file —")))]
    for index, header in enumerate(imp.headers):
        name = header or str(_("Column %(number)s") % {"number": index + 1})
        sample = str(first[index]).strip() if index < len(first) else ""
        if sample:
            sample = sample if len(sample) <= 40 else sample[:39] + "…"
            name = f"{name} ({_('e.g.')} {sample})"
        choices.append((str(index), name))
    return choices


class MappingForm(forms.Form):
    """Which column holds which field: one choice per field."""

    def __init__(self, *args: Any, bulk_import: BulkImport, **kwargs: Any) -> None:
        initial = {
            name: "" if index is None else str(index) for name, index in bulk_import.mapping.items()
        }
        super().__init__(*args, initial=initial, **kwargs)
        labels = field_labels()
        choices = column_choices(bulk_import)
        for name in FIELDS:
            label = labels[name]
            self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=False)
            if name in REQUIRED:
                self.fields[name].help_text = _("Required")

    def mapping(self) -> dict[str, int | None]:
        return {
            name: (int(value) if value not in ("", None) else None)
            for name, value in self.cleaned_data.items()
        }


STATUS_CHOICES = [
    ("", _("All")),
    ("draft", _("Draft")),
    ("scheduled", _("Scheduled")),
    ("published", _("Published")),
    ("failed", _("Failed")),
    ("unknown", _("Not confirmed")),
]


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=[("csv", "CSV"), ("json", "JSON")], initial="csv"
    )
    start = forms.DateField(
        label=pgettext_lazy("start of a date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=pgettext_lazy("end of a date range", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    campaign = forms.ChoiceField(label=_("Campaign"), required=False)

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaigns = {c.pk: c for c in Campaign.objects.filter(workspace=membership.workspace)}
        self.fields["campaign"].choices = [("", _("All"))] + [
            (str(pk), c.name) for pk, c in self.campaigns.items()
        ]
        self.fields["start"].help_text = _(
            "With a date, only posts with a time on or after it (in the workspace's time zone)."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end lies before the start."))
        return data

    def filters(self) -> ExportFilter:
        data = self.cleaned_data
        pk = id_from_text(data.get("campaign") or "")
        return ExportFilter(
            start=data.get("start"),
            end=data.get("end"),
            status=data.get("status") or None,
            campaign=self.campaigns.get(pk) if pk else None,
        )
