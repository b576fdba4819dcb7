"""Demo routing: teams, departments, rules and business hours for each demo workspace, in
its language, seeded before the demo inbox so that its messages are routed as real ones.

German workspace: teams "Kundenservice" and "Social", departments "Produkt" and
"Rechtsabteilung" (e-mail on example.de); English: "Support", "Social", "Product", "Legal"
(example.com). No department has a live webhook. Rules: spam is hidden; urgency 60 or more
is urgent and goes to Legal by e-mail; complaints go to Support with an SLA of 2 h / 24 h;
suggestions get the label "Idee"/"idea" and go to Product. Business hours Monday to Friday,
09:00-18:00. Idempotent: a second run finds everything by name and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from townsquare.inbox.models import Department, InboxSettings, Priority, Rule, Team
from townsquare.inbox.routing_actions import (
    RuleInput,
    do_save_department,
    do_save_rule,
    do_save_team,
    do_update_inbox_settings,
)
from townsquare.workspaces.models import Membership, Workspace

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


@dataclass(frozen=True)
class Words:
    support: str
    social: str
    product: str
    legal: str
    product_email: str
    legal_email: str
    idea: str
    spam_rule: str
    urgent_rule: str
    complaint_rule: str
    idea_rule: str


WORDS = {
    "de": Words(
        support="Kundenservice",
        social="Social",
        product="Produkt",
        legal="Rechtsabteilung",
        product_email="produkt@example.de",
        legal_email="recht@example.de",
        idea="Idee",
        spam_rule="Spam ausblenden",
        urgent_rule="Dringendes an die Rechtsabteilung",
        complaint_rule="Beschwerden an den Kundenservice",
        idea_rule="Ideen an das Produktteam",
    ),
    "en": Words(
        support="Support",
        social="Social",
        product="Product",
        legal="Legal",
        product_email="product@example.com",
        legal_email="legal@example.com",
        idea="idea",
        spam_rule="Hide spam",
        urgent_rule="Urgent messages to Legal",
        complaint_rule="Complaints to Support",
        idea_rule="Ideas to the product team",
    ),
}


def seed_inbox_rules(workspace: Workspace) -> None:
    owner = (
        Membership.objects.filter(workspace=workspace, role="owner").select_related("user").first()
    )
    if owner is None:
        return
    words = WORDS.get(workspace.language, WORDS["en"])
    members = list(
        Membership.objects.filter(workspace=workspace)
        .exclude(role__in=("viewer", "contributor"))
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    support = _team(owner, words.support, members[1:] or members)
    _team(owner, words.social, members[:2])
    product = _department(owner, words.product, words.product_email)
    legal = _department(owner, words.legal, words.legal_email)
    if not InboxSettings.objects.filter(workspace=workspace).exclude(business_hours={}).exists():
        do_update_inbox_settings(
            owner,
            business_hours_raw={day: [["09:00", "18:00"]] for day in WEEKDAYS},
            retention_days=730,
            replies_need_approval=False,
            spike_factor=3.0,
            digest_recipient_ids=[owner.user_id],
        )
    existing = set(Rule.objects.filter(workspace=workspace).values_list("name", flat=True))
    rules = [
        RuleInput(
            name=words.spam_rule,
            conditions={"spam": ["spam", "abuse"]},
            actions={"hide": True},
            stop_after=True,
        ),
        RuleInput(
            name=words.urgent_rule,
            conditions={"min_urgency": 60},
            actions={"priority": Priority.URGENT, "forward_department": legal.pk},
            first_response_minutes=60,
        ),
        RuleInput(
            name=words.complaint_rule,
            conditions={"category": ["complaint"]},
            actions={"assign_team": support.pk, "assign_mode": "round_robin"},
            first_response_minutes=120,
            resolution_minutes=24 * 60,
        ),
        RuleInput(
            name=words.idea_rule,
            conditions={"category": ["suggestion"]},
            actions={"labels": [words.idea], "forward_department": product.pk},
        ),
    ]
    for rule in rules:
        if rule.name not in existing:
            do_save_rule(owner, None, rule)


def _team(owner: Membership, name: str, members: list[int]) -> Team:
    found = Team.objects.filter(workspace=owner.workspace, name=name).first()
    return found or do_save_team(owner, None, name=name, member_ids=members)


def _department(owner: Membership, name: str, email: str) -> Department:
    found = Department.objects.filter(workspace=owner.workspace, name=name).first()
    if found is not None:
        return found
    return do_save_department(owner, None, name=name, email=email, webhook_url="").department
