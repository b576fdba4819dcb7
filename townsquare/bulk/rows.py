"""Checking every row of an import: the workspace's names resolved (row_names.py), each
cell read (row_values.py), then the composer's own adaptation and validation per account.

`check_rows` reads the workspace once (accounts, campaigns, pillars, audiences, library
files, and what the composer reads: rules, tone, contacts) and returns, per row, either a
plan of what to create or its problems. Nothing is written here; bulk/actions.py imports
the plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from townsquare.bulk.parsing import FIELDS, REQUIRED
from townsquare.bulk.row_names import (
    WorkspaceNames,
    queue_slot_problems,
    resolve_accounts,
    resolve_named,
)
from townsquare.bulk.row_values import (
    MediaRef,
    problem,
    read_hashtags,
    read_language,
    read_link,
    read_media,
    read_text,
    read_time,
)
from townsquare.content.actions import PostInput
from townsquare.content.service import compose, media_inputs
from townsquare.content.validate import Problem
from townsquare.networks.catalog import network_label
from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Audience, Campaign, Pillar
from townsquare.workspaces.models import Membership

__all__ = ["Checked", "MediaRef", "PlannedRow", "check_row", "check_rows", "problem"]


@dataclass
class PlannedRow:
    number: int
    accounts: list[SocialAccount]
    wall: datetime | None
    text: str
    language: str
    link: str
    hashtags: list[str]
    media: list[MediaRef]
    campaign: Campaign | None = None
    pillar: Pillar | None = None
    audience: Audience | None = None

    def post_input(self, media_ids: tuple[int, ...] = ()) -> PostInput:
        return PostInput(
            text=self.text,
            language=self.language,
            link_url=self.link,
            hashtags=tuple(self.hashtags),
            media_ids=media_ids,
            campaign_id=self.campaign.pk if self.campaign else None,
            pillar_id=self.pillar.pk if self.pillar else None,
            audience_id=self.audience.pk if self.audience else None,
        )


@dataclass
class Checked:
    plans: list[PlannedRow] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def error_rows(self) -> set[int]:
        return {p["row"] for p in self.problems if p.get("row")}


def check_rows(
    membership: Membership,
    rows: list[dict[str, Any]],
    mapping: dict[str, int | None],
    *,
    now: datetime | None = None,
) -> Checked:
    """Every row checked; a row is planned only when it has no problem at all."""
    checked = Checked()
    for name in REQUIRED:
        if mapping.get(name) is None:
            label = {"accounts": _("Accounts"), "text": _("Text")}[name]
            checked.problems.append(
                problem(
                    None,
                    name,
                    "column_missing",
                    _('Choose the column that holds "%(field)s": it is required.'),
                    field=label,
                )
            )
    if checked.problems:
        return checked
    names = WorkspaceNames(membership)
    now = now or timezone.now()
    for row in rows:
        values = {
            name: _cell(row["cells"], mapping.get(name))
            for name in FIELDS  # an unmapped field is blank
        }
        plan, problems = check_row(names, row["number"], values, now)
        if row.get("shape"):
            problems.insert(0, _shape_problem(row["number"], row["shape"]))
        if problems:
            checked.problems.extend(problems)
        elif plan is not None:
            checked.plans.append(plan)
    return checked


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index < 0 or index >= len(cells):
        return ""
    return str(cells[index])


def _shape_problem(number: int, shape: dict[str, Any]) -> dict:
    if shape.get("code") == "json_value":
        return problem(
            number,
            "row",
            "json_value",
            _('The value of "%(column)s" is an object; write it as text or a list of texts.'),
            column=shape.get("column", ""),
        )
    return problem(
        number,
        "row",
        "extra_cells",
        _(
            "The row has %(count)s cells but the header only %(width)s: a cell with a "
            "separator in it needs quotation marks."
        ),
        count=shape.get("count", 0),
        width=shape.get("width", 0),
    )


def check_row(
    names: WorkspaceNames, number: int, values: dict[str, str], now: datetime
) -> tuple[PlannedRow | None, list[dict]]:
    problems: list[dict] = []
    accounts = resolve_accounts(names, number, values["accounts"], problems)
    wall = read_time(names, number, values["time"].strip(), now, problems)
    text = read_text(number, values["text"], problems)
    language = read_language(names, number, values["language"].strip(), problems)
    link = read_link(number, values["link"].strip(), problems)
    hashtags = read_hashtags(number, values["hashtags"], problems)
    media = read_media(names, number, values["media"], problems)
    campaign = resolve_named(number, "campaign", names.campaigns, values["campaign"], problems)
    pillar = resolve_named(number, "pillar", names.pillars, values["pillar"], problems)
    audience = resolve_named(number, "audience", names.audiences, values["audience"], problems)
    if not problems and wall is None and names.may_schedule and not names.approvals:
        queue_slot_problems(names, number, accounts, problems)
    if problems:
        return None, problems
    plan = PlannedRow(
        number=number,
        accounts=accounts,
        wall=wall,
        text=text,
        language=language,
        link=link,
        hashtags=hashtags,
        media=media,
        campaign=campaign,
        pillar=pillar,
        audience=audience,
    )
    library = [names.assets[int(m.value)] for m in media if m.kind == "id"]
    problems.extend(composer_problems(names, plan, library))
    return (None if problems else plan), problems


def composer_problems(
    names: WorkspaceNames, plan: PlannedRow, assets: list[Any]
) -> list[dict[str, Any]]:
    """The composer's adaptation and validation of the row, per account: what the composer
    would show as errors, with the account named."""
    results = compose(
        names.workspace,
        plan.post_input().master(),
        plan.accounts,
        media=media_inputs(assets),
        campaign=plan.campaign,
        # The workspace's rules, tone and contacts read once for the whole check.
        reads=names.compose_reads,
    )
    return [
        variant_problem(plan.number, result.account, error)
        for result in results
        for error in result.errors
    ]


def variant_problem(number: int, account: SocialAccount, error: Problem) -> dict[str, Any]:
    texts = {}
    for language, message in (("en", error.message_en), ("de", error.message_de)):
        with override(language):
            texts[language] = f"{network_label(account.network)} {account.handle}: {message}"
    return {"row": number, "field": _field_of(error.code), "code": error.code, **texts}


def _field_of(code: str) -> str:
    if code.startswith(("media", "alt_text", "image", "video", "gif", "document")):
        return "media"
    if code.startswith("link"):
        return "link"
    if code.startswith(("hashtag", "cashtag")):
        return "hashtags"
    return "text"
