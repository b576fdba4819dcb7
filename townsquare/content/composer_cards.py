"""The preview cards of the composer: one per account, as its network would show the post.

A card shows the text (part by part for a thread) with its count, the pictures the network
would show (up to its limits, alt text included), what Townsquare changed and what the
network would refuse, each in the person's language.

A thread longer than its network takes (a long article pasted in can make hundreds of
parts) shows only its first parts, how many more there are, and the error above them: the
page stays small enough to use, and what to do comes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import get_language

from townsquare.content import actions
from townsquare.content.actions import PART_SEPARATOR, PostInput
from townsquare.content.composer_media import card_media
from townsquare.content.forms import ComposeForm, VariantEditForm, accounts_queryset
from townsquare.content.models import Variant
from townsquare.content.service import (
    account_rules,
    change_dicts,
    compose,
    media_inputs,
    problem_dicts,
    workspace_overrides,
)
from townsquare.lib.errors import ActionError
from townsquare.media.models import MediaAsset
from townsquare.networks.account_notes import preview_notes
from townsquare.planning.composer import plan_campaign, plan_ids
from townsquare.workspaces.models import Membership

# Parts shown of a thread that is too long for its network, and the most parts any card
# shows (a workspace may allow longer threads than the networks' usual 25).
FIRST_PARTS = 3
MOST_PARTS = 50


def post_input(form: ComposeForm) -> PostInput:
    data = form.cleaned_data
    return PostInput(
        text=data["text"],
        language=data["language"],
        link_url=data.get("link_url") or "",
        hashtags=tuple(data.get("hashtags") or ()),
        hashtag_sets=tuple(data.get("hashtag_sets") or ()),
        content_warning=data.get("content_warning") or "",
        media_ids=tuple(int(pk) for pk in data.get("media") or ()),
        **plan_ids(data),
    )


def ordered_assets(membership: Membership, media_ids: Sequence[int]) -> list[MediaAsset]:
    assets = MediaAsset.objects.filter(workspace=membership.workspace, pk__in=list(media_ids))
    by_id = {a.pk: a for a in assets}
    return [by_id[i] for i in dict.fromkeys(media_ids) if i in by_id]


def live_cards(membership: Membership, form: ComposeForm) -> list[dict[str, Any]]:
    """Preview cards for a valid form, or nothing; never saves."""
    data = post_input(form)
    try:
        text = actions.clean_text(data.text)
    except ActionError as error:
        form.add_error("text", error.message)
        return []
    ids = [int(pk) for pk in form.cleaned_data["accounts"]]
    accounts = list(accounts_queryset(membership.workspace).filter(pk__in=ids))
    assets = ordered_assets(membership, data.media_ids)
    results = compose(
        membership.workspace,
        PostInput(**{**data.__dict__, "text": text}).master(),
        accounts,
        content_warning=data.content_warning,
        media=media_inputs(assets),
        campaign=plan_campaign(membership.workspace, data.campaign_id),
    )
    cards = []
    for result in results:
        adapted = result.adapted
        cards.append(
            _card(
                account=result.account,
                parts=list(adapted.parts),
                lengths=list(adapted.lengths),
                max_length=adapted.max_length,
                problems=problem_dicts(result.problems),
                changes=change_dicts(adapted.changes),
                warnings=change_dicts(adapted.warnings),
                link_card_url=adapted.link_card_url,
                edited_by_hand=adapted.edited_by_hand,
                media=card_media(assets, result.rules, result.account),
                thread_max_parts=result.rules.thread_max_parts.value,
            )
        )
    return cards


def _message(item: dict[str, Any]) -> str:
    german = (get_language() or "en").startswith("de")
    message = item.get("message_de") if german else item.get("message_en")
    return str(message or item.get("message_en") or "")


def _card(**card: Any) -> dict[str, Any]:
    # Only the message in the person's language is shown; codes are for the API.
    card["problems"] = [{**p, "message": _message(p)} for p in card["problems"]]
    card["changes"] = [{**c, "message": _message(c)} for c in card["changes"]]
    card["warnings"] = [{**w, "message": _message(w)} for w in card["warnings"]]
    card["error_count"] = sum(1 for p in card["problems"] if p["severity"] == "error")
    parts_with_lengths = list(
        zip(card["parts"], card.get("lengths") or [None] * len(card["parts"]), strict=False)
    )
    shown = shown_parts(len(parts_with_lengths), card.pop("thread_max_parts", None))
    card["parts_with_lengths"] = parts_with_lengths[:shown]
    card["hidden_parts"] = len(parts_with_lengths) - shown
    # The network's own facts about this account (X: its text limit, the posts' cost).
    card["notes"] = preview_notes(
        card["account"], card["parts"], len(card["media"].get("items") or ())
    )
    return card


def shown_parts(count: int, thread_max_parts: int | None) -> int:
    """How many of a thread's `count` parts its card shows: all of them, unless there are
    more than the network takes (or than any card shows)."""
    most = MOST_PARTS if thread_max_parts is None else min(thread_max_parts, MOST_PARTS)
    return count if count <= max(most, 1) else min(count, FIRST_PARTS)


def stored_card(variant: Variant, assets: Sequence[MediaAsset]) -> dict[str, Any]:
    from townsquare.content.profiles import length_function

    rules, _notes = account_rules(variant.account, workspace_overrides(variant.post.workspace))
    length = length_function(
        rules, variant.content_warning if rules.content_warning_supported.value else ""
    )
    parts = variant.parts or [variant.text]
    card = _card(
        account=variant.account,
        parts=parts,
        lengths=[length(p) for p in parts],
        max_length=rules.text_max.value,
        problems=variant.problems,
        changes=variant.changes,
        warnings=variant.warnings,
        link_card_url=variant.link_card_url,
        edited_by_hand=variant.edited_by_hand,
        media=card_media(assets, rules, variant.account),
        thread_max_parts=rules.thread_max_parts.value,
    )
    card["variant"] = variant
    card["edit_form"] = VariantEditForm(initial={"text": PART_SEPARATOR.join(parts)})
    return card
