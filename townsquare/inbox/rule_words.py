"""Rules and their matches in words, in the reader's language: "Category is complaint",
"Assign to the team Support (round robin)", "Hiding is not possible on Mastodon"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from townsquare.inbox.models import Department, Priority, Rule, RuleMatch, Team
from townsquare.inbox.rule_conditions import given
from townsquare.networks.catalog import network_label


def _value(key: str, value: str) -> str:
    names = {
        "question": pgettext("inbox category", "question"),
        "complaint": pgettext("inbox category", "complaint"),
        "suggestion": pgettext("inbox category", "suggestion"),
        "praise": pgettext("inbox category", "praise"),
        "other": pgettext("inbox category", "other"),
        "negative": pgettext("sentiment", "negative"),
        "neutral": pgettext("sentiment", "neutral"),
        "positive": pgettext("sentiment", "positive"),
        "undefined": pgettext("sentiment", "undefined"),
        "spam": pgettext("inbox spam", "spam"),
        "abuse": pgettext("inbox spam", "abuse"),
        "ok": pgettext("inbox spam", "neither spam nor abuse"),
    }
    if key == "network":
        return network_label(value)
    return names.get(value, value) if key in ("category", "sentiment", "spam") else value


def _list(key: str, values: Any) -> str:
    if isinstance(values, str):
        values = [values]
    return ", ".join(_value(key, str(v)) for v in values)


def condition_text(key: str, wanted: Any, accounts: Mapping[int, str] | None = None) -> str:
    if key == "category":
        return _("Category is %(values)s") % {"values": _list(key, wanted)}
    if key == "sentiment":
        return _("Sentiment is %(values)s") % {"values": _list(key, wanted)}
    if key == "min_urgency":
        return _("Urgency at least %(value)s") % {"value": wanted}
    if key == "spam":
        return _("Marked as %(values)s") % {"values": _list(key, wanted)}
    if key == "language":
        return _("Language is %(values)s") % {"values": _list(key, wanted)}
    if key == "keywords":
        return _("Contains one of the words: %(values)s") % {"values": _list(key, wanted)}
    if key == "emoji_only":
        return _("Only emoji") if wanted else _("Not only emoji")
    if key == "has_link":
        return _("Contains a link") if wanted else _("Contains no link")
    if key == "network":
        return _("Network is %(values)s") % {"values": _list(key, wanted)}
    if key == "account":
        names = [(accounts or {}).get(int(v), f"#{v}") for v in wanted]
        return _("Account is %(values)s") % {"values": ", ".join(names)}
    if key == "author":
        return _("Written by %(values)s") % {"values": _list(key, wanted)}
    if key == "min_followers":
        return _("Author has at least %(value)s followers") % {"value": wanted}
    if key == "business_hours":
        return _("Inside business hours") if wanted == "inside" else _("Outside business hours")
    return key


def conditions_text(
    conditions: Mapping[str, Any], accounts: Mapping[int, str] | None = None
) -> list[str]:
    texts = [condition_text(key, wanted, accounts) for key, wanted in given(conditions)]
    return texts or [_("Every new message")]


def priority_name(value: int) -> str:
    return str(Priority(int(value)).label) if int(value) in Priority.values else str(value)


def actions_text(
    actions: Mapping[str, Any],
    *,
    users: Mapping[int, str],
    teams: Mapping[int, str],
    departments: Mapping[int, str],
) -> list[str]:
    texts = []
    if actions.get("assign_user"):
        who = users.get(int(actions["assign_user"]), _("a former member"))
        texts.append(_("Assign to %(person)s") % {"person": who})
    if actions.get("assign_team"):
        team = teams.get(int(actions["assign_team"]), _("a deleted team"))
        if actions.get("assign_mode") == "open_load":
            texts.append(
                _("Assign to the team %(team)s (fewest open conversations)") % {"team": team}
            )
        else:
            texts.append(_("Assign to the team %(team)s (round robin)") % {"team": team})
    if actions.get("labels"):
        texts.append(_("Add the labels %(labels)s") % {"labels": ", ".join(actions["labels"])})
    if actions.get("priority") not in (None, ""):
        texts.append(
            _("Set the priority to %(priority)s") % {"priority": priority_name(actions["priority"])}
        )
    if actions.get("hide"):
        texts.append(_("Hide the message (on the network where possible)"))
    if actions.get("delete"):
        texts.append(_("Delete the message on the network where possible"))
    if actions.get("forward_department"):
        department = departments.get(int(actions["forward_department"]), _("a deleted department"))
        texts.append(_("Forward to %(department)s") % {"department": department})
    return texts or [_("Nothing yet")]


def sla_text(rule: Rule) -> str:
    parts = []
    if rule.first_response_minutes:
        parts.append(
            _("first answer within %(time)s") % {"time": duration(rule.first_response_minutes)}
        )
    if rule.resolution_minutes:
        parts.append(_("resolved within %(time)s") % {"time": duration(rule.resolution_minutes)})
    return "; ".join(parts)


def duration(minutes: int) -> str:
    """Business time in words: 90 -> "1 h 30 min", 1440 -> "24 h"."""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": rest}
    if hours:
        return _("%(h)s h") % {"h": hours}
    return _("%(m)s min") % {"m": rest}


def workspace_names(workspace: Any) -> dict[str, dict[int, str]]:
    """The names rules refer to by id, read once for a list of rules."""
    from townsquare.networks.models import SocialAccount
    from townsquare.workspaces.models import Membership

    members = Membership.objects.filter(workspace=workspace).select_related("user")
    return {
        "users": {m.user_id: (m.user.name or m.user.email) for m in members},
        "teams": dict(Team.objects.filter(workspace=workspace).values_list("pk", "name")),
        "departments": dict(
            Department.objects.filter(workspace=workspace).values_list("pk", "name")
        ),
        "accounts": {
            a.pk: f"{network_label(a.network)} {a.handle}"
            for a in SocialAccount.objects.filter(workspace=workspace)
        },
    }


def describe_rule(rule: Rule, names: Mapping[str, Mapping[int, str]]) -> dict[str, Any]:
    return {
        "conditions": conditions_text(rule.conditions, names["accounts"]),
        "actions": actions_text(
            rule.actions,
            users=names["users"],
            teams=names["teams"],
            departments=names["departments"],
        ),
        "sla": sla_text(rule),
    }


def problem_text(problem: Mapping[str, Any]) -> str:
    code = problem.get("problem")
    action = problem.get("action")
    if code == "not_supported":
        network = network_label(str(problem.get("network", "")))
        if action == "delete":
            return _("Deleting is not possible on %(network)s; hidden in Townsquare only.") % {
                "network": network
            }
        return _("Hiding is not possible on %(network)s; hidden in Townsquare only.") % {
            "network": network
        }
    if code == "failed":
        return _("The network refused: %(error)s") % {"error": problem.get("error", "")}
    if code == "routing_failed":
        return _(
            "The rules could not be applied to this message (an error in Townsquare). "
            "Assign and forward it by hand."
        )
    if code == "team_empty":
        return _("The team %(team)s has no members; nobody was assigned.") % {
            "team": problem.get("team", "")
        }
    if code == "not_a_member":
        return _("The person to assign is no longer a member.")
    if code == "team_gone":
        return _("The team no longer exists.")
    if code == "department_gone":
        return _("The department no longer exists.")
    return str(code)


def describe_match(match: RuleMatch, names: Mapping[str, Mapping[int, str]]) -> dict[str, Any]:
    """Why a rule applied to a message and what came of it, for the conversation page."""
    if match.rule_name == "routing_failed":  # routing.ROUTING_FAILED: no rule applied
        return {
            "rule": _("Routing"),
            "because": [],
            "problems": [problem_text(problem) for problem in match.problems],
        }
    return {
        "rule": match.rule_name,
        "because": [
            condition_text(check["key"], check["wanted"], names.get("accounts"))
            for check in match.checks
        ]
        or [_("Every new message")],
        "problems": [problem_text(problem) for problem in match.problems],
    }


def explained_matches(conversation: Any) -> list[dict[str, Any]]:
    """Why the conversation was routed as it was, oldest first, for its page: each rule that
    applied with the conditions that held and what it could not do."""
    matches = list(conversation.rule_matches.order_by("created_at", "id"))
    if not matches:
        return []
    names = workspace_names(conversation.workspace)
    return [describe_match(match, names) for match in matches]
