from datetime import datetime

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from townsquare.media.forms import ACCEPT
from townsquare.media.models import ALT_TEXT_MAX
from townsquare.networks.models import SocialAccount

WHEN_FORMAT = "%Y-%m-%dT%H:%M"


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
    when = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        input_formats=[WHEN_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "aria-describedby": "id_when-zone"},
            format=WHEN_FORMAT,
        ),
    )

    def __init__(
        self,
        *args,
        accounts=(),
        hashtag_sets=(),
        media=(),
        time_zone="UTC",
        now_local: datetime | None = None,
        scheduling=False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone
        self.now_local = (now_local or datetime.now()).replace(second=0, microsecond=0)
        self.scheduling = scheduling
        # The browser refuses earlier times already; clean_when says why when it gets one.
        self.fields["when"].widget.attrs["min"] = self.now_local.strftime(WHEN_FORMAT)
        self.media_assets = list(media)
        self.fields["media"].choices = [
            (str(a.pk), a.alt_text[:60] or a.original_name or f"#{a.pk}") for a in self.media_assets
        ]
        self.fields["accounts"].choices = [
            (str(a.pk), f"{gettext(a.get_network_display())} · {a.label}") for a in accounts
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

    def clean_when(self):
        """The wall-clock time in the workspace's zone; only checked when scheduling."""
        when = self.cleaned_data.get("when")
        if not self.scheduling:
            return when
        if when is None:
            raise forms.ValidationError(
                gettext("Choose the date and time to publish (%(zone)s).")
                % {"zone": self.time_zone},
                code="when_required",
            )
        wall = when.replace(tzinfo=None)
        if wall < self.now_local:
            raise forms.ValidationError(
                gettext(
                    "%(time)s has already passed in %(zone)s. Choose a time from "
                    "%(now)s on, or press Publish now."
                )
                % {
                    "time": wall.strftime("%Y-%m-%d %H:%M"),
                    "zone": self.time_zone,
                    "now": self.now_local.strftime("%Y-%m-%d %H:%M"),
                },
                code="when_past",
            )
        return wall


class ComposerUploadForm(forms.Form):
    """A picture or video added from the composer, with its alt text, without leaving it."""

    upload = forms.FileField(
        label=_("Add a picture or video"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("JPEG, PNG, WebP or GIF up to 30 MB; MP4, MOV or WebM up to 200 MB."),
    )
    upload_alt = forms.CharField(
        label=_("Alt text for it"),
        required=False,
        max_length=ALT_TEXT_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the picture shows, for people who cannot see it."),
    )


class VariantEditForm(forms.Form):
    text = forms.CharField(
        label=_("Text for this account"),
        widget=forms.Textarea(attrs={"rows": 8}),
        strip=False,
        help_text=_("For a thread, put a line with only --- between the posts."),
    )


def accounts_queryset(workspace):
    return SocialAccount.objects.filter(workspace=workspace).order_by("network", "handle")
