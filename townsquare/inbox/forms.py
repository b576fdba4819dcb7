"""Forms of the inbox pages: the reply box, notes and saved replies."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from townsquare.inbox.note_actions import MAX_NOTE_CHARS
from townsquare.inbox.reply_actions import MAX_REPLY_CHARS
from townsquare.inbox.saved_reply_actions import MAX_TEXT_CHARS, MAX_TITLE_CHARS


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        max_length=MAX_REPLY_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # Offered only for a Facebook or Instagram comment within Meta's 7 days.
    private = forms.BooleanField(required=False)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        help_text=_("Only your colleagues see it. Mention someone with @name."),
        max_length=MAX_NOTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def language_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


class SavedReplyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE_CHARS)
    language = forms.ChoiceField(label=_("Language"), choices=language_choices)
    text = forms.CharField(
        label=_("Text"),
        max_length=MAX_TEXT_CHARS,
        help_text=_(
            "Variables: {name} (the person's name), {handle} (their handle), {account} "
            "(our account)."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
