"""Saving a few fields of many rows at once (ingest, routing): one prepared UPDATE run for
all of them. Django's bulk_update builds a CASE expression per field and row instead, and
compiling it cost more than storing the page did."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Model


def update_rows(model: type[Model], names: Sequence[str], rows: Sequence[Model]) -> None:
    """Save the fields `names` of each row (the rows' current values, by primary key)."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    # Only the model's own table and column names are formatted in; values are parameters.
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in fields),  # type: ignore[union-attr]
        quote(model._meta.pk.column),  # type: ignore[union-attr]
    )
    params = [
        [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]  # type: ignore[union-attr]
        + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
