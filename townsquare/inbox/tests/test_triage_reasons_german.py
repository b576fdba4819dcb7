"""The triage's reasons are kept in English and shown in the reader's language."""

from django.utils import translation
from django.utils.translation import gettext

from townsquare.inbox.triage import triage_texts
from townsquare.inbox.triage.engine import TRUNCATED_REASON
from townsquare.inbox.triage.explain import reason_message
from townsquare.inbox.triage.rules import FLAG_REASONS


def in_german(reason: str) -> str:
    message, parameters = reason_message(reason)
    with translation.override("de"):
        return gettext(message) % parameters if parameters else gettext(message)


def test_every_rule_reason_has_a_german_text():
    for reason in [*FLAG_REASONS.values(), TRUNCATED_REASON]:
        assert in_german(reason) != reason, reason


def test_the_reasons_of_a_german_message_read_in_german():
    (result,) = triage_texts(["Der Zug fällt schon wieder aus!"])
    german = [in_german(reason) for reason in result.category.reasons]
    assert any("schon wieder" in reason and "Erwartung" in reason for reason in german)
    assert any(reason.startswith("Wort „") for reason in german)
    assert in_german("too short to tell") == "zu kurz für eine Aussage"
