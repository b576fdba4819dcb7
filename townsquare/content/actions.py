"""Writing posts: save the master and its adapted variants, edit a variant by hand, reset it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from townsquare.audit.record import record, snapshot
from townsquare.content.adapt import MasterPost, PreviousVariant
from townsquare.content.models import Post, PostMedia, Variant
from townsquare.content.service import (
    VariantResult,
    change_dicts,
    compose,
    media_inputs,
    problem_dicts,
    validate_saved_variant,
)
from townsquare.lib.errors import ActionError
from townsquare.networks.models import SocialAccount
from townsquare.planning.links import plan_links
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm

POST_FIELDS = (
    "master_text",
    "language",
    "link_url",
    "hashtags",
    "content_warning",
    "campaign",
    "pillar",
    "audience",
)
PART_SEPARATOR = "\n---\n"
MAX_MASTER_CHARS = 100_000


@dataclass(frozen=True)
class PostInput:
    text: str
    language: str = "de"
    link_url: str = ""
    hashtags: tuple[str, ...] = ()
    hashtag_sets: tuple[str, ...] = ()
    content_warning: str = ""
    media_ids: tuple[int, ...] = ()
    # The plan's campaign, content pillar and audience the post belongs to (None: none).
    campaign_id: int | None = None
    pillar_id: int | None = None
    audience_id: int | None = None

    def master(self) -> MasterPost:
        return MasterPost(
            text=self.text,
            language="de" if self.language == "de" else "en",
            link_url=self.link_url or None,
            hashtags=tuple(self.hashtags),
            hashtag_sets=tuple(self.hashtag_sets),
        )


def clean_text(text: str) -> str:
    """Refuse what cannot be stored or shown; keep everything else exactly as written."""
    if len(text) > MAX_MASTER_CHARS:
        raise ActionError(
            _("The text is %(length)s characters long; Townsquare takes up to %(max)s.")
            % {"length": len(text), "max": MAX_MASTER_CHARS},
            code="text_too_large",
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ActionError(
            _("The text contains broken characters (unpaired surrogates). Paste it again."),
            code="invalid_unicode",
        ) from None
    if "\x00" in text:
        raise ActionError(_("The text contains a NUL character."), code="control_characters")
    return text.replace("\r\n", "\n")


def _can_edit(membership: Membership, post: Post) -> None:
    require(membership, Perm.WRITE_DRAFTS)
    from townsquare.publishing.actions import editing_blocked  # publishing builds on content

    blocked = editing_blocked(post) if post.pk else None
    if blocked is not None:
        raise blocked  # being sent right now, or its outcome is not yet known
    if post.created_by_id != membership.user_id and not has_perm(
        membership.role, Perm.EDIT_ANY_POST
    ):
        raise ActionError(
            _("Only editors and above may change someone else's post."),
            code="forbidden",
            status=403,
        )


def _workspace_accounts(membership: Membership, account_ids: Sequence[int]) -> list[SocialAccount]:
    accounts = list(
        SocialAccount.objects.filter(workspace=membership.workspace, pk__in=list(account_ids))
    )
    if len(accounts) != len(set(account_ids)):
        raise ActionError(_("Choose accounts of this workspace."), code="unknown_account")
    return accounts


def _content_changed(membership: Membership, post: Post) -> None:
    """A post approved (or in review) whose text, variants or media changed goes back to
    review; the approvals app decides (nothing happens while approvals are off)."""
    # Imported here: approvals builds on content.
    from townsquare.approvals.review_actions import after_content_saved

    after_content_saved(membership, post)


def _store(post: Post, results: list[VariantResult]) -> None:
    keep = []
    for result in results:
        variant, _created = Variant.objects.get_or_create(post=post, account=result.account)
        _store_one(variant, result, post)
        keep.append(variant.pk)
    post.variants.exclude(pk__in=keep).delete()


def _attach(membership: Membership, post: Post, media_ids: Sequence[int]) -> list[Any]:
    """Attach library files in the given order; usage counts follow what is attached."""
    from townsquare.media.actions import do_record_usage
    from townsquare.media.models import MediaAsset

    wanted = list(dict.fromkeys(media_ids))
    assets = {
        a.pk: a for a in MediaAsset.objects.filter(workspace=membership.workspace, pk__in=wanted)
    }
    if len(assets) != len(wanted):
        raise ActionError(_("Choose media of this workspace's library."), code="unknown_media")
    current = {a.asset_id: a.asset for a in post.attachments.select_related("asset")}
    for asset_id, asset in current.items():
        if asset_id not in assets:
            do_record_usage(membership, asset, delta=-1)
    post.attachments.all().delete()
    for position, asset_id in enumerate(wanted):
        PostMedia.objects.create(post=post, asset=assets[asset_id], position=position)
        if asset_id not in current:
            do_record_usage(membership, assets[asset_id], delta=1)
    return [assets[i] for i in wanted]


def _previous(post: Post) -> list[PreviousVariant]:
    return [
        PreviousVariant(
            network=v.account.network,
            account_label=v.account.handle,
            text=v.text,
            edited_by_hand=v.edited_by_hand,
            parts=tuple(v.parts),
            master_text=v.adapted_from or None,
        )
        for v in post.variants.select_related("account")
    ]


@transaction.atomic
def do_save_post(
    membership: Membership,
    data: PostInput,
    account_ids: Sequence[int],
    post: Post | None = None,
) -> Post:
    """Create or update a draft; variants not edited by hand are adapted again."""
    require(membership, Perm.WRITE_DRAFTS)
    text = clean_text(data.text)
    if not text.strip():
        raise ActionError(_("Write something first."), code="text_required")
    accounts = _workspace_accounts(membership, account_ids)
    if not accounts:
        raise ActionError(_("Choose at least one account."), code="accounts_required")
    before = None
    if post is None:
        post = Post(workspace=membership.workspace, created_by=membership.user)
    else:
        _can_edit(membership, post)
        post = Post.objects.select_for_update().get(pk=post.pk)
        before = snapshot(post, POST_FIELDS)
    post.master_text = text
    post.language = data.language
    post.link_url = data.link_url
    post.hashtags = list(data.hashtags)
    post.hashtag_sets = list(data.hashtag_sets)
    post.content_warning = data.content_warning
    post.campaign, post.pillar, post.audience = plan_links(membership, data)
    post.full_clean(exclude=["created_by"])
    post.save()
    previous = _previous(post) if before is not None else []
    assets = _attach(membership, post, data.media_ids)
    results = compose(
        membership.workspace,
        data.master(),
        accounts,
        content_warning=data.content_warning,
        media=media_inputs(assets),
        previous=previous,
        campaign=post.campaign,
    )
    _store(post, results)
    _content_changed(membership, post)
    record(
        actor=membership.user,
        action="post.update" if before else "post.create",
        target=post,
        workspace=membership.workspace,
        before=before,
        after={**snapshot(post, POST_FIELDS), "accounts": sorted(a.pk for a in accounts)},
    )
    return post


@transaction.atomic
def do_edit_variant(membership: Membership, variant: Variant, text: str) -> Variant:
    """A person's own wording for one account. Parts of a thread are separated by a line
    holding only `---`. Re-adaptation never overwrites it (until it is reset)."""
    _can_edit(membership, variant.post)
    text = clean_text(text)
    parts = (
        [part.strip("\n") for part in text.split(PART_SEPARATOR)] if PART_SEPARATOR in text else []
    )
    parts = [part for part in parts if part.strip()]
    before = {"text": variant.text, "edited_by_hand": variant.edited_by_hand}
    variant.text = "\n".join(parts) if parts else text
    variant.parts = parts or [text]
    variant.edited_by_hand = True
    variant.changes = []
    variant.problems = problem_dicts(validate_saved_variant(variant))
    variant.save()
    _content_changed(membership, variant.post)
    record(
        actor=membership.user,
        action="variant.edit",
        target=variant,
        workspace=membership.workspace,
        before=before,
        after={"text": variant.text, "edited_by_hand": True},
    )
    return variant


@transaction.atomic
def do_reset_variant(membership: Membership, variant: Variant) -> Variant:
    """Hand the variant back to the engine: adapted again from the master."""
    _can_edit(membership, variant.post)
    post = variant.post
    variant.edited_by_hand = False
    variant.save(update_fields=["edited_by_hand"])
    results = compose(
        membership.workspace,
        PostInput(
            text=post.master_text,
            language=post.language,
            link_url=post.link_url,
            hashtags=tuple(post.hashtags),
            hashtag_sets=tuple(post.hashtag_sets),
            content_warning=post.content_warning,
        ).master(),
        [variant.account],
        content_warning=post.content_warning,
        media=media_inputs(a.asset for a in post.attachments.select_related("asset")),
        campaign=post.campaign,
    )
    _store_one(variant, results[0], post)
    _content_changed(membership, post)
    record(
        actor=membership.user,
        action="variant.reset",
        target=variant,
        workspace=membership.workspace,
    )
    return variant


def _store_one(variant: Variant, result: VariantResult, post: Post) -> None:
    adapted = result.adapted
    variant.text = adapted.text
    variant.parts = list(adapted.parts)
    variant.content_warning = post.content_warning
    variant.changes = change_dicts(adapted.changes)
    variant.warnings = change_dicts(adapted.warnings)
    variant.problems = problem_dicts(result.problems)
    variant.link_card_url = adapted.link_card_url or ""
    if not variant.edited_by_hand:
        # A hand edit keeps the master it was written against, so a later change of the
        # master can be pointed out to its author.
        variant.adapted_from = post.master_text
    variant.save()


@transaction.atomic
def do_delete_post(membership: Membership, post: Post) -> None:
    _can_edit(membership, post)
    record(
        actor=membership.user,
        action="post.delete",
        target=post,
        workspace=membership.workspace,
        before=snapshot(post, POST_FIELDS),
    )
    post.delete()
