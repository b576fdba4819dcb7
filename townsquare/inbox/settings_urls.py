"""Pages of Inbox > Settings, included by the inbox's urls.py under
w/<workspace>/inbox/settings/ (the workspace comes from that prefix)."""

from django.urls import path

from townsquare.inbox import learning_views
from townsquare.inbox import settings_views as views

urlpatterns = [
    path("", views.general, name="inbox_settings"),
    path("teams/", views.teams, name="inbox_settings_teams"),
    path("teams/<int:team_id>/", views.team_edit, name="inbox_settings_team"),
    path("teams/<int:team_id>/delete/", views.team_delete, name="inbox_settings_team_delete"),
    path("departments/", views.departments, name="inbox_settings_departments"),
    path(
        "departments/<int:department_id>/",
        views.department_edit,
        name="inbox_settings_department",
    ),
    path(
        "departments/<int:department_id>/delete/",
        views.department_delete,
        name="inbox_settings_department_delete",
    ),
    path("triage/", learning_views.triage_model, name="inbox_settings_triage"),
    path("rules/", views.rules, name="inbox_settings_rules"),
    path("rules/new/", views.rule_new, name="inbox_settings_rule_new"),
    path("rules/<int:rule_id>/", views.rule_edit, name="inbox_settings_rule"),
    path("rules/<int:rule_id>/move/", views.rule_move, name="inbox_settings_rule_move"),
    path("rules/<int:rule_id>/delete/", views.rule_delete, name="inbox_settings_rule_delete"),
]
