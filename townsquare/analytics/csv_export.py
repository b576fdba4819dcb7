"""A dashboard table as a CSV download: UTF-8 with a byte order mark (so spreadsheet
programs read umlauts right), comma-separated, the header row in the reader's language,
numbers with a dot, unknown values empty."""

from __future__ import annotations

import csv
from datetime import date

from django.http import HttpResponse

from townsquare.analytics.tables import Table, csv_rows, file_name


def csv_response(table: Table, workspace_slug: str, first: date, last: date) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{file_name(table, workspace_slug, first, last)}"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerows(csv_rows(table))
    return response
