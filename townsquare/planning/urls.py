"""Pages of the planning app: the plan, its sections, campaigns and history."""

from django.urls import path

from townsquare.planning import views

W = "w/<slug:workspace>/plan"
C = f"{W}/campaigns/<int:campaign_id>"

urlpatterns = [
    path(f"{W}/", views.overview, name="workspace_plan"),
    path(f"{W}/edit/", views.edit_overview, name="plan_edit"),
    path(f"{W}/tone/", views.tone, name="plan_tone"),
    path(f"{W}/networks/add/", views.network_add, name="plan_network_add"),
    path(f"{W}/networks/<int:entry_id>/", views.network_edit, name="plan_network"),
    path(f"{W}/networks/<int:entry_id>/remove/", views.network_remove, name="plan_network_remove"),
    path(f"{W}/goals/add/", views.goal_add, name="plan_goal_add"),
    path(f"{W}/goals/<int:goal_id>/", views.goal_edit, name="plan_goal"),
    path(f"{W}/goals/<int:goal_id>/delete/", views.goal_delete, name="plan_goal_delete"),
    path(f"{W}/pillars/add/", views.pillar_add, name="plan_pillar_add"),
    path(f"{W}/pillars/<int:pillar_id>/", views.pillar_edit, name="plan_pillar"),
    path(f"{W}/pillars/<int:pillar_id>/delete/", views.pillar_delete, name="plan_pillar_delete"),
    path(f"{W}/audiences/add/", views.audience_add, name="plan_audience_add"),
    path(f"{W}/audiences/<int:audience_id>/", views.audience_edit, name="plan_audience"),
    path(
        f"{W}/audiences/<int:audience_id>/delete/",
        views.audience_delete,
        name="plan_audience_delete",
    ),
    path(f"{W}/history/", views.history, name="plan_history"),
    path(f"{W}/versions/<int:version_id>/", views.version, name="plan_version"),
    path(f"{W}/campaigns/", views.campaigns, name="plan_campaigns"),
    path(f"{C}/", views.campaign, name="plan_campaign"),
    path(f"{C}/details/", views.campaign_edit, name="plan_campaign_edit"),
    path(
        f"{W}/campaigns/<int:campaign_id>/delete/",
        views.campaign_delete,
        name="plan_campaign_delete",
    ),
    path(f"{C}/edit/", views.campaign_edit_overview, name="plan_campaign_plan_edit"),
    path(f"{C}/tone/", views.campaign_tone, name="plan_campaign_tone"),
    path(f"{C}/networks/add/", views.campaign_network_add, name="plan_campaign_network_add"),
    path(f"{C}/goals/add/", views.campaign_goal_add, name="plan_campaign_goal_add"),
    path(f"{C}/history/", views.campaign_history, name="plan_campaign_history"),
]
