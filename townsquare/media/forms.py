from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from townsquare.media.access import access_media_folders
from townsquare.media.models import ALT_TEXT_MAX
from townsquare.media.processing import ACCEPTED_TYPES, EXTENSIONS
from townsquare.workspaces.models import Membership

# Offered to the file picker only; the server judges the content, never this list.
ACCEPT = ",".join(sorted(ACCEPTED_TYPES | {f".{e}" for e in EXTENSIONS.values()}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(d, initial) for d in data]
        return [single(data or None, initial)]  # no file: "required" speaks


class FolderChoiceMixin(forms.Form):
    folder = forms.ModelChoiceField(
        label=_("Folder"), queryset=None, required=False, empty_label=_("No folder")
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["folder"]
        field.queryset = access_media_folders(membership)  # type: ignore[attr-defined]
        field.label_from_instance = lambda f: f.path  # type: ignore[attr-defined]


class UploadForm(FolderChoiceMixin):
    files = MultipleFileField(
        label=_("Images or videos"),
        help_text=_(
            "JPEG, PNG, WebP or GIF up to 30 MB; MP4, MOV or WebM up to 200 MB. "
            "You can choose several files at once."
        ),
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=500, help_text=_("Separate tags with commas.")
    )
    field_order = ["files", "folder", "tags"]


class EditForm(FolderChoiceMixin):
    alt_text = forms.CharField(
        label=_("Alt text"),
        required=False,
        max_length=ALT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Describe what the picture shows for people who cannot see it (at most 1,500 "
            "characters). Networks that support alt text receive it with the post."
        ),
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=500, help_text=_("Separate tags with commas.")
    )
    field_order = ["alt_text", "tags", "folder"]


class FolderForm(forms.Form):
    name = forms.CharField(label=_("Folder name"), max_length=120)
    parent = forms.ModelChoiceField(
        label=_("Inside"), queryset=None, required=False, empty_label=_("Top level")
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        field.queryset = access_media_folders(membership)  # type: ignore[attr-defined]
        field.label_from_instance = lambda f: f.path  # type: ignore[attr-defined]
