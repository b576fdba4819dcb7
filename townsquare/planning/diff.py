"""What changed between two versions of a plan, in words (English and German).

Pure: takes two snapshots (planning/snapshot.py) and gives one line per change, e.g.
"LinkedIn (page): publications per week 2 → 3". Network names come from the caller, who
knows them in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class DiffLine:
    message_en: str
    message_de: str

    def message(self, language: str) -> str:
        return self.message_de if language == "de" else self.message_en


Names = Mapping[str, tuple[str, str]]

FIELDS: dict[str, tuple[str, str]] = {
    "summary": ("summary", "Zusammenfassung"),
    "time_zone": ("time zone", "Zeitzone"),
    "rationale": ("why this network", "Begründung"),
    "address": ("form of address", "Anrede"),
    "formality": ("formality", "Förmlichkeit"),
    "emoji_policy": ("emoji", "Emojis"),
    "max_emoji": ("at most this many emoji", "höchstens so viele Emojis"),
    "hashtag_policy": ("hashtags", "Hashtags"),
    "max_hashtags": ("hashtags at most", "höchstens so viele Hashtags"),
    "call_to_action": ("call to action", "Handlungsaufforderung"),
    "avoid_words": ("words to avoid", "zu vermeidende Wörter"),
    "prefer_words": ("words to prefer", "bevorzugte Wörter"),
    "posts_per_week": ("publications per week", "Veröffentlichungen pro Woche"),
    "preferred_days": ("preferred days", "bevorzugte Tage"),
    "preferred_times": ("preferred times", "bevorzugte Uhrzeiten"),
    "metric": ("measure", "Kennzahl"),
    "network": ("network", "Netzwerk"),
    "target": ("target", "Ziel"),
    "baseline": ("starting point", "Ausgangswert"),
    "starts_on": ("from", "ab"),
    "due_on": ("by", "bis"),
    "ends_on": ("ends on", "endet am"),
    "note": ("note", "Notiz"),
    "name": ("name", "Name"),
    "description": ("description", "Beschreibung"),
    "target_share": ("target share", "Zielanteil"),
    "colour": ("colour", "Farbe"),
    "who": ("who they are", "wer sie sind"),
    "cares_about": ("what they care about", "was ihnen wichtig ist"),
    "networks": ("where they are", "wo sie sind"),
}
VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "address": {
        "any": ("no rule", "keine Vorgabe"),
        "du": ("informal (du)", "du"),
        "sie": ("formal (Sie)", "Sie"),
    },
    "formality": {
        "casual": ("casual", "locker"),
        "neutral": ("neutral", "neutral"),
        "formal": ("formal", "förmlich"),
    },
    "emoji_policy": {
        "free": ("any number", "beliebig viele"),
        "few": ("a few", "wenige"),
        "none": ("no emoji", "keine Emojis"),
    },
    "hashtag_policy": {
        "keep_inline": ("keep where written", "bleiben, wo sie stehen"),
        "move_to_end": ("move to the end", "ans Ende"),
        "none": ("remove all", "alle entfernen"),
    },
    "metric": {
        "follower_growth": ("follower growth", "Follower-Zuwachs"),
        "reach": ("reach", "Reichweite"),
        "views": ("views", "Aufrufe"),
        "engagement_rate": ("engagement rate (%)", "Interaktionsrate (%)"),
        "response_time": ("response time (hours)", "Antwortzeit (Stunden)"),
        "publications": ("publications", "Veröffentlichungen"),
    },
}
DAYS = (
    ("Mon", "Mo"),
    ("Tue", "Di"),
    ("Wed", "Mi"),
    ("Thu", "Do"),
    ("Fri", "Fr"),
    ("Sat", "Sa"),
    ("Sun", "So"),
)
EMPTY = ("(none)", "(keine Angabe)")
INHERITED = ("as the plan above", "wie im übergeordneten Plan")


def _network(key: str, names: Names) -> tuple[str, str]:
    return names.get(key, (key, key))


def _value(name: str, value: Any, names: Names) -> tuple[str, str]:
    if value is None or value == "" or value == [] or value == {}:
        if name in ("address", "formality", "emoji_policy", "hashtag_policy", "max_emoji"):
            return INHERITED
        return EMPTY
    if name in VALUES and isinstance(value, str):
        return VALUES[name].get(value, (value, value))
    if name == "preferred_days" and isinstance(value, list):
        en = ", ".join(DAYS[d][0] for d in value if isinstance(d, int) and 0 <= d <= 6)
        de = ", ".join(DAYS[d][1] for d in value if isinstance(d, int) and 0 <= d <= 6)
        return en, de
    if name in ("network",) and isinstance(value, str):
        return _network(value, names)
    if name == "networks" and isinstance(value, list):
        pairs = [_network(str(v), names) for v in value]
        return ", ".join(p[0] for p in pairs), ", ".join(p[1] for p in pairs)
    if name == "max_hashtags" and isinstance(value, dict):
        caps = [(_network(str(k), names), v) for k, v in sorted(value.items())]
        return (
            ", ".join(f"{n[0]} {v}" for n, v in caps),
            ", ".join(f"{n[1]} {v}" for n, v in caps),
        )
    if isinstance(value, list):
        text = ", ".join(str(v) for v in value)
        return text, text
    if name == "target_share":
        return f"{value} %", f"{value} %"
    text = str(value)
    if len(text) > 80:
        text = text[:79] + "…"
    return text, text


def _field_change(prefix: tuple[str, str], name: str, old: Any, new: Any, names: Names) -> DiffLine:
    label = FIELDS.get(name, (name, name))
    if name in ("summary", "rationale", "description", "note", "who", "cares_about"):
        return DiffLine(f"{prefix[0]}{label[0]} changed", f"{prefix[1]}{label[1]} geändert")
    if isinstance(old, list) and isinstance(new, list) and name != "preferred_days":
        added = [v for v in new if v not in old]
        removed = [v for v in old if v not in new]
        if name in ("networks",):
            added_names = [_network(str(v), names) for v in added]
            removed_names = [_network(str(v), names) for v in removed]
        else:
            added_names = [(str(v), str(v)) for v in added]
            removed_names = [(str(v), str(v)) for v in removed]
        en: list[str] = []
        de: list[str] = []
        if added_names:
            en.append("added " + ", ".join(f"“{n[0]}”" for n in added_names))
            de.append("hinzugefügt: " + ", ".join(f"„{n[1]}“" for n in added_names))
        if removed_names:
            en.append("removed " + ", ".join(f"“{n[0]}”" for n in removed_names))
            de.append("entfernt: " + ", ".join(f"„{n[1]}“" for n in removed_names))
        if en:
            return DiffLine(
                f"{prefix[0]}{label[0]}: {'; '.join(en)}",
                f"{prefix[1]}{label[1]}: {'; '.join(de)}",
            )
    before, after = _value(name, old, names), _value(name, new, names)
    return DiffLine(
        f"{prefix[0]}{label[0]} {before[0]} → {after[0]}",
        f"{prefix[1]}{label[1]} {before[1]} → {after[1]}",
    )


def _fields(
    prefix: tuple[str, str], old: Mapping[str, Any], new: Mapping[str, Any], names: Names
) -> list[DiffLine]:
    lines = []
    for name in new:
        if name == "id":
            continue
        if old.get(name) != new.get(name):
            lines.append(_field_change(prefix, name, old.get(name), new.get(name), names))
    return lines


def _keyed(items: Sequence[Mapping[str, Any]], key: str) -> dict[Any, Mapping[str, Any]]:
    return {
        item.get(key) if item.get(key) is not None else item.get("name"): item for item in items
    }


def _goal_title(goal: Mapping[str, Any], names: Names) -> tuple[str, str]:
    metric = _value("metric", goal.get("metric"), names)
    where = _network(goal["network"], names) if goal.get("network") else None
    en = f"{metric[0]} {goal.get('target')} by {goal.get('due_on')}"
    de = f"{metric[1]} {goal.get('target')} bis {goal.get('due_on')}"
    if where:
        en, de = f"{en} ({where[0]})", f"{de} ({where[1]})"
    return en, de


SECTIONS = {
    "pillars": (("Pillar", "Säule"), "id"),
    "audiences": (("Audience", "Zielgruppe"), "id"),
    "campaigns": (("Campaign", "Kampagne"), "id"),
}


def diff_plans(
    old: Mapping[str, Any] | None, new: Mapping[str, Any], names: Names | None = None
) -> list[DiffLine]:
    """The changes from `old` to `new`; a first version (old None) lists what it holds."""
    names = names or {}
    old = old or {}
    lines: list[DiffLine] = []
    for name in ("summary", "time_zone"):
        if old.get(name, "") != new.get(name, ""):
            lines.append(_field_change(("", ""), name, old.get(name), new.get(name), names))
            lines[-1] = DiffLine(
                lines[-1].message_en[:1].upper() + lines[-1].message_en[1:],
                lines[-1].message_de[:1].upper() + lines[-1].message_de[1:],
            )
    # Versions saved before plans had a start hold none: a start appearing is no change.
    if "starts_on" in old and old.get("starts_on") != new.get("starts_on"):
        before, after = old.get("starts_on") or "–", new.get("starts_on") or "–"
        lines.append(
            DiffLine(f"The plan starts on {before} → {after}", f"Planbeginn {before} → {after}")
        )
    lines += _fields(("Tone: ", "Tonalität: "), old.get("tone") or {}, new.get("tone") or {}, names)
    old_networks = _keyed(old.get("networks") or [], "network")
    new_networks = _keyed(new.get("networks") or [], "network")
    for key, entry in new_networks.items():
        label = _network(str(key), names)
        if key not in old_networks:
            lines.append(
                DiffLine(
                    f"{label[0]} added to the plan ({entry.get('posts_per_week', 0)} "
                    "publications per week)",
                    f"{label[1]} in den Plan aufgenommen ({entry.get('posts_per_week', 0)} "
                    "Veröffentlichungen pro Woche)",
                )
            )
        else:
            lines += _fields((f"{label[0]}: ", f"{label[1]}: "), old_networks[key], entry, names)
    for key in old_networks:
        if key not in new_networks:
            label = _network(str(key), names)
            lines.append(
                DiffLine(f"{label[0]} removed from the plan", f"{label[1]} aus dem Plan entfernt")
            )
    old_goals = _keyed(old.get("goals") or [], "id")
    new_goals = _keyed(new.get("goals") or [], "id")
    for key, goal in new_goals.items():
        title = _goal_title(goal, names)
        if key not in old_goals:
            lines.append(DiffLine(f"Goal added: {title[0]}", f"Ziel hinzugefügt: {title[1]}"))
        else:
            before = _goal_title(old_goals[key], names)
            lines += _fields(
                (f"Goal {before[0]}: ", f"Ziel {before[1]}: "), old_goals[key], goal, names
            )
    for key, goal in old_goals.items():
        if key not in new_goals:
            title = _goal_title(goal, names)
            lines.append(DiffLine(f"Goal removed: {title[0]}", f"Ziel entfernt: {title[1]}"))
    for section, (label, key) in SECTIONS.items():
        if section == "campaigns" and new.get("campaign"):
            continue  # a campaign's own plan: its campaign is not a change of the plan
        before_items = _keyed(old.get(section) or [], key)
        after_items = _keyed(new.get(section) or [], key)
        for item_key, item in after_items.items():
            name = str(item.get("name", ""))
            if item_key not in before_items:
                extra = ""
                if section == "pillars":
                    extra = f" ({item.get('target_share', 0)} %)"
                if section == "campaigns":
                    extra = f" ({item.get('starts_on')} – {item.get('ends_on')})"
                lines.append(
                    DiffLine(
                        f"{label[0]} added: {name}{extra}",
                        f"{label[1]} hinzugefügt: {name}{extra}",
                    )
                )
            else:
                previous = before_items[item_key]
                prefix = (
                    f"{label[0]} {previous.get('name', '')}: ",
                    f"{label[1]} {previous.get('name', '')}: ",
                )
                lines += _fields(prefix, previous, item, names)
        for item_key, item in before_items.items():
            if item_key not in after_items:
                name = str(item.get("name", ""))
                lines.append(
                    DiffLine(f"{label[0]} removed: {name}", f"{label[1]} entfernt: {name}")
                )
    return lines
