"""Checking an import reads the workspace's rules, tone and contacts once, not once per row,
and reports exactly what the composer reports when it reads them for each row."""

from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.bulk import rows as rows_module
from townsquare.bulk.parsing import FIELDS
from townsquare.bulk.rows import check_rows
from townsquare.content.models import Contact
from townsquare.content.service import compose
from townsquare.networks.models import RuleOverride

pytestmark = pytest.mark.django_db

# Far too long for a thread on X (over 25 posts): the composer's own problem, per account.
LONG = "Frisch geröstet und ab heute in allen Filialen. " * 200
MAPPING: dict[str, int | None] = {name: i for i, name in enumerate(FIELDS)}


def _rows(count, campaign):
    when = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%d %H:00")
    accounts = ["@alphakaffee", "x:@alphakaffee|alpha.bsky.social", "@alpha@social.example"]
    made = []
    for n in range(count):
        values = {
            "accounts": accounts[n % 3],
            "time": when if n % 2 else "",
            "text": LONG if n % 4 == 0 else f"Röstung {n} bei @nord, heute im Laden.",
            "hashtags": "kaffee" if n % 3 else "",
            "campaign": campaign.name if n % 5 == 0 else "",
        }
        made.append({"number": n + 2, "cells": [values.get(name, "") for name in FIELDS]})
    return made


def _setup(workspace):
    Contact.objects.create(
        workspace=workspace, name="Nord", handles={"mastodon": "@nord@social.example"}
    )
    RuleOverride.objects.create(workspace=workspace, network="bluesky", rule="max_chars", value=200)


def test_the_same_problems_as_reading_for_each_row(
    membership, accounts, campaign, pillar, monkeypatch
):
    _setup(membership.workspace)
    rows = _rows(24, campaign)
    once = check_rows(membership, rows, MAPPING)

    def compose_reading_each_time(*args, **kwargs):
        kwargs.pop("reads", None)
        return compose(*args, **kwargs)

    monkeypatch.setattr(rows_module, "compose", compose_reading_each_time)
    each = check_rows(membership, rows, MAPPING)
    assert once.problems == each.problems
    assert [p.number for p in once.plans] == [p.number for p in each.plans]
    assert {p["code"] for p in once.problems} >= {"thread_too_many_parts"}, "X's limit"
    assert once.plans, "and valid rows are planned"


def test_the_queries_do_not_grow_with_the_rows(
    membership, accounts, campaign, pillar, django_assert_max_num_queries
):
    _setup(membership.workspace)
    check_rows(membership, _rows(3, campaign), MAPPING)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        check_rows(membership, _rows(3, campaign), MAPPING)
    with django_assert_max_num_queries(len(few) + 2):
        check_rows(membership, _rows(60, campaign), MAPPING)
