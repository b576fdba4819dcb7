"""API for posts: create with adapted variants, preview, validate, edit variants by hand."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from townsquare.content import actions
from townsquare.content.access import access_post, access_posts, access_variant
from townsquare.content.actions import PostInput
from townsquare.content.models import Post, Variant
from townsquare.content.service import change_dicts, compose, media_inputs, problem_dicts
from townsquare.content.validate import MediaInput, VariantInput, validate_variant
from townsquare.lib.bounds import Id, Limit500
from townsquare.lib.errors import ActionError
from townsquare.media.models import MediaAsset
from townsquare.networks.catalog import NETWORK_NAMES
from townsquare.networks.models import SocialAccount
from townsquare.networks.rules.counting import text_length
from townsquare.networks.rules.loader import rules_for
from townsquare.networks.rules.model import RuleError
from townsquare.workspaces.access import require
from townsquare.workspaces.roles import Perm

router = Router(tags=["posts"])

TEXT_MAX = actions.MAX_MASTER_CHARS


class PostIn(Schema):
    text: str = Field(max_length=TEXT_MAX)
    language: Literal["de", "en"] = "de"
    link_url: str = Field("", max_length=2000)
    hashtags: list[str] = Field(default_factory=list, max_length=100)
    hashtag_sets: list[str] = Field(default_factory=list, max_length=50)
    content_warning: str = Field("", max_length=500)
    accounts: list[Id] = Field(min_length=1, max_length=100)
    media: list[Id] = Field(default_factory=list, max_length=20, description="Media library ids")
    campaign_id: Id | None = Field(None, description="A campaign of the workspace's plan")
    pillar_id: Id | None = Field(None, description="A content pillar of the workspace's plan")
    audience_id: Id | None = Field(None, description="An audience of the workspace's plan")

    def to_input(self) -> PostInput:
        return PostInput(
            text=self.text,
            language=self.language,
            link_url=self.link_url,
            hashtags=tuple(self.hashtags),
            hashtag_sets=tuple(self.hashtag_sets),
            content_warning=self.content_warning,
            media_ids=tuple(self.media),
            campaign_id=self.campaign_id,
            pillar_id=self.pillar_id,
            audience_id=self.audience_id,
        )


class Message(Schema):
    code: str
    message_en: str
    message_de: str


class Hint(Message):
    suggestion: str = Field(
        "", description="Text the author may add to the message, e.g. the plan's call to action"
    )


class ProblemOut(Message):
    severity: str
    span: list[int] | None = None
    part_index: int | None = None


class VariantAccountOut(Schema):
    id: int
    network: str
    handle: str


class VariantOut(Schema):
    id: int | None = None
    account: VariantAccountOut
    text: str
    parts: list[str]
    edited_by_hand: bool
    changes: list[Message]
    warnings: list[Hint]
    problems: list[ProblemOut]
    link_card_url: str | None = None


class PostOut(Schema):
    id: int
    text: str
    language: str
    link_url: str
    hashtags: list[str]
    content_warning: str
    state: str
    campaign_id: int | None = None
    pillar_id: int | None = None
    audience_id: int | None = None
    created_at: datetime
    updated_at: datetime
    variants: list[VariantOut]


class VariantTextIn(Schema):
    text: str = Field(min_length=1, max_length=TEXT_MAX)


class MediaIn(Schema):
    kind: Literal["image", "gif", "video", "document"]
    mime_type: str = ""
    size_bytes: int | None = Field(None, ge=0)
    width: int | None = Field(None, ge=1)
    height: int | None = Field(None, ge=1)
    duration_s: float | None = Field(None, ge=0)
    alt_text: str = ""


class ValidateIn(Schema):
    network: str
    text: str = Field("", max_length=10 * TEXT_MAX)
    parts: list[str] = Field(default_factory=list, max_length=100)
    content_warning: str = ""
    title: str = ""
    link_url: str = ""
    media: list[MediaIn] = Field(default_factory=list, max_length=50)
    account_limits: dict[str, Any] = Field(
        default_factory=dict, description="Limits the network reported for the account"
    )


class ValidateOut(Schema):
    network: str
    valid: bool
    lengths: list[int]
    max_length: int
    problems: list[ProblemOut]


def _account(a: SocialAccount) -> VariantAccountOut:
    return VariantAccountOut(id=a.pk, network=a.network, handle=a.handle)


def _variant_out(v: Variant) -> VariantOut:
    return VariantOut(
        id=v.pk,
        account=_account(v.account),
        text=v.text,
        parts=v.parts,
        edited_by_hand=v.edited_by_hand,
        changes=v.changes,
        warnings=v.warnings,
        problems=v.problems,
        link_card_url=v.link_card_url or None,
    )


def _post_out(post: Post) -> PostOut:
    return PostOut(
        id=post.pk,
        text=post.master_text,
        language=post.language,
        link_url=post.link_url,
        hashtags=post.hashtags,
        content_warning=post.content_warning,
        state=post.state,
        campaign_id=post.campaign_id,
        pillar_id=post.pillar_id,
        audience_id=post.audience_id,
        created_at=post.created_at,
        updated_at=post.updated_at,
        variants=[_variant_out(v) for v in post.variants.select_related("account")],
    )


@router.get("/workspaces/{workspace}/posts", response=list[PostOut])
def list_posts(request: HttpRequest, workspace: str, limit: Limit500 = 50) -> list[PostOut]:
    posts = access_posts(request.membership)[:limit]
    return [_post_out(p) for p in posts]


@router.post("/workspaces/{workspace}/posts", response={201: PostOut})
def create_post(request: HttpRequest, workspace: str, body: PostIn) -> Status:
    post = actions.do_save_post(request.membership, body.to_input(), body.accounts)
    return Status(201, _post_out(post))


@router.get("/workspaces/{workspace}/posts/{post_id}", response=PostOut)
def get_post(request: HttpRequest, workspace: str, post_id: Id) -> PostOut:
    return _post_out(access_post(request.membership, post_id))


@router.put("/workspaces/{workspace}/posts/{post_id}", response=PostOut)
def update_post(request: HttpRequest, workspace: str, post_id: Id, body: PostIn) -> PostOut:
    post = access_post(request.membership, post_id)
    return _post_out(actions.do_save_post(request.membership, body.to_input(), body.accounts, post))


@router.delete("/workspaces/{workspace}/posts/{post_id}", response={204: None})
def delete_post(request: HttpRequest, workspace: str, post_id: Id) -> Status:
    actions.do_delete_post(request.membership, access_post(request.membership, post_id))
    return Status(204, None)


@router.put("/workspaces/{workspace}/variants/{variant_id}", response=VariantOut)
def edit_variant(
    request: HttpRequest, workspace: str, variant_id: Id, body: VariantTextIn
) -> VariantOut:
    variant = access_variant(request.membership, variant_id)
    return _variant_out(actions.do_edit_variant(request.membership, variant, body.text))


@router.post("/workspaces/{workspace}/variants/{variant_id}/reset", response=VariantOut)
def reset_variant(request: HttpRequest, workspace: str, variant_id: Id) -> VariantOut:
    variant = access_variant(request.membership, variant_id)
    return _variant_out(actions.do_reset_variant(request.membership, variant))


@router.post("/workspaces/{workspace}/preview", response=list[VariantOut])
def preview(request: HttpRequest, workspace: str, body: PostIn) -> list[VariantOut]:
    """What saving would produce, without saving."""
    membership = request.membership
    require(membership, Perm.WRITE_DRAFTS)
    data = body.to_input()
    text = actions.clean_text(data.text)
    accounts = list(
        SocialAccount.objects.filter(workspace=membership.workspace, pk__in=body.accounts)
    )
    if len(accounts) != len(set(body.accounts)):
        raise ActionError("Choose accounts of this workspace.", code="unknown_account")
    assets = {
        a.pk: a
        for a in MediaAsset.objects.filter(workspace=membership.workspace, pk__in=body.media)
    }
    if len(assets) != len(set(body.media)):
        raise ActionError("Choose media of this workspace's library.", code="unknown_media")
    results = compose(
        membership.workspace,
        PostInput(**{**data.__dict__, "text": text}).master(),
        accounts,
        content_warning=data.content_warning,
        media=media_inputs(assets[i] for i in body.media),
    )
    return [
        VariantOut(
            account=_account(r.account),
            text=r.adapted.text,
            parts=list(r.adapted.parts),
            edited_by_hand=False,
            changes=change_dicts(r.adapted.changes),
            warnings=change_dicts(r.adapted.warnings),
            problems=problem_dicts(r.problems),
            link_card_url=r.adapted.link_card_url,
        )
        for r in results
    ]


@router.post("/validate", response=ValidateOut)
def validate(request: HttpRequest, body: ValidateIn) -> ValidateOut:
    """Check one variant against a network's rules (and the account's reported limits)."""
    if body.network not in NETWORK_NAMES:
        raise ActionError(f"Unknown network {body.network!r}.", code="unknown_network")
    try:
        rules = rules_for(body.network, account_overrides=body.account_limits)
    except RuleError as error:
        raise ActionError(str(error), code="invalid_account_limits") from None
    variant = VariantInput(
        text=body.text,
        parts=tuple(body.parts),
        content_warning=body.content_warning,
        title=body.title,
        link_url=body.link_url,
        media=tuple(MediaInput(**m.model_dump()) for m in body.media),
    )
    problems = validate_variant(variant, rules)
    cw = body.content_warning if rules.content_warning_supported.value else ""
    lengths = [
        text_length(
            rules.text_counting.value,
            t[:TEXT_MAX],
            url_weight=rules.url_weight.value,
            content_warning=cw,
        )
        for t in variant.texts
    ]
    return ValidateOut(
        network=body.network,
        valid=not any(p.severity == "error" for p in problems),
        lengths=lengths,
        max_length=rules.text_max.value,
        problems=problem_dicts(problems),
    )
