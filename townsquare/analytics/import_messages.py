"""The words of an analytics import's problems, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from townsquare.analytics.imports.formats import FORMATS, ExportFormat
from townsquare.analytics.imports.rows import RowError
from townsquare.networks.catalog import network_label


def row_error_text(error: RowError) -> str:
    texts = {
        "missing_id": _("The post id is empty."),
        "bad_id": _("“%(value)s” is not a post id or post link Townsquare can read."),
        "bad_time": _("“%(value)s” is not a date and time in this export's format."),
        "bad_number": _("“%(value)s” is not a whole, non-negative number."),
        "extra_cells": _("The row has more cells than the header has columns."),
        "duplicate_id": _(
            "The post %(value)s was already in an earlier row; this one is left out."
        ),
    }
    return texts.get(error.code, error.code) % {"value": error.value}


def unknown_layout_text(headers: tuple[str, ...]) -> str:
    expected = "; ".join(
        f"{export.label}: {', '.join(_signature_headers(export))}" for export in FORMATS
    )
    return _(
        "The columns of this file (%(found)s) are not those of an analytics export "
        "Townsquare reads. It reads: %(expected)s."
    ) % {"found": ", ".join(headers[:12]) or "–", "expected": expected}


def wrong_network_text(export: ExportFormat, network: str) -> str:
    return _(
        "This is an export of %(export)s, which belongs to %(networks)s; the chosen account "
        "is on %(network)s. Choose an account of that network."
    ) % {
        "export": export.label,
        "networks": ", ".join(network_label(n) for n in export.networks),
        "network": network_label(network),
    }


def _signature_headers(export: ExportFormat) -> list[str]:
    names = {
        "postid": "Post ID",
        "date": "Date",
        "tweetid": "Tweet id",
        "time": "time",
        "pageid": "Page ID",
        "publishtime": "Publish time",
        "accountid": "Account ID",
        "postlink": "Post link",
        "createddate": "Created date",
    }
    return [names.get(column, column) for column in export.signature]
