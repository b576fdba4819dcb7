"""API of the social media plan: the plan (of the workspace or of a campaign), its versions
with what changed, and its campaigns, pillars, audiences and goals.

Every write goes through planning/actions.py, so the API refuses what the pages refuse,
with the same message, and saves a new version of the plan.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Router, Schema, Status
from pydantic import BaseModel, Field, StrictFloat, StrictInt, StrictStr

from townsquare.lib.bounds import Id, Limit500
from townsquare.planning import actions
from townsquare.planning.access import (
    access_audience,
    access_audiences,
    access_campaign,
    access_campaigns,
    access_goal,
    access_pillar,
    access_pillars,
    access_version,
    campaign_plan,
    workspace_plan,
)
from townsquare.planning.actions import ItemKind
from townsquare.planning.diff import diff_plans
from townsquare.planning.models import Plan, PlanVersion
from townsquare.planning.names import network_names
from townsquare.planning.snapshot import (
    goal_dict,
    plan_snapshot,
)
from townsquare.workspaces.models import Membership

router = Router(tags=["plan"])

DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
Words = Field(default_factory=list, max_length=200)


class ToneIn(BaseModel):
    """A choice left empty ("") follows the plan above (a campaign's plan: the workspace's
    plan; a network: its plan)."""

    address: StrictStr = Field("", max_length=8, description="any, du or sie")
    formality: StrictStr = Field("", max_length=8, description="casual, neutral or formal")
    emoji_policy: StrictStr = Field("", max_length=8, description="free, few or none")
    max_emoji: StrictInt | None = Field(None, ge=0, le=50)
    hashtag_policy: StrictStr = Field(
        "", max_length=16, description="keep_inline, move_to_end, none"
    )
    call_to_action: StrictStr = Field("", max_length=200)
    avoid_words: list[StrictStr] = Words
    prefer_words: list[StrictStr] = Words


class PlanToneIn(ToneIn):
    max_hashtags: dict[str, StrictInt] = Field(
        default_factory=dict, description="Network key -> at most this many hashtags"
    )


class NetworkIn(ToneIn):
    network: StrictStr = Field(max_length=32, description="A network key, e.g. linkedin_page")
    rationale: StrictStr = Field("", max_length=2000)
    max_hashtags: StrictInt | None = Field(None, ge=0, le=100)
    posts_per_week: StrictInt = Field(0, ge=0, le=100)
    preferred_days: list[StrictInt] = Field(
        default_factory=list, max_length=7, description="0 Monday"
    )
    preferred_times: list[StrictStr] = Field(
        default_factory=list, max_length=24, description="HH:MM"
    )


class GoalIn(BaseModel):
    metric: StrictStr = Field(
        max_length=24,
        description="follower_growth, reach, views, engagement_rate, response_time, publications",
    )
    network: StrictStr = Field("", max_length=32, description="Empty: all networks of the plan")
    target: StrictStr | StrictInt | StrictFloat = Field(
        description="A number, e.g. 1500 or 4.5 (also as text)"
    )
    baseline: StrictStr | StrictInt | StrictFloat | None = None
    starts_on: StrictStr | None = Field(None, pattern=DATE, description="YYYY-MM-DD")
    due_on: StrictStr = Field(pattern=DATE, description="YYYY-MM-DD")


class GoalBodyIn(GoalIn):
    note: StrictStr = Field("", max_length=2000)


class PlanIn(BaseModel):
    """Each section given replaces the plan's; a section left out (or null) stays."""

    summary: StrictStr | None = Field(None, max_length=10_000)
    time_zone: StrictStr | None = Field(None, max_length=64)
    starts_on: StrictStr | None = Field(
        None, pattern=DATE, description="YYYY-MM-DD; compliance counts weeks from its week on"
    )
    tone: PlanToneIn | None = None
    networks: list[NetworkIn] | None = Field(None, max_length=20)
    goals: list[GoalBodyIn] | None = Field(None, max_length=100)


class PillarIn(BaseModel):
    name: StrictStr = Field(max_length=80)
    description: StrictStr = Field("", max_length=2000)
    target_share: StrictInt = Field(0, ge=0, le=100)
    colour: StrictStr = Field("", max_length=7, description="#rrggbb")


class AudienceIn(BaseModel):
    name: StrictStr = Field(max_length=80)
    who: StrictStr = Field("", max_length=2000)
    cares_about: StrictStr = Field("", max_length=2000)
    networks: list[StrictStr] = Field(default_factory=list, max_length=20)


