"""Routes of the feedback register (/inbox/register/...) and of contacts' privacy pages
(/inbox/contacts/<id>/...), included under the inbox's prefix."""

from django.urls import path

from townsquare.inbox import privacy_views, register_views

R = "register/"
T = R + "<int:topic_id>/"
P = "contacts/<int:contact_id>/"

urlpatterns = [
    path(R, register_views.register_list, name="inbox_register"),
    path(R + "export.csv", register_views.register_export, name="inbox_register_export"),
    path(T, register_views.topic_detail, name="inbox_register_topic"),
    path(T + "rename/", register_views.topic_rename, name="inbox_register_rename"),
    path(T + "merge/", register_views.topic_merge, name="inbox_register_merge"),
    path(T + "split/", register_views.topic_split, name="inbox_register_split"),
    path(T + "status/", register_views.topic_status, name="inbox_register_status"),
    path(T + "answer/", register_views.topic_answer, name="inbox_register_answer"),
    path(T + "send/", register_views.topic_send_drafts, name="inbox_register_send"),
    path(P, privacy_views.contact_page, name="inbox_contact"),
    path(P + "export.json", privacy_views.contact_export, name="inbox_contact_export"),
    path(P + "delete/", privacy_views.contact_delete, name="inbox_contact_delete"),
]
