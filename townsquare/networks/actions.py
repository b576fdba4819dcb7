"""A workspace's social accounts (connection flows come per network) and its own values for
the network rules that no official source states."""

from __future__ import annotations

import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.audit.record import record, snapshot
from townsquare.lib.errors import ActionError
from townsquare.networks.catalog import NETWORK_NAMES
from townsquare.networks.models import RuleOverride, SocialAccount
from townsquare.networks.rules.loader import effective_rules, rules_for
from townsquare.networks.rules.model import (
    RULE_NAMES,
    NetworkRules,
    OfficialRuleOverrideRefused,
    Rule,
    RuleError,
)
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

ACCOUNT_FIELDS = ("network", "handle", "display_name", "language")


@transaction.atomic
def do_add_account(
    membership: Membership,
    *,
    network: str,
    handle: str,
    display_name: str = "",
    language: str = "",
    reported_limits: dict[str, object] | None = None,
) -> SocialAccount:
    """Add an account to plan and write for. It publishes once it is connected."""
    require(membership, Perm.CONNECT_ACCOUNTS)
    handle = handle.strip()
    if network not in NETWORK_NAMES:
        raise ActionError(_("Unknown network."), code="unknown_network")
    if not handle:
        raise ActionError(_("An account needs a handle or name."), code="handle_required")
    account = SocialAccount(
        workspace=membership.workspace,
        network=network,
        handle=handle[:255],
        display_name=display_name.strip()[:255],
        language=language,
        reported_limits=reported_limits or {},
    )
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        raise ActionError(
            _("This account is already in the workspace."), code="exists", status=409
        ) from None
    record(
        actor=membership.user,
        action="account.add",
        target=account,
        workspace=membership.workspace,
        after=snapshot(account, ACCOUNT_FIELDS),
    )
    return account


@transaction.atomic
def do_remove_account(membership: Membership, account: SocialAccount) -> int:
    """Remove the account from the workspace without losing anything: its row stays for the
    history (published posts keep their account and address, variants their text), its
    login is forgotten, and posts still to go out are cancelled with the reason "account
    removed" (publishing/account_removal.py). Returns how many were cancelled."""
    # Publishing builds on networks; imported here so that networks does not need it.
    from townsquare.publishing.account_removal import cancel_for_removed_account

    require(membership, Perm.CONNECT_ACCOUNTS)
    # The row is the lock: two people removing it at once do it once.
    current = (
        SocialAccount.all_objects.select_for_update()
        .filter(pk=account.pk, workspace=membership.workspace)
        .first()
    )
    if current is None or current.removed_at is not None:
        raise ActionError(_("This account was already removed."), code="removed", status=404)
    account = current
    cancelled = cancel_for_removed_account(account)
    account.removed_at = timezone.now()
    account.credentials_encrypted = ""
    account.needs_reconnect = False
    account.save(update_fields=["removed_at", "credentials_encrypted", "needs_reconnect"])
    record(
        actor=membership.user,
        action="account.remove",
        target=account,
        workspace=membership.workspace,
        before=snapshot(account, ACCOUNT_FIELDS),
        after={"removed_at": account.removed_at.isoformat(), "posts_cancelled": cancelled},
    )
    return cancelled


# --- rule overrides ---------------------------------------------------------------------------
# A workspace may set its own value only for rules no official source states (verified as
# third-party or unverified); the official ones are the networks' word and stay as they are.


def _network_rules(network: str) -> NetworkRules:
    if network not in NETWORK_NAMES:
        raise ActionError(_("Unknown network."), code="unknown_network")
    return rules_for(network)


def _known_rule(rules: NetworkRules, rule: str) -> Rule[object]:
    if rule not in RULE_NAMES:
        raise ActionError(
            _("“%(rule)s” is not a rule Townsquare knows.") % {"rule": rule}, code="unknown_rule"
        )
    return rules.rule(rule)


def official_rule_message(rules: NetworkRules, rule: str) -> str:
    current = rules.rule(rule)
    return _(
        "The rule “%(rule)s” of %(network)s is stated by an official source and cannot be "
        "changed by a workspace. Source: %(sources)s"
    ) % {"rule": rule, "network": rules.display_name, "sources": "; ".join(current.sources)}


@transaction.atomic
def do_set_rule_override(
    membership: Membership, network: str, rule: str, value: object
) -> RuleOverride:
    """The workspace's own value for a third-party or unverified rule. `value` has the
    rule's JSON shape (a number, true/false, a list, a [min, max] pair, or null for none).
    Values a network reports for a connected account still win over it."""
    require(membership, Perm.EDIT_WORKSPACE)
    rules = _network_rules(network)
    if not _known_rule(rules, rule).overridable:
        raise ActionError(official_rule_message(rules, rule), code="official_rule")
    try:
        stored = json.loads(json.dumps(value))
    except (TypeError, ValueError):
        stored = value  # parse_rule_value below explains what is wrong with it
    try:
        effective_rules(rules, {rule: stored})
    except OfficialRuleOverrideRefused:
        raise ActionError(official_rule_message(rules, rule), code="official_rule") from None
    except RuleError as error:
        raise ActionError(
            _("%(network)s: this value does not fit the rule “%(rule)s” (%(detail)s).")
            % {"network": rules.display_name, "rule": rule, "detail": error},
            code="invalid_rule_value",
        ) from None
    previous = (
        RuleOverride.objects.select_for_update()
        .filter(workspace=membership.workspace, network=network, rule=rule)
        .first()
    )
    # update_or_create: two admins saving the same rule at once both succeed, last one wins.
    override, _created = RuleOverride.objects.update_or_create(
        workspace=membership.workspace, network=network, rule=rule, defaults={"value": stored}
    )
    before = None if previous is None else {"value": previous.value}
    record(
        actor=membership.user,
        action="rule_override.set",
        target=override,
        workspace=membership.workspace,
        before=before,
        after={"network": network, "rule": rule, "value": stored},
    )
    return override


@transaction.atomic
def do_clear_rule_override(membership: Membership, network: str, rule: str) -> None:
    """Back to the researched default. Works for any stored value, also one that no longer
    applies (the rule became official, or its value no longer parses)."""
    require(membership, Perm.EDIT_WORKSPACE)
    override = (
        RuleOverride.objects.select_for_update()
        .filter(workspace=membership.workspace, network=network, rule=rule)
        .first()
    )
    if override is None:
        raise ActionError(
            _("This workspace has no value of its own for this rule."),
            code="not_found",
            status=404,
        )
    record(
        actor=membership.user,
        action="rule_override.clear",
        target=override,
        workspace=membership.workspace,
        before={"network": network, "rule": rule, "value": override.value},
    )
    override.delete()