class CampaignIn(BaseModel):
    name: StrictStr = Field(max_length=120)
    description: StrictStr = Field("", max_length=2000)
    starts_on: StrictStr = Field(pattern=DATE, description="YYYY-MM-DD")
    ends_on: StrictStr = Field(pattern=DATE, description="YYYY-MM-DD")
    colour: StrictStr = Field("", max_length=7, description="#rrggbb")


class PillarOut(PillarIn):
    id: int


class AudienceOut(AudienceIn):
    id: int


class CampaignOut(CampaignIn):
    id: int


class GoalOut(GoalBodyIn):
    id: int


class PlanOut(Schema):
    version: int
    updated_at: datetime
    campaign: CampaignOut | None
    summary: str
    time_zone: str
    starts_on: date
    tone: dict[str, Any]
    networks: list[dict[str, Any]]
    goals: list[GoalOut]
    audiences: list[AudienceOut]
    pillars: list[PillarOut]
    campaigns: list[CampaignOut]


class VersionOut(Schema):
    id: int
    number: int
    author: str | None
    created_at: datetime


class ChangeOut(Schema):
    message_en: str
    message_de: str
    message: str = Field(description="In the language of the request")


class VersionDetailOut(VersionOut):
    previous: int | None = Field(description="The number of the version compared with")
    changes: list[ChangeOut]
    snapshot: dict[str, Any]


def _plan_out(plan: Plan) -> PlanOut:
    return PlanOut(version=plan.version, updated_at=plan.updated_at, **plan_snapshot(plan))


def _version_out(version: PlanVersion) -> VersionOut:
    return VersionOut(
        id=version.pk,
        number=version.number,
        author=version.author.email if version.author else None,
        created_at=version.created_at,
    )


def _versions(plan: Plan, limit: int) -> list[VersionOut]:
    versions = plan.versions.select_related("author").order_by("-number")[:limit]
    return [_version_out(v) for v in versions]


def _plan_body(body: PlanIn) -> dict[str, Any]:
    return body.model_dump(exclude_none=True, mode="json")


@router.get("/workspaces/{workspace}/plan", response=PlanOut)
def get_plan(request: HttpRequest, workspace: str) -> PlanOut:
    return _plan_out(workspace_plan(request.membership.workspace))


@router.put("/workspaces/{workspace}/plan", response=PlanOut)
def put_plan(request: HttpRequest, workspace: str, body: PlanIn) -> PlanOut:
    plan = workspace_plan(request.membership.workspace)
    return _plan_out(actions.do_replace_plan(request.membership, plan, _plan_body(body)))


@router.get("/workspaces/{workspace}/plan/versions", response=list[VersionOut])
def plan_versions(request: HttpRequest, workspace: str, limit: Limit500 = 100) -> list[VersionOut]:
    return _versions(workspace_plan(request.membership.workspace), limit)


@router.get("/workspaces/{workspace}/plan/versions/{version_id}", response=VersionDetailOut)
def plan_version(request: HttpRequest, workspace: str, version_id: Id) -> VersionDetailOut:
    """One version, and what changed since the version before it."""
    version = access_version(request.membership, version_id)
    previous = (
        PlanVersion.objects.filter(plan=version.plan, number__lt=version.number)
        .order_by("-number")
        .first()
    )
    language = (get_language() or "en")[:2]
    lines = diff_plans(previous.snapshot if previous else None, version.snapshot, network_names())
    return VersionDetailOut(
        **_version_out(version).model_dump(),
        previous=previous.number if previous else None,
        changes=[
            ChangeOut(
                message_en=line.message_en,
                message_de=line.message_de,
                message=line.message(language),
            )
            for line in lines
        ],
        snapshot=version.snapshot,
    )


@router.get("/workspaces/{workspace}/campaigns/{campaign_id}/plan", response=PlanOut)
def get_campaign_plan(request: HttpRequest, workspace: str, campaign_id: Id) -> PlanOut:
    return _plan_out(campaign_plan(access_campaign(request.membership, campaign_id)))


@router.put("/workspaces/{workspace}/campaigns/{campaign_id}/plan", response=PlanOut)
def put_campaign_plan(
    request: HttpRequest, workspace: str, campaign_id: Id, body: PlanIn
) -> PlanOut:
    """Only what differs from the workspace's plan; empty choices follow it."""
    plan = campaign_plan(access_campaign(request.membership, campaign_id))
    return _plan_out(actions.do_replace_plan(request.membership, plan, _plan_body(body)))


@router.get(
    "/workspaces/{workspace}/campaigns/{campaign_id}/plan/versions", response=list[VersionOut]
)
def campaign_plan_versions(
    request: HttpRequest, workspace: str, campaign_id: Id, limit: Limit500 = 100
) -> list[VersionOut]:
    return _versions(campaign_plan(access_campaign(request.membership, campaign_id)), limit)


