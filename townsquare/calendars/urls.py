"""Pages of the calendars app."""

from django.urls import path

from townsquare.calendars import views

urlpatterns = [
    path("w/<slug:workspace>/calendar/", views.month, name="workspace_calendar"),
    path("w/<slug:workspace>/calendar/week/", views.week, name="calendar_week"),
    path("w/<slug:workspace>/calendar/list/", views.listing, name="calendar_list"),
    path("w/<slug:workspace>/calendar/move/", views.move, name="calendar_move"),
    path("w/<slug:workspace>/calendar/notes/", views.note_add, name="calendar_note_add"),
    path(
        "w/<slug:workspace>/calendar/notes/<int:note_id>/",
        views.note_edit,
        name="calendar_note_edit",
    ),
    path(
        "w/<slug:workspace>/settings/calendar/",
        views.calendar_settings,
        name="calendar_settings",
    ),
]
