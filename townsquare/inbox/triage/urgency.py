"""Urgency as a transparent sum of parts.

No public benchmark for urgency exists, so it is not learned: each part is a word list or a
fact with a fixed number of points, and the manager sees exactly which parts added up. The
points are a starting calibration; corrections can tune them later.
"""

from __future__ import annotations

import re

from townsquare.inbox.triage.result import MessageContext, Urgency


def _words(*lines: str) -> re.Pattern[str]:
    """Whole-word alternatives separated by "|"; a trailing * allows any word ending."""
    alternatives = [word for line in lines for word in line.split("|")]
    parts = [
        re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word)
        for word in alternatives
    ]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


# (reason code, points, German and English cues)
ESCALATION_CUES: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    (
        "safety",
        45,
        _words(
            "fire|smoke|smoking|sparks|burn*|explod*|injur*|hurt|bleeding|hospital|ambulance",
            "dangerous|danger|unsafe|poison*|allergic|electric shock|overheat*|choking|emergency",
            "feuer|brand|brandgefahr|rauch*|qualm*|funken|kokelt|verletz*|krankenhaus|notarzt",
            "gefährlich|gefahr|lebensgefahr",
            "vergiftung|allergisch|stromschlag|überhitz*|notfall|brennt|explodiert",
        ),
    ),
    (
        "legal",
        30,
        _words(
            "lawyer|attorney|sue|suing|lawsuit|legal action|court|consumer protection|ombudsman",
            "regulator|small claims|anwalt|anwältin|rechtsanwalt|klage|verklagen|gericht",
            "verbraucherzentrale|verbraucherschutz|schlichtungsstelle|abmahnung",
            "rechtliche schritte|bundesnetzagentur|strafanzeige|anzeige erstatten",
        ),
    ),
    (
        "fraud",
        30,
        _words(
            "fraud|scam|scammed|phishing|stolen|unauthori*|hacked|fake account|identity theft",
            "charged twice|double charged|betrug|betrüger|abzocke|phishing-mail|gestohlen",
            "gehackt|unberechtigt|doppelt abgebucht|identitätsdiebstahl|fake-shop",
        ),
    ),
    (
        # Other people's data in the open is as urgent as a danger to health: every hour
        # it stays open more of it leaks. Listed before the milder data cues, and a code
        # counts once (the first, strongest match), so a breach is never scored twice.
        "data",
        45,
        _words(
            "data breach|data leak|leaked|exposed|other customers' data|other customers",
            "someone else's account|someone else's order|datenleck|datenpanne|daten anderer",
            "anderer kunden|fremde daten|fremden daten|fremdes konto|fremde bestellung",
        ),
    ),
    (
        "data",
        25,
        _words(
            "privacy|gdpr|personal data|my data|password",
            "delete my account|delete my data|datenschutz|dsgvo|persönliche daten",
            "meine daten|passwort|daten löschen|konto löschen|auskunft nach",
        ),
    ),
    (
        "outage",
        25,
        _words(
            "outage|is down|are down|down again|not loading|can't log in|cannot log in",
            "can't login|no service|no signal|no internet|offline|server error|500 error",
            "everyone|all users|störung|ausfall|ausgefallen|geht gar nichts|nicht erreichbar",
            "kein netz|kein internet|kein empfang|komme nicht rein|login geht nicht|totalausfall",
            "bei allen",
        ),
    ),
    (
        "time_pressure",
        15,
        # Phrases, not "today" or "tomorrow" alone: those mostly just tell the time.
        _words(
            "urgent|urgently|asap|immediately|right now|straight away|by today|by tomorrow",
            "by tonight|before tomorrow|deadline|within the hour|in an hour|before my flight",
            "my flight leaves|running out of time|last chance|need it today|need this today",
            "dringend|sofort|umgehend|heute noch|noch heute|bis heute abend|bis morgen",
            "bis morgen früh|frist|eilt|schnellstmöglich|in einer stunde|mein flug geht",
            "brauche es heute|läuft ab",
        ),
    ),
)

REPEAT_CUES = _words(
    "again|still not|still no|yet again|third time|fourth time|for days|for weeks|schon wieder",
    "wieder mal|mal wieder|immer noch|noch immer|seit tagen|seit wochen|zum dritten mal",
    "zum x-ten mal|erneut",
)
MAX_SCORE = 100


def score_urgency(
    text: str,
    *,
    complaint_probability: float,
    negative_probability: float,
    context: MessageContext | None = None,
) -> Urgency:
    """Add up the parts that apply; the score is their sum, at most 100."""
    parts: list[tuple[str, int]] = []
    for code, points, pattern in ESCALATION_CUES:
        if code not in {seen for seen, _ in parts} and pattern.search(text):
            parts.append((code, points))
    prior = context.prior_complaints if context else 0
    repeated = 0
    if prior > 0:
        repeated = min(10 + 5 * prior, 25)
    if REPEAT_CUES.search(text) and complaint_probability >= 0.3:
        repeated = max(repeated, 10)
    if repeated:
        parts.append(("repeated_complaint", repeated))
    # How much the message reads as an unhappy complaint: the two probabilities together.
    negative_complaint = round(25 * complaint_probability * negative_probability)
    if negative_complaint:
        parts.append(("negative_complaint", negative_complaint))
    return Urgency(min(sum(points for _, points in parts), MAX_SCORE), tuple(parts))
