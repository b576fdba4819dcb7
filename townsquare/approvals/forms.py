from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from townsquare.approvals.models import MAX_COMMENT_CHARS, MAX_LINK_DAYS, MODE_CHOICES


class ApprovalSettingsForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Approval before publishing"),
        choices=MODE_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("An author never approves their own post."),
    )
    client_approval = forms.BooleanField(
        label=_("The client approves too, through a link that needs no account"),
        required=False,
    )
    link_days = forms.IntegerField(
        label=_("Client links are valid for (days)"), min_value=1, max_value=MAX_LINK_DAYS
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mention a member with @ and their name, e.g. @anna, to notify them."),
    )


class ClientDecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Your comment"),
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
