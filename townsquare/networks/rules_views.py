"""Settings > Network rules: the limits each network's posts are counted and checked against,
where each comes from, and the workspace's own values for the ones no official source states.

People need to see why the composer shortens or warns, and to correct a default that was
researched from third-party or unverified sources when they know better; the networks'
official rules are shown with their source and cannot be changed here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townsquare.lib.errors import ActionError
from townsquare.networks import actions
from townsquare.networks.access import access_accounts, access_rule_overrides
from townsquare.networks.catalog import network_label
from townsquare.networks.models import SocialAccount
from townsquare.networks.rules.loader import _MISSING_SOURCE, effective_rules, load_rules
from townsquare.networks.rules.model import (
    LINK_PREVIEWS,
    RULE_NAMES,
    RULE_SHAPES,
    TEXT_COUNTINGS,
    NetworkRules,
    Rule,
    RuleError,
    parse_rule_value,
)
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm
from townsquare.workspaces.views import workspace_view

RULE_LABELS: Mapping[str, Any] = {
    "text_counting": gettext_lazy("How text is counted"),
    "text_max": gettext_lazy("Maximum text length"),
    "text_max_bytes": gettext_lazy("Maximum text size in bytes"),
    "caption_max": gettext_lazy("Maximum caption length"),
    "url_weight": gettext_lazy("Characters a link counts as"),
    "title_max": gettext_lazy("Maximum title length"),
    "title_required": gettext_lazy("Title required"),
    "forbidden_chars": gettext_lazy("Characters not allowed"),
    "content_warning_supported": gettext_lazy("Content warnings"),
    "hashtags_max": gettext_lazy("Maximum hashtags"),
    "cashtags_max": gettext_lazy("Maximum cashtags"),
    "mentions_max": gettext_lazy("Maximum mentions"),
    "links_max": gettext_lazy("Maximum links"),
    "links_clickable": gettext_lazy("Links are clickable"),
    "link_preview": gettext_lazy("Link preview"),
    "link_url_max": gettext_lazy("Maximum length of a link"),
    "thread_supported": gettext_lazy("Threads"),
    "thread_max_parts": gettext_lazy("Maximum posts in a thread"),
    "media_required": gettext_lazy("Media required"),
    "media_max": gettext_lazy("Maximum media per post"),
    "media_kinds": gettext_lazy("Kinds of media"),
    "media_max_per_kind": gettext_lazy("Maximum media per kind"),
    "media_kinds_exclusive": gettext_lazy("Only one kind of media per post"),
    "image_types": gettext_lazy("Image formats"),
    "video_types": gettext_lazy("Video formats"),
    "document_types": gettext_lazy("Document formats"),
    "image_max_bytes": gettext_lazy("Maximum image size"),
    "gif_max_bytes": gettext_lazy("Maximum GIF size"),
    "video_max_bytes": gettext_lazy("Maximum video size"),
    "document_max_bytes": gettext_lazy("Maximum document size"),
    "image_aspect_ratio": gettext_lazy("Image aspect ratio (width:height)"),
    "video_aspect_ratio": gettext_lazy("Video aspect ratio (width:height)"),
    "video_duration_s": gettext_lazy("Video duration in seconds"),
    "alt_text_supported": gettext_lazy("Alt text"),
    "alt_text_max": gettext_lazy("Maximum alt text length"),
    "alt_text_kinds": gettext_lazy("Alt text for"),
}
VERIFICATION_LABELS: Mapping[str, Any] = {
    "official": gettext_lazy("official"),
    "official-excerpt": gettext_lazy("official (excerpt)"),
    "library-source": gettext_lazy("source code of a client library"),
    "third-party": gettext_lazy("third-party"),
    "unverified": gettext_lazy("unverified"),
}
VALUE_LABELS: Mapping[str, Mapping[str, Any]] = {
    "text_counting": {
        "x_weighted_v3": gettext_lazy("X's weighting (links 23, emoji 2)"),
        "bluesky": gettext_lazy("characters as people see them, and bytes"),
        "mastodon": gettext_lazy("characters with content warning, links 23"),
        "threads": gettext_lazy("characters, emoji by their size in bytes"),
        "telegram": gettext_lazy("UTF-16 units of the formatted text"),
        "linkedin_little": gettext_lazy("UTF-16 units of the visible text"),
        "utf16": gettext_lazy("UTF-16 units"),
        "utf8_bytes": gettext_lazy("UTF-8 bytes"),
    },
    "link_preview": {
        "server": gettext_lazy("made by the network"),
        "client_card": gettext_lazy("a link card sent with the post"),
        "destination": gettext_lazy("the post links to its destination"),
        "none": gettext_lazy("no link preview"),
    },
}
INPUT_HINTS: Mapping[str, Any] = {
    "int": gettext_lazy("A whole number."),
    "opt_int": gettext_lazy("A whole number; empty for no limit."),
    "str": gettext_lazy("The characters, written together."),
    "kinds": gettext_lazy("Separated by commas: image, gif, video, document."),
    "opt_mimes": gettext_lazy("File types like image/jpeg, separated by commas; empty for any."),
    "kind_counts": gettext_lazy("Like image: 4, video: 1."),
    "opt_ratio_range": gettext_lazy("Like 4:5 - 1.91:1; empty for any."),
    "opt_float_range": gettext_lazy("Like 3 - 90; empty for any."),
}
_RANGE_SEPARATOR = re.compile(r"\s*(?:–|—|\.\.|\s-\s|\bto\b|\bbis\b)\s*")
_LIST_SEPARATOR = re.compile(r"[\s,;]+")


# --- showing and reading values -----------------------------------------------------------------


def _number(value: float) -> str:
    """The shortest text that reads back as the same number (1.91, 140, 0.5)."""
    return str(int(value)) if value.is_integer() else repr(value)


def _ratio(value: float) -> str:
    """A width/height ratio as people write it: 4:5 or 16:9 when it is one, else 1.91."""
    fraction = Fraction(value).limit_denominator(20)
    if fraction.denominator != 1 and float(fraction) == value:
        return f"{fraction.numerator}:{fraction.denominator}"
    return _number(value)


def _range(name: str, values: Any) -> str:
    show = _ratio if RULE_SHAPES[name] == "opt_ratio_range" else _number
    return " - ".join(v if isinstance(v, str) else show(float(v)) for v in values)


def format_value(name: str, value: Any) -> str:
    """A rule value as people read it."""
    shape = RULE_SHAPES[name]
    if value is None:
        return _("no limit") if shape == "opt_int" else _("any")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name in VALUE_LABELS:
        return str(VALUE_LABELS[name].get(value, value))
    if isinstance(value, int) and name.endswith("_bytes"):
        return f"{filesizeformat(value)} ({value})"
    if shape in ("opt_ratio_range", "opt_float_range"):
        return _range(name, value)
    if isinstance(value, Mapping):
        return ", ".join(f"{kind}: {count}" for kind, count in value.items()) or "–"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "–"
    if value == "":
        return "–"
    return str(value)


def input_text(name: str, value: Any) -> str:
    """A value written the way `parse_input` reads it back."""
    shape = RULE_SHAPES[name]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if shape in ("opt_ratio_range", "opt_float_range"):
        return _range(name, value)
    if isinstance(value, Mapping):
        return ", ".join(f"{kind}: {count}" for kind, count in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def parse_input(name: str, text: str) -> object:
    """What was typed for rule `name`, as the JSON value the action checks and stores.
    Raises ValueError with a message saying how to write it."""
    shape = RULE_SHAPES.get(name)
    if shape is None:
        raise ValueError(_("Unknown rule."))
    text = text.strip()
    hint = str(INPUT_HINTS.get(shape, ""))
    if shape == "bool":
        if text not in ("yes", "no"):
            raise ValueError(_("Choose yes or no."))
        return text == "yes"
    if shape == "str":
        return text
    if not text:
        if shape in ("opt_int", "opt_mimes", "opt_ratio_range", "opt_float_range"):
            return None
        if shape == "kind_counts":
            return {}
        if shape == "kinds":
            return []
        raise ValueError(hint)
    try:
        if shape in ("int", "opt_int"):
            return int(text.replace(" ", "").replace("_", ""))
        if shape in ("kinds", "opt_mimes"):
            return [entry for entry in _LIST_SEPARATOR.split(text) if entry]
        if shape == "kind_counts":
            counts: dict[str, int] = {}
            for entry in text.split(","):
                kind, _sep, count = entry.partition(":")
                counts[kind.strip()] = int(count.strip())
            return counts
        low, high = _RANGE_SEPARATOR.split(text, maxsplit=1)
        if shape == "opt_ratio_range":
            return [_ratio_text(low), _ratio_text(high)]
        return [float(low), float(high)]
    except ValueError:
        raise ValueError(hint) from None


def _ratio_text(text: str) -> str | float:
    text = text.strip()
    return text if ":" in text else float(text)


# --- the page ---------------------------------------------------------------------------------


@dataclass
class RuleRow:
    name: str
    label: str
    value: str
    origin: str
    verification: str
    verification_label: str
    sources: tuple[str, ...]
    note: str
    overridable: bool
    has_override: bool
    input_value: str
    hint: str
    choices: list[tuple[str, str]] = field(default_factory=list)
    reported: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""


@dataclass
class NetworkSection:
    key: str
    name: str
    accounts: list[SocialAccount]
    rows: list[RuleRow]
    stale: list[tuple[str, str, str]]
    reported: list[tuple[str, str, str, bool]]


def _source(source: str) -> str:
    # The loader's placeholder for facts nobody researched is the one source text written by
    # Townsquare itself, so it is the one that can be shown in the reader's language.
    if source == _MISSING_SOURCE:
        return _("Not researched: Townsquare's default where the sources say nothing")
    return source


def _choices(name: str) -> list[tuple[str, str]]:
    if RULE_SHAPES[name] == "bool":
        return [("yes", _("yes")), ("no", _("no"))]
    options = {"text_counting": TEXT_COUNTINGS, "link_preview": LINK_PREVIEWS}.get(name)
    return [(option, format_value(name, option)) for option in options or ()]


def _reported(accounts: list[SocialAccount]) -> list[tuple[str, str, str, bool]]:
    """(account, rule label, value, usable) for every limit an account's network reported."""
    reported = []
    for account in accounts:
        for name, raw in sorted(account.reported_limits.items()):
            try:
                value = format_value(name, parse_rule_value(name, raw))
                usable = True
            except RuleError:
                value, usable = repr(raw), False
            reported.append((account.label, str(RULE_LABELS.get(name, name)), value, usable))
    return reported


