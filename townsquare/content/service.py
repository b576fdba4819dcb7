"""Composing: the workspace's data in, adapted and validated variants out.

Reads the tone of the workspace's plan (and of the post's campaign), contacts, hashtag
sets and rule overrides, builds a profile per account from its effective rules, runs the
pure engine and the pure validator, and returns one `VariantResult` per account. The
composer's live preview, saving a post, the API and the command line all go through
`compose`. A saved variant is checked again
with `validate_saved_variant`: after a hand edit, and whenever a stored verdict may be out
of date (scheduling), against the rules in force at that moment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.module_loading import import_string

from townsquare.content.adapt import (
    AdaptedVariant,
    Change,
    ContactBook,
    MasterPost,
    PreviousVariant,
    adapt_post,
)
from townsquare.content.adapt import (
    Contact as EngineContact,
)
from townsquare.content.adapt import (
    StyleSettings as EngineStyle,
)
from townsquare.content.models import Contact, Variant
from townsquare.content.plan_wording import with_plan_wording
from townsquare.content.profiles import target_profile
from townsquare.content.validate import MediaInput, Problem, VariantInput, validate_variant
from townsquare.networks.models import RuleOverride, SocialAccount
from townsquare.networks.rules.loader import rules_for
from townsquare.networks.rules.model import NetworkRules, RuleError
from townsquare.planning.models import Campaign
from townsquare.planning.tone import engine_style as plan_style
from townsquare.workspaces.models import Workspace

# Networks that are not in rules.json (researched facts) but have rules of their own.
HIDDEN_RULES = {"testnet": "townsquare.networks.testnet.rules.testnet_rules"}


@dataclass(frozen=True)
class VariantResult:
    account: SocialAccount
    rules: NetworkRules
    adapted: AdaptedVariant
    problems: tuple[Problem, ...]
    rule_notes: tuple[str, ...] = field(default=())

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


def engine_style(workspace: Workspace, campaign: Campaign | None = None) -> EngineStyle:
    """The tone and hashtag rules of the workspace's plan (and the campaign's plan), with
    its wording settings (formality, call to action, words to prefer)."""
    return with_plan_wording(plan_style(workspace, campaign), workspace, campaign)


def contact_book(workspace: Workspace) -> ContactBook:
    return ContactBook(
        tuple(
            EngineContact(name=c.name, handles=dict(c.handles))
            for c in Contact.objects.filter(workspace=workspace)
        )
    )


def account_rules(
    account: SocialAccount, overrides: dict[str, dict[str, object]]
) -> tuple[NetworkRules, tuple[str, ...]]:
    """Effective rules of an account. A stored override that no longer applies (the rule
    became official, or its value is malformed) is skipped and reported, never fatal."""
    if account.network in HIDDEN_RULES:
        return import_string(HIDDEN_RULES[account.network])(), ()
    notes: list[str] = []
    workspace_values = dict(overrides.get(account.network, {}))
    while True:
        try:
            return rules_for(account.network, workspace_values, account.reported_limits), tuple(
                notes
            )
        except RuleError as error:
            if not workspace_values:
                # The account's reported limits are unusable: fall back to the defaults.
                notes.append(str(error))
                return rules_for(account.network, {}, {}), tuple(notes)
            name = next(iter(workspace_values))
            workspace_values.pop(name)
            notes.append(str(error))


def workspace_overrides(workspace: Workspace) -> dict[str, dict[str, object]]:
    overrides: dict[str, dict[str, object]] = {}
    for override in RuleOverride.objects.filter(workspace=workspace):
        overrides.setdefault(override.network, {})[override.rule] = override.value
    return overrides


def media_inputs(assets: Iterable[Any]) -> tuple[MediaInput, ...]:
    """What validation needs to know about attached library files."""
    return tuple(
        MediaInput(
            kind="gif" if a.mime_type == "image/gif" else a.kind,
            mime_type=a.mime_type,
            size_bytes=a.size_bytes,
            width=a.width,
            height=a.height,
            duration_s=a.duration_seconds,
            alt_text=a.alt_text,
        )
        for a in assets
    )


@dataclass
class ComposeReads:
    """What compose reads from one workspace (rule overrides, each account's rules, the
    plan's tone per campaign, contacts), kept for many posts composed in one go, such as
    the rows of one bulk import check, instead of read again for each. Made for one
    workspace and one such call only: nothing is kept beyond it."""

    workspace: Workspace
    _overrides: dict[str, dict[str, object]] | None = None
    _rules: dict[int, tuple[NetworkRules, tuple[str, ...]]] = field(default_factory=dict)
    _styles: dict[int | None, EngineStyle] = field(default_factory=dict)
    _contacts: ContactBook | None = None

    def rules(self, account: SocialAccount) -> tuple[NetworkRules, tuple[str, ...]]:
        if self._overrides is None:
            self._overrides = workspace_overrides(self.workspace)
        if account.pk not in self._rules:
            self._rules[account.pk] = account_rules(account, self._overrides)
        return self._rules[account.pk]

    def style(self, campaign: Campaign | None) -> EngineStyle:
        key = campaign.pk if campaign is not None else None
        if key not in self._styles:
            self._styles[key] = engine_style(self.workspace, campaign)
        return self._styles[key]

    def contacts(self) -> ContactBook:
        if self._contacts is None:
            self._contacts = contact_book(self.workspace)
        return self._contacts


def compose(
    workspace: Workspace,
    master: MasterPost,
    accounts: Sequence[SocialAccount],
    *,
    content_warning: str = "",
    media: Sequence[MediaInput] = (),
    previous: Iterable[PreviousVariant] = (),
    campaign: Campaign | None = None,
    reads: ComposeReads | None = None,
) -> list[VariantResult]:
    if reads is None or reads.workspace.pk != workspace.pk:
        reads = ComposeReads(workspace)
    ruled = [(account, *reads.rules(account)) for account in accounts]
    targets = [
        target_profile(
            rules,
            account_label=account.handle,
            language=account.language or None,  # type: ignore[arg-type]
            content_warning=content_warning if rules.content_warning_supported.value else "",
        )
        for account, rules, _notes in ruled
    ]
    adapted = adapt_post(master, targets, reads.style(campaign), reads.contacts(), tuple(previous))
    results = []
    for (account, rules, notes), variant in zip(ruled, adapted, strict=True):
        problems = validate_variant(
            VariantInput(
                text=variant.text,
                parts=variant.parts if len(variant.parts) > 1 else (),
                content_warning=content_warning if rules.content_warning_supported.value else "",
                media=tuple(media),
                link_url=variant.link_card_url or master.link_url or "",
            ),
            rules,
        )
        results.append(VariantResult(account, rules, variant, tuple(problems), notes))
    return results


def validate_saved_variant(variant: Variant) -> tuple[Problem, ...]:
    """A saved variant checked now against the effective rules of its account (defaults,
    the workspace's overrides, what the network last reported for the account).

    It checks what would be sent: the variant's parts (or its text), the post's media in
    order, the link card (the variant's, else the post's link) and the content warning, as
    the publisher hands them to the network. Errors mean the network would refuse it.
    """
    post = variant.post
    rules, _notes = account_rules(variant.account, workspace_overrides(post.workspace))
    parts = tuple(part for part in (variant.parts or [variant.text]) if part.strip())
    attached = post.attachments.select_related("asset")
    return tuple(
        validate_variant(
            VariantInput(
                text=variant.text,
                parts=parts,
                content_warning=variant.content_warning,
                media=media_inputs(a.asset for a in attached),
                link_url=variant.link_card_url or post.link_url or "",
            ),
            rules,
        )
    )


def change_dicts(changes: Iterable[Change]) -> list[dict[str, str]]:
    return [asdict(change) for change in changes]


def problem_dicts(problems: Iterable[Problem]) -> list[dict[str, object]]:
    return [
        {
            "code": p.code,
            "severity": p.severity,
            "message_en": p.message_en,
            "message_de": p.message_de,
            "span": list(p.span) if p.span else None,
            "part_index": p.part_index,
        }
        for p in problems
    ]
