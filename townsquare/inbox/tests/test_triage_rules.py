"""Pure parts of triage in German and English: rule flags, urgency parts, language."""

from townsquare.inbox.triage.language import detect_language
from townsquare.inbox.triage.result import MessageContext
from townsquare.inbox.triage.rules import FLAG_CODES, FLAG_REASONS, emoji_only, fired_flags
from townsquare.inbox.triage.urgency import score_urgency


def test_every_flag_has_a_sentence_for_the_explanation():
    assert set(FLAG_REASONS) == set(FLAG_CODES)


def test_questions_are_flagged_by_their_mark_and_their_opening_in_both_languages():
    assert {"question_mark_end", "question_opening"} <= set(
        fired_flags("Wann kommt der nächste Zug nach Köln?")
    )
    assert {"question_mark_end", "question_opening"} <= set(
        fired_flags("How do I reset my password?")
    )
    assert "question_mark_end" not in fired_flags("Ich habe eine Frage zum Tarif.")


def test_wishes_and_proposals_are_flagged_in_both_languages():
    assert "wish_or_modal" in fired_flags("Es wäre schön, wenn ihr einen Dunkelmodus hättet.")
    assert "wish_or_modal" in fired_flags("Könntet ihr die Tickets auch im Wallet anbieten")
    assert "wish_or_modal" in fired_flags("It would be nice to export reports as PDF.")
    assert "wish_or_modal" in fired_flags("Please add Apple Pay")
    assert "wish_or_modal" not in fired_flags("Mein Paket ist angekommen.")


def test_a_broken_expectation_is_flagged_in_both_languages():
    assert "expectation_breach" in fired_flags("Der Zug fällt schon wieder aus")
    assert "expectation_breach" in fired_flags("Seit Tagen kein Internet")
    assert "expectation_breach" in fired_flags("My refund is still not here")
    assert "expectation_breach" in fired_flags("Cancelled again, third time this week")


def test_insults_and_advertising_are_flagged():
    assert {"abuse_words", "second_person_attack"} <= set(fired_flags("Ihr seid solche Idioten"))
    assert "second_person_attack" in fired_flags("you are all incompetent")
    assert "spam_cues" in fired_flags("Folgt mir für Krypto-Tipps, Link in Bio")
    assert "spam_cues" in fired_flags("Earn $500 a day, DM me")
    assert "abuse_words" not in fired_flags("Danke für die schnelle Hilfe")


def test_emoji_only_messages_are_recognised():
    assert emoji_only("👍👍")
    assert emoji_only(" 😡 ")
    assert not emoji_only("Danke 👍")
    assert not emoji_only("")
    assert {"positive_emoji", "emoji_only"} <= set(fired_flags("👍"))


def test_urgency_adds_up_its_parts_and_says_which():
    urgency = score_urgency(
        "Das Ladegerät raucht und wird heiß! Ich schalte jetzt meinen Anwalt ein.",
        complaint_probability=0.9,
        negative_probability=0.9,
    )
    parts = dict(urgency.parts)
    assert parts["safety"] > 0 and parts["legal"] > 0
    assert urgency.score == min(100, sum(parts.values()))


def test_urgency_recognises_outage_fraud_data_and_time_pressure_in_english():
    urgency = score_urgency(
        "The app is down, someone made unauthorized payments and my personal data leaked. Urgent!",
        complaint_probability=0.5,
        negative_probability=0.5,
    )
    assert {"outage", "fraud", "data", "time_pressure"} <= dict(urgency.parts).keys()


def test_a_repeat_contact_makes_a_complaint_more_urgent():
    text = "Paket ist immer noch nicht da."
    first = score_urgency(text, complaint_probability=0.9, negative_probability=0.8)
    repeated = score_urgency(
        text,
        complaint_probability=0.9,
        negative_probability=0.8,
        context=MessageContext(prior_complaints=3),
    )
    assert dict(repeated.parts)["repeated_complaint"] > dict(first.parts)["repeated_complaint"]
    assert repeated.score > first.score


def test_a_calm_message_is_not_urgent():
    urgency = score_urgency(
        "Wir sehen uns heute Abend im Konzert.",
        complaint_probability=0.05,
        negative_probability=0.05,
    )
    assert urgency.score == 0
    assert urgency.parts == ()


def test_urgency_never_exceeds_100():
    urgency = score_urgency(
        "Feuer! Betrug! Datenleck! Anwalt! Störung! Sofort! Schon wieder!",
        complaint_probability=1.0,
        negative_probability=1.0,
        context=MessageContext(prior_complaints=10),
    )
    assert urgency.score == 100


def test_language_of_german_and_english_messages():
    assert detect_language("Wann kommt endlich mein Paket? Ich warte seit Montag.").value == "de"
    assert detect_language("When will my parcel finally arrive? Waiting since Monday.").value == (
        "en"
    )
    assert detect_language("Danke!").value == "de"
    assert detect_language("Thanks!").value == "en"


def test_other_languages_are_recognised_too():
    assert detect_language("Bonjour, ma commande n'est jamais arrivée.").value == "fr"
    assert detect_language("Hola, mi pedido todavía no ha llegado.").value == "es"


def test_too_little_text_has_no_language():
    for text in ("👍👍", "ok", "", "@bahn https://example.org #fail"):
        assert detect_language(text).value == "und"


def test_a_data_leak_is_urgent_and_a_password_question_is_not():
    from townsquare.inbox.triage.urgency import score_urgency

    leak_de = score_urgency(
        "Ich sehe die Adressen anderer Kunden! Das ist ein Datenleck, bitte sofort abschalten.",
        complaint_probability=0.9,
        negative_probability=0.9,
    )
    leak_en = score_urgency(
        "I can see another customer's order history. That's a data leak!",
        complaint_probability=0.9,
        negative_probability=0.9,
    )
    password = score_urgency(
        "Wie ändere ich mein Passwort?", complaint_probability=0.1, negative_probability=0.1
    )
    assert leak_de.score >= 60 and leak_en.score >= 60
    assert [code for code, _ in leak_de.parts].count("data") == 1
    assert password.score < 30 and ("data", 25) in password.parts
