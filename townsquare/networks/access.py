"""Tenant reads of social accounts."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from townsquare.networks.models import RuleOverride, SocialAccount
from townsquare.workspaces.models import Membership


def access_accounts(membership: Membership) -> QuerySet[SocialAccount]:
    return SocialAccount.objects.filter(workspace=membership.workspace)


def access_account(membership: Membership, account_id: int) -> SocialAccount:
    try:
        return access_accounts(membership).get(pk=account_id)
    except (SocialAccount.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_rule_overrides(membership: Membership) -> QuerySet[RuleOverride]:
    return RuleOverride.objects.filter(workspace=membership.workspace)