def _row(
    rules: NetworkRules,
    base: Rule[Any],
    name: str,
    stored: Mapping[str, object],
    accounts: list[SocialAccount],
) -> RuleRow:
    rule = rules.rule(name)
    shape = RULE_SHAPES[name]
    value = stored.get(name, base.value) if rule.origin == "workspace" else base.value
    reported = []
    for account in accounts:
        if name in account.reported_limits:
            try:
                shown = format_value(name, parse_rule_value(name, account.reported_limits[name]))
            except RuleError:
                continue
            reported.append((account.label, shown))
    return RuleRow(
        name=name,
        label=str(RULE_LABELS.get(name, name)),
        value=format_value(name, rule.value),
        origin=rule.origin,
        verification=base.verification,
        verification_label=str(VERIFICATION_LABELS.get(base.verification, base.verification)),
        sources=tuple(_source(source) for source in base.sources),
        note=base.note,
        overridable=base.overridable,
        has_override=name in stored,
        input_value=input_text(name, value),
        hint="" if shape == "bool" or name in VALUE_LABELS else str(INPUT_HINTS.get(shape, "")),
        choices=_choices(name),
        reported=reported,
    )


def _section(
    base: NetworkRules, stored: Mapping[str, object], accounts: list[SocialAccount]
) -> NetworkSection:
    """One network: the stored values that still apply are shown in force, the others are
    listed as not applied (a rule that became official, a value that no longer parses)."""
    valid: dict[str, object] = {}
    stale: list[tuple[str, str, str]] = []
    for name, raw in stored.items():
        try:
            effective_rules(base, {name: raw})
        except RuleError as error:
            stale.append((name, str(RULE_LABELS.get(name, name)), str(error)))
        else:
            valid[name] = raw
    rules = effective_rules(base, valid)
    rows = [_row(rules, base.rule(name), name, valid, accounts) for name in RULE_NAMES]
    return NetworkSection(
        key=base.key,
        name=network_label(base.key),
        accounts=accounts,
        rows=rows,
        stale=stale,
        reported=_reported(accounts),
    )


