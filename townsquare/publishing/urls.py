from django.urls import path

from townsquare.publishing import overview_views, reminder_views, views

urlpatterns = [
    path(
        "w/<slug:workspace>/posts/<int:post_id>/schedule/",
        views.schedule,
        name="publishing_schedule",
    ),
    path(
        "w/<slug:workspace>/publications/<int:publication_id>/settle/",
        views.settle,
        name="publishing_settle",
    ),
    path(
        "w/<slug:workspace>/publications/<int:publication_id>/reminder/",
        reminder_views.reminder,
        name="publishing_reminder",
    ),
    path("w/<slug:workspace>/publishing/", overview_views.overview, name="publishing_overview"),
    path(
        "w/<slug:workspace>/publishing/by-hand/",
        reminder_views.reminder_list,
        name="publishing_reminders",
    ),
    path(
        "w/<slug:workspace>/settings/publishing/",
        overview_views.publishing_settings,
        name="workspace_publishing_settings",
    ),
]
