"""Settings pages for writing aids, style and network rules."""

from django.urls import path

from townsquare.content import aids_views
from townsquare.content.aids_forms import AID_FORMS
from townsquare.networks import rules_views

urlpatterns = [
    path("w/<slug:workspace>/settings/style/", aids_views.style_settings, name="workspace_style"),
    # One literal path per kind rather than a `<kind>` argument: a list is workspace data
    # only through the workspace, so its URL carries no other argument to probe.
    *[
        path(
            f"w/<slug:workspace>/settings/writing-aids/{kind}/",
            aids_views.aid_list,
            {"kind": kind},
            name="workspace_writing_aids",
        )
        for kind in AID_FORMS
    ],
    path(
        "w/<slug:workspace>/settings/writing-aids/<str:kind>/<int:aid_id>/",
        aids_views.aid_edit,
        name="workspace_writing_aid",
    ),
    path(
        "w/<slug:workspace>/settings/writing-aids/<str:kind>/<int:aid_id>/delete/",
        aids_views.aid_delete,
        name="workspace_writing_aid_delete",
    ),
    path(
        "w/<slug:workspace>/settings/network-rules/",
        rules_views.network_rules,
        name="workspace_network_rules",
    ),
]
