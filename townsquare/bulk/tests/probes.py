from townsquare.bulk.models import BulkImport
from townsquare.testing.tenancy import probe_kwarg


@probe_kwarg("import_id")
def foreign_import(world):
    imp, _created = BulkImport.objects.get_or_create(
        workspace=world.foreign,
        filename="nur-fuer-b.csv",
        defaults={
            "format": "csv",
            "headers": ["accounts", "text"],
            "rows": [{"number": 2, "cells": ["@b", "Nur für B"], "shape": None}],
            "mapping": {"accounts": 0, "text": 1},
        },
    )
    return imp.pk
