"""A page is embedded once: triage reads the sentence embeddings and the register groups the
page's feedback by the same ones, unless the encoder would read other words (the register
leaves handles out)."""

from __future__ import annotations

import numpy as np
import pytest

from townsquare.inbox import register
from townsquare.inbox.ingest_store import store_messages
from townsquare.inbox.models import FeedbackItem
from townsquare.inbox.register_grouping import clean_text, from_bytes
from townsquare.inbox.tests.test_ingest import account, said  # noqa: F401 (fixture)
from townsquare.inbox.triage import triage_texts
from townsquare.inbox.triage.features import embed

pytestmark = pytest.mark.django_db

QUESTION = "Wann liefert ihr meine Bestellung? Ich warte seit zwei Wochen."
WITH_LINK = "Wann kommt die Bestellung aus https://shop.example/b/4711 endlich an?"
WITH_HANDLE = "@kaffee.bsky.social Wann kommt die Bestellung 4712 endlich an?"


def test_triage_given_the_embeddings_judges_as_without_them():
    texts = ["Wo ist mein Paket?", "", "Danke, toller Service!"]
    assert triage_texts(texts, embeddings=embed(texts)) == triage_texts(texts)


def test_the_register_reuses_triage_s_embedding_of_a_plain_text(account, monkeypatch):  # noqa: F811
    embedded = []
    real = register.embed
    monkeypatch.setattr(register, "embed", lambda texts: embedded.append(texts) or real(texts))
    page = [said("q1", QUESTION), said("q2", WITH_LINK, minutes=1)]
    stored = store_messages(account, [*page, said("q3", WITH_HANDLE, minutes=2)])
    assert {m.category for m in stored.stored} == {"question"}, "all three are feedback"
    assert embedded == [[clean_text(WITH_HANDLE)]], "only the text with a handle again"
    items = {
        item.message.network_message_id: item
        for item in FeedbackItem.objects.select_related("message")
    }
    plain, handled = from_bytes(items["q1"].embedding), from_bytes(items["q3"].embedding)
    assert np.allclose(plain, embed([QUESTION])[0], atol=1e-5)
    assert np.allclose(handled, embed([clean_text(WITH_HANDLE)])[0], atol=1e-5)
