import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from townsquare.lib.errors import ActionError
from townsquare.workspaces.invitations import clean_invitation_address
from townsquare.workspaces.models import ROLE_CHOICES

TIME_ZONES = sorted(zoneinfo.available_timezones())


class WorkspaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=[(z, z) for z in TIME_ZONES], initial="Europe/Berlin"
    )
    language = forms.ChoiceField(label=_("Main language"), choices=settings.LANGUAGES)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class InviteForm(forms.Form):
    # Not stripped: a line break or a second address must be refused, not tidied away.
    email = forms.CharField(
        label=_("Email address"), strip=False, max_length=254, widget=forms.EmailInput
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial="editor")

    def clean_email(self) -> str:
        try:
            return clean_invitation_address(self.cleaned_data["email"])
        except ActionError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("As my browser")), *settings.LANGUAGES],
        required=False,
    )


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
    workspaces = forms.MultipleChoiceField(
        label=_("Workspaces"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, workspaces: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["workspaces"].choices = workspaces
