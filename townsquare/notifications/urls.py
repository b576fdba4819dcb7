from django.urls import path

from townsquare.notifications import views

urlpatterns = [
    path(
        "w/<slug:workspace>/notifications/",
        views.notification_list,
        name="notifications",
    ),
    path(
        "w/<slug:workspace>/notifications/read-all/",
        views.notification_read_all,
        name="notifications_read_all",
    ),
    path(
        "w/<slug:workspace>/notifications/<int:notification_id>/read/",
        views.notification_read,
        name="notification_read",
    ),
]