def _sections(membership: Membership, show_all: bool) -> list[NetworkSection]:
    accounts: dict[str, list[SocialAccount]] = {}
    for account in access_accounts(membership):
        accounts.setdefault(account.network, []).append(account)
    stored: dict[str, dict[str, object]] = {}
    for override in access_rule_overrides(membership):
        stored.setdefault(override.network, {})[override.rule] = override.value
    return [
        _section(base, stored.get(key, {}), accounts.get(key, []))
        for key, base in load_rules().items()
        if show_all or key in accounts or key in stored
    ]


def _page_url(membership: Membership, show_all: bool, network: str = "", anchor: str = "") -> str:
    url = reverse("workspace_network_rules", kwargs={"workspace": membership.workspace.slug})
    query = "&".join(
        part
        for part in ("all=1" if show_all else "", f"network={network}" if network else "")
        if part
    )
    return url + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")


def _chosen(sections: list[NetworkSection], key: str) -> NetworkSection | None:
    """The network shown: the one asked for, else the first (one network at a time keeps
    the page readable; the others are a click away)."""
    for section in sections:
        if section.key == key:
            return section
    return sections[0] if sections else None


def _save(request: HttpRequest, membership: Membership) -> tuple[str, str, str] | None:
    """Set or clear one rule from the posted row; the error (network, rule, message) if
    refused, so the page shows it on that row with what was typed."""
    network = request.POST.get("network", "")
    name = request.POST.get("rule", "")
    try:
        if request.POST.get("action") == "clear":
            actions.do_clear_rule_override(membership, network, name)
            messages.success(request, _("The default is in force again."))
            return None
        value = parse_input(name, request.POST.get("value", ""))
        actions.do_set_rule_override(membership, network, name, value)
    except (ActionError, ValueError) as error:
        message = error.message if isinstance(error, ActionError) else str(error)
        return network, name, message
    messages.success(request, _("Saved. This workspace's value is in force."))
    return None


@workspace_view()
def network_rules(request: HttpRequest, membership: Membership) -> HttpResponse:
    show_all = request.GET.get("all") == "1" or request.POST.get("all") == "1"
    can_edit = has_perm(membership.role, Perm.EDIT_WORKSPACE)
    error = None
    if request.method == "POST":
        error = _save(request, membership)
        if error is None:
            network = request.POST.get("network", "")
            anchor = f"rule-{network}-{request.POST.get('rule', '')}"
            return redirect(_page_url(membership, show_all, network, anchor))
    sections = _sections(membership, show_all)
    asked = request.POST.get("network", "") if error else request.GET.get("network", "")
    current = _chosen(sections, asked)
    error_shown = False
    if error is not None:
        for section in sections:
            for row in section.rows:
                if (section.key, row.name) == error[:2]:
                    row.error = error[2]
                    row.input_value = request.POST.get("value", "")
                    error_shown = True
        if not error_shown:
            messages.error(request, error[2])
    return render(
        request,
        "aids/network_rules.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "sections": sections,
            "current": current,
            "show_all": show_all,
            "can_edit": can_edit,
            "has_accounts": any(section.accounts for section in sections),
            "settings_tab": "network_rules",
        },
        status=400 if error is not None else 200,
    )