# Campaigns, pillars and audiences: the same five routes each


_POSITIONAL = inspect.Parameter.POSITIONAL_OR_KEYWORD


def _route(name: str, run: Callable[..., Any], **params: Any) -> Callable[..., Any]:
    """A route function named as the operation (its OpenAPI id and URL name) whose
    signature tells django-ninja the path's parameters and the body."""

    def view(request: HttpRequest, workspace: str, **values: Any) -> Any:
        return run(request.membership, **values)

    view.__name__ = view.__qualname__ = name
    view.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("request", _POSITIONAL, annotation=HttpRequest),
            inspect.Parameter("workspace", _POSITIONAL, annotation=str),
            *(inspect.Parameter(k, _POSITIONAL, annotation=v) for k, v in params.items()),
        ]
    )
    return view


def _item_routes(
    kind: ItemKind[Any],
    singular: str,
    body: type[BaseModel],
    out: type[BaseModel],
    many: Callable[[Membership], Any],
    one: Callable[[Membership, int], Any],
) -> None:
    """List, create, read, change and delete one kind of the workspace's plan, every write
    through its action."""
    plural = f"{singular}s"
    param = f"{singular}_id"
    base = f"/workspaces/{{workspace}}/{plural}"
    item = f"{base}/{{{param}}}"

    def list_all(membership: Membership) -> list[Any]:
        return [kind.as_dict(found) for found in many(membership)[:500]]

    def save(membership: Membership, body: BaseModel, found: Any = None) -> Any:
        values = body.model_dump()
        return kind.as_dict(actions.do_save_workspace_item(membership, kind, values, found))

    def create(membership: Membership, body: BaseModel) -> Status:
        return Status(201, save(membership, body))

    def read(membership: Membership, **ids: int) -> Any:
        return kind.as_dict(one(membership, ids[param]))

    def update(membership: Membership, body: BaseModel, **ids: int) -> Any:
        return save(membership, body, one(membership, ids[param]))

    def remove(membership: Membership, **ids: int) -> Status:
        actions.do_delete_workspace_item(membership, kind, one(membership, ids[param]))
        return Status(204, None)

    router.get(base, response=list[out])(_route(f"list_{plural}", list_all))
    router.post(base, response={201: out})(_route(f"create_{singular}", create, body=body))
    router.get(item, response=out)(_route(f"get_{singular}", read, **{param: Id}))
    router.put(item, response=out)(
        _route(f"update_{singular}", update, **{param: Id, "body": body})
    )
    router.delete(item, response={204: None})(_route(f"delete_{singular}", remove, **{param: Id}))


for _kind, *_routes in (
    (actions.CAMPAIGN, "campaign", CampaignIn, CampaignOut, access_campaigns, access_campaign),
    (actions.PILLAR, "pillar", PillarIn, PillarOut, access_pillars, access_pillar),
    (actions.AUDIENCE, "audience", AudienceIn, AudienceOut, access_audiences, access_audience),
):
    _item_routes(_kind, *_routes)


# Goals of the workspace's plan (a campaign's goals: PUT its plan)


@router.get("/workspaces/{workspace}/plan/goals", response=list[GoalOut])
def list_goals(request: HttpRequest, workspace: str) -> list[Any]:
    plan = workspace_plan(request.membership.workspace)
    return [goal_dict(g) for g in plan.goals.order_by("due_on", "id")[:500]]


@router.post("/workspaces/{workspace}/plan/goals", response={201: GoalOut})
def create_goal(request: HttpRequest, workspace: str, body: GoalBodyIn) -> Status:
    plan = workspace_plan(request.membership.workspace)
    goal = actions.do_save_goal(request.membership, plan, body.model_dump(mode="json"))
    return Status(201, goal_dict(goal))


@router.put("/workspaces/{workspace}/goals/{goal_id}", response=GoalOut)
def update_goal(request: HttpRequest, workspace: str, goal_id: Id, body: GoalBodyIn) -> Any:
    goal = access_goal(request.membership, goal_id)
    values = body.model_dump(mode="json")
    return goal_dict(actions.do_save_goal(request.membership, goal.plan, values, goal))


@router.delete("/workspaces/{workspace}/goals/{goal_id}", response={204: None})
def delete_goal(request: HttpRequest, workspace: str, goal_id: Id) -> Status:
    actions.do_delete_goal(request.membership, access_goal(request.membership, goal_id))
    return Status(204, None)
