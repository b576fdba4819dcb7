from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from townsquare.networks.models import SocialAccount


class ComposeForm(forms.Form):
    text = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 9, "id": "master-text", "data-snippet-target": ""}),
        strip=False,
        help_text=_("Write it once. Mention people with @[Name] from your contact book."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    link_url = forms.URLField(
        label=_("Link"), required=False, max_length=2000, assume_scheme="https"
    )
    hashtags = forms.CharField(
        label=_("Hashtags"),
        required=False,
        max_length=2000,
        help_text=_("Separated by spaces, e.g. #Kaffee #Leipzig"),
    )
    hashtag_sets = forms.MultipleChoiceField(
        label=_("Hashtag sets"), required=False, widget=forms.CheckboxSelectMultiple
    )
    content_warning = forms.CharField(
        label=_("Content warning"),
        required=False,
        max_length=500,
        help_text=_("Shown before the text where the network supports it (Mastodon)."),
    )
    media = forms.MultipleChoiceField(
        label=_("Media"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From the media library, in this order. Alt text is taken from the library."),
    )
    accounts = forms.MultipleChoiceField(label=_("Accounts"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, accounts=(), hashtag_sets=(), media=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.media_assets = list(media)
        self.fields["media"].choices = [
            (str(a.pk), a.alt_text[:60] or a.original_name or f"#{a.pk}") for a in self.media_assets
        ]
        self.fields["accounts"].choices = [
            (str(a.pk), f"{a.get_network_display()} · {a.label}") for a in accounts
        ]
        self.fields["hashtag_sets"].choices = [(s.name, s.name) for s in hashtag_sets]
        if not hashtag_sets:
            del self.fields["hashtag_sets"]

    def clean_hashtags(self):
        raw = self.cleaned_data["hashtags"]
        tags = []
        for word in raw.replace(",", " ").split():
            tag = word if word.startswith("#") else f"#{word}"
            if len(tag) > 1 and tag not in tags:
                tags.append(tag)
        return tags


class VariantEditForm(forms.Form):
    text = forms.CharField(
        label=_("Text for this account"),
        widget=forms.Textarea(attrs={"rows": 8}),
        strip=False,
        help_text=_("For a thread, put a line with only --- between the posts."),
    )


def accounts_queryset(workspace):
    return SocialAccount.objects.filter(workspace=workspace).order_by("network", "handle")
